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
from django.db.models import F, Max, Model
from django.utils import timezone
from django.utils.translation import gettext as _

from irtis.databases.models import Database
from irtis.systems.models import Deployment, InformationSystem

from .models import BackupPolicy, RestoreDrill, Result, Snapshot, Status

CRITICAL_RANK = 2  # category I and II
SHOWN = 200  # unprotected objects named on the page; the rest counted
COPY_HOURS = 24  # the second site's copy may be at most max(RPO, this) old


@dataclass
class PolicyState:
    policy: BackupPolicy
    last_good: datetime | None = None
    last_copy: datetime | None = None
    last_drill: datetime | None = None
    problems: list[str] = field(default_factory=list)


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


def _latest(queryset: Any, column: str) -> dict[int, datetime]:
    return dict(queryset.values("policy").annotate(last=Max(column)).values_list("policy", "last"))


def policy_states(policies: Any, now: datetime) -> list[PolicyState]:
    ids = policies.values("pk")  # a subquery: thousands of ids would be as many parameters
    policies = list(policies.select_related("system__category", "repository", "copy_site"))
    good = Snapshot.objects.filter(policy__in=ids, status=Status.SUCCESS)
    last_good = _latest(good, "taken_at")
    last_copy = _latest(good.filter(repository__site=F("policy__copy_site")), "taken_at")
    last_drill = _latest(RestoreDrill.objects.filter(policy__in=ids, result=Result.PASSED), "started_at")
    states = []
    for policy in policies:
        state = PolicyState(policy, last_good.get(policy.pk), last_copy.get(policy.pk), last_drill.get(policy.pk))
        states.append(state)
        system = policy.system
        rank = system.category.rank if system is not None and system.category_id else None
        critical = rank is not None and rank <= CRITICAL_RANK
        if system is not None and system.rpo_minutes is not None and (policy.rpo_minutes or 0) > system.rpo_minutes:
            state.problems.append(_("RPO %(policy)s min is longer than the system's %(system)s min.")
                                  % {"policy": policy.rpo_minutes, "system": system.rpo_minutes})
        if system is not None and system.rto_hours is not None and policy.rto_hours is not None \
                and policy.rto_hours > system.rto_hours:
            state.problems.append(_("RTO %(policy)s h is longer than the system's %(system)s h.")
                                  % {"policy": policy.rto_hours, "system": system.rto_hours})
        rpo = timedelta(minutes=policy.rpo_minutes or 0)
        if state.last_good is None:
            state.problems.append(_("No good backup recorded."))
        elif state.last_good < now - rpo:
            state.problems.append(_("The last good backup is older than the RPO."))
        if critical:
            if policy.copy_site_id is None:
                state.problems.append(_("No second copy site is named."))
            elif state.last_copy is None or state.last_copy < now - max(rpo, timedelta(hours=COPY_HOURS)):
                state.problems.append(_("No recent copy at %(site)s.") % {"site": policy.copy_site.code})
        period = timedelta(days=policy.drill_every_days or 0)
        if state.last_drill is None or (period and state.last_drill < now - period):
            state.problems.append(_("No passed restore drill within %(days)s days.")
                                  % {"days": policy.drill_every_days})
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
        if state.policy.system_id is not None:
            by_system[state.policy.system_id].append(state)
    return Report(found, count, states, by_system)
