"""The dependency graph's Python API: walks, impact of failures, single points of failure, maps.

Used by the pages and the API of irtis.systems and by the architecture descriptions. Walks read
the edge index (`edges.py`) with recursive or staged SQL (`sql.py`); objects are then named
with one query per type. Functions taking `user` turn the objects that user may not view into
anonymous placeholders (`redact`).

    downstream(system)                 -> [[NodeInfo, …] layer 0, [layer 1], …]  down to the ground
    upstream(device)                   -> layers of what depends on the device
    impact([device_a, device_b])       -> Impact(stopped, degraded, unaffected, counts)
    single_points_of_failure(system)   -> [NodeInfo, …]
    spof_report()                      -> {system: [NodeInfo, …]} for systems whose category asks
    graph_json(root, "down", 6)        -> {"nodes": [{id, label, kind, layer, url}], "edges": [{source, target, kind}]}

Objects are model instances or `(content type id, object id)` pairs ("nodes"); node ids in JSON
are "<content type id>-<object id>".
"""

from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any, TypeAlias, cast

from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction
from django.utils.translation import gettext as _

from irtis.core import permissions
from irtis.core.models import BaseModel

from . import sql
from .branches import kind_labels

if TYPE_CHECKING:
    from .models import InformationSystem

Node = tuple[int, int]
MAX_DEPTH = 12
MAX_STAGES = 32
# Map layers, from the systems at the top to the ground.
LAYERS = {
    "systems.informationsystem": 0, "systems.component": 1, "systems.interconnection": 1,
    "systems.deployment": 2, "systems.eusystem": 2, "systems.certificate": 2, "databases.database": 3,
    "databases.dbmsinstance": 4, "virtualization.virtualmachine": 5, "virtualization.cluster": 6,
    "network.ipaddress": 6, "inventory.interface": 7, "inventory.device": 8, "network.circuit": 9,
    "inventory.rack": 9, "inventory.site": 10,
}
LOGICAL = {"systems.informationsystem", "systems.component", "systems.deployment"}
# Related objects each model's str() reads, fetched with it (no query per node).
LABEL_RELATED = {
    "systems.deployment": ("component", "virtual_machine", "device", "dbms_instance", "database"),
    "inventory.interface": ("device",),
    "virtualization.clusterhost": ("device",),
}
# The only fields the str() of the most numerous named objects reads. Their labels come from
# these columns alone, given to the model's str() on a stand-in object: a walk names tens of
# thousands of them, and a model instance each costs more than the walk (a str() that reads
# another field fails loudly: test_labels_read_only_their_fields).
LABEL_FIELDS = {
    "systems.component": ("name", "environment"), "systems.informationsystem": ("code", "name"),
    "virtualization.virtualmachine": ("name",), "virtualization.cluster": ("name",),
    "inventory.device": ("name",), "inventory.rack": ("name",), "inventory.site": ("code", "name"),
    "databases.database": ("name",), "databases.dbmsinstance": ("name",),
}


class UnknownObject(LookupError):
    """A named object does not exist (or its type is not a model)."""


@dataclass
class NodeInfo:
    type_id: int
    object_id: int
    kind: str  # "app_label.model"
    kind_name: str
    label: str
    url: str
    layer: int
    depth: int | None = None
    exists: bool = True
    # impact: "failed", "stopped", "failover" (stopped until failover), "degraded" or "";
    # single points of failure: "untested_failover" (an untested failover path would cover it)
    state: str = ""
    restricted: bool = False  # a placeholder for an object the user may not view (see `redact`)
    rto_hours: float | None = None  # "failover": the longest RTO of the failover paths it waits for

    @property
    def id(self) -> str:
        return f"restricted-{self.object_id}" if self.restricted else f"{self.type_id}-{self.object_id}"

    @property
    def node(self) -> Node:
        return (self.type_id, self.object_id)

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, **vars(self)}  # fields are plain values: no deep copy (asdict) needed


