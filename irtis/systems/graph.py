"""The dependency graph's Python API: walks, impact of failures, single points of failure, maps.

Used by the pages and the API of irtis.systems and by the architecture descriptions. Every walk
is one recursive SQL query (see `sql.py`); objects are then named with one query per type.

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
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction

from . import sql
from .edges import KIND_LABELS

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
    state: str = ""  # impact: "failed", "stopped", "degraded" or ""

    @property
    def id(self) -> str:
        return f"{self.type_id}-{self.object_id}"

    @property
    def node(self) -> Node:
        return (self.type_id, self.object_id)

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, **asdict(self)}


@dataclass
class Impact:
    """What a failure of some objects together does. Lists hold every affected object; the
    `systems_*` and `components_*` helpers pick the systems and components."""

    failed: list[NodeInfo]
    stopped: list[NodeInfo]
    degraded: list[NodeInfo]
    unaffected: list[NodeInfo] = field(default_factory=list)  # the information systems untouched
    counts: dict[str, int] = field(default_factory=dict)  # all stopped / degraded objects

    def of_kind(self, state: str, kind: str) -> list[NodeInfo]:
        return [n for n in getattr(self, state) if n.kind == kind]

    @property
    def systems_stopped(self) -> list[NodeInfo]:
        return self.of_kind("stopped", "systems.informationsystem")

    @property
    def systems_degraded(self) -> list[NodeInfo]:
        return self.of_kind("degraded", "systems.informationsystem")

    def as_dict(self) -> dict[str, Any]:
        lists = {name: [n.as_dict() for n in getattr(self, name)]
                 for name in ("failed", "stopped", "degraded", "unaffected")}
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


def existing(nodes: Iterable[Node]) -> list[Node]:
    """The nodes, checked: raises UnknownObject naming the first one that does not exist."""
    nodes = [node_of(n) for n in nodes]
    by_type: dict[int, set[int]] = defaultdict(set)
    for type_id, object_id in nodes:
        by_type[type_id].add(object_id)
    for type_id, ids in by_type.items():
        model = _model(type_id)
        found = set(model._default_manager.filter(pk__in=ids).values_list("pk", flat=True)) if model else set()
        missing = sorted(ids - found)
        if missing:
            raise UnknownObject(f"{type_id}-{missing[0]}")
    return nodes


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
        objects = {}
        if model is not None:
            queryset = model._default_manager.filter(pk__in=ids)
            if label in LABEL_RELATED:
                queryset = queryset.select_related(*LABEL_RELATED[label])
            objects = {o.pk: o for o in queryset}
        registered = model is not None and entry_for(model) is not None
        for object_id in ids:
            obj = objects.get(object_id)
            out[(type_id, object_id)] = NodeInfo(
                type_id, object_id, label, name,
                str(obj) if obj is not None else f"{name} #{object_id} ✗",
                obj.get_absolute_url() if obj is not None and registered else "",
                LAYERS.get(label, len(set(LAYERS.values()))),
                (depths or {}).get((type_id, object_id)), exists=obj is not None,
            )
    return out


def _rows(query: str) -> list[tuple]:
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(query)
            return cursor.fetchall()
    # The walks' cost estimates are far above jit_above_cost, and compiling them takes seconds.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL jit = off")
        cursor.execute(query)
        return cursor.fetchall()


# --- walks ----------------------------------------------------------------------------------

def walk(roots: Iterable[models.Model | Node], direction: str = "down", depth: int = MAX_DEPTH) -> dict[Node, int]:
    """Nodes within `depth` edges of the roots ("down": what they depend on, "up": what
    depends on them), each with its distance. Raw: no naming, one query."""
    if direction not in {"down", "up"}:
        raise ValueError(direction)
    seeds = [node_of(r) for r in roots]
    return {(t, i): d for t, i, d in _rows(sql.walk(seeds, direction, max(0, min(depth, 50))))}


def _layers(found: dict[Node, int]) -> list[list[NodeInfo]]:
    infos = describe(found, found)
    layers: list[list[NodeInfo]] = [[] for _ in range(max(found.values(), default=-1) + 1)]
    for node, info in infos.items():
        layers[found[node]].append(info)
    for layer in layers:
        layer.sort(key=lambda n: (n.layer, n.kind, n.label))
    return layers


Roots = models.Model | Node | Iterable[models.Model | Node]


def downstream(root: Roots, depth: int = MAX_DEPTH) -> list[list[NodeInfo]]:
    """Everything the root depends on, layer by layer (layer 0 is the root) down to the ground:
    components, deployments, databases, instances, machines, clusters, servers, racks, sites."""
    return _layers(walk(_roots(root), "down", depth))


def upstream(root: Roots, depth: int = MAX_DEPTH) -> list[list[NodeInfo]]:
    """Everything that depends on the root, layer by layer, up to the information systems."""
    return _layers(walk(_roots(root), "up", depth))


def _roots(root: Any) -> list[Node]:
    if isinstance(root, models.Model) or (isinstance(root, tuple) and len(root) == 2 and isinstance(root[0], int)):
        return existing([root])
    return existing(list(root))


# --- impact ---------------------------------------------------------------------------------

def impact_nodes(failed: Iterable[models.Model | Node]) -> tuple[set[Node], set[Node]]:
    """(stopped, affected) nodes if the objects fail together, with no naming.

    A stage is one recursive query; a redundant group that a stage finds stopped is fed to the
    next, until no new one appears (as many stages as redundancy levels are nested, 2–4).
    """
    seeds = existing(failed)
    if not seeds:
        return set(), set()
    known: set[Node] = set()
    affected: set[Node] = set()
    for stage in range(MAX_STAGES):
        rows = _rows(sql.impact(seeds, sorted(known), affected=stage == 0))
        if stage == 0:
            affected = {(t, i) for s, t, i in rows if s == "a"}
        found = {(t, i) for s, t, i in rows if s == "g"}
        if found <= known:
            break
        known |= found
    stopped = {(t, i) for s, t, i in rows if s == "s"}
    return stopped, affected


def impact(failed: Iterable[models.Model | Node], objects: bool = False) -> Impact:
    """If the objects fail together: which systems and components stop, which degrade (lose
    redundancy or a soft dependency but keep running), which systems are unaffected.

    Redundancy-aware: a component with N required instances keeps running while N of its
    deployments run; a cluster while one host runs; a RAC database while one node runs.
    With `objects`, every affected object is listed (machines, servers …), not only the systems
    and components; `Impact.counts` always counts them all. Raises UnknownObject when a failed
    object does not exist.
    """
    from .models import InformationSystem

    seeds = existing(failed)
    stopped, affected = impact_nodes(seeds)
    degraded = affected - stopped
    system_type = ContentType.objects.get_for_model(InformationSystem).id
    touched = [i for t, i in affected if t == system_type]
    others = InformationSystem.objects.exclude(pk__in=touched).values_list("pk", flat=True)
    untouched = [(system_type, pk) for pk in others]
    failed_set = set(seeds)
    shown = affected if objects else _service_nodes(affected) | failed_set
    infos = describe([*shown, *untouched])
    for node in shown:
        infos[node].state = "failed" if node in failed_set else "stopped" if node in stopped else "degraded"

    def pick(nodes: Iterable[Node]) -> list[NodeInfo]:
        return sorted((infos[n] for n in nodes if n in infos), key=lambda n: (n.layer, n.label))

    counts = {"stopped": len(stopped - failed_set), "degraded": len(degraded)}
    return Impact(pick(failed_set), pick(stopped - failed_set), pick(degraded), pick(untouched), counts)


def _service_nodes(nodes: set[Node]) -> set[Node]:
    from .models import Component, InformationSystem

    kinds = {ContentType.objects.get_for_model(m).id for m in (Component, InformationSystem)}
    return {n for n in nodes if n[0] in kinds}


# --- single points of failure ---------------------------------------------------------------

def single_points_by_system(systems: Iterable[models.Model | Node]) -> dict[Node, list[NodeInfo]]:
    """For each system, the objects whose failure alone stops it (one query for all systems).
    Logical objects (systems, components, deployments) and deleted targets are left out."""
    tops = [node_of(s) for s in systems]
    if not tops:
        return {}
    known: set[tuple[int, int, int, int]] = set()
    for _stage in range(MAX_STAGES):
        rows = _rows(sql.single_points(tops, sorted(known)))
        found = {(t, i, xt, xi) for s, xt, xi, t, i in rows if s == "g"}
        if found <= known:
            break
        known |= found
    pairs = [((xt, xi), (t, i)) for s, xt, xi, t, i in rows if s == "s"]
    infos = describe({x for x, _ in pairs})
    out: dict[Node, list[NodeInfo]] = {top: [] for top in tops}
    for x, top in pairs:
        info = infos[x]
        if info.exists and info.kind not in LOGICAL and x != top:
            out[top].append(info)
    for found in out.values():
        found.sort(key=lambda n: (n.layer, n.label))
    return out


def single_points_of_failure(system: models.Model | Node) -> list[NodeInfo]:
    """Objects whose single failure stops the system (redundancy taken into account)."""
    top = existing([system])[0]
    return single_points_by_system([top])[top]


def spof_report(systems: Iterable[models.Model] | None = None) -> dict[models.Model, list[NodeInfo]]:
    """Single points of failure of each system whose importance category asks for the analysis
    (or of the given systems), in one query."""
    from .models import InformationSystem

    if systems is None:
        systems = InformationSystem.objects.filter(category__analyse_spof=True).select_related("category")
    systems = list(systems)
    found = single_points_by_system(systems)
    return {s: found[node_of(s)] for s in systems}


# --- maps -----------------------------------------------------------------------------------

def graph_json(root: models.Model | Node | Iterable[models.Model | Node], direction: str = "down",
               depth: int = 6, failed: Iterable[models.Model | Node] = (), limit: int = 2000) -> dict[str, Any]:
    """The map of the root's neighbourhood: {"nodes": [{id, label, kind, kind_name, layer, url,
    depth, state}], "edges": [{source, target, kind, kind_name, mode}], "truncated": bool}.

    `direction` is "down", "up" or "both"; `failed` colours the map with the impact of those
    objects failing ("failed", "stopped", "degraded"); at most `limit` nearest nodes.
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
        stopped, affected = impact_nodes(seeds)
        for node, info in infos.items():
            if node in seeds:
                info.state = "failed"
            elif node in stopped:
                info.state = "stopped"
            elif node in affected:
                info.state = "degraded"
    edges = [
        {"source": f"{st}-{si}", "target": f"{t}-{i}", "kind": kind,
         "kind_name": str(KIND_LABELS.get(kind, kind)), "mode": mode}
        for st, si, t, i, kind, mode in (_rows(sql.edges_among(found)) if found else [])
    ]
    nodes = [
        {"id": n.id, "label": n.label, "kind": n.kind, "kind_name": n.kind_name, "layer": n.layer,
         "url": n.url, "depth": n.depth, "state": n.state, "exists": n.exists}
        for n in sorted(infos.values(), key=lambda n: (n.layer, n.label))
    ]
    return {"nodes": nodes, "edges": edges, "truncated": truncated}
