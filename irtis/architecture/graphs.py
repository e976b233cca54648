"""Dependencies, the dependency diagram and single points of failure, from irtis.systems.graph.

The graph API names nodes "<content type id>-<object id>" and knows nothing of users, so the
nodes a user may not see are left out of every diagram and list here.
"""

import logging
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError, models, transaction
from django.utils.translation import gettext as _

from irtis.core import permissions

from . import diagram, sources
from .common import field_text, link, url, visible
from .document import Cell, Diagram, Document, Section, Table

log = logging.getLogger(__name__)
DEPTH = 8  # system → component → deployment → machine → cluster → server → rack → site
LIMIT = 250  # nodes in one diagram; the nearest are kept


def node_id(obj: models.Model) -> str:
    return f"{ContentType.objects.get_for_model(obj).id}-{obj.pk}"


def _visible_nodes(nodes: list[dict], user: object) -> list[dict]:
    """The nodes of objects the user may see (one query per constrained type)."""
    by_kind: dict[str, list[dict]] = defaultdict(list)
    for node in nodes:
        by_kind[str(node.get("kind", ""))].append(node)
    kept = []
    for kind, group in by_kind.items():
        try:
            model = apps.get_model(kind)
        except (LookupError, ValueError):
            continue
        if not permissions.has(user, model, "view"):
            continue
        if permissions.constraint(user, model, "view") is not None:
            ids = {int(n["id"].rsplit("-", 1)[1]) for n in group}
            allowed = set(visible(model.objects.filter(pk__in=ids), user).values_list("pk", flat=True))
            group = [n for n in group if int(n["id"].rsplit("-", 1)[1]) in allowed]
        kept.extend(group)
    return kept


def restricted(graph: dict, user: object) -> dict:
    nodes = _visible_nodes(graph.get("nodes", []), user)
    ids = {n["id"] for n in nodes}
    edges = [e for e in graph.get("edges", []) if e["source"] in ids and e["target"] in ids]
    return {**graph, "nodes": nodes, "edges": edges}


def system_graph(system: Any, user: object) -> dict:
    module = sources.graph()
    if module is None:
        return {"nodes": [], "edges": []}
    return restricted(module.graph_json(system, "down", DEPTH, limit=LIMIT), user)


def recorded(system: Any, user: object, outgoing: bool) -> list[tuple[Any, models.Model]]:
    """(dependency, other end) of the recorded dependencies from (or to) the system."""
    Dependency = sources.model("Dependency")
    if Dependency is None:
        return []
    here, there = ("source", "target") if outgoing else ("target", "source")
    rows = list(visible(Dependency.objects.filter(**{
        f"{here}_type": ContentType.objects.get_for_model(system), f"{here}_id": system.pk,
    }), user).select_related(f"{there}_type"))
    result = []
    for row in rows:
        model = getattr(row, f"{there}_type").model_class()
        if model is None or not permissions.has(user, model, "view"):
            continue
        obj = visible(model._default_manager.filter(pk=getattr(row, f"{there}_id")), user).first()
        if obj is not None:
            result.append((row, obj))
    return result


def dependency_tables(section: Section, system: Any, user: object) -> None:
    """What the system depends on and what depends on it (recorded dependencies)."""
    for outgoing, caption in ((True, _("Depends on")), (False, _("Depended on by"))):
        rows = recorded(system, user, outgoing)
        if not rows:
            continue
        table = Table([_("Object"), _("Type"), _("Kind"), _("Effect of a failure"), _("Description")],
                      caption=caption)
        for dependency, other in rows:
            table.rows.append([
                link(other), Cell(str(other._meta.verbose_name)),
                Cell(field_text(dependency, "kind")), Cell(field_text(dependency, "effect")),
                Cell(dependency.description or "—"),
            ])
        section.tables.append(table)


# --- single points of failure ------------------------------------------------------------------

@dataclass
class Point:
    """A single point of failure found without the graph API (same fields as its NodeInfo)."""

    id: str
    kind: str
    kind_name: str
    label: str
    url: str


def _point(obj: models.Model) -> Point:
    return Point(node_id(obj), obj._meta.label_lower, str(obj._meta.verbose_name), str(obj), url(obj))


def fallback_spofs(system: Any) -> list[Point]:
    """What runs a production component that has no spare deployment, and the only host of a
    cluster: used only when the graph API fails, so the document still says something."""
    from irtis.virtualization.models import Environment

    found: dict[str, Point] = {}
    components = system.components.filter(environment=Environment.PRODUCTION).prefetch_related(
        "deployments__virtual_machine__cluster__hosts__device", "deployments__device",
        "deployments__dbms_instance", "deployments__database")
    for component in components:
        deployments = list(component.deployments.all())
        if len(deployments) > component.required_instances:
            continue
        for deployment in deployments:
            target = deployment.target
            found.setdefault(node_id(target), _point(target))
            vm = deployment.virtual_machine
            hosts = list(vm.cluster.hosts.all()) if vm is not None else []
            if len(hosts) == 1:
                found.setdefault(node_id(hosts[0].device), _point(hosts[0].device))
    return list(found.values())


