"""Incidents opened and closed by the checks: one incident per cause.

When objects go down, those that depend on another object that is down are consequences, not
causes: they join the incident of the object they depend on. A cause found after its
consequences (the disk array's check runs after the virtual machines' checks) takes over their
incidents: they are merged into one incident of the cause. The affected systems come from
impact analysis. An incident whose objects are all up again is resolved (by nobody: the checks).

Who is told: the `infra_admin` role and the responsible people of the affected systems
(`InformationSystem.responsible`), through irtis.notifications (each in their language, a storm
grouped into one message per person). Systems under approved maintenance are silent: their
people are not told, and an incident affecting only such systems tells nobody.
"""

from collections.abc import Iterable
from datetime import datetime

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext as _

from irtis.core.relations import assign
from irtis.notifications.events import notify
from irtis.systems.graph import Node, describe, impact_nodes, walk
from irtis.systems.models import InformationSystem

from .models import Incident, IncidentObject, State

OPEN = (Incident.Status.OPEN, Incident.Status.ACKNOWLEDGED)
MAX_WALKS = 200  # newly down objects analysed one by one; past this, one incident for the lot
NOTIFY_ROLES = ("infra_admin",)


def severity(system_ids: Iterable[int]) -> str:
    """From the most important category among the stopped systems: rank 1 critical, 2 high,
    3 medium, the rest (or none stopped) low."""
    ranks = InformationSystem.objects.filter(pk__in=list(system_ids), category__isnull=False).values_list(
        "category__rank", flat=True)
    best = min(ranks, default=None)
    return {1: Incident.Severity.CRITICAL, 2: Incident.Severity.HIGH, 3: Incident.Severity.MEDIUM}.get(
        best or 0, Incident.Severity.LOW)


def _open_objects(source: str) -> dict[Node, IncidentObject]:
    rows = IncidentObject.objects.filter(incident__status__in=OPEN, incident__source=source)
    return {(o.object_type_id, o.object_id): o for o in rows.select_related("incident")}


def follow(nodes: dict[Node, str], touched: set[Node], at: datetime, quiet: set[Node] | None = None,
           source: str = Incident.Source.CHECK) -> None:
    """Open, extend, merge and resolve incidents after the objects `touched` changed state;
    `nodes` holds every checked object's state, `quiet` the objects under approved maintenance
    (they, and objects down because one of them is, open no incident). The checks' incidents
    and the external alerts' (`source`) are followed apart."""
    quiet = quiet or set()
    silent = {pk for t, pk in quiet if t == ContentType.objects.get_for_model(InformationSystem).id}
    down = {n for n, s in nodes.items() if s == State.DOWN}
    tracked = _open_objects(source)
    recovered = [o for n, o in tracked.items() if n in touched and n not in down and o.down]
    for obj in recovered:
        obj.down = False
        obj.save(update_fields=["down"])
    _resolve_recovered({o.incident for o in recovered}, at)
    fresh = sorted(n for n in touched & down if n not in quiet and not (n in tracked and tracked[n].down))
    if not fresh:
        return
    for node in fresh:
        if node in tracked:  # down again before its incident was resolved
            tracked[node].down = True
            tracked[node].save(update_fields=["down"])
    fresh = [n for n in fresh if n not in tracked]
    if len(fresh) > MAX_WALKS:
        _open(fresh, fresh, at, source, silent)
        return
    below = {n: set(walk([n], "down")) - {n} for n in fresh}
    fresh = [n for n in fresh if not below[n] & down & quiet]  # down because maintenance stopped what it needs
    causes = [n for n in fresh if not below[n] & down]
    for cause in causes:
        above = set(walk([cause], "up")) - {cause}
        earlier = sorted({o.incident for n, o in tracked.items() if n in above}, key=lambda i: i.detected_at)
        if earlier:
            _merge(earlier, cause, at, silent)
        else:
            _open([cause], [cause], at, source, silent)
    tracked = _open_objects(source)  # with the incidents just opened or merged
    for node in fresh:
        if node in causes:
            continue
        host = next((tracked[d].incident for d in below[node] if d in tracked), None)
        if host is None:  # what it depends on is down without an incident (maintenance): a cause
            _open([node], [node], at, source, silent)
        else:
            _attach(host, [node], cause=False)


