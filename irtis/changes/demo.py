"""Demo maintenance calendar and change requests over the demo estate's real objects: the
monthly patch night (planiniai profilaktikos darbai), one-off windows in the past and the future,
the month-end declaration peak and the Christmas freeze as blackout periods, a change advisory
board, and change requests in every state. Dates follow the current month, so reruns within a
month write nothing; a look-up that finds nothing raises.

Statuses are set directly (the demo has no people to approve with): the approval actions and
their rules are exercised by the tests.
"""

import datetime as dt

from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from irtis.core.demo import ensure
from irtis.databases.models import DBMSInstance
from irtis.inventory.models import Device
from irtis.systems.models import InformationSystem
from irtis.virtualization.models import Cluster

from . import risk
from .models import (
    ApprovalRule,
    Blackout,
    ChangeKind,
    ChangeRequest,
    ChangeStatus,
    MaintenanceWindow,
    Result,
    Status,
    WindowObject,
)

# name, month offset from this one, day (or "2TU"), local hour, hours, recurrence, status, objects
Objects = list[tuple[type[models.Model], str]]
WINDOWS: list[tuple[str, int, int | str, int, int, str, str, Objects]] = [
    ("Mėnesio pataisų naktis", -2, "2TU", 22, 4, "FREQ=MONTHLY;BYDAY=2TU;COUNT=24", Status.APPROVED,
     [(Device, "dc1-esx-01"), (Device, "dc1-esx-02"), (Device, "dc1-esx-03")]),
    ("CL-DMZ atnaujinimas į ESXi 8.0 U3", -1, 14, 21, 5, "", Status.APPROVED,
     [(Cluster, "CL-DMZ")]),
    ("Oracle RAC A pataisos (19.24 RU)", 1, 6, 20, 4, "", Status.SUBMITTED,
     [(DBMSInstance, "ORAPRDA1"), (DBMSInstance, "ORAPRDA2")]),
    ("SAN komutatoriaus dc1-san-01 programinė įranga", 0, 27, 23, 3, "", Status.SUBMITTED,
     [(Device, "dc1-san-01")]),
    ("Saugasienių FortiOS 7.4.5", 2, 3, 22, 4, "", Status.DRAFT,
     [(Device, "dc1-fw-01"), (Device, "dc1-fw-02")]),
    ("Atsarginių kopijų serverio keitimas", -1, 20, 9, 6, "", Status.CANCELLED, [(Device, "dc1-bkp-01")]),
    # inside the patch night of next month: a conflict to show
    ("MDAS taikomosios programos diegimas", 1, "2TU", 23, 2, "", Status.SUBMITTED,
     [(InformationSystem, "MDAS")]),
]
# title, kind, window, status, result, description, implementation plan, rollback plan
CHANGES = [
    ("ESXi 8.0 U3 DMZ klasteryje", ChangeKind.NORMAL, "CL-DMZ atnaujinimas į ESXi 8.0 U3", ChangeStatus.COMPLETED,
     Result.SUCCESSFUL, "Atnaujinti CL-DMZ mazgus į VMware ESXi 8.0 U3 (saugumo pataisos).",
     "1. vMotion į kitą mazgą. 2. Priežiūros režimas. 3. Atnaujinimas per vLCM. 4. Patikra.",
     "Grąžinti ankstesnį ESXi atvaizdą iš altbootbank."),
    ("Oracle 19.24 RU RAC A mazgams", ChangeKind.NORMAL, "Oracle RAC A pataisos (19.24 RU)",
     ChangeStatus.SUBMITTED, "", "Įdiegti Oracle Database 19.24 Release Update RAC A mazgams paeiliui.",
     "Rolling: mazgas po mazgo, opatchauto, datapatch, patikros užklausos.", "opatchauto rollback kiekvienam mazgui."),
    ("SAN komutatoriaus FOS atnaujinimas", ChangeKind.EMERGENCY, "SAN komutatoriaus dc1-san-01 programinė įranga",
     ChangeStatus.SUBMITTED, "", "Kritinis Brocade FOS pažeidžiamumas: atnaujinti dc1-san-01.",
     "firmwaredownload į neaktyvią skaidinį, hafailover.", "firmwarerestore."),
    ("FortiOS atnaujinimas", ChangeKind.NORMAL, "Saugasienių FortiOS 7.4.5", ChangeStatus.DRAFT, "",
     "Atnaujinti DC1 saugasienių porą į FortiOS 7.4.5.", "", ""),
]
# subject, role, approvals: the change advisory board
RULES = [("normal", "manager", 1), ("normal", "infra_admin", 1), ("emergency", "manager", 1),
         ("window", "infra_admin", 1)]


