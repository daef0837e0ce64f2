/* The organisation graph (Cytoscape) with an as-of slider. Each view (all, or one country's
   actors and their neighbours) is laid out once on its whole history, so actors keep their
   place while the slider moves through time. */
"use strict";

(function () {
  const container = document.getElementById("cy");
  const status = document.getElementById("graph-status");
  const slider = document.getElementById("as-of");
  const label = document.getElementById("as-of-label");
  const details = document.getElementById("graph-details");
  const find = document.getElementById("graph-find");
  const countrySelect = document.getElementById("graph-country");
  const isolated = document.getElementById("graph-isolated");
  if (!container) return;
  if (typeof cytoscape === "undefined") {
    status.textContent = "The graph library is not installed: run `make assets` (npm ci), then reload.";
    container.dataset.state = "missing";
    return;
  }
  const DAY = 86400000;
  const COLOURS = { group: "#b5473a", branch: "#e67e22", state: "#2f6690", provisional: "#8d8d8d" };
  const EDGE_COLOURS = {
    branch_of: "#e67e22", pledge: "#27ae60", ally: "#27ae60", affiliate: "#27ae60",
    rival: "#c0392b", splinter: "#8e44ad", merger: "#16a085", rename: "#7f8c8d",
  };
  const cy = cytoscape({
    container,
    minZoom: 0.1,
    maxZoom: 4,
    style: [
      {
        selector: "node",
        style: {
          label: "data(label)", "font-size": 10, "min-zoomed-font-size": 7,
          "text-valign": "bottom", "text-margin-y": 3, width: 14, height: 14,
          "background-color": "data(colour)", color: "#1d232a",
        },
      },
      { selector: "node:selected", style: { "border-width": 3, "border-color": "#111" } },
      { selector: "node.hit", style: { "border-width": 4, "border-color": "#f0c419", width: 22, height: 22 } },
      {
        selector: "edge",
        style: {
          width: 1.4, "curve-style": "bezier", "target-arrow-shape": "triangle", "arrow-scale": 0.7,
          "line-color": "data(colour)", "target-arrow-color": "data(colour)", opacity: 0.8,
        },
      },
      { selector: "edge[?symmetric]", style: { "target-arrow-shape": "none" } },
      { selector: 'edge[kind = "rival"]', style: { "line-style": "dashed" } },
      { selector: "edge:loop", style: { display: "none" } },
    ],
  });
  let full = null;
  const layouts = new Map();

  const isoDay = (ms) => new Date(ms).toISOString().slice(0, 10);
  const fullDate = (d) => (d.length === 4 ? `${d}-01-01` : d.length === 7 ? `${d}-01` : d.slice(0, 10));

  /** The part of a graph the controls ask for: one country's actors and their neighbours. */
  function view(graph) {
    const country = countrySelect.value;
    let keep = new Set(graph.nodes.map((n) => n.id));
    if (country) {
      const home = new Set(graph.nodes.filter((n) => (n.countries || []).includes(country)).map((n) => n.id));
      keep = new Set(home);
      for (const e of graph.edges) {
        if (home.has(e.source)) keep.add(e.target);
        if (home.has(e.target)) keep.add(e.source);
      }
    }
    const edges = graph.edges.filter((e) => e.source !== e.target && keep.has(e.source) && keep.has(e.target));
    if (!isolated.checked) {
      const linked = new Set(edges.flatMap((e) => [e.source, e.target]));
      keep = new Set([...keep].filter((id) => linked.has(id)));
    }
    return { nodes: graph.nodes.filter((n) => keep.has(n.id)), edges };
  }

  function elements(graph, positions) {
    const nodes = graph.nodes.map((n) => ({
      group: "nodes",
      data: { id: n.id, label: n.name, kind: n.kind, country: n.country, colour: COLOURS[n.kind] || "#5b6770" },
      position: positions ? positions.get(n.id) || { x: 0, y: 0 } : undefined,
    }));
    const edges = graph.edges.map((e) => ({
      group: "edges",
      data: {
        id: e.id, source: e.source, target: e.target, kind: e.kind, start: e.start, end: e.end,
        reported_by: e.reported_by, evidence: e.evidence, symmetric: e.symmetric,
        colour: EDGE_COLOURS[e.kind] || "#9aa4ae",
      },
    }));
    return [...nodes, ...edges];
  }

  /** Node positions for the current view, laid out once on its whole history. */
  function positionsFor() {
    const key = `${countrySelect.value}|${isolated.checked}`;
    if (!layouts.has(key)) {
      cy.elements().remove();
      cy.add(elements(view(full)));
      cy.layout({ name: "cose", animate: false, randomize: true, nodeRepulsion: () => 9000, idealEdgeLength: () => 60, numIter: 1200 }).run();
      layouts.set(key, new Map(cy.nodes().map((n) => [n.id(), { ...n.position() }])));
    }
    return layouts.get(key);
  }

  function describeSource(source) {
    if (!source) return "";
    if (typeof source === "string") return source;
    return [source.outlet, source.title, source.published].filter(Boolean).join(" · ");
  }

  function showNode(node) {
    details.textContent = "";
    const id = node.id();
    const name = node.data("label");
    const heading = WF.el("h2");
    if (id.startsWith("provisional:")) heading.append(`${name} (provisional)`);
    else heading.append(WF.el("a", { href: `/actors/${encodeURIComponent(id)}`, text: name }));
    details.append(heading, WF.el("p", { class: "muted", text: `${node.data("kind") || ""} ${node.data("country") || ""}` }));
    const list = WF.el("ul", { class: "timeline-list" });
    node.connectedEdges().sort((a, b) => String(a.data("start")).localeCompare(String(b.data("start")))).forEach((edge) => {
      const other = edge.source().id() === id ? edge.target() : edge.source();
      const arrow = edge.data("symmetric") ? "↔" : edge.source().id() === id ? "→" : "←";
      const item = WF.el("li", {}, WF.el("time", { text: edge.data("start") || "undated" }), ` ${edge.data("kind")} ${arrow} ${other.data("label")}`);
      const source = describeSource(edge.data("reported_by"));
      if (source) item.append(WF.el("div", { class: "muted", text: source }));
      if (edge.data("evidence")) item.append(WF.el("blockquote", { text: edge.data("evidence") }));
      list.append(item);
    });
    details.append(list);
  }

  async function show(asOf) {
    status.textContent = `Loading the graph as of ${asOf}…`;
    const graph = view(await WF.getJSON(`/api/graph?as_of=${encodeURIComponent(asOf)}`));
    const positions = positionsFor();
    cy.elements().remove();
    cy.add(elements(graph, positions));
    cy.layout({ name: "preset", fit: true, padding: 20 }).run();
    status.textContent = `${graph.nodes.length} actor(s), ${graph.edges.length} relation(s) as of ${asOf}`;
    container.dataset.nodes = String(graph.nodes.length);
    container.dataset.edges = String(graph.edges.length);
    container.dataset.asOf = asOf;
    container.dataset.state = "ready";
  }

  async function start() {
    full = await WF.getJSON("/api/graph");
    const countries = [...new Set(full.nodes.flatMap((n) => n.countries || []))].sort();
    for (const c of countries) countrySelect.append(WF.el("option", { value: c, text: c }));
    const wanted = new URLSearchParams(window.location.search).get("country");
    if (wanted && countries.includes(wanted)) countrySelect.value = wanted;
    const starts = full.edges.map((e) => e.start).filter(Boolean).map((d) => fullDate(String(d))).sort();
    const today = Date.parse(isoDay(Date.now()));
    const first = starts.length ? Date.parse(starts[0]) : today - 3650 * DAY;
    slider.min = "0";
    slider.max = String(Math.max(1, Math.round((today - first) / DAY)));
    slider.value = slider.max;
    const current = () => isoDay(first + Number(slider.value) * DAY);
    label.textContent = current();
    const reload = () => show(current()).catch((error) => {
      status.textContent = `The graph could not be loaded: ${error.message}`;
    });
    slider.addEventListener("input", () => { label.textContent = current(); });
    slider.addEventListener("change", reload);
    countrySelect.addEventListener("change", reload);
    isolated.addEventListener("change", reload);
    cy.on("tap", "node", (event) => showNode(event.target));
    find.addEventListener("input", () => {
      const needle = find.value.trim().toLowerCase();
      cy.nodes().removeClass("hit");
      if (!needle) return;
      const hits = cy.nodes().filter((n) => String(n.data("label")).toLowerCase().includes(needle));
      hits.addClass("hit");
      if (hits.length) cy.animate({ fit: { eles: hits.closedNeighborhood(), padding: 60 } }, { duration: 200 });
    });
    await show(current());
  }

  start().catch((error) => {
    status.textContent = `The graph could not be loaded: ${error.message}`;
    container.dataset.state = "error";
  });
})();
