"""The coverage report (statute 2.7; domain-facts LT-12..16): what is not protected as it must be.

Findings, each from a handful of grouped queries whatever the size of the estate:
- objects carrying a production component of a category I or II system (virtual machines,
  devices, DBMS instances, databases) that no policy protects (a database is protected by its
  instance's policy too);
- policies weaker than their system's RPO/RTO;
- policies whose last good snapshot is older than the RPO (or that have none);
- policies of category I/II systems without a recent copy at their second copy site (or
  without one named);
- policies without a passed restore drill within their drill period.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, cast

from django.contrib.contenttypes.models import ContentType
from django.db.models import Max, Model
from django.utils import timezone
from django.utils.translation import gettext as _

from irtis.databases.models import Database
from irtis.systems.models import Deployment, InformationSystem

from .models import BackupPolicy, BackupRepository, RestoreDrill, Result, Snapshot, Status

CRITICAL_RANK = 2  # category I and II
SHOWN = 200  # unprotected objects named on the page; the rest counted
COPY_HOURS = 24  # the second site's copy may be at most max(RPO, this) old


@dataclass
class PolicyState:
    pk: int
    system_id: int | None
    last_good: datetime | None = None
    last_copy: datetime | None = None
    last_drill: datetime | None = None
    problems: list[str] = field(default_factory=list)
    policy: BackupPolicy | None = None  # loaded only for the states shown (`attach`)


@dataclass
class Report:
    unprotected: list[tuple[InformationSystem, Any, str]]  # system, object (or its label), kind
    unprotected_count: int
    policies: list[PolicyState]
    by_system: dict[int, list[PolicyState]]

    @property
    def failing(self) -> list[PolicyState]:
        return [state for state in self.policies if state.problems]

    @property
    def failing_shown(self) -> list[PolicyState]:
        return self.failing[:SHOWN]


COLUMNS = ("pk", "system_id", "rpo_minutes", "rto_hours", "copy_site_id", "copy_site__code", "drill_every_days",
           "system__rpo_minutes", "system__rto_hours", "system__category__rank")


class Messages:
    """The findings' sentences, translated once per report rather than once per policy."""

    def __init__(self) -> None:
        self.none_good = _("No good backup recorded.")
        self.old_good = _("The last good backup is older than the RPO.")
        self.no_site = _("No second copy site is named.")
        self.cache: dict[tuple[str, Any], str] = {}

    def no_copy(self, site: str) -> str:
        key = ("copy", site)
        if key not in self.cache:
            self.cache[key] = _("No recent copy at %(site)s.") % {"site": site}
        return self.cache[key]

    def no_drill(self, days: int | None) -> str:
        key = ("drill", days)
        if key not in self.cache:
            self.cache[key] = _("No passed restore drill within %(days)s days.") % {"days": days}
        return self.cache[key]


def attach(states: list[PolicyState]) -> list[PolicyState]:
    """Load the policies of these states (one query), for the pages that show them."""
    found = BackupPolicy.objects.select_related("system", "copy_site", "repository").in_bulk(
        [state.pk for state in states if state.policy is None])
    for state in states:
        state.policy = state.policy or found.get(state.pk)
    return states


