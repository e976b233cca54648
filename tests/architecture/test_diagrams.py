"""Diagrams readable on A4: a large graph is split by layer, then halved, until every label prints at 7 pt or more."""

from django.utils import translation

from irtis.architecture import diagram


def graph(n_vms: int) -> dict:
    """A system with components, deployments on `n_vms` machines, on 3 clusters of 4 hosts."""
    nodes = [{"id": "s", "label": "SISTEMA", "kind": "systems.informationsystem", "layer": 0}]
    edges = []
    for c in range(3):
        nodes.append({"id": f"c{c}", "label": f"Klasteris-{c}", "kind": "virtualization.cluster", "layer": 6})
        for h in range(4):
            nodes.append({"id": f"h{c}{h}", "label": f"esx-{c}-{h:02d}.lrmuitine.lt", "kind": "inventory.device",
                          "layer": 8})
            edges.append({"source": f"c{c}", "target": f"h{c}{h}", "kind": "runs_on", "mode": "group"})
    for n in range(n_vms):
        nodes += [{"id": f"k{n}", "label": f"Komponentas nr. {n}", "kind": "systems.component", "layer": 1},
                  {"id": f"v{n}", "label": f"vm-taikomoji-{n:03d}", "kind": "virtualization.virtualmachine",
                   "layer": 5}]
        edges += [{"source": "s", "target": f"k{n}", "kind": "consists_of", "mode": "hard"},
                  {"source": f"k{n}", "target": f"v{n}", "kind": "has_instance", "mode": "group"},
                  {"source": f"v{n}", "target": f"c{n % 3}", "kind": "runs_on", "mode": "hard"}]
    return {"nodes": nodes, "edges": edges}


def test_a_small_graph_is_one_diagram() -> None:
    parts = diagram.split(graph(3))
    assert len(parts) == 1 and parts[0][0].title == ""


def test_a_large_graph_is_split_and_every_label_prints_at_7_pt_or_more() -> None:
    big = graph(60)
    with translation.override("en"):
        parts = diagram.split(big)
    assert len(parts) > 4
    for part, source in parts:
        assert diagram.FONT_PT * diagram.text_scale(source) >= diagram.MIN_TEXT_PT, part.title
    # every edge is listed once, in the appendix table of the diagram its source is drawn in
    listed = [(e["source"], e["target"]) for part, _source in parts for e in part.own]
    assert sorted(listed) == sorted((e["source"], e["target"]) for e in big["edges"])
    titles = [part.title for part, _source in parts]
    assert "Virtual machines and clusters (1/7)" in titles  # by layer group, then halved


def test_svg_ids_are_left_out_so_several_diagrams_share_a_page() -> None:
    assert ' id="' not in diagram.svg(diagram.to_dot(graph(2)))
