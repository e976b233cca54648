"""The dependency map in a browser: layout to idle, and pan/zoom, at 300 nodes.

    .venv/bin/python benchmarks/systems_bench.py        # writes $IRTIS_DATA_DIR/systems_map.json
    .venv/bin/python benchmarks/systems_map_browser.py [map.json]

Debian's Chromium (/usr/bin/chromium, `apt-get install chromium`) driven by Playwright; the page
loads the project's own static files (`irtis/systems/static/systems/depmap.js` and the vendored
Cytoscape) and the map JSON through intercepted requests, so no server and no network are used.
Figures are medians of repeated loads: from the JSON's arrival to the first frame drawn with
every node, and the mean frame time of 20 wheel zooms and 20 drags.
"""

import json
import os
import statistics
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
STATIC = {"/static/vendor/cytoscape/cytoscape.min.js": ROOT / "irtis/static/vendor/cytoscape/cytoscape.min.js",
          "/static/systems/depmap.js": ROOT / "irtis/systems/static/systems/depmap.js"}
PAGE = """<!doctype html><html><head><meta charset="utf-8">
<script src="/static/vendor/cytoscape/cytoscape.min.js" defer></script>
<script src="/static/systems/depmap.js" defer></script></head>
<body><div class="depmap" id="map" style="width:1200px;height:720px"
 data-graph-url="/api/systems/graph/?object=x"></div>
</body></html>"""
# Keeps the map's Cytoscape instance and stamps the moment the JSON arrives.
PROBE = """
(() => {
  let real;
  Object.defineProperty(window, "cytoscape", { configurable: true, get: () => real, set: (lib) => {
    real = function (options) { const cy = lib(options); window.__cy = cy; return cy; };
    Object.assign(real, lib);
  } });
  const fetched = window.fetch;
  window.fetch = (...args) => fetched(...args).then((r) => { window.__arrived = performance.now(); return r; });
})();
"""
# Resolves after the next frame has been drawn.
FRAMES = ("() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame("
          "() => done(performance.now()))))")


def run(data: dict[str, Any], loads: int = 7) -> dict[str, float]:
    from playwright.sync_api import sync_playwright

    body = json.dumps(data)
    layout, zoom, drag = [], [], []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=os.environ.get("CHROMIUM", "/usr/bin/chromium"),
                                             args=["--no-sandbox", "--disable-gpu", "--no-first-run"])
        for _ in range(loads):
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            page.add_init_script(PROBE)
            page.route("http://map.test/**", lambda route: answer(route, body))
            page.goto("http://map.test/map")
            page.wait_for_function("window.__cy && window.__cy.nodes().length > 0")
            drawn = page.evaluate(FRAMES)
            layout.append(drawn - page.evaluate("window.__arrived"))
            box = page.locator("#map").bounding_box()
            x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
            page.mouse.move(x, y)
            start = page.evaluate("performance.now()")
            for step in range(20):
                page.mouse.wheel(0, -120 if step < 10 else 120)
                page.evaluate(FRAMES)
            zoom.append((page.evaluate(FRAMES) - start) / 20)
            start = page.evaluate("performance.now()")
            page.mouse.down()
            for step in range(20):
                page.mouse.move(x + 10 * step, y + 5 * step)
                page.evaluate(FRAMES)
            page.mouse.up()
            drag.append((page.evaluate(FRAMES) - start) / 20)
            page.close()
        browser.close()
    return {"layout_to_idle_ms": statistics.median(layout), "zoom_step_ms": statistics.median(zoom),
            "drag_step_ms": statistics.median(drag)}


def answer(route: Any, body: str, page: str = PAGE) -> None:
    """Answers the page's requests: the project's static files, the map's JSON `body`, `page`."""
    path = route.request.url.removeprefix("http://map.test").split("?")[0]
    if path in STATIC:
        route.fulfill(body=STATIC[path].read_text(encoding="utf-8"), content_type="application/javascript")
    elif path.startswith("/api/systems/graph/"):
        route.fulfill(body=body, content_type="application/json")
    else:
        route.fulfill(body=page, content_type="text/html")


def main() -> None:
    source = Path(sys.argv[1] if len(sys.argv) > 1 else Path(os.environ.get("IRTIS_DATA_DIR", "/tmp/irtis-bench"))
                  / "systems_map.json")
    data = json.loads(source.read_text(encoding="utf-8"))
    figures = run(data)
    print(f"map of {len(data['nodes'])} nodes, {len(data['edges'])} edges (Chromium, software rendering): "
          + ", ".join(f"{k} {v:.1f}" for k, v in figures.items()))


if __name__ == "__main__":
    main()