@dataclass
class Impact:
    """What a failure of some objects together does. Lists hold every affected object; the
    `systems_*` and `components_*` helpers pick the systems and components."""

    failed: list[NodeInfo]
    stopped: list[NodeInfo]
    degraded: list[NodeInfo]
    unaffected: list[NodeInfo] = field(default_factory=list)  # the information systems untouched
    counts: dict[str, int] = field(default_factory=dict)  # all stopped / failover / degraded objects
    failover: list[NodeInfo] = field(default_factory=list)  # stopped until a tested failover path runs

    def of_kind(self, state: str, kind: str) -> list[NodeInfo]:
        return [n for n in getattr(self, state) if n.kind == kind]

    @property
    def systems_stopped(self) -> list[NodeInfo]:
        return self.of_kind("stopped", "systems.informationsystem")

    @property
    def systems_degraded(self) -> list[NodeInfo]:
        return self.of_kind("degraded", "systems.informationsystem")

    @property
    def systems_failover(self) -> list[NodeInfo]:
        return self.of_kind("failover", "systems.informationsystem")

    def as_dict(self) -> dict[str, Any]:
        lists = {name: [n.as_dict() for n in getattr(self, name)]
                 for name in ("failed", "stopped", "failover", "degraded", "unaffected")}
        return {**lists, "counts": self.counts}


# --- naming objects -------------------------------------------------------------------------

def node_of(obj: models.Model | Node) -> Node:
    """The (content type id, object id) of a model instance, or a pair given as such."""
    if isinstance(obj, models.Model):
        return (ContentType.objects.get_for_model(obj).id, int(obj.pk))
    type_id, object_id = obj
    return (int(type_id), int(object_id))


def parse(text: str) -> Node:
    """A node from "<content type id>-<id>" or "<app_label>.<model>-<id>" (e.g. "inventory.device-7")."""
    kind, sep, object_id = text.strip().rpartition("-")
    try:
        if not sep:
            raise ValueError
        if "." in kind:
            app_label, model = kind.split(".", 1)
            type_id = ContentType.objects.get_by_natural_key(app_label, model).id
        else:
            type_id = int(kind)
        return (type_id, int(object_id))
    except (ValueError, ContentType.DoesNotExist):
        raise UnknownObject(text) from None


def existing(nodes: Iterable[models.Model | Node]) -> list[Node]:
    """The nodes, checked: raises UnknownObject naming the first one that does not exist."""
    checked = [node_of(n) for n in nodes]
    by_type: dict[int, set[int]] = defaultdict(set)
    for type_id, object_id in checked:
        by_type[type_id].add(object_id)
    for type_id, ids in by_type.items():
        model = _model(type_id)
        found = set(model._default_manager.filter(pk__in=ids).values_list("pk", flat=True)) if model else set()
        missing = sorted(ids - found)
        if missing:
            raise UnknownObject(f"{type_id}-{missing[0]}")
    return checked


def _model(type_id: int) -> type[models.Model] | None:
    try:
        return ContentType.objects.get_for_id(type_id).model_class()
    except ContentType.DoesNotExist:
        return None


def describe(nodes: Iterable[Node], depths: dict[Node, int] | None = None) -> dict[Node, NodeInfo]:
    """NodeInfo for each node, one query per model; deleted objects come back with exists=False."""
    from irtis.core.registry import entry_for

    by_type: dict[int, list[int]] = defaultdict(list)
    for type_id, object_id in nodes:
        by_type[type_id].append(object_id)
    out: dict[Node, NodeInfo] = {}
    for type_id, ids in by_type.items():
        model = _model(type_id)
        label = model._meta.label_lower if model else "?"
        name = str(model._meta.verbose_name) if model else "?"
        labels = _labels(model, label, ids) if model is not None else {}
        url = _detail_url(model) if model is not None and entry_for(model) is not None else None
        layer = LAYERS.get(label, len(set(LAYERS.values())))
        for object_id in ids:
            text = labels.get(object_id)
            out[(type_id, object_id)] = NodeInfo(
                type_id, object_id, label, name,
                text if text is not None else f"{name} #{object_id} ✗",
                url.replace(_SENTINEL, str(object_id)) if text is not None and url else "",
                layer, (depths or {}).get((type_id, object_id)), exists=text is not None,
            )
    return out


