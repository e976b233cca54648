"""Evaluating every enabled architecture rule over every system, set-based.

The facts of all systems are read in a fixed number of queries (systems, backup policies,
production deployments with what they run on, installations on deployed devices, component zones,
the catalogue, the versions' support dates), whatever the number of systems; then each rule kind,
a plain function of the facts, gives each system in its scope a result:

- passed: the data shows the system conforms;
- failed: the data shows it does not (a known failure wins over missing data);
- unknown: the data needed is missing (no deployments recorded, a version not recorded, no
  planned end): reported as "cannot be evaluated", never as passed;
- not applicable: nothing the rule speaks of exists (a system without a DBMS).

Rule kinds are a fixed set (models.RuleKind): an architect adds rules as data, never code.
"""

import datetime
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from irtis.backups.models import BackupPolicy
from irtis.inventory.models import Installation, Site, SoftwareVersion
from irtis.inventory.models.software import support_ends
from irtis.sql import insert_many
from irtis.systems.models import Component, Deployment, InformationSystem
from irtis.virtualization.models import Environment

from .catalogue import Listing, listings
from .models import Evaluation, Lifecycle, Outcome, Rule, RuleKind, RuleResult, SystemPlan

INTERNET, DMZ = 0, 2  # SecurityZone.Trust


@dataclass
class Facts:
    """What the rules read of one system (production environment)."""

    id: int
    code: str
    category_id: int | None
    owner_unit: str
    planned_end: datetime.date | None = None
    has_backup: bool = False
    deployments: int = 0
    os: dict[int | None, set[str]] = field(default_factory=dict)  # version id (None: not recorded) → objects
    dbms: dict[int | None, set[str]] = field(default_factory=dict)
    software: dict[int | None, set[str]] = field(default_factory=dict)  # installed on its devices
    hardware: dict[int, set[str]] = field(default_factory=dict)
    sites: set[int] = field(default_factory=set)  # data centres its deployments run in
    unplaced: set[str] = field(default_factory=set)  # deployments whose site is not recorded
    components: dict[str, set[int]] = field(default_factory=dict)  # component → trust levels of its zones


@dataclass
class Context:
    today: datetime.date
    versions: dict[int, Listing]
    hardware: dict[int, Listing]
    names: dict[int, str]  # software version id → name
    support: dict[int, datetime.date | None]  # version id → the earlier of support end and end of life
    hardware_names: dict[int, str]


def _add(bucket: dict, key: Any, label: str) -> None:
    bucket.setdefault(key, set()).add(label)


def gather(system_ids: list[int] | None = None) -> dict[int, Facts]:
    """The facts of every system not retired (or of the given ones): eight queries."""
    systems = InformationSystem.objects.exclude(lifecycle=InformationSystem.Lifecycle.RETIRED)
    if system_ids is not None:
        systems = systems.filter(pk__in=system_ids)
    facts = {row["id"]: Facts(row["id"], row["code"], row["category_id"], row["owner_unit"])
             for row in systems.values("id", "code", "category_id", "owner_unit")}
    for system_id, end in SystemPlan.objects.values_list("system_id", "planned_end"):
        if system_id in facts:
            facts[system_id].planned_end = end
    for system_id in BackupPolicy.objects.filter(system__isnull=False).values_list("system_id", flat=True).distinct():
        if system_id in facts:
            facts[system_id].has_backup = True
    datacentres = set(Site.objects.filter(kind=Site.Kind.DATA_CENTRE).values_list("pk", flat=True))
    production = {"component__environment": Environment.PRODUCTION}
    deployed = Deployment.objects.filter(**production)
    if system_ids is not None:
        deployed = deployed.filter(component__system_id__in=system_ids)
    for row in deployed.values_list(
            "component__system_id", "virtual_machine__name", "virtual_machine__operating_system_id",
            "virtual_machine__cluster__site_id", "device__name", "device__platform_id", "device__hardware_model_id",
            "device__site_id", "dbms_instance__name", "dbms_instance__software_version_id",
            "dbms_instance__virtual_machine__cluster__site_id", "dbms_instance__device__site_id",
            "database__name", "database__instance__name", "database__instance__software_version_id",
            "database__instance__virtual_machine__cluster__site_id", "database__instance__device__site_id").iterator(
            chunk_size=5000):
        (system_id, vm, vm_os, vm_site, device, platform, model, device_site, instance, instance_version,
         instance_vm_site, instance_device_site, database, db_instance, db_version, db_vm_site, db_device_site) = row
        f = facts.get(system_id)
        if f is None:
            continue
        f.deployments += 1
        if vm is not None:
            _add(f.os, vm_os, vm)
            site, label = vm_site, vm
        elif device is not None:
            _add(f.os, platform, device)
            _add(f.hardware, model, device)
            site, label = device_site, device
        elif instance is not None:
            _add(f.dbms, instance_version, instance)
            site, label = instance_vm_site or instance_device_site, instance
        else:
            _add(f.dbms, db_version, db_instance or database)
            site, label = db_vm_site or db_device_site, database
        if site is None:
            f.unplaced.add(label)
        elif site in datacentres:
            f.sites.add(site)
    installed = Installation.objects.filter(device__deployments__component__environment=Environment.PRODUCTION)
    for system_id, version, device in installed.values_list(
            "device__deployments__component__system_id", "software_version_id", "device__name").distinct():
        if system_id in facts:
            _add(facts[system_id].software, version, device)
    zones = Component.objects.filter(environment=Environment.PRODUCTION)
    if system_ids is not None:
        zones = zones.filter(system_id__in=system_ids)
    for system_id, name, trust in zones.values_list("system_id", "name", "zones__trust_level"):
        if system_id in facts:
            levels = facts[system_id].components.setdefault(name, set())
            if trust is not None:
                levels.add(trust)
    return facts


