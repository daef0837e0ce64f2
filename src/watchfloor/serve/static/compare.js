/* The compare page: coverage figures, monthly bars (SVG) and a map of the reference events,
   all from one request to /api/compare. Values are written with textContent only. */
"use strict";

(function () {
  const table = document.getElementById("figures");
  if (!table) return;
  const status = document.getElementById("compare-status");
  const chartBox = document.getElementById("monthly");
  const mapEl = document.getElementById("compare-map");
  const mapStatus = document.getElementById("compare-map-status");
  const KEYS = ["reference", "since", "until", "country"];
  const SVG = "http://www.w3.org/2000/svg";
  const WIDTH = 960;
  const HEIGHT = 220;
  const PAD = { left: 40, right: 8, top: 10, bottom: 26 };
  const MAX_FILLED_MONTHS = 600;

  function query() {
    const here = new URLSearchParams(window.location.search);
    const out = new URLSearchParams();
    for (const key of KEYS) {
      const value = here.get(key);
      if (value) out.set(key, value);
    }
    return out;
  }

  function percent(share) {
    return share === null || share === undefined ? "n/a" : `${(100 * share).toFixed(1)} %`;
  }

  // -- figures -----------------------------------------------------------------------------

  function setRow(name, value, of, raw) {
    const row = table.querySelector(`tr[data-figure="${name}"]`);
    if (!row) return;
    row.cells[1].textContent = value;
    row.cells[2].textContent = of === null || of === undefined ? "" : String(of);
    row.dataset.value = raw === null || raw === undefined ? "" : String(raw);
  }

  function showFigures(data) {
    setRow("reference_events", String(data.reference_events), null, data.reference_events);
    setRow("our_events", String(data.our_events), null, data.our_events);
    setRow("matched", String(data.matched), data.reference_events, data.matched);
    setRow("coverage", percent(data.coverage), data.reference_events, data.coverage);
    setRow(
      "our_events_matched_share",
      percent(data.our_events_matched_share),
      data.our_events,
      data.our_events_matched_share,
    );
    for (const key of ["toll", "admin1_same_unit", "admin1_same_spelling", "admin2_same_unit"]) {
      setRow(key, percent(data[key].share), data[key].compared, data[key].share);
    }
    table.dataset.state = "ready";
  }

  // -- monthly bars --------------------------------------------------------------------------

  function svg(tag, attrs, text) {
    const node = document.createElementNS(SVG, tag);
    for (const [key, value] of Object.entries(attrs || {})) node.setAttribute(key, String(value));
    if (text !== undefined) node.textContent = text;
    return node;
  }

  /** Every month from the first to the last row, so that gaps show as gaps. */
  function monthRange(rows) {
    const out = [];
    let [y, m] = rows[0].month.split("-").map(Number);
    const [ly, lm] = rows[rows.length - 1].month.split("-").map(Number);
    while (y < ly || (y === ly && m <= lm)) {
      out.push(`${y}-${String(m).padStart(2, "0")}`);
      m += 1;
      if (m > 12) {
        m = 1;
        y += 1;
      }
    }
    return out.length > MAX_FILLED_MONTHS ? rows.map((row) => row.month) : out;
  }

  function drawMonthly(rows, dataset) {
    chartBox.textContent = "";
    if (!rows.length) {
      chartBox.append(WF.el("p", { class: "muted", text: "No dated events for these filters." }));
      chartBox.dataset.bars = "0";
      chartBox.dataset.state = "ready";
      return;
    }
    const byMonth = new Map(rows.map((row) => [row.month, row]));
    const months = monthRange(rows);
    const peak = Math.max(1, ...rows.map((row) => Math.max(row.reference, row.ours)));
    const plotW = WIDTH - PAD.left - PAD.right;
    const plotH = HEIGHT - PAD.top - PAD.bottom;
    const step = plotW / months.length;
    const half = Math.max(0.5, step * 0.42);
    // A month with one event among hundreds still shows: at least 2 px for any count.
    const height = (n) => (n > 0 ? Math.max(2, (n / peak) * plotH) : 0);
    const base = PAD.top + plotH;
    const chart = svg("svg", { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: "img", class: "monthly-svg" });
    chart.append(svg("title", {}, `${dataset} events, matched events and our events per month`));
    for (const tick of [...new Set([0, Math.round(peak / 2), peak])]) {
      const y = base - (tick / peak) * plotH;
      chart.append(svg("line", { x1: PAD.left, x2: WIDTH - PAD.right, y1: y, y2: y, class: "grid" }));
      chart.append(svg("text", { x: PAD.left - 4, y: y + 4, class: "axis", "text-anchor": "end" }, String(tick)));
    }
    let bars = 0;
    const labelEvery = Math.max(1, Math.ceil(months.length / 12));
    months.forEach((month, i) => {
      const x = PAD.left + i * step + (step - 2 * half) / 2;
      const row = byMonth.get(month);
      if (row) {
        const group = svg("g", {
          class: "month",
          tabindex: 0,
          "data-month": month,
          "data-reference": row.reference,
          "data-matched": row.matched,
          "data-ours": row.ours,
        });
        group.append(svg("title", {},
          `${month}: ${row.reference} ${dataset} event(s), ${row.matched} matched; ` +
          `${row.ours} of our event(s)`));
        const bar = (cls, left, n) =>
          svg("rect", { class: cls, x: left, y: base - height(n), width: half, height: height(n) });
        group.append(
          bar("cmp-reference", x, row.reference),
          bar("cmp-matched", x, row.matched),
          bar("cmp-ours", x + half, row.ours),
        );
        chart.append(group);
        bars += 1;
      }
      if (i % labelEvery === 0) {
        chart.append(svg("text", { x: x + half, y: HEIGHT - 8, class: "axis", "text-anchor": "middle" }, month));
      }
    });
    chartBox.append(chart);
    chartBox.dataset.bars = String(bars);
    chartBox.dataset.state = "ready";
  }

  // -- map -----------------------------------------------------------------------------------

  function popup(p, dataset) {
    const deaths = p.deaths;
    const range = deaths.low === deaths.high ? `${deaths.best ?? "–"}` :
      `${deaths.best ?? "–"} (${deaths.low ?? "?"}–${deaths.high ?? "?"})`;
    const root = WF.el("div", { class: "popup" },
      WF.el("strong", { text: `${dataset} ${p.id}` }),
      WF.el("div", { text: `${p.date}${p.date_end !== p.date ? ` to ${p.date_end}` : ""} · ${p.place || "unnamed place"}` }),
      WF.el("div", { text: p.actors.length ? p.actors.join(" vs ") : "actors not given" }),
      WF.el("div", { text: `deaths ${range}` }),
    );
    if (p.our_id !== null) {
      root.append(WF.el("a", { href: `/events/${encodeURIComponent(p.our_id)}`, text: `matched: our event ${p.our_id}` }));
    } else {
      root.append(WF.el("div", { class: "muted", text: "not in watchfloor" }));
    }
    return root;
  }

  function drawMap(map, data, dataset) {
    // The borders arrive later and fill the land opaquely in the overlay pane; the dots get a
    // pane of their own above it so that they are never hidden.
    if (!map.getPane("reference")) map.createPane("reference").style.zIndex = "450";
    const renderer = L.canvas({ padding: 0.3, pane: "reference" });
    const missed = L.layerGroup();
    const matched = L.layerGroup();
    const bounds = [];
    let hits = 0;
    for (const p of data.points) {
      const hit = p.matched;
      const dot = L.circleMarker([p.lat, p.lon], {
        renderer,
        radius: hit ? 6 : 3,
        color: hit ? "#7b1f16" : "#8a8a8a",
        weight: 1,
        fillColor: hit ? "#c0392b" : "#b0b0b0",
        fillOpacity: hit ? 0.9 : 0.6,
      });
      dot.bindPopup(() => popup(p, dataset));
      (hit ? matched : missed).addLayer(dot);
      bounds.push([p.lat, p.lon]);
      if (hit) hits += 1;
    }
    missed.addTo(map);
    matched.addTo(map); // drawn last: on top of the missed ones
    L.control
      .layers(null, { [`matched (${hits})`]: matched, [`not in watchfloor (${bounds.length - hits})`]: missed }, { collapsed: false })
      .addTo(map);
    if (bounds.length) map.fitBounds(L.latLngBounds(bounds).pad(0.1), { maxZoom: 8 });
    let text = `${bounds.length} located ${dataset} event(s) on the map, ${hits} matched`;
    if (data.points_total > bounds.length) text += `; the first ${bounds.length} of ${data.points_total} shown`;
    if (data.unlocated) text += `; ${data.unlocated} without coordinates`;
    mapStatus.textContent = `${text}.`;
    mapEl.dataset.matched = String(hits);
    mapEl.dataset.unmatched = String(bounds.length - hits);
    mapEl.dataset.state = "ready";
  }

  // -- load ----------------------------------------------------------------------------------

  const params = query();
  const url = `/api/compare?${params}`;
  document.getElementById("compare-json").setAttribute("href", url);
  const map = WF.basemap(mapEl, mapStatus);
  WF.getJSON(url)
    .then((data) => {
      const dataset = data.dataset.toUpperCase();
      showFigures(data);
      drawMonthly(data.monthly, dataset);
      if (map) drawMap(map, data, dataset);
      status.textContent = data.hint ||
        `${data.matched} of ${data.reference_events} ${dataset} event(s) matched by ` +
        `${data.our_events} of our event(s).`;
    })
    .catch((error) => {
      status.textContent = `The comparison could not be loaded: ${error.message}`;
      table.dataset.state = "error";
      chartBox.dataset.state = "error";
      if (map) mapEl.dataset.state = "error";
    });
})();
