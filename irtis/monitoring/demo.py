"""Demo monitoring: real checks against irtis itself on loopback (its HTTP port, as served by
`irtis serve`), their schedules, a year of synthetic availability history of every system and
past incidents (the March disk array failure among them)."""

import datetime as dt
import os
import random

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from irtis.core.demo import ensure
from irtis.inventory.models import Device
from irtis.systems.models import InformationSystem
from irtis.tasks.models import Schedule

from .models import Check, Incident, ServiceLevel, SystemChange

HISTORY_DAYS = 365


def _get(model: type[models.Model], **lookup: object) -> models.Model:
    """The demo estate's object; raises if the estate lacks it (never skip silently)."""
    return model._default_manager.get(**lookup)


def _target(obj: models.Model) -> dict:
    return {"target_type": ContentType.objects.get_for_model(obj), "target_id": obj.pk}


def load() -> None:
    port = int(os.environ.get("IRTIS_PORT", "8000"))
    bap = _get(InformationSystem, code="BAP")
    array = _get(Device, name="dc1-masyvas-01")
    array2 = _get(Device, name="dc1-masyvas-02")
    ensure(Check, "name", {"name": "BAP portalas (HTTP)", "kind": "http", "url": f"http://127.0.0.1:{port}/login/",
                           "expect_status": 200, "slow_ms": 1500, "interval": 30, "timeout": 5, **_target(bap),
                           "description": "Demonstracinė patikra: irtis pati atsako vietoj portalo."})
    ensure(Check, "name", {"name": "dc1-masyvas-01 valdymo sąsaja (TCP)", "kind": "tcp", "host": "127.0.0.1",
                           "port": port, "interval": 15, "timeout": 3, **_target(array)})
    ensure(Check, "name", {"name": "dc1-masyvas-02 vardas (DNS)", "kind": "dns", "host": "localhost",
                           "interval": 60, "timeout": 3, **_target(array2)})
    ensure(Schedule, "name", {"name": "Stebėsenos patikros", "task": "irtis.monitoring.jobs.start_checks",
                              "cron": "* * * * *"})
    ensure(Schedule, "name", {"name": "Atsakymo laikų suvestinės", "task": "irtis.monitoring.jobs.roll_up",
                              "cron": "5 * * * *"})
    ensure(Schedule, "name", {"name": "Incidentų pranešimų terminai", "task": "irtis.monitoring.jobs.remind_reports",
                              "cron": "15 * * * *"})
    _service_levels()
    _history()
    _incidents(array)


def _service_levels() -> None:
    """Two SLAs: the traders' portal around the clock, an office system in working hours."""
    for code, values in (("BAP", {"hours": "24x7", "description": "Verslo portalas veikia visą parą."}),
                         ("MLS", {"hours": "working", "days": "1-5", "opens": "08:00", "closes": "17:00",
                                  "description": "Vidinė sistema: tik darbo laiku, be švenčių dienų."})):
        ensure(ServiceLevel, {"system": _get(InformationSystem, code=code)}, values)


def _history() -> None:
    """A year of state changes per system: a few outages and degradations each, fewer for the
    more important systems (seeded by the system's code: the same on every machine)."""
    now = timezone.now().replace(microsecond=0)
    start = now - dt.timedelta(days=HISTORY_DAYS)
    known = set(SystemChange.objects.filter(at__lt=now - dt.timedelta(days=1)).values_list("system_id", flat=True))
    rows = []
    for system in InformationSystem.objects.select_related("category").order_by("code"):
        if system.pk in known:
            continue  # loaded before: a rerun writes nothing
        rng = random.Random(system.code)
        rank = system.category.rank if system.category else 4
        rows.append(SystemChange(system=system, at=start, state="up"))
        moments = sorted(start + dt.timedelta(seconds=rng.randrange(86400, HISTORY_DAYS * 86400 - 86400))
                         for _n in range(rng.randint(2, 4 + 3 * rank)))
        for at in moments:
            state = "down" if rng.random() < 0.6 else "degraded"
            rows.append(SystemChange(system=system, at=at, state=state, reason="demonstracinė istorija"))
            rows.append(SystemChange(system=system, at=at + dt.timedelta(minutes=rng.randint(5, 240)), state="up"))
    SystemChange.objects.bulk_create(rows, ignore_conflicts=True)


def _once(values: dict) -> Incident:
    """The demo incident of that number, created the first time only: its times are relative
    to the day the demo was loaded, and a rerun must write nothing."""
    found = Incident.objects.filter(number=values["number"]).first()
    if found is not None:
        return found
    made = Incident(**values)
    made.full_clean()
    made.save()
    return made


def _incidents(array: models.Model) -> None:
    now = timezone.now().replace(microsecond=0)
    march = timezone.make_aware(dt.datetime(now.year if now.month > 3 else now.year - 1, 3, 14, 2, 17))
    codes = ["MDAS", "iMDAS", "NTKS", "IDAIS", "MLS", "GVS"]
    stopped = list(InformationSystem.objects.filter(code__in=codes).order_by("code"))
    if len(stopped) != len(codes):
        raise LookupError(f"the demo systems of the March incident are missing: {codes}")
    first = _once({
        "number": f"INC-{march.year}-0007", "title": f"{array} sugedo: paveiktos {len(stopped)} sistemos",
        "status": "resolved", "severity": "critical", "source": "check", "cause": str(array),
        "detected_at": march, "acknowledged_at": march + dt.timedelta(minutes=9),
        "resolved_at": march + dt.timedelta(hours=3, minutes=40), "significant": True,
        "early_warning_at": march + dt.timedelta(hours=5), "notification_at": march + dt.timedelta(hours=50),
        "final_report_at": march + dt.timedelta(days=21),
        "root_cause": "Sugedo abu masyvo valdikliai po programinės aparatinės įrangos atnaujinimo.",
        "review": "Antrasis masyvas DC2 kopijoms; valdiklių atnaujinimas tik priežiūros lange.",
    })
    if not first.systems.exists():
        first.systems.set(stopped)
    _once({
        "number": f"INC-{now.year}-0012", "title": "BAP portalas lėtai atsako", "status": "resolved",
        "severity": "medium", "source": "alert", "detected_at": now - dt.timedelta(days=20),
        "acknowledged_at": now - dt.timedelta(days=20, minutes=-25),
        "resolved_at": now - dt.timedelta(days=19), "root_cause": "Išaugo prisijungimų skaičius.",
    })
    _once({
        "number": f"INC-{now.year}-0013", "title": "Įtartinas prisijungimų srautas prie BAP", "status": "acknowledged",
        "severity": "high", "source": "manual", "significant": True, "detected_at": now - dt.timedelta(hours=20),
        "acknowledged_at": now - dt.timedelta(hours=19),
    })