def context(facts: dict[int, Facts]) -> Context:
    """The catalogue and the versions the facts name: three queries."""
    versions, hardware = listings()
    used: set[int] = set()
    models: set[int] = set()
    for f in facts.values():
        used.update(k for k in (*f.os, *f.dbms, *f.software) if k is not None)
        models.update(k for k in f.hardware if k is not None)
    names, support = {}, {}
    for pk, name, mainstream, extended, end_of_life in SoftwareVersion.objects.filter(pk__in=used).values_list(
            "pk", "name", "support_end", "extended_support_end", "end_of_life"):
        names[pk], support[pk] = name, support_ends(mainstream, extended, end_of_life)
    from irtis.inventory.models import HardwareModel

    hardware_names = dict(HardwareModel.objects.filter(pk__in=models).values_list("pk", "name"))
    return Context(timezone.localdate(), versions, hardware, names, support, hardware_names)


Result = tuple[str, str, dict[str, Any], dict[str, Any]]  # outcome, reason, params, data


def _objects(labels: set[str]) -> str:
    shown = sorted(labels)
    return ", ".join(shown[:5]) + (" …" if len(shown) > 5 else "")


def _status(listing: Listing | None) -> str:
    """The listing's status in the language of the evaluation (the site's, in a job)."""
    return str(Lifecycle(listing.status).label) if listing else gettext("not in the catalogue")


def _approved(rule: Rule, f: Facts, c: Context, used: dict, listings_: dict[int, Listing], names: dict[int, str],
              nothing: str) -> Result:
    if not f.deployments:
        return Outcome.UNKNOWN, gettext_noop("No production deployments are recorded."), {}, {}
    if not used:
        return Outcome.NOT_APPLICABLE, nothing, {}, {}
    accepted = {Lifecycle.APPROVED} | ({Lifecycle.TOLERATED} if rule.accept_tolerated else set())
    bad, missing = [], []
    for pk, labels in sorted(used.items(), key=lambda kv: names.get(kv[0], "") if kv[0] else ""):
        if pk is None:
            missing.append(_objects(labels))
            continue
        listing = listings_.get(pk)
        if listing is None or listing.status not in accepted:
            bad.append({"version": names.get(pk, str(pk)), "status": _status(listing), "objects": _objects(labels)})
    data = {"versions": [names.get(pk, "") for pk in used if pk is not None], "not_accepted": bad,
            "not_recorded": missing}
    if bad:
        return (Outcome.FAILED, gettext_noop("Not approved in the catalogue: %(items)s"),
                {"items": "; ".join(f"{b['version']} ({b['status']})" for b in bad)}, data)
    if missing:
        return (Outcome.UNKNOWN, gettext_noop("The version is not recorded for: %(objects)s"),
                {"objects": "; ".join(missing)}, data)
    return Outcome.PASSED, gettext_noop("All %(count)s versions are approved."), {"count": len(used)}, data