def _find(model: type[models.Model], key: str) -> models.Model:
    field = "code" if model is InformationSystem else "name"
    return model._default_manager.get(**{field: key})


def _start(offset: int, day: int | str, hour: int) -> dt.datetime:
    today = timezone.localdate()
    month = today.replace(day=1)
    for _ in range(abs(offset)):
        month = (month + dt.timedelta(days=32)).replace(day=1) if offset > 0 else (
            month - dt.timedelta(days=1)).replace(day=1)
    if isinstance(day, str):  # the second Tuesday
        first_tuesday = month + dt.timedelta(days=(1 - month.weekday()) % 7)
        date = first_tuesday + dt.timedelta(days=7)
    else:
        date = month.replace(day=day)
    return timezone.make_aware(dt.datetime.combine(date, dt.time(hour)), timezone.get_default_timezone())


def _windows() -> dict[str, MaintenanceWindow]:
    made = {}
    for name, offset, day, hour, hours, rule, status, objects in WINDOWS:
        start = _start(offset, day, hour)
        window = ensure(MaintenanceWindow, "name", {
            "name": name, "start": start, "end": start + dt.timedelta(hours=hours), "recurrence": rule})
        for model, key in objects:
            target = _find(model, key)
            ensure(WindowObject, {"window": window, "object_type": ContentType.objects.get_for_model(model),
                                  "object_id": target.pk}, {})
        if window.status != status:
            window.status = status
            window.approved_at = start - dt.timedelta(days=7) if status == Status.APPROVED else None
            window.save()
        made[name] = window
    return made


def load() -> None:
    mdas = _find(InformationSystem, "MDAS")
    peak = _start(-2, 1, 0)
    ensure(Blackout, "name", {"name": "Mėnesio pabaigos deklaravimo pikas", "system": mdas,
                              "start": peak, "end": peak + dt.timedelta(days=2),
                              "recurrence": "FREQ=MONTHLY;BYMONTHDAY=-2;COUNT=24",
                              "description": "Paskutinės dvi mėnesio dienos: deklaracijų srauto pikas."})
    freeze = timezone.make_aware(dt.datetime(timezone.localdate().year - 1, 12, 20),
                                 timezone.get_default_timezone())
    ensure(Blackout, "name", {"name": "Kalėdinis pakeitimų įšaldymas", "system": None, "start": freeze,
                              "end": freeze + dt.timedelta(days=16), "recurrence": "FREQ=YEARLY;COUNT=5",
                              "description": "Gruodžio 20 d. – sausio 4 d. jokių planinių darbų."})
    for subject, code, approvals in RULES:
        ensure(ApprovalRule, {"subject": subject, "role": Group.objects.get(name=code)}, {"approvals": approvals})
    windows = _windows()
    for title, kind, window, status, result, description, plan, rollback in CHANGES:
        change = ensure(ChangeRequest, "title", {
            "title": title, "kind": kind, "window": windows[window], "description": description,
            "implementation_plan": plan, "rollback_plan": rollback,
        })
        found = risk.assess([windows[window]]) if status != ChangeStatus.DRAFT else None
        level, affected = (found.level, found.systems) if found else ("", 0)
        if (change.status, change.result, change.risk, change.affected_systems) != (status, result, level, affected):
            change.status, change.result, change.risk, change.affected_systems = status, result, level, affected
            change.closed_at = windows[window].end if status == ChangeStatus.COMPLETED else None
            change.save()