def spofs_by_system(systems: list, user: object) -> dict[int, list[Any]]:
    """system pk → the NodeInfo of each object whose failure alone stops it (one query)."""
    module = sources.graph()
    if module is None or not systems:
        return {}
    try:
        with transaction.atomic():  # a savepoint: a failed query must not end the transaction
            found = module.single_points_by_system(systems)
    except DatabaseError as error:
        log.error("irtis.systems.graph.single_points_by_system failed: %s", error)
        found = {module.node_of(s): fallback_spofs(s) for s in systems}
    result = {}
    for system in systems:
        infos = found.get(module.node_of(system), [])
        ids = {n["id"] for n in _visible_nodes([{"id": i.id, "kind": i.kind} for i in infos], user)}
        result[system.pk] = [i for i in infos if i.id in ids]
    return result


def _spof_cell(info: Any) -> Cell:
    return Cell(f"{info.label} ({info.kind_name})", info.url, warn=True)


# --- the sections --------------------------------------------------------------------------------

def system_sections(doc: Document, system: Any, user: object) -> None:
    points = spofs_by_system([system], user).get(system.pk, [])
    graph = system_graph(system, user)
    add_diagram(doc, graph, node_id(system), frozenset(i.id for i in points))
    section = doc.section("spof", _("Single points of failure"),
                          empty=_("No single point of failure was found: every object this system "
                                  "needs has a redundant alternative."))
    if points:
        section.text = _("The failure of any one of these objects alone stops the system.")
    section.items.extend(_spof_cell(i) for i in points)


def add_diagram(doc: Document, graph: dict, root: str | None, highlight: frozenset[str]) -> None:
    """The dependency diagrams (split to stay readable on A4) and, for the appendix, their edges."""
    section = doc.section("diagram", _("Dependency diagrams"), diagram=True)
    if not graph.get("nodes"):
        doc.diagram_note = _("There are no dependencies to draw.")
        return
    section.text = _("Arrows point from an object to what it depends on: solid when its failure stops the "
                     "object, dashed when it only degrades it, bold for a member of a redundant group. Single "
                     "points of failure are outlined in red; dashed boxes are objects drawn in another diagram. "
                     "The appendix lists every edge.")
    if graph.get("truncated"):
        section.text += " " + _("Only the %(count)d nearest objects are drawn.") % {
            "count": len(graph["nodes"])}
    try:
        parts = diagram.split(graph, root=root, highlight=highlight)
    except diagram.DiagramUnavailable as problem:
        doc.diagram_note = str(problem)
        parts = [(diagram.Part("", graph, frozenset(), graph.get("edges", [])), "")]
    names = {n["id"]: n.get("label") or n["id"] for n in graph["nodes"]}
    for part, source in parts:
        table = Table([_("Object"), _("Depends on"), _("Kind")], caption=part.title)
        for edge in part.own:
            table.add(names.get(edge["source"], edge["source"]), names.get(edge["target"], edge["target"]),
                      edge.get("kind_name") or edge.get("kind") or "—")
        doc.diagrams.append(Diagram(part.title, source, table))


def estate_graph(systems: list, user: object) -> dict:
    """Systems, the systems and EU systems they depend on, and their recorded dependencies."""
    def node(obj: models.Model, kind: str) -> dict:
        return {"id": node_id(obj), "label": str(obj), "kind": kind, "url": url(obj)}

    nodes: dict[str, dict] = {node_id(s): node(s, "systems.informationsystem") for s in systems}
    edges: list[dict] = []
    Dependency = sources.model("Dependency")
    if systems and Dependency is not None:
        system_type = ContentType.objects.get_for_model(type(systems[0]))
        ids = {s.pk: s for s in systems}
        rows = visible(Dependency.objects.filter(source_type=system_type, target_type=system_type,
                                                 source_id__in=ids, target_id__in=ids), user)
        for row in rows:
            edges.append({"source": node_id(ids[row.source_id]), "target": node_id(ids[row.target_id]),
                          "kind_name": field_text(row, "kind"), "mode": "hard" if row.effect == "stops" else "soft"})
    Interconnection = sources.model("Interconnection")
    if systems and Interconnection is not None:
        links = visible(Interconnection.objects.filter(system__in=systems), user).select_related(
            "system", "eu_system")
        for item in links:
            nodes.setdefault(node_id(item.eu_system), node(item.eu_system, "systems.eusystem"))
            edges.append({"source": node_id(item.system), "target": node_id(item.eu_system),
                          "kind_name": field_text(item, "protocol")})
    return {"nodes": list(nodes.values()), "edges": edges}


def infrastructure_sections(doc: Document, systems: list, user: object) -> None:
    points = spofs_by_system(systems, user)
    add_diagram(doc, estate_graph(systems, user), None,
                frozenset(node_id(s) for s in systems if points.get(s.pk)))
    section = doc.section("spof", _("Single points of failure"),
                          empty=_("No single point of failure was found."))
    table = Table([_("Information system"), _("Single point of failure"), _("Type")])
    for system in systems:
        for info in points.get(system.pk, []):
            table.rows.append([link(system, system.code), Cell(info.label, info.url, warn=True),
                               Cell(info.kind_name)])
    if table.rows:
        section.text = _("Objects whose failure alone stops an information system; systems with "
                         "single points of failure are outlined in red in the diagram.")
        section.tables.append(table)
