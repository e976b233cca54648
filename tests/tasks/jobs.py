"""Jobs the tests run in real worker processes (imported there by path)."""

import time
from typing import Any

from irtis.inventory.models import Site
from irtis.tasks.runs import get_or_gone, job


@job(label="Pervardyti", key="site_id", backoff=0.2)
def rename(run: Any, site_id: int, name: str, steps: int = 3) -> str:
    site = get_or_gone(Site.objects.all(), pk=site_id)
    for step in range(steps):
        run.report(step, steps, f"step {step}")
    site.name = name
    site.full_clean()
    site.save()
    return site.name


@job(label="Įrašyti ir sugesti", key="site_id", backoff=0.2, max_attempts=2)
def fail_after_writing(run: Any, site_id: int) -> None:
    """Writes, then fails: nothing of it may stay."""
    site = Site.objects.get(pk=site_id)
    site.name = "Pusiau įrašyta"
    site.full_clean()
    site.save()
    raise RuntimeError(f"attempt {run.attempts} failed")


@job(label="Lėtai pervardyti", key="site_id", backoff=0.2)
def slow_rename(run: Any, site_id: int, name: str, seconds: float) -> str:
    """Writes, then works for a while: a worker killed meanwhile leaves nothing written."""
    site = Site.objects.get(pk=site_id)
    site.address = f"{site.address}+"
    site.full_clean()
    site.save()
    if run.attempts == 1:
        run.report(1, 2, "working")
        time.sleep(seconds)
    site.name = name
    site.full_clean()
    site.save()
    return site.address


@job(label="Nieko nedaryti")
def noop(run: Any, n: int) -> int:
    """Trivial: the cost is the engine's and the run's."""
    return n


@job(label="Pervardyti su pauze", key="site_id", backoff=0.2, max_attempts=2)
def rename_pausing(run: Any, site_id: int, name: str, pause: float = 0.0, fail: bool = False) -> str:
    """Renames the site, then (first attempt only) works `pause` seconds; `fail`: then fails."""
    site = Site.objects.get(pk=site_id)
    site.name = name
    site.full_clean()
    site.save()
    if pause and run.attempts == 1:
        run.report(1, 2, "working")
        time.sleep(pause)
    if fail:
        raise RuntimeError(f"attempt {run.attempts} failed")
    return site.name