def _labels(model: type[models.Model], label: str, ids: list[int]) -> dict[int, str]:
    """str() of each existing object, by id."""
    queryset = model._default_manager.filter(pk__in_list=ids)
    if label in LABEL_FIELDS:
        fields = LABEL_FIELDS[label]
        return {pk: model.__str__(SimpleNamespace(**dict(zip(fields, values, strict=True))))
                for pk, *values in queryset.values_list("pk", *fields)}
    if label in LABEL_RELATED:
        queryset = queryset.select_related(*LABEL_RELATED[label])
    return {obj.pk: str(obj) for obj in queryset}


def hidden(nodes: Iterable[Node], user: Any) -> set[Node]:
    """The nodes of existing objects the user may not view (a query per type whose view
    permission is constrained; none for a superuser)."""
    by_type: dict[int, set[int]] = defaultdict(set)
    for type_id, object_id in nodes:
        by_type[type_id].add(object_id)
    out: set[Node] = set()
    for type_id, ids in by_type.items():
        model = _model(type_id)
        if model is None:
            continue
        if not permissions.has(user, model, "view"):
            shown: set[int] = set()
        elif permissions.constraint(user, model, "view") is None:
            continue
        else:
            shown = set(permissions.restrict(model._default_manager.filter(pk__in_list=ids), user)
                        .values_list("pk", flat=True))
        existing_ids = set(model._default_manager.filter(pk__in_list=ids - shown).values_list("pk", flat=True))
        out |= {(type_id, i) for i in existing_ids}
    return out


def redact(infos: dict[Node, NodeInfo], user: Any) -> None:
    """Replace the objects the user may not view by anonymous placeholders, in place.

    A placeholder keeps its type, state and edges: the user learns that an information system
    stops, and through what kind of objects, but not their names, links or ids (its id is
    "restricted-<n>", numbered afresh in each answer)."""
    for number, node in enumerate(sorted(hidden(infos, user)), start=1):
        info = infos[node]
        infos[node] = NodeInfo(0, number, info.kind, info.kind_name, _("restricted object"), "", info.layer,
                               info.depth, state=info.state, restricted=True, rto_hours=info.rto_hours)


_SENTINEL = "987654321987654321"


def _detail_url(model: type[models.Model]) -> str:
    """The detail URL of the model's objects with a placeholder id: one URL reversal per type,
    not per object (naming a thousand components otherwise spends most of its time there)."""
    return cast(BaseModel, model(pk=int(_SENTINEL))).get_absolute_url()  # a registered model


def query_rows(query: str) -> list[tuple]:
    """The rows of one query over the edge index, in a transaction (see `_session`)."""
    with _session() as cursor:
        cursor.execute(query)
        return cursor.fetchall()


@contextmanager
def _session() -> Iterator[Any]:
    """A cursor in a transaction (the staged walk's temporary table lives in it)."""
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The closures' cost estimates are far above jit_above_cost, and compiling them takes seconds.
            cursor.execute("SET LOCAL jit = off")
        yield cursor


# --- walks ----------------------------------------------------------------------------------

def walk(roots: Iterable[models.Model | Node], direction: str = "down", depth: int = MAX_DEPTH) -> dict[Node, int]:
    """Nodes within `depth` edges of the roots ("down": what they depend on, "up": what
    depends on them), each with its distance. Raw: no naming; one statement per level."""
    if direction not in {"down", "up"}:
        raise ValueError(direction)
    seeds = [node_of(r) for r in roots]
    with _session() as cursor:
        for statement in sql.walk_start(seeds):
            cursor.execute(statement)
        for level in range(max(0, min(depth, 50))):
            cursor.execute(sql.walk_step(direction, level))
            if not cursor.rowcount:
                break
        cursor.execute(sql.walk_result())
        return {(t, i): d for t, i, d in cursor.fetchall()}


def _layers(found: dict[Node, int], user: Any) -> list[list[NodeInfo]]:
    infos = describe(found, found)
    if user is not None:
        redact(infos, user)
    layers: list[list[NodeInfo]] = [[] for _ in range(max(found.values(), default=-1) + 1)]
    for node, info in infos.items():
        layers[found[node]].append(info)
    for layer in layers:
        layer.sort(key=lambda n: (n.layer, n.kind, n.label))
    return layers