def policy_states(policies: Any, now: datetime) -> list[PolicyState]:
    """Each policy's last good backup, copy and drill, and its problems: four queries, and no
    model instances (6,000 policies with their systems were half the report's time)."""
    ids = policies.values("pk")  # a subquery: thousands of ids would be as many parameters
    rows = list(policies.values_list(*COLUMNS))
    sites = dict(BackupRepository.objects.values_list("pk", "site_id"))
    last_good: dict[int, datetime] = {}
    last_copy: dict[tuple[int, int], datetime] = {}  # (policy, site) → newest good snapshot there
    good = Snapshot.objects.filter(policy__in=ids, status=Status.SUCCESS)
    for policy_id, repository_id, last in good.values("policy", "repository").annotate(
            last=Max("taken_at")).values_list("policy", "repository", "last"):
        if policy_id not in last_good or last > last_good[policy_id]:
            last_good[policy_id] = last
        site = sites.get(repository_id)
        if site is not None and ((policy_id, site) not in last_copy or last > last_copy[(policy_id, site)]):
            last_copy[(policy_id, site)] = last
    last_drill = dict(RestoreDrill.objects.filter(policy__in=ids, result=Result.PASSED).values("policy").annotate(
        last=Max("started_at")).values_list("policy", "last"))
    say = Messages()
    states = []
    for pk, system_id, rpo_minutes, rto_hours, copy_site_id, copy_site_code, drill_days, \
            system_rpo, system_rto, rank in rows:
        state = PolicyState(pk, system_id, last_good.get(pk), last_copy.get((pk, copy_site_id)), last_drill.get(pk))
        states.append(state)
        critical = rank is not None and rank <= CRITICAL_RANK
        if system_rpo is not None and (rpo_minutes or 0) > system_rpo:
            state.problems.append(_("RPO %(policy)s min is longer than the system's %(system)s min.")
                                  % {"policy": rpo_minutes, "system": system_rpo})
        if system_rto is not None and rto_hours is not None and rto_hours > system_rto:
            state.problems.append(_("RTO %(policy)s h is longer than the system's %(system)s h.")
                                  % {"policy": rto_hours, "system": system_rto})
        rpo = timedelta(minutes=rpo_minutes or 0)
        if state.last_good is None:
            state.problems.append(say.none_good)
        elif state.last_good < now - rpo:
            state.problems.append(say.old_good)
        if critical:
            if copy_site_id is None:
                state.problems.append(say.no_site)
            elif state.last_copy is None or state.last_copy < now - max(rpo, timedelta(hours=COPY_HOURS)):
                state.problems.append(say.no_copy(copy_site_code))
        period = timedelta(days=drill_days or 0)
        if state.last_drill is None or (period and state.last_drill < now - period):
            state.problems.append(say.no_drill(drill_days))
    return states


def unprotected(systems: Any) -> tuple[list[tuple[InformationSystem, Any, str]], int]:
    """Objects carrying a production component of these systems that no policy protects."""
    protected: set[tuple[int, int]] = set(BackupPolicy.objects.values_list("object_type", "object_id"))
    types = {name: ContentType.objects.get_for_model(cast(type[Model], Deployment._meta.get_field(name).related_model))
             for name in Deployment.TARGETS}
    database_type = types["database"].pk
    instance_type = types["dbms_instance"].pk
    protected_instances = {object_id for type_id, object_id in protected if type_id == instance_type}
    rows = Deployment.objects.filter(component__system__in=systems, component__environment="production").values_list(
        "component__system", *(f"{name}_id" for name in Deployment.TARGETS)).distinct()
    missing: dict[tuple[int, int], set[int]] = defaultdict(set)
    for system_id, *targets in rows:
        name, object_id = next((n, t) for n, t in zip(Deployment.TARGETS, targets, strict=True) if t is not None)
        key = (types[name].pk, object_id)
        if key not in protected:
            missing[key].add(system_id)
    if missing:  # a database is protected by its instance's policy
        databases = [object_id for type_id, object_id in missing if type_id == database_type]
        for database_id, instance_id in Database.objects.filter(pk__in=databases).values_list("pk", "instance"):
            if instance_id in protected_instances:
                missing.pop((database_type, database_id))
    shown = sorted(missing)[:SHOWN]
    objects: dict[tuple[int, int], Any] = {}
    by_type: dict[int, list[int]] = defaultdict(list)
    for type_id, object_id in shown:
        by_type[type_id].append(object_id)
    for type_id, object_ids in by_type.items():
        content_type = ContentType.objects.get_for_id(type_id)
        for obj in content_type.get_all_objects_for_this_type(pk__in=object_ids):
            objects[(type_id, obj.pk)] = obj
    names = {s.pk: s for s in InformationSystem.objects.filter(pk__in={s for key in shown for s in missing[key]})}
    found = [(names[min(missing[key])], objects.get(key, key[1]), ContentType.objects.get_for_id(key[0]).name)
             for key in shown]
    return found, len(missing)


def report(systems: Any, policies: Any, now: datetime | None = None) -> Report:
    """Findings for the category I/II systems among `systems` and for `policies` (both already
    restricted to what the reader may view)."""
    now = now or timezone.now()
    critical = systems.filter(category__rank__lte=CRITICAL_RANK)
    found, count = unprotected(critical)
    states = policy_states(policies, now)
    by_system: dict[int, list[PolicyState]] = defaultdict(list)
    for state in states:
        if state.system_id is not None:
            by_system[state.system_id].append(state)
    made = Report(found, count, states, by_system)
    attach(made.failing_shown)
    return made
