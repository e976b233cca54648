"""Dependency diagrams drawn on the server by Graphviz `dot` (Debian package `graphviz`).

A graph in the shape irtis.systems.graph.graph_json returns ({"nodes": [{"id", "label", "kind",
"layer", "url"}], "edges": [{"source", "target", "kind", "kind_name", "mode"}]}) becomes Graphviz
source here, and `dot` draws it as SVG (the web page and the PDF: vector, with links) or PNG
(DOCX). Labels are drawn in DejaVu Sans (Debian `fonts-dejavu-core`), which has every Lithuanian
letter.

**Readable on A4.** A printed diagram is scaled to fit its page box, so a large graph would print
its labels too small to read. `split` keeps every label at MIN_TEXT_PT or more: the whole graph
when it fits, else one diagram per group of layers, each halved until it fits; the objects of other
diagrams that a part's edges reach are drawn dashed at its edge. Edges carry no labels (the
appendix lists every edge with its kind).

Without `dot` the documents are still generated, with the dependencies listed as text and a note
naming the missing package; `irtis check` warns about it (irtis.architecture.checks).
"""

import functools
import os
import re
import shutil
import subprocess
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

INSTALL_HINT = "apt-get install graphviz fonts-dejavu-core"
FONT = "DejaVu Sans"
FONT_PT = 9  # the only text size in a diagram: node labels (edges carry no labels; see the appendix)
MIN_TEXT_PT = 7  # the smallest text a printed A4 page may show once the diagram is scaled to fit
# The box a diagram is scaled into on an A4 landscape page (print.html's margins, a heading above).
PAGE_WIDTH_PT = 269 * 72 / 25.4
PAGE_HEIGHT_PT = 150 * 72 / 25.4
PRINT_DPI = 150  # the PNG printed in DOCX and PDF: a 7 pt label is 15 pixels high
TIMEOUT = 30  # seconds: a diagram that takes longer is left out, not waited for
ONE_DIAGRAM_NODES = 30  # above this a graph never fits one page readably: split it without trying
MAX_BOUNDARY = 8  # objects of other diagrams drawn at a diagram's edge (every edge is in the appendix)
# Parts of a split graph: the map's layers (irtis.systems.graph.LAYERS), top to bottom.
LAYER_GROUPS = (
    (range(0, 3), gettext_lazy("Systems, components and deployments")),
    (range(3, 5), gettext_lazy("Databases and DBMS instances")),
    (range(5, 7), gettext_lazy("Virtual machines and clusters")),
    (range(7, 100), gettext_lazy("Servers, racks and sites")),
)

# Fill colours and shapes per kind of object ("app_label.model" in the graph's nodes).
COLOURS = {
    "informationsystem": "#cfe2ff",
    "eusystem": "#e2d9f3",
    "interconnection": "#e2d9f3",
    "component": "#d1e7dd",
    "deployment": "#e8f5ee",
    "database": "#fff3cd",
    "dbmsinstance": "#ffe69c",
    "virtualmachine": "#f8d7da",
    "cluster": "#fde2c6",
    "device": "#e9ecef",
    "interface": "#f1f3f5",
    "ipaddress": "#cff4fc",
    "circuit": "#cff4fc",
    "rack": "#dee2e6",
    "site": "#ced4da",
    "certificate": "#f7f7f7",
}
SHAPES = {"database": "cylinder", "dbmsinstance": "cylinder", "site": "house", "certificate": "note",
          "eusystem": "hexagon", "informationsystem": "box3d"}



class DiagramUnavailable(Exception):
    """`dot` is missing or failed; the message says why, for the document's note."""


def dot_path() -> str | None:
    return shutil.which("dot")


def _quote(value: object) -> str:
    text = str(value).replace("\\", "\\\\").replace('"', '\\"')
    return '"' + re.sub(r"[\r\n]+", " ", text) + '"'


def _kind(node: dict) -> str:
    return str(node.get("kind") or "").rsplit(".", 1)[-1].lower()