Roots: TypeAlias = models.Model | Node | Iterable[models.Model | Node]


def downstream(root: Roots, depth: int = MAX_DEPTH, user: Any = None) -> list[list[NodeInfo]]:
    """Everything the root depends on, layer by layer (layer 0 is the root) down to the ground:
    components, deployments, databases, instances, machines, clusters, servers, racks, sites.
    With `user`, objects they may not view are placeholders."""
    return _layers(walk(_roots(root), "down", depth), user)


def upstream(root: Roots, depth: int = MAX_DEPTH, user: Any = None) -> list[list[NodeInfo]]:
    """Everything that depends on the root, layer by layer, up to the information systems."""
    return _layers(walk(_roots(root), "up", depth), user)


def _roots(root: Any) -> list[Node]:
    if isinstance(root, models.Model) or (isinstance(root, tuple) and len(root) == 2 and isinstance(root[0], int)):
        return existing([root])
    return existing(list(root))


# --- impact ---------------------------------------------------------------------------------

@dataclass
class Reach:
    """What a failure reaches, unnamed: the stopped objects (the failed ones included), the
    affected ones (everything that depends on a failed one, listed or only counted)."""

    stopped: set[Node]
    affected: set[Node]
    affected_count: int


def impact_nodes(failed: Iterable[models.Model | Node], kinds: Iterable[int] | None = None,
                 among: Iterable[Node] | None = None, survive: Iterable[Node] = (), affected: bool = True) -> Reach:
    """What stops and what is affected if the objects fail together, with no naming; affected
    objects are listed only of the content types `kinds` and among the nodes `among`, if given
    (all are counted).

    A stage is one recursive query; the redundant groups a stage finds stopped fail in the next,
    which walks up from them only (what is already known to stop is not walked again), until no
    new group appears (as many stages as redundancy levels are nested, 2–4). The objects
    `survive` never stop (they fail over); without `affected` only the stopped ones are found.
    """
    seeds = [node_of(n) for n in failed]
    if not seeds:
        return Reach(set(), set(), 0)
    reach = Reach(set(), set(), 0)
    failing, survive = seeds, sorted(survive)
    for stage in range(MAX_STAGES):
        walk_affected = affected and stage == 0
        rows = query_rows(sql.impact(failing, walk_affected, kinds, among, done=sorted(reach.stopped), survive=survive))
        if walk_affected:
            reach.affected = {(t, i) for s, t, i in rows if s == "a"}
            reach.affected_count = next(t for s, t, _ in rows if s == "n")
        reach.stopped = {(t, i) for s, t, i in rows if s == "s"}
        failing = sorted({(t, i) for s, t, i in rows if s == "g"} - reach.stopped)
        if not failing:
            break
    return reach


def recovered(seeds: list[Node], reach: Reach) -> dict[Node, float]:
    """The stopped objects that tested failover paths restart, each with the RTO (hours) of the
    slowest path it waits for. A path counts when its subjects stopped (not failed themselves)
    while its standby deployment and standby site did not: the stop walk is run again with the
    subjects kept running (`failover.py`). No path: one query; else two or three more walks."""
    from .failover import paths

    gone = reach.stopped | set(seeds)
    subjects: dict[Node, int] = {}
    for path in paths():
        if path.tested and path.standby not in gone and path.standby_site not in gone:
            for subject in path.subjects:
                if subject in reach.stopped and subject not in seeds:
                    subjects[subject] = max(path.minutes, subjects.get(subject, 0))
    if not subjects:
        return {}
    after = impact_nodes(seeds, survive=subjects, affected=False)
    back = reach.stopped - after.stopped
    rows = query_rows(sql.recovery(sorted(subjects.items()), sorted(back))) if back else []
    return {(t, i): minutes / 60 for t, i, minutes in rows if (t, i) in back}