def _affected(causes: list[Node]) -> tuple[set[int], set[int]]:
    """The systems that stop, and all the systems affected, if the causes fail."""
    systems = ContentType.objects.get_for_model(InformationSystem).id
    reach = impact_nodes(causes, [systems])
    stopped = {pk for t, pk in reach.stopped if t == systems}
    return stopped, stopped | {pk for t, pk in reach.affected if t == systems}


def tell(incident: Incident, systems: set[int], silent: set[int], roles: tuple[str, ...] = NOTIFY_ROLES) -> None:
    """Notify the roles and the responsible people of `systems` of the incident, leaving out the
    systems under approved maintenance (`silent`); nobody if all of them are."""
    told = systems - silent
    if systems and not told:
        return
    people = list(get_user_model().objects.filter(responsible_for__in=told, is_active=True).distinct())
    notify("monitoring.incident_opened", roles=roles, users=people, obj=incident,
           context={"count": len(systems), "severity": incident.get_severity_display(), "cause": incident.cause})


def _open(causes: list[Node], objects: list[Node], at: datetime, source: str,
          silent: set[int] | None = None) -> Incident:
    stopped, affected = _affected(causes)
    names = describe(causes)
    label = ", ".join(names[c].label for c in causes[:3]) + ("…" if len(causes) > 3 else "")
    incident = Incident(
        title=(_("%(cause)s down: %(count)d systems affected") % {"cause": label, "count": len(affected)})[:300],
        severity=severity(stopped), source=source, detected_at=at, cause=label[:300])
    incident.full_clean()
    incident.save()
    IncidentObject.objects.bulk_create([IncidentObject(incident=incident, object_type_id=t, object_id=i,
                                                       is_cause=(t, i) in causes) for t, i in objects])
    assign([incident], Incident._meta.get_field("systems"), [affected])
    tell(incident, affected, silent or set())
    return incident


def _attach(incident: Incident, nodes: list[Node], cause: bool) -> None:
    IncidentObject.objects.bulk_create(
        [IncidentObject(incident=incident, object_type_id=t, object_id=i, is_cause=cause) for t, i in nodes],
        ignore_conflicts=True)


def _merge(earlier: list[Incident], cause: Node, at: datetime, silent: set[int]) -> None:
    """The cause of earlier incidents is found: the first becomes its incident, the others are
    resolved into it."""
    keep = earlier[0]
    _attach(keep, [cause], cause=True)
    for other in earlier[1:]:
        moved = list(other.linked.values_list("object_type_id", "object_id"))
        _attach(keep, moved, cause=False)
        other.status, other.resolved_at = Incident.Status.RESOLVED, at
        other.root_cause = _("Merged into %(number)s.") % {"number": keep.number}
        other.full_clean()
        other.save()
    stopped, affected = _affected([cause])
    keep.cause = describe([cause])[cause].label[:300]
    keep.severity = max(keep.severity, severity(stopped), key=_severity_rank)
    keep.full_clean()
    keep.save()
    current = set(keep.systems.values_list("pk", flat=True))
    assign([keep], Incident._meta.get_field("systems"), [current | affected])
    if affected - current:  # the people of the systems it now reaches hear of it (the roles already have)
        tell(keep, affected - current, silent, roles=())


def _severity_rank(value: str) -> int:
    return list(Incident.Severity.values).index(value) * -1


def _resolve_recovered(incidents: set[Incident], at: datetime) -> None:
    for incident in incidents:
        if incident.linked.filter(down=True).exists():
            continue
        incident.status, incident.resolved_at = Incident.Status.RESOLVED, at
        incident.full_clean()
        incident.save()
