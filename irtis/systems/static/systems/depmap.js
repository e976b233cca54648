/* Dependency maps (irtis.systems): every element with class "depmap" and a data-graph-url.
   Layered by kind (systems at the top, sites at the bottom), pan and zoom, failed/degraded
   colouring; on the map page, click objects and "Simulate" to see the impact of their failure. */
(function () {
  "use strict";
  var KIND_COLOURS = ["#0d6efd", "#6610f2", "#6f42c1", "#d63384", "#20c997", "#0dcaf0", "#198754", "#495057", "#343a40", "#6c757d", "#adb5bd"];
  var STATE_COLOURS = { failed: "#dc3545", stopped: "#dc3545", failover: "#6f42c1", degraded: "#fd7e14" };

  var STEP = 100, ROW = 34, GAP = 50;  // px at zoom 1: between nodes of a row, rows, layers

  function positions(nodes, width, height) {
    // One band per layer (systems at the top, sites at the bottom); a band wraps into rows of
    // `per` nodes, `per` chosen so that the whole drawing fits the map at the largest zoom,
    // which keeps as many labels readable at the first view as the space allows.
    var layers = {};
    nodes.forEach(function (n) { (layers[n.layer] = layers[n.layer] || []).push(n); });
    var keys = Object.keys(layers).sort(function (a, b) { return a - b; });
    var sizes = keys.map(function (k) { return layers[k].length; });
    var widest = Math.max.apply(null, sizes);
    var per = widest, best = 0;
    for (var p = 1; p <= widest; p++) {
      var rows = sizes.reduce(function (sum, n) { return sum + Math.ceil(n / p); }, 0);
      var zoom = Math.min(width / (p * STEP), height / (rows * ROW + keys.length * GAP));
      if (zoom > best) { best = zoom; per = p; }
    }
    var out = {}, top = 0;
    keys.forEach(function (layer) {
      var items = layers[layer];
      items.forEach(function (n, k) {
        var row = Math.floor(k / per);
        out[n.id] = { x: (k % per) * STEP + (row % 2) * STEP / 2, y: top + row * ROW };
      });
      top += Math.ceil(items.length / per) * ROW + GAP;
    });
    return out;
  }

  function elements(data, width, height) {
    var pos = positions(data.nodes, width || 1200, height || 700);
    var els = data.nodes.map(function (n) {
      return { group: "nodes", data: { id: n.id, label: n.label, kind: n.kind_name, url: n.url, state: n.state || "",
        colour: n.exists ? KIND_COLOURS[n.layer % KIND_COLOURS.length] : "#adb5bd", missing: n.exists ? 0 : 1,
        restricted: n.restricted ? 1 : 0 },
        position: pos[n.id] };
    });
    data.edges.forEach(function (e, k) {
      els.push({ group: "edges", data: { id: "e" + k, source: e.source, target: e.target, label: e.kind_name, mode: e.mode } });
    });
    return els;
  }

  function style(big) {
    return [
      { selector: "node", style: { "background-color": "data(colour)", label: "data(label)", "font-size": 10,
        "min-zoomed-font-size": big ? 9 : 6, "text-valign": "bottom", "text-margin-y": 3, width: 18, height: 18,
        "text-wrap": "ellipsis", "text-max-width": 95 } },
      { selector: "node[state = 'failed']", style: { "background-color": STATE_COLOURS.failed, "border-width": 4, "border-color": "#000" } },
      { selector: "node[state = 'stopped']", style: { "background-color": STATE_COLOURS.stopped } },
      { selector: "node[state = 'failover']", style: { "background-color": STATE_COLOURS.failover } },
      { selector: "node[state = 'degraded']", style: { "background-color": STATE_COLOURS.degraded } },
      { selector: "node.marked", style: { "border-width": 4, "border-color": "#dc3545", "border-style": "double" } },
      { selector: "node[missing = 1]", style: { shape: "diamond" } },
      { selector: "node[restricted = 1]", style: { shape: "round-rectangle", "border-width": 2, "border-style": "dashed",
        "border-color": "#6c757d", "font-style": "italic" } },
      { selector: "edge", style: { width: 1, "line-color": "#adb5bd", "target-arrow-color": "#adb5bd",
        "target-arrow-shape": big ? "none" : "triangle", "curve-style": big ? "haystack" : "bezier", "arrow-scale": 0.7 } },
      { selector: "edge[mode = 'soft']", style: { "line-style": "dashed" } },
      { selector: "edge[mode = 'group']", style: { "line-style": "dotted", width: 2 } },
      { selector: "node:selected", style: { "border-width": 3, "border-color": "#0d6efd" } }
    ];
  }

  function recolour(cy, data) {
    var states = {};
    data.nodes.forEach(function (n) { states[n.id] = n.state || ""; });
    cy.batch(function () { cy.nodes().forEach(function (n) { n.data("state", states[n.id()] || ""); }); });
  }

  function systemsList(title, items, none, rto) {
    var box = document.createElement("div");
    var head = document.createElement("div");
    head.className = "fw-semibold mt-2";
    head.textContent = title + " (" + items.length + ")";
    box.appendChild(head);
    if (!items.length) { var e = document.createElement("div"); e.className = "text-body-secondary"; e.textContent = none; box.appendChild(e); }
    items.forEach(function (n) {
      var a = document.createElement(n.url ? "a" : "span");
      if (n.url) { a.href = n.url; }
      // stopped until failover: "… (RTO 4 h)", the template's text with the hours put in
      a.textContent = rto && n.rto_hours != null ? n.label + " (" + rto.replace("%s", n.rto_hours) + ")" : n.label;
      a.className = "d-block";
      box.appendChild(a);
    });
    return box;
  }

  function interactive(el, cy, baseUrl) {
    var marked = {};
    (el.dataset.failed || "").split(",").filter(Boolean).forEach(function (id) { marked[id] = true; });
    cy.on("tap", "node", function (evt) {
      var id = evt.target.id();
      if (evt.target.data("restricted")) { return; }  // the API answers 404 for what the user may not view
      if (marked[id]) { delete marked[id]; evt.target.removeClass("marked"); } else { marked[id] = true; evt.target.addClass("marked"); }
    });
    var out = document.getElementById("impact");
    function simulate() {
      var ids = Object.keys(marked);
      if (!ids.length) { return; }
      var query = ids.map(function (id) { return "failed=" + encodeURIComponent(id); }).join("&");
      fetch(baseUrl + "&" + query, { headers: { Accept: "application/json" } }).then(function (r) { return r.json(); })
        .then(function (data) { if (data.nodes) { recolour(cy, data); } });
      fetch(el.dataset.impactUrl + "?" + query, { headers: { Accept: "application/json" } }).then(function (r) { return r.json(); })
        .then(function (data) {
          if (!out || !data.stopped) { return; }
          out.replaceChildren(
            systemsList(out.dataset.stopped, data.stopped.filter(function (n) { return n.kind === "systems.informationsystem"; }), out.dataset.none),
            systemsList(out.dataset.failover, data.failover.filter(function (n) { return n.kind === "systems.informationsystem"; }), out.dataset.none, out.dataset.rto),
            systemsList(out.dataset.degraded, data.degraded.filter(function (n) { return n.kind === "systems.informationsystem"; }), out.dataset.none));
        });
    }
    var button = document.getElementById("simulate");
    if (button) { button.addEventListener("click", simulate); }
    var reset = document.getElementById("reset");
    if (reset) {
      reset.addEventListener("click", function () {
        marked = {};
        cy.nodes().removeClass("marked");
        recolour(cy, { nodes: [] });
        if (out) { out.replaceChildren(); }
      });
    }
    Object.keys(marked).forEach(function (id) { cy.getElementById(id).addClass("marked"); });
    if (Object.keys(marked).length) { simulate(); }
  }

  function draw(el) {
    var url = el.dataset.graphUrl;
    fetch(url, { headers: { Accept: "application/json" } }).then(function (r) { return r.json(); }).then(function (data) {
      if (!data.nodes || data.nodes.length <= 1) {
        el.classList.add("d-flex", "align-items-center", "justify-content-center", "text-body-secondary", "small");
        el.textContent = el.dataset.empty || "";
        el.style.height = "auto";
        return;
      }
      var big = data.nodes.length > 150;
      var cy = window.cytoscape({
        container: el, elements: elements(data, el.clientWidth, el.clientHeight), layout: { name: "preset", fit: true, padding: 20 }, style: style(big),
        wheelSensitivity: 0.3, minZoom: 0.05, maxZoom: 4, pixelRatio: 1,
        textureOnViewport: big, hideEdgesOnViewport: big, boxSelectionEnabled: false
      });
      cy.on("dbltap", "node", function (evt) { var u = evt.target.data("url"); if (u) { window.location.href = u; } });
      cy.on("mouseover", "node", function (evt) { el.title = evt.target.data("label") + " — " + evt.target.data("kind"); });
      if (el.dataset.interactive) {
        el.dataset.impactUrl = url.split("graph/")[0] + "impact/";
        interactive(el, cy, url.replace(/&failed=[^&]*/g, ""));
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (!window.cytoscape) { return; }
    document.querySelectorAll(".depmap[data-graph-url]").forEach(draw);
  });
})();