def impact(failed: Iterable[models.Model | Node], objects: bool = False, user: Any = None) -> Impact:
    """If the objects fail together: which systems and components stop, which stop only until a
    tested failover path restarts them (`failover`, with the RTO they wait), which degrade (lose
    redundancy or a soft dependency but keep running), which systems are unaffected.

    Redundancy-aware: a component with N required instances keeps running while N of its
    deployments run; a cluster while one host runs; a RAC database while one node runs.
    With `objects`, every affected object is listed (machines, servers …), not only the systems
    and components; `Impact.counts` always counts them all. Raises UnknownObject when a failed
    object does not exist. With `user`, objects they may not view are placeholders (`redact`).
    """
    from .models import Component, InformationSystem

    seeds = existing(failed)
    system_type = ContentType.objects.get_for_model(InformationSystem).id
    services = {system_type, ContentType.objects.get_for_model(Component).id}
    reach = impact_nodes(seeds, None if objects else services)
    stopped, failed_set = reach.stopped, set(seeds)
    back = recovered(seeds, reach)
    touched = [i for t, i in reach.affected if t == system_type]
    others = InformationSystem.objects.exclude(pk__in_list=touched).values_list("pk", flat=True)
    untouched = [(system_type, pk) for pk in others]
    shown = reach.affected | failed_set  # stopped objects are affected too
    infos = describe([*shown, *untouched])
    for node in shown:
        info = infos[node]
        info.state = ("failed" if node in failed_set else "failover" if node in back
                      else "stopped" if node in stopped else "degraded")
        if node in back:
            info.rto_hours = back[node]
    if user is not None:
        redact(infos, user)

    def pick(nodes: Iterable[Node]) -> list[NodeInfo]:
        return sorted((infos[n] for n in nodes if n in infos), key=lambda n: (n.layer, n.label))

    halted = stopped - failed_set - back.keys()
    counts = {"stopped": len(halted), "failover": len(back), "degraded": reach.affected_count - len(stopped)}
    degraded = shown - stopped - failed_set
    return Impact(pick(failed_set), pick(halted), pick(degraded), pick(untouched), counts,
                  pick(back.keys() & shown))


# --- single points of failure ---------------------------------------------------------------

def single_points_by_system(systems: Iterable[models.Model | Node], user: Any = None) -> dict[Node, list[NodeInfo]]:
    """For each system, the objects whose failure alone stops it (one query for all systems).
    Logical objects (systems, components, deployments) and deleted targets are left out; with
    `user`, objects they may not view are placeholders.

    Failover paths: what a tested path covers (the failure stops its subjects but not its
    standby) is no single point of failure; what only an untested path would cover is listed
    with the state "untested_failover" (a second query, for the systems with untested paths)."""
    from .failover import paths, shielding
    from .models import InformationSystem

    tops = [node_of(s) for s in systems]
    if not tops:
        return {}
    system_type = ContentType.objects.get_for_model(InformationSystem).id
    found = paths([i for t, i in tops if t == system_type])
    closures: dict[int, set[Node]] = defaultdict(set)
    if found:
        for p, t, i in query_rows(sql.standby_closure([(path.pk, path.standby) for path in found])):
            closures[p].add((t, i))
    stops = _single_point_stops(tops, *shielding([p for p in found if p.tested], closures))
    untested_tops = sorted({(system_type, p.system) for p in found if not p.tested})
    marked: set[tuple[Node, Node]] = set()
    if untested_tops:
        remaining = _single_point_stops(untested_tops, *shielding(found, closures))
        marked = {pair for pair in stops if pair[1] in set(untested_tops)} - remaining
    pairs = sorted(stops)
    infos = describe({x for x, _ in pairs})
    if user is not None:
        redact(infos, user)
    out: dict[Node, list[NodeInfo]] = {top: [] for top in tops}
    for x, top in pairs:
        info = infos[x]
        if info.exists and info.kind not in LOGICAL and x != top:
            if (x, top) in marked:  # one object can be a single point of several systems
                info = NodeInfo(**{**vars(info), "state": "untested_failover"})
            out[top].append(info)
    for listed in out.values():
        listed.sort(key=lambda n: (n.layer, n.label))
    return out


