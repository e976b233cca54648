"""The dependency map of 300 objects in the browser: its labels readable at the first view (the
most numerous kinds folded into one node each, unfolded by a click), a legend of the kinds in
their colours, and the objects as a text list.

The page loads the project's own `depmap.js` and vendored Cytoscape; the map's JSON is answered
by an intercepted request (`benchmarks/systems_map_browser.answer`), so no database is read.
"""

import json
from typing import Any

import pytest

from benchmarks.systems_map_browser import answer

pytestmark = pytest.mark.browser
PAGE = """<!doctype html><html><head><meta charset="utf-8">
<script>
  let real;  // keeps the map's Cytoscape instance for the test
  Object.defineProperty(window, "cytoscape", { configurable: true, get: () => real, set: (lib) => {
    real = function (options) { const cy = lib(options); window.__cy = cy; return cy; };
    Object.assign(real, lib);
  } });
</script>
<script src="/static/vendor/cytoscape/cytoscape.min.js" defer></script>
<script src="/static/systems/depmap.js" defer></script></head>
<body><div class="depmap" id="map" style="width:1200px;height:700px" data-graph-url="/api/systems/graph/?object=x"
 data-legend="kinds" data-text="text"></div><div id="kinds"></div><div id="text"></div></body></html>"""
KINDS = [  # kind, its name, layer, how many
    ("systems.informationsystem", "informacinė sistema", 0, 1), ("systems.component", "komponentas", 1, 20),
    ("virtualization.virtualmachine", "virtuali mašina", 3, 150), ("network.ipaddress", "IP adresas", 5, 100),
    ("inventory.device", "įrenginys", 7, 25), ("inventory.site", "vieta", 9, 4),
]
# Labels drawn at least this large (px) at the first view; Cytoscape hides those under 6 px.
READABLE_PX = 8


def estate() -> dict[str, Any]:
    """A system of 300 objects: components on VMs, VMs with addresses on hosts, hosts at sites."""
    nodes = [{"id": f"{kind}-{n}", "label": f"{name} {n}", "kind": kind, "kind_name": name, "layer": layer,
              "url": f"/{kind}/{n}/", "depth": 0 if layer == 0 else layer, "state": "", "exists": True,
              "restricted": False} for kind, name, layer, count in KINDS for n in range(count)]
    edges = [{"source": a, "target": b, "kind_name": "priklauso", "mode": "hard"} for a, b in (
        *(("systems.informationsystem-0", f"systems.component-{n}") for n in range(20)),
        *((f"systems.component-{n % 20}", f"virtualization.virtualmachine-{n}") for n in range(150)),
        *((f"virtualization.virtualmachine-{n % 150}", f"network.ipaddress-{n}") for n in range(100)),
        *((f"virtualization.virtualmachine-{n}", f"inventory.device-{n % 25}") for n in range(150)),
        *((f"inventory.device-{n}", f"inventory.site-{n % 4}") for n in range(25)),
    )]
    return {"nodes": nodes, "edges": edges, "truncated": False}


def test_a_map_of_300_objects_is_readable_at_first_view(browser: Any) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    body = json.dumps(estate())
    page.route("http://map.test/**", lambda route: answer(route, body, PAGE))
    page.goto("http://map.test/map")
    page.wait_for_function("window.__cy && window.__cy.nodes().length > 0")

    shown = page.evaluate("window.__cy.nodes().map(n => [n.id(), n.data('label')])")
    assert len(shown) <= 120
    folded = {i: label for i, label in shown if i.startswith("kind:")}
    assert folded == {"kind:virtualization.virtualmachine": "virtuali mašina (150)",
                      "kind:network.ipaddress": "IP adresas (100)"}
    assert page.evaluate("window.__cy.zoom() * 10") >= READABLE_PX  # a label's 10 px at the first view
    # A folded node's edges are those of its objects, once each.
    assert page.evaluate("window.__cy.getElementById('kind:network.ipaddress').connectedEdges().length") == 1

    legend = page.inner_text("#kinds")
    assert "virtuali mašina (150)" in legend and "vieta (4)" in legend and legend.count("\n") == len(KINDS) - 1
    assert page.locator("#text dd").count() == 300
    assert "komponentas 3 → virtuali mašina 3, virtuali mašina 23" in page.inner_text("#text")

    page.evaluate("window.__cy.getElementById('kind:network.ipaddress').emit('tap')")
    unfolded = page.evaluate("window.__cy.nodes().map(n => n.id())")
    assert len(unfolded) == len(shown) + 99 and "network.ipaddress-42" in unfolded
    assert "kind:virtualization.virtualmachine" in unfolded
    page.close()


def test_a_small_map_is_not_folded(browser: Any) -> None:
    data = estate()
    data["nodes"] = [n for n in data["nodes"] if n["kind"] != "network.ipaddress"][:100]
    kept = {n["id"] for n in data["nodes"]}
    data["edges"] = [e for e in data["edges"] if e["source"] in kept and e["target"] in kept]
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    body = json.dumps(data)
    page.route("http://map.test/**", lambda route: answer(route, body, PAGE))
    page.goto("http://map.test/map")
    page.wait_for_function("window.__cy && window.__cy.nodes().length > 0")
    assert page.evaluate("window.__cy.nodes().length") == 100
    page.close()