def dbms_approved(rule: Rule, f: Facts, c: Context) -> Result:
    nothing = gettext_noop("The system has no DBMS among its deployments.")
    return _approved(rule, f, c, f.dbms, c.versions, c.names, nothing)


def software_approved(rule: Rule, f: Facts, c: Context) -> Result:
    """The operating systems, DBMS, installed software and hardware models: the first failing part."""
    parts = [_approved(rule, f, c, {**f.os, **f.software, **{k: v for k, v in f.dbms.items() if k is not None}},
                       c.versions, c.names, gettext_noop("Nothing the catalogue lists is recorded for the system."))]
    if f.hardware:
        parts.append(_approved(rule, f, c, f.hardware, c.hardware, c.hardware_names, ""))
    for outcome in (Outcome.FAILED, Outcome.UNKNOWN, Outcome.PASSED):
        chosen = [part for part in parts if part[0] == outcome]
        if chosen:
            return chosen[0]
    return parts[0]


def nothing_forbidden(rule: Rule, f: Facts, c: Context) -> Result:
    if not f.deployments:
        return Outcome.UNKNOWN, gettext_noop("No production deployments are recorded."), {}, {}
    bad = []
    used: dict[int | None, set[str]] = {**f.os, **f.dbms, **f.software}
    for pk, labels in used.items():
        listing = c.versions.get(pk) if pk is not None else None
        if pk is not None and listing and listing.overdue(c.today):
            bad.append(f"{c.names.get(pk, str(pk))} ({_status(listing)}): {_objects(labels)}")
    for pk, labels in f.hardware.items():
        listing = c.hardware.get(pk)
        if listing and listing.overdue(c.today):
            bad.append(f"{c.hardware_names.get(pk, pk)} ({_status(listing)}): {_objects(labels)}")
    missing = sorted(_objects(v) for k, v in {**f.os, **f.dbms}.items() if k is None)
    data = {"overdue": bad, "not_recorded": missing}
    if bad:
        return (Outcome.FAILED, gettext_noop("Forbidden or past its retirement date: %(items)s"),
                {"items": "; ".join(bad)}, data)
    if missing:
        return (Outcome.UNKNOWN, gettext_noop("The version is not recorded for: %(objects)s"),
                {"objects": "; ".join(missing)}, data)
    return Outcome.PASSED, gettext_noop("Nothing forbidden or overdue for retirement."), {}, data


def data_centres(rule: Rule, f: Facts, c: Context) -> Result:
    wanted = rule.minimum or 1
    data = {"data_centres": sorted(f.sites), "not_placed": sorted(f.unplaced)}
    if not f.deployments:
        return Outcome.UNKNOWN, gettext_noop("No production deployments are recorded."), {}, data
    params = {"count": len(f.sites), "minimum": wanted}
    if len(f.sites) >= wanted:
        return (Outcome.PASSED, gettext_noop("Runs in %(count)s data centres (at least %(minimum)s required)."),
                params, data)
    if f.unplaced:
        return (Outcome.UNKNOWN,
                gettext_noop("Runs in %(count)s data centres; the site of %(objects)s is not recorded."),
                {**params, "objects": _objects(f.unplaced)}, data)
    return Outcome.FAILED, gettext_noop("Runs in %(count)s data centres, fewer than %(minimum)s."), params, data


def internet_in_dmz(rule: Rule, f: Facts, c: Context) -> Result:
    if not f.components:
        return Outcome.UNKNOWN, gettext_noop("No production components are recorded."), {}, {}
    facing = {name for name, levels in f.components.items() if INTERNET in levels}
    bad = sorted(name for name in facing if DMZ not in f.components[name] or max(f.components[name]) > DMZ)
    unzoned = sorted(name for name, levels in f.components.items() if not levels)
    data = {"internet_facing": sorted(facing), "outside_dmz": bad, "without_zones": unzoned}
    if bad:
        return (Outcome.FAILED, gettext_noop("Facing the internet outside a DMZ zone: %(objects)s"),
                {"objects": ", ".join(bad)}, data)
    if unzoned:
        return (Outcome.UNKNOWN, gettext_noop("The zones of %(objects)s are not recorded."),
                {"objects": _objects(set(unzoned))}, data)
    return (Outcome.PASSED, gettext_noop("%(count)s internet-facing components, all in a DMZ zone."),
            {"count": len(facing)}, data)