def _single_point_stops(tops: list[Node], shield: Iterable[Node] = (),
                        exempt: Iterable[tuple[Node, Node]] = ()) -> set[tuple[Node, Node]]:
    """(failed object, system) pairs: the object's failure alone stops the system. Objects of
    `shield` do not stop, except for the (object, failure) pairs of `exempt`."""
    # Stage 0 analyses every candidate; a later stage only the objects that stop a group found
    # in the stage before (the others' answers cannot change). Stops only grow, so they add up.
    known: set[tuple[int, int, int, int]] = set()
    stops: set[tuple[Node, Node]] = set()
    failing: list[Node] | None = None
    for _stage in range(MAX_STAGES):
        chosen = set(failing or ())
        mine = sorted(k for k in known if failing is None or k[2:] in chosen)
        rows = query_rows(sql.single_points(tops, mine, failing, shield, exempt))
        stops |= {((xt, xi), (t, i)) for s, xt, xi, t, i in rows if s == "s"}
        found = {(t, i, xt, xi) for s, xt, xi, t, i in rows if s == "g"}
        if found <= known:
            break
        failing = sorted({k[2:] for k in found - known})
        known |= found
    return stops


def single_points_of_failure(system: models.Model | Node, user: Any = None) -> list[NodeInfo]:
    """Objects whose single failure stops the system (redundancy taken into account)."""
    top = existing([system])[0]
    return single_points_by_system([top], user)[top]


def spof_report(
    systems: "Iterable[InformationSystem] | None" = None, user: Any = None,
) -> "dict[InformationSystem, list[NodeInfo]]":
    """Single points of failure of each system whose importance category asks for the analysis
    (or of the given systems), in one query. With `user`, only the systems they may view, and
    placeholders for the objects they may not."""
    from .models import InformationSystem

    if systems is None:
        systems = InformationSystem.objects.filter(category__analyse_spof=True).select_related("category")
        if user is not None:
            systems = permissions.restrict(systems, user)
    systems = list(systems)
    found = single_points_by_system(systems, user)
    return {s: found[node_of(s)] for s in systems}


# --- maps -----------------------------------------------------------------------------------

def graph_json(root: models.Model | Node | Iterable[models.Model | Node], direction: str = "down",
               depth: int = 6, failed: Iterable[models.Model | Node] = (), limit: int = 2000,
               user: Any = None) -> dict[str, Any]:
    """The map of the root's neighbourhood: {"nodes": [{id, label, kind, kind_name, layer, url,
    depth, state}], "edges": [{source, target, kind, kind_name, mode}], "truncated": bool}.

    `direction` is "down", "up" or "both"; `failed` colours the map with the impact of those
    objects failing ("failed", "stopped", "degraded"); at most `limit` nearest nodes. With
    `user`, objects they may not view are anonymous placeholders that keep their edges and state.
    """
    roots = _roots(root)
    found: dict[Node, int] = {}
    for way in (("down", "up") if direction == "both" else (direction,)):
        for node, dist in walk(roots, way, depth).items():
            found[node] = min(dist, found.get(node, dist))
    truncated = len(found) > limit
    if truncated:
        found = dict(sorted(found.items(), key=lambda kv: kv[1])[:limit])
    infos = describe(found, found)
    if failed:
        seeds = existing(failed)
        reach = impact_nodes(seeds, among=found)
        stopped, affected = reach.stopped, reach.affected
        back = recovered(seeds, reach)
        for node, info in infos.items():
            if node in seeds:
                info.state = "failed"
            elif node in back:
                info.state, info.rto_hours = "failover", back[node]
            elif node in stopped:
                info.state = "stopped"
            elif node in affected:
                info.state = "degraded"
    if user is not None:
        redact(infos, user)
    labels = kind_labels()
    edges = [
        {"source": infos[(st, si)].id, "target": infos[(t, i)].id, "kind": kind,
         "kind_name": str(labels.get(kind, kind)), "mode": mode}
        for st, si, t, i, kind, mode in (query_rows(sql.edges_among(found)) if found else [])
    ]
    nodes = [
        {"id": n.id, "label": n.label, "kind": n.kind, "kind_name": n.kind_name, "layer": n.layer,
         "url": n.url, "depth": n.depth, "state": n.state, "exists": n.exists, "restricted": n.restricted,
         "rto_hours": n.rto_hours}
        for n in sorted(infos.values(), key=lambda n: (n.layer, n.label))
    ]
    return {"nodes": nodes, "edges": edges, "truncated": truncated}
