"""The state of objects and information systems, from the checks' states through the dependency
graph, by the rules of impact analysis (`irtis.systems.graph.impact_nodes`): a system stops when
what it needs stops (one node of two down is degraded, not down), and is degraded when anything
it depends on is down or degraded.

    node_states()             -> {(type id, object id): "down" | "degraded" | "up"}
    system_states(nodes)      -> {system id: (state, reason)}
    react(changed_checks, at) -> records the systems' state changes and opens or closes incidents

Objects under approved maintenance (irtis.changes) open no incident; their outage still shows
in the systems' states and is left out of availability (`availability`).
"""

from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import Max, OuterRef, Subquery

from irtis.changes.windows import under_maintenance
from irtis.systems.graph import Node, describe, impact_nodes, walk
from irtis.systems.models import InformationSystem

from .models import Check, State, SystemChange

RANK = {State.DOWN: 3, State.DEGRADED: 2, State.UP: 1, State.UNKNOWN: 0}


def node_states() -> dict[Node, str]:
    """The worst current state of each checked object's enabled checks (unknown ones left out)."""
    out: dict[Node, str] = {}
    rows = (Check.objects.filter(enabled=True, status__isnull=False).exclude(status__state=State.UNKNOWN)
            .values_list("target_type_id", "target_id", "status__state"))
    for type_id, object_id, current in rows:
        node = (type_id, object_id)
        if RANK[State(current)] > RANK[State(out.get(node, State.UP))]:
            out[node] = current
        else:
            out.setdefault(node, current)
    return out


def system_type() -> int:
    return ContentType.objects.get_for_model(InformationSystem).id


def system_states(nodes: dict[Node, str]) -> dict[int, tuple[str, str]]:
    """Each information system's state and, when not up, the objects that make it so; "unknown"
    for a system no check watches (none of the objects it depends on, nor itself)."""
    systems = system_type()
    down = sorted(n for n, s in nodes.items() if s == State.DOWN)
    degraded = sorted(n for n, s in nodes.items() if s == State.DEGRADED)
    hit = impact_nodes(down, [systems]) if down else None
    slow = impact_nodes(degraded, [systems]) if degraded else None
    watched = {pk for t, pk in walk(list(nodes), "up") if t == systems} if nodes else set()
    out = {pk: (State.UP.value if pk in watched else State.UNKNOWN.value, "")
           for pk in InformationSystem.objects.values_list("pk", flat=True)}
    names = describe([*down, *degraded])
    for reach, causes in ((slow, degraded), (hit, down)):  # down overrides degraded
        if reach is None:
            continue
        reason = ", ".join(names[n].label for n in causes[:5])[:300]
        for type_id, pk in reach.affected | {n for n in causes if n[0] == systems}:
            if type_id == systems and pk in out:
                stopped = reach is hit and (type_id, pk) in reach.stopped
                out[pk] = (State.DOWN.value if stopped else State.DEGRADED.value, reason)
    return out


def current_system_states(system_ids: list[int] | None = None) -> dict[int, str]:
    """The last recorded state of each system (of those given) that has one."""
    last = SystemChange.objects.filter(system=OuterRef("system")).values("system").annotate(m=Max("at")).values("m")
    changes = SystemChange.objects.filter(at=Subquery(last))
    if system_ids is not None:
        changes = changes.filter(system_id__in=system_ids)
    return dict(changes.values_list("system_id", "state"))


def record_systems(at: datetime, nodes: dict[Node, str]) -> dict[int, tuple[str, str]]:
    """Write a change for each system whose derived state differs from its last one; the new
    states of those systems."""
    before = current_system_states()
    now = system_states(nodes)
    changed = {pk: value for pk, value in now.items() if before.get(pk) != value[0]}
    SystemChange.objects.bulk_create(
        [SystemChange(system_id=pk, at=at, state=s, reason=r) for pk, (s, r) in changed.items()],
        ignore_conflicts=True)
    return changed


def react(changed_checks: list[int], at: datetime) -> None:
    """After checks changed state: the systems' states, then incidents."""
    from . import incidents

    nodes = node_states()
    record_systems(at, nodes)
    touched = set(Check.objects.filter(pk__in=changed_checks).values_list("target_type_id", "target_id"))
    incidents.follow(nodes, touched, at, quiet=under_maintenance(at))
