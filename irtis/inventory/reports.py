"""Recommendations computed from the inventory: software that runs past its vendor support (all of
it, or mainstream with only extended support left) and hardware past its support or warranty.

Every model with a foreign key to SoftwareVersion that declares `support_report` takes part, so
irtis.virtualization can add its VM installations without inventory importing it:

    support_report = {"version": "software_version", "target": "virtual_machine",
                      "site": "virtual_machine__site", "team": "team"}

`target` is what runs the software ("" for the object itself); `fallback_team` is read when
`team` is empty; `exclude` is a filter of rows to leave out (e.g. retired devices).
"""

import datetime
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

from django.db import models
from django.utils.translation import gettext as _

from irtis.core import permissions

from .models import Device, Site, SoftwareVersion, Team


@dataclass(frozen=True)
class Finding:
    target: models.Model
    version: SoftwareVersion
    site: Site | None
    team: Team | None
    via: str
    on: datetime.date  # the day the report is for
    ended: datetime.date
    until: datetime.date | None = None  # the end of the extended support it runs under

    @property
    def days(self) -> int:
        """Days from the end to the report's day."""
        return (self.on - self.ended).days

    @property
    def days_left(self) -> int | None:
        """Days of extended support left after the report's day."""
        return (self.until - self.on).days if self.until else None


def sources() -> list[tuple[type[models.Model], dict[str, Any]]]:
    """(model, paths) of every model that records software running somewhere."""
    found: list[tuple[type[models.Model], dict[str, Any]]] = []
    for rel in SoftwareVersion._meta.related_objects:
        paths = getattr(rel.related_model, "support_report", None)
        if rel.one_to_many and paths and paths.get("version", "software_version") == rel.field.name:
            found.append((cast(type[models.Model], rel.related_model), {"version": rel.field.name, **paths}))
    return found


def _follow(obj: models.Model | None, path: str | None) -> Any:
    """The object at the end of `path` ("" is the object itself; None or a gap gives None)."""
    if path is None:
        return None
    for name in (p for p in path.split("__") if p):
        obj = getattr(obj, name, None)
        if obj is None:
            return None
    return obj


def out_of_support(user: object, on: datetime.date | None = None) -> list[Finding]:
    """Everything the user may see that runs a software version with no vendor support left."""
    on = on or datetime.date.today()
    return _findings(user, SoftwareVersion.unsupported_q, on,
                     lambda release: (cast(datetime.date, release.support_ends), None))


def extended_support(user: object, on: datetime.date | None = None) -> list[Finding]:
    """Everything the user may see that runs a version past its mainstream support, under extended
    support (security fixes only, often paid for) that has not ended."""
    on = on or datetime.date.today()
    return _findings(user, SoftwareVersion.extended_q, on,
                     lambda release: (cast(datetime.date, release.support_end), release.extended_support_end))


def _findings(user: object, versions: Callable[..., models.Q], on: datetime.date,
              dates: Callable[[SoftwareVersion], tuple[datetime.date, datetime.date | None]]) -> list[Finding]:
    findings = []
    for model, paths in sources():
        version = paths["version"]
        related = [version, f"{version}__product"] + [
            paths[k] for k in ("target", "site", "team", "fallback_team") if paths.get(k)
        ]
        rows = permissions.restrict(model._default_manager.all(), user).filter(
            versions(on, prefix=f"{version}__")
        ).exclude(**paths.get("exclude", {})).select_related(*related)
        for row in rows:
            release = getattr(row, version)
            ended, until = dates(release)
            findings.append(Finding(
                target=_follow(row, paths.get("target", "")),
                version=release,
                site=_follow(row, paths.get("site")),
                team=_follow(row, paths.get("team")) or _follow(row, paths.get("fallback_team")),
                via=str(cast(models.Field, model._meta.get_field(version)).verbose_name)
                if paths.get("target", "") == "" else str(model._meta.verbose_name),
                on=on, ended=ended, until=until,
            ))
    findings.sort(key=lambda f: (f.ended, str(f.target)))
    return findings


@dataclass(frozen=True)
class HardwareFinding:
    device: Device
    ended: datetime.date  # the first of its dates to have passed
    passed: frozenset[str]  # which: "warranty_end", "support_end", "end_of_support" (the model's)


def hardware_out_of_support(user: object, on: datetime.date | None = None) -> list[HardwareFinding]:
    """Devices the user may see, not retired, whose warranty, support contract or model's vendor
    support has ended before `on`."""
    on = on or datetime.date.today()
    devices = permissions.restrict(Device.objects.exclude(status=Device.Status.RETIRED), user).filter(
        models.Q(warranty_end__lt=on) | models.Q(support_end__lt=on) | models.Q(hardware_model__end_of_support__lt=on)
    ).select_related("hardware_model", "site", "team")
    findings = []
    for device in devices:
        dates = {"warranty_end": device.warranty_end, "support_end": device.support_end,
                 "end_of_support": device.hardware_model.end_of_support}
        passed = {name: day for name, day in dates.items() if day is not None and day < on}
        findings.append(HardwareFinding(device, min(passed.values()), frozenset(passed)))
    findings.sort(key=lambda f: (f.ended, f.device.name))
    return findings


def grouped(findings: list[Finding], by: str) -> list[tuple[str, list[Finding]]]:
    """Findings per site or per team, named groups first, then those without one."""
    groups: dict[Any, list[Finding]] = defaultdict(list)
    for finding in findings:
        groups[getattr(finding, by)].append(finding)
    named = sorted((k for k in groups if k is not None), key=str)
    result = [(str(k), groups[k]) for k in named]
    if None in groups:
        result.append((_("No site") if by == "site" else _("No team"), groups[None]))
    return result


def out_of_support_counts(user: object, on: datetime.date | None = None) -> dict[SoftwareVersion, int]:
    """How many of what the user may see run each software version with no support left before
    `on`: the same rows as `out_of_support`, counted in the database (one grouped
    query per source, one for the versions) for summaries that name no object."""
    on = on or datetime.date.today()
    counts: dict[int, int] = defaultdict(int)
    for model, paths in sources():
        version = paths["version"]
        rows = permissions.restrict(model._default_manager.all(), user).filter(
            SoftwareVersion.unsupported_q(on, prefix=f"{version}__")
        ).exclude(**paths.get("exclude", {})).order_by().values(version).annotate(n=models.Count("pk"))
        for row in rows.values_list(version, "n"):
            counts[row[0]] += row[1]
    versions = SoftwareVersion.objects.select_related("product").in_bulk(list(counts))
    return {versions[pk]: n for pk, n in counts.items()}
