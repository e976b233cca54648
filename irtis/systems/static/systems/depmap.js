/* Dependency maps (irtis.systems): every element with class "depmap" and a data-graph-url.
   Layered by kind (systems at the top, sites at the bottom), pan and zoom, failed/degraded
   colouring; on the map page, click objects and "Simulate" to see the impact of their failure.
   A map of more than GROUP_ABOVE objects first shows its largest kinds as one node each (click
   one to show its objects), so that its labels can be read at the first view; the map page also
   gets a legend of the kinds shown and the objects as a text list. */
(function () {
  "use strict";
  var KIND_COLOURS = ["#0d6efd", "#6610f2", "#6f42c1", "#d63384", "#20c997", "#0dcaf0", "#198754", "#495057", "#343a40", "#6c757d", "#adb5bd"];
  var STATE_COLOURS = { failed: "#dc3545", stopped: "#dc3545", failover: "#6f42c1", degraded: "#fd7e14" };

  var STEP = 100, ROW = 34, GAP = 50;  // px at zoom 1: between nodes of a row, rows, layers
  var GROUP_ABOVE = 120;
  var SEVERITY = ["", "degraded", "failover", "stopped", "failed"];

  function worse(a, b) { return SEVERITY.indexOf(b || "") > SEVERITY.indexOf(a || "") ? b : a; }

  function foldable(n, keep) { return n.depth > 0 && !keep[n.id]; }

  function grouping(nodes, keep) {
    // The kinds to show folded: the largest first, until no more than GROUP_ABOVE nodes show.
    var folded = {}, counts = {}, shown = nodes.length;
    nodes.forEach(function (n) { if (foldable(n, keep)) { counts[n.kind] = (counts[n.kind] || 0) + 1; } });
    Object.keys(counts).sort(function (a, b) { return counts[b] - counts[a]; }).forEach(function (kind) {
      if (shown > GROUP_ABOVE && counts[kind] > 1) { folded[kind] = true; shown -= counts[kind] - 1; }
    });
    return folded;
  }

  function folding(data, folded, keep) {
    // The graph as shown: the objects of a folded kind as one node, in the worst of their states.
    var groups = {}, shownAs = {}, nodes = [], edges = [], seen = {};
    data.nodes.forEach(function (n) {
      if (!folded[n.kind] || !foldable(n, keep)) { nodes.push(n); shownAs[n.id] = n.id; return; }
      var g = groups[n.kind];
      if (!g) {
        g = groups[n.kind] = { id: "kind:" + n.kind, kind: n.kind, kind_name: n.kind_name, layer: n.layer,
          exists: true, group: 1, members: 0, state: "" };
        nodes.push(g);
      }
      g.members += 1;
      g.state = worse(g.state, n.state);
      shownAs[n.id] = g.id;
    });
    Object.keys(groups).forEach(function (k) { groups[k].label = groups[k].kind_name + " (" + groups[k].members + ")"; });
    data.edges.forEach(function (e) {
      var s = shownAs[e.source], t = shownAs[e.target], key = s + ">" + t;
      if (s === t || seen[key]) { return; }
      seen[key] = true;
      edges.push({ source: s, target: t, kind_name: e.kind_name, mode: e.mode });
    });
    return { nodes: nodes, edges: edges };
  }

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
        restricted: n.restricted ? 1 : 0, folded: n.group ? n.kind : "" },
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
      { selector: "node[folded != '']", style: { shape: "round-rectangle", width: 30, height: 22, "font-weight": "bold",
        "border-width": 2, "border-color": "#212529" } },
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

  function recolour(cy, view) {
    var states = {};
    view.nodes.forEach(function (n) { states[n.id] = n.state || ""; });
    cy.batch(function () { cy.nodes().forEach(function (n) { n.data("state", states[n.id()] || ""); }); });
  }

  function legend(box, data) {
    // The kinds on the map, in their colours, with how many of each.
    var kinds = {};
    data.nodes.forEach(function (n) {
      var k = kinds[n.kind] = kinds[n.kind] || { name: n.kind_name, layer: n.layer, count: 0 };
      k.count += 1;
    });
    box.replaceChildren.apply(box, Object.keys(kinds).sort(function (a, b) { return kinds[a].layer - kinds[b].layer; })
      .map(function (kind) {
        var row = document.createElement("div"), swatch = document.createElement("span");
        swatch.className = "badge me-1";
        swatch.style.background = KIND_COLOURS[kinds[kind].layer % KIND_COLOURS.length];
        swatch.textContent = "\u00a0";
        row.appendChild(swatch);
        row.appendChild(document.createTextNode(kinds[kind].name + " (" + kinds[kind].count + ")"));
        return row;
      }));
  }

  function textList(box, data) {
    // The map as text: the objects by kind, each with what it depends on.
    var byId = {}, needs = {}, kinds = {};
    data.nodes.forEach(function (n) { byId[n.id] = n; (kinds[n.kind_name] = kinds[n.kind_name] || []).push(n); });
    data.edges.forEach(function (e) { (needs[e.source] = needs[e.source] || []).push(byId[e.target]); });
    var list = document.createElement("dl");
    Object.keys(kinds).forEach(function (name) {
      var term = document.createElement("dt");
      term.textContent = name + " (" + kinds[name].length + ")";
      list.appendChild(term);
      kinds[name].forEach(function (n) {
        var item = document.createElement("dd"), link = document.createElement(n.url ? "a" : "span");
        if (n.url) { link.href = n.url; }
        link.textContent = n.label;
        item.appendChild(link);
        var on = (needs[n.id] || []).filter(Boolean).map(function (t) { return t.label; });
        if (on.length) { item.appendChild(document.createTextNode(" → " + on.join(", "))); }
        list.appendChild(item);
      });
    });
    box.replaceChildren(list);
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

  function interactive(el, map, baseUrl) {
    var cy = map.cy, marked = map.keep;
    cy.on("tap", "node", function (evt) {
      var id = evt.target.id();
      if (evt.target.data("folded")) { return; }  // unfolded by draw's handler
      if (evt.target.data("restricted")) { return; }  // the API answers 404 for what the user may not view
      if (marked[id]) { delete marked[id]; evt.target.removeClass("marked"); } else { marked[id] = true; evt.target.addClass("marked"); }
    });
    var out = document.getElementById("impact");
    function simulate() {
      var ids = Object.keys(marked);
      if (!ids.length) { return; }
      var query = ids.map(function (id) { return "failed=" + encodeURIComponent(id); }).join("&");
      fetch(baseUrl + "&" + query, { headers: { Accept: "application/json" } }).then(function (r) { return r.json(); })
        .then(function (data) { if (data.nodes) { map.data = data; recolour(cy, map.view()); } });
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
        Object.keys(marked).forEach(function (id) { delete marked[id]; });
        cy.nodes().removeClass("marked");
        recolour(cy, { nodes: [] });
        if (out) { out.replaceChildren(); }
      });
    }
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
      var keep = {};  // objects marked as failed: never folded
      (el.dataset.failed || "").split(",").filter(Boolean).forEach(function (id) { keep[id] = true; });
      var map = { data: data, keep: keep, folded: grouping(data.nodes, keep) };
      map.view = function () { return folding(map.data, map.folded, map.keep); };
      var view = map.view(), big = view.nodes.length > 150;
      var cy = map.cy = window.cytoscape({
        container: el, elements: elements(view, el.clientWidth, el.clientHeight), layout: { name: "preset", fit: true, padding: 20 }, style: style(big),
        wheelSensitivity: 0.3, minZoom: 0.05, maxZoom: 4, pixelRatio: 1,
        textureOnViewport: big, hideEdgesOnViewport: big, boxSelectionEnabled: false
      });
      Object.keys(keep).forEach(function (id) { cy.getElementById(id).addClass("marked"); });
      cy.on("tap", "node[folded != '']", function (evt) {
        delete map.folded[evt.target.data("folded")];
        var shown = map.view();
        cy.batch(function () {
          cy.elements().remove();
          cy.add(elements(shown, el.clientWidth, el.clientHeight));
          Object.keys(keep).forEach(function (id) { cy.getElementById(id).addClass("marked"); });
        });
        cy.style(style(shown.nodes.length > 150));
        cy.fit(undefined, 20);
      });
      cy.on("dbltap", "node", function (evt) { var u = evt.target.data("url"); if (u) { window.location.href = u; } });
      cy.on("mouseover", "node", function (evt) {
        el.title = evt.target.data("folded") ? evt.target.data("label") + " — " + (el.dataset.unfold || "")
          : evt.target.data("label") + " — " + evt.target.data("kind");
      });
      if (el.dataset.legend) { legend(document.getElementById(el.dataset.legend), data); }
      if (el.dataset.text) { textList(document.getElementById(el.dataset.text), data); }
      if (el.dataset.interactive) {
        el.dataset.impactUrl = url.split("graph/")[0] + "impact/";
        interactive(el, map, url.replace(/&failed=[^&]*/g, ""));
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (!window.cytoscape) { return; }
    document.querySelectorAll(".depmap[data-graph-url]").forEach(draw);
  });
})();
