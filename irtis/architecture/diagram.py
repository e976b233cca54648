"""Dependency diagrams drawn on the server by Graphviz `dot` (Debian package `graphviz`).

A graph in the shape irtis.systems.graph.graph_json returns ({"nodes": [{"id", "label", "kind",
"url"}], "edges": [{"source", "target", "kind", "kind_name"}]}) becomes Graphviz source here, and
`dot` draws it as SVG (the web page and the PDF: vector, with links) or PNG (DOCX). Labels are
drawn in DejaVu Sans (Debian `fonts-dejavu-core`), which has every Lithuanian letter.

Without `dot` the documents are still generated, with the dependencies listed as text and a note
naming the missing package; `irtis check` warns about it (irtis.architecture.checks).
"""

import functools
import re
import shutil
import subprocess

from django.utils.translation import gettext as _

INSTALL_HINT = "apt-get install graphviz fonts-dejavu-core"
FONT = "DejaVu Sans"
TIMEOUT = 30  # seconds: a diagram that takes longer is left out, not waited for
MAX_NODES = 400  # beyond this a picture is unreadable anyway

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
           title: str = "") -> str:
    """Graphviz source for a graph; `root` is drawn bold, `highlight` (SPOFs) red."""
    lines = [
        "digraph architecture {",
        f'  graph [rankdir=LR, fontname={_quote(FONT)}, fontsize=10, nodesep=0.25, ranksep=0.6,'
        f' label={_quote(title)}, labelloc=t, bgcolor="white"];',
        f'  node [shape=box, style="rounded,filled", fontname={_quote(FONT)}, fontsize=10,'
        ' color="#495057", penwidth=1];',
        f'  edge [fontname={_quote(FONT)}, fontsize=8, color="#6c757d", arrowsize=0.7];',
    ]
    nodes = graph.get("nodes", [])[:MAX_NODES]
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
            label = edge.get("kind_name") or edge.get("kind") or ""
            lines.append(f"  {_quote(source)} -> {_quote(target)} [label={_quote(label)}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


@functools.lru_cache(maxsize=64)
def render(source: str, fmt: str) -> bytes:
    """Draw Graphviz source as "svg" or "png"; the same source always gives the same picture."""
    if fmt not in {"svg", "png"}:
        raise ValueError(fmt)
    path = dot_path()
    if path is None:
        raise DiagramUnavailable(
            _("Graphviz is not installed on the server (%(hint)s).") % {"hint": INSTALL_HINT}
        )
    args = [path, f"-T{fmt}"] + (["-Gdpi=110"] if fmt == "png" else [])
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


def svg(source: str) -> str:
    """The picture as an <svg> element to put inside a page (no XML prologue or doctype)."""
    text = render(source, "svg").decode()
    start = text.find("<svg")
    return text[start:] if start >= 0 else text