def os_supported(rule: Rule, f: Facts, c: Context) -> Result:
    if f.planned_end is None:
        return Outcome.UNKNOWN, gettext_noop("The system's planned end of life is not recorded."), {}, {}
    if not f.os:
        return Outcome.UNKNOWN, gettext_noop("No production deployments are recorded."), {}, {}
    end = f.planned_end
    bad, missing = [], []
    for pk, labels in f.os.items():
        if pk is None:
            missing.append(_objects(labels))
        elif c.support.get(pk) is None:
            missing.append(str(c.names.get(pk, pk)))
        elif c.support[pk] < end:  # type: ignore[operator]
            bad.append(f"{c.names[pk]} ({c.support[pk]}): {_objects(labels)}")
    data = {"planned_end": end.isoformat(), "short": bad, "unknown": missing}
    if bad:
        return (Outcome.FAILED, gettext_noop("Support ends before the planned end %(date)s: %(items)s"),
                {"date": end.isoformat(), "items": "; ".join(bad)}, data)
    if missing:
        return (Outcome.UNKNOWN,
                gettext_noop("The operating system or its support end is not recorded for: %(objects)s"),
                {"objects": "; ".join(missing)}, data)
    return (Outcome.PASSED, gettext_noop("Every operating system is supported until %(date)s."),
            {"date": end.isoformat()}, data)


def owner_and_backup(rule: Rule, f: Facts, c: Context) -> Result:
    owner, backup = bool(f.owner_unit.strip()), f.has_backup
    data = {"owner_unit": f.owner_unit, "backup_policy": backup}
    if not owner and not backup:
        return Outcome.FAILED, gettext_noop("The system has neither an owner unit nor a backup policy."), {}, data
    if not owner:
        return Outcome.FAILED, gettext_noop("The system has no owner unit."), {}, data
    if not backup:
        return Outcome.FAILED, gettext_noop("The system has no backup policy."), {}, data
    return Outcome.PASSED, gettext_noop("Has an owner unit and a backup policy."), {}, data


KINDS: dict[str, Callable[[Rule, Facts, Context], Result]] = {
    RuleKind.DBMS_APPROVED: dbms_approved,
    RuleKind.SOFTWARE_APPROVED: software_approved,
    RuleKind.NOTHING_FORBIDDEN: nothing_forbidden,
    RuleKind.DATA_CENTRES: data_centres,
    RuleKind.INTERNET_IN_DMZ: internet_in_dmz,
    RuleKind.OS_SUPPORTED: os_supported,
    RuleKind.OWNER_AND_BACKUP: owner_and_backup,
}


def applies(rule: Rule, f: Facts) -> bool:
    return rule.category_id is None or rule.category_id == f.category_id


def results(rules: list[Rule], facts: dict[int, Facts]) -> list[RuleResult]:
    """Every rule over every system in its scope (no queries: the facts and context are read)."""
    c = context(facts)
    now = timezone.now()
    made = []
    for f in facts.values():
        for rule in rules:
            if applies(rule, f):
                outcome, reason, params, data = KINDS[rule.kind](rule, f, c)
                made.append(RuleResult(rule_id=rule.pk, system_id=f.id, outcome=outcome, reason=reason,
                                       params=params, data=data, evaluated=now))
    return made


def evaluate() -> Evaluation:
    """Evaluate every enabled rule over every system not retired and store the results (replacing
    the previous ones); the evaluation's counts by outcome."""
    began, started = time.perf_counter(), timezone.now()
    rules = list(Rule.objects.filter(enabled=True).order_by("code"))
    facts = gather()
    made = results(rules, facts)
    counts: dict[str, int] = {}
    for result in made:
        counts[result.outcome] = counts.get(result.outcome, 0) + 1
    with transaction.atomic():
        with connection.cursor() as cursor:  # derived data, not audited: one statement whatever its size
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(RuleResult._meta.db_table)}")
        insert_many(RuleResult, made)
        return Evaluation.objects.create(started=started, seconds=round(time.perf_counter() - began, 3),
                                         systems=len(facts), rules=len(rules), counts=counts)