def to_dot(graph: dict, root: str | None = None, highlight: frozenset[str] = frozenset(),
           boundary: frozenset[str] = frozenset()) -> str:
    """Graphviz source for a graph; `root` is drawn bold, `highlight` (SPOFs) red, `boundary`
    (objects drawn in another diagram) dashed. Edges: solid when the failure stops the source,
    dashed when it only degrades it, bold for a member of a redundant group."""
    lines = [
        "digraph architecture {",
        f'  graph [rankdir=LR, fontname={_quote(FONT)}, fontsize={FONT_PT}, nodesep=0.2, ranksep=0.5,'
        ' bgcolor="white"];',
        f'  node [shape=box, style="rounded,filled", fontname={_quote(FONT)}, fontsize={FONT_PT},'
        ' color="#495057", penwidth=1, margin="0.08,0.03", height=0.3];',
        '  edge [color="#6c757d", arrowsize=0.6];',
    ]
    nodes = graph.get("nodes", [])
    known = {str(n["id"]) for n in nodes}
    for node in nodes:
        node_id = str(node["id"])
        kind = _kind(node)
        attrs = {"label": node.get("label") or node_id, "fillcolor": COLOURS.get(kind, "#f8f9fa")}
        shape = SHAPES.get(kind)
        if shape:
            attrs["shape"] = shape
        if node.get("url"):
            attrs["URL"] = node["url"]
            attrs["target"] = "_top"
        if node_id in boundary:
            attrs.update(style="rounded,dashed", fillcolor="white", fontcolor="#495057")
        if node_id == root:
            attrs["penwidth"] = "2.5"
            attrs["color"] = "#0d6efd"
        if node_id in highlight:
            attrs["color"] = "#dc3545"
            attrs["penwidth"] = "2.5"
            attrs["fontcolor"] = "#842029"
        rendered = ", ".join(f"{k}={_quote(v)}" for k, v in attrs.items())
        lines.append(f"  {_quote(node_id)} [{rendered}];")
    for edge in graph.get("edges", []):
        source, target = str(edge["source"]), str(edge["target"])
        if source in known and target in known:
            style = EDGE_STYLES.get(str(edge.get("mode") or "hard"), "solid")
            lines.append(f"  {_quote(source)} -> {_quote(target)} [style={style}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


EDGE_STYLES = {"hard": "solid", "soft": "dashed", "group": "bold"}


def drawn_size(source: str) -> tuple[float, float]:
    """The diagram's natural width and height in points, as `dot` draws it."""
    head = render(source, "svg")[:2000].decode(errors="replace")
    size = re.search(r'<svg width="([\d.]+)pt" height="([\d.]+)pt"', head)
    if size is None:
        raise DiagramUnavailable(_("Graphviz could not draw the diagram: %(error)s") % {"error": "no size"})
    return float(size[1]), float(size[2])


def text_scale(source: str) -> float:
    """How much the drawn diagram shrinks to fit the page box (1: not at all)."""
    width, height = drawn_size(source)
    return min(1.0, PAGE_WIDTH_PT / width, PAGE_HEIGHT_PT / height)


def printed_size(source: str) -> tuple[float, float]:
    """Width and height in points once scaled into the page box."""
    scale = text_scale(source)
    width, height = drawn_size(source)
    return width * scale, height * scale


def readable(source: str) -> bool:
    """Its smallest text is at least MIN_TEXT_PT once scaled onto the page."""
    return FONT_PT * text_scale(source) >= MIN_TEXT_PT


@dataclass
class Part:
    title: str
    graph: dict  # the part's own nodes and the boundary objects, with the edges among them
    boundary: frozenset[str]
    own: list[dict]  # the edges that start at the part's own nodes: its rows in the appendix


def split(graph: dict, root: str | None = None, highlight: frozenset[str] = frozenset()) -> list[tuple[Part, str]]:
    """The graph as diagrams each readable on an A4 page: the whole graph when it fits, else a
    diagram per layer group, halved until each fits (a single object always fits)."""
    nodes = graph.get("nodes", [])
    if len(nodes) <= ONE_DIAGRAM_NODES:
        whole = _part("", graph, [str(n["id"]) for n in nodes])
        source = to_dot(whole.graph, root, highlight, whole.boundary)
        if readable(source):
            return [(whole, source)]
    groups: list[tuple[str, list[list[str]]]] = []
    for layers, name in LAYER_GROUPS:
        ids = [str(n["id"]) for n in nodes if n.get("layer", 0) in layers]
        if ids:
            groups.append((str(name), [ids]))
    fitted = _fit(graph, groups, root, highlight)
    result: list[tuple[Part, str]] = []
    for (title, _pieces), drawn in zip(groups, fitted, strict=True):
        if len(drawn) > 1:
            for number, (part, _source) in enumerate(drawn, start=1):
                part.title = f"{title} ({number}/{len(drawn)})"
        result.extend(drawn)
    return result


def _fit(graph: dict, groups: list[tuple[str, list[list[str]]]], root: str | None,
         highlight: frozenset[str]) -> list[list[tuple[Part, str]]]:
    """Each group's pieces, every piece that does not fit halved until all do. The groups are
    halved side by side, so each round draws all their new pieces at once (`draw_all`); a piece of
    more than ONE_DIAGRAM_NODES objects is halved without drawing it."""
    pieces = [list(group_pieces) for _title, group_pieces in groups]
    while True:
        drawn = []
        for (title, _first), group_pieces in zip(groups, pieces, strict=True):
            parts = [_part(title, graph, piece) for piece in group_pieces]
            drawn.append([(piece, part, to_dot(part.graph, root, highlight, part.boundary)
                           if len(piece) <= ONE_DIAGRAM_NODES else "")
                          for piece, part in zip(group_pieces, parts, strict=True)])
        draw_all((source for group in drawn for _piece, _part_, source in group if source), "svg")
        pieces = [[half for piece, _part_, source in group for half in _halves(piece, source)] for group in drawn]
        if all(len(new) == len(group) for new, group in zip(pieces, drawn, strict=True)):
            return [[(part, source) for _piece, part, source in group] for group in drawn]


def _halves(piece: list[str], source: str) -> tuple[list[str], ...]:
    """The piece itself when it fits (a single object always does), else its two halves."""
    if len(piece) == 1 or (source and readable(source)):
        return (piece,)
    return piece[:len(piece) // 2], piece[len(piece) // 2:]


def _part(title: str, graph: dict, ids: list[str]) -> Part:
    """The nodes `ids`, and the objects of other parts their edges reach (at most MAX_BOUNDARY)."""
    own_ids = set(ids)
    by_id = {str(n["id"]): n for n in graph.get("nodes", [])}
    touching = [e for e in graph.get("edges", []) if str(e["source"]) in own_ids or str(e["target"]) in own_ids]
    outside: list[str] = []
    for edge in touching:
        for end in (str(edge["source"]), str(edge["target"])):
            if end not in own_ids and end not in outside:
                outside.append(end)
    shown = outside[:MAX_BOUNDARY]
    kept = own_ids | set(shown)
    nodes = [by_id[i] for i in ids] + [by_id[i] for i in shown if i in by_id]
    edges = [e for e in touching if str(e["source"]) in kept and str(e["target"]) in kept]
    own = [e for e in graph.get("edges", []) if str(e["source"]) in own_ids]
    return Part(title, {"nodes": nodes, "edges": edges}, frozenset(shown), own)


@functools.lru_cache(maxsize=128)  # one large document draws about 50
def render(source: str, fmt: str) -> bytes:
    """Draw Graphviz source as "svg" or "png"; the same source always gives the same picture."""
    if fmt not in {"svg", "png"}:
        raise ValueError(fmt)
    path = dot_path()
    if path is None:
        raise DiagramUnavailable(
            _("Graphviz is not installed on the server (%(hint)s).") % {"hint": INSTALL_HINT}
        )
    args = [path, f"-T{fmt}"] + ([f"-Gdpi={PRINT_DPI}"] if fmt == "png" else [])
    try:
        done = subprocess.run(args, input=source.encode(), capture_output=True, timeout=TIMEOUT,
                              check=False)
    except subprocess.TimeoutExpired:
        raise DiagramUnavailable(_("The diagram took too long to draw.")) from None
    if done.returncode != 0 or not done.stdout:
        message = done.stderr.decode(errors="replace").strip()[:200]
        raise DiagramUnavailable(_("Graphviz could not draw the diagram: %(error)s") % {
            "error": message})
    return done.stdout


def draw_all(sources: Iterable[str], *formats: str) -> None:
    """Draw several diagrams in each of `formats` at once, one `dot` process per core, into
    `render`'s cache (a large document's diagrams are drawn in about half the time). Failures
    are left for the caller's own `render` to raise."""
    pending = [(source, fmt) for source in dict.fromkeys(sources) for fmt in formats]
    if len(pending) < 2 or dot_path() is None:
        return
    with ThreadPoolExecutor(min(len(pending), os.cpu_count() or 1)) as pool:
        list(pool.map(lambda job: _try_render(*job), pending))


def _try_render(source: str, fmt: str) -> None:
    try:
        render(source, fmt)
    except DiagramUnavailable:
        pass


def svg(source: str) -> str:
    """The picture as an <svg> element to put inside a page (no XML prologue or doctype)."""
    text = render(source, "svg").decode()
    start = text.find("<svg")
    # Graphviz names every element "node1", "edge1"…: several diagrams on a page would repeat them.
    return re.sub(r' id="[^"]*"', "", text[start:] if start >= 0 else text)
