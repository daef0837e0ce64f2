/* The timeline: events per month, stacked by event type, drawn as SVG. A click on a month
   filters the page to that month. */
"use strict";

(function () {
  const box = document.getElementById("timeline");
  const legend = document.getElementById("timeline-legend");
  if (!box) return;
  const SVG = "http://www.w3.org/2000/svg";
  const WIDTH = 960;
  const HEIGHT = 180;
  const PAD = { left: 34, right: 8, top: 8, bottom: 26 };

  function svg(tag, attrs) {
    const node = document.createElementNS(SVG, tag);
    for (const [key, value] of Object.entries(attrs || {})) node.setAttribute(key, String(value));
    return node;
  }

  function monthsBetween(first, last) {
    const out = [];
    let [y, m] = first.split("-").map(Number);
    const [ly, lm] = last.split("-").map(Number);
    while (y < ly || (y === ly && m <= lm)) {
      out.push(`${y}-${String(m).padStart(2, "0")}`);
      m += 1;
      if (m > 12) {
        m = 1;
        y += 1;
      }
    }
    return out;
  }

  function lastDay(month) {
    const [y, m] = month.split("-").map(Number);
    return `${month}-${String(new Date(Date.UTC(y, m, 0)).getUTCDate()).padStart(2, "0")}`;
  }

  function draw(stats) {
    box.textContent = "";
    legend.textContent = "";
    if (!stats.by_month.length) {
      box.append(WF.el("p", { class: "muted", text: "No dated events match." }));
      box.dataset.bars = "0";
      return;
    }
    const counts = new Map(stats.by_month.map((row) => [row.month, row]));
    let months = monthsBetween(stats.by_month[0].month, stats.by_month[stats.by_month.length - 1].month);
    if (months.length > 360) months = stats.by_month.map((row) => row.month); // centuries: skip gaps
    const types = Object.keys(stats.by_type);
    const peak = Math.max(...stats.by_month.map((row) => row.total));
    const plotW = WIDTH - PAD.left - PAD.right;
    const plotH = HEIGHT - PAD.top - PAD.bottom;
    const step = plotW / months.length;
    const barW = Math.max(1, step * 0.8);
    const chart = svg("svg", { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: "img", class: "timeline-svg" });
    const title = svg("title");
    title.textContent = "Events per month by type";
    chart.append(title);
    for (const tick of [0, Math.ceil(peak / 2), peak]) {
      const y = PAD.top + plotH - (tick / peak) * plotH;
      chart.append(svg("line", { x1: PAD.left, x2: WIDTH - PAD.right, y1: y, y2: y, class: "grid" }));
      const label = svg("text", { x: PAD.left - 4, y: y + 4, class: "axis", "text-anchor": "end" });
      label.textContent = String(tick);
      chart.append(label);
    }
    let bars = 0;
    const labelEvery = Math.max(1, Math.ceil(months.length / 12));
    months.forEach((month, i) => {
      const x = PAD.left + i * step + (step - barW) / 2;
      const row = counts.get(month);
      let y = PAD.top + plotH;
      if (row) {
        const group = svg("g", { class: "bar", "data-month": month, tabindex: 0 });
        const tip = svg("title");
        tip.textContent = `${month}: ${row.total} event(s)\n` +
          Object.entries(row.by_type).map(([t, n]) => `${t}: ${n}`).join("\n");
        group.append(tip);
        for (const [type, n] of Object.entries(row.by_type)) {
          const h = (n / peak) * plotH;
          y -= h;
          group.append(svg("rect", { x, y, width: barW, height: h, class: `seg type-${WF.slug(type)}` }));
        }
        const go = () => {
          const query = WF.filterQuery();
          query.set("since", `${month}-01`);
          query.set("until", lastDay(month));
          window.location.search = query.toString();
        };
        group.addEventListener("click", go);
        group.addEventListener("keydown", (event) => {
          if (event.key === "Enter") go();
        });
        chart.append(group);
        bars += 1;
      }
      if (i % labelEvery === 0) {
        const label = svg("text", { x: x + barW / 2, y: HEIGHT - 8, class: "axis", "text-anchor": "middle" });
        label.textContent = month;
        chart.append(label);
      }
    });
    box.append(chart);
    box.dataset.bars = String(bars);
    for (const type of types) {
      legend.append(
        WF.el("span", { class: "legend-item" },
          WF.el("span", { class: `swatch type-${WF.slug(type)}` }),
          `${type} (${stats.by_type[type]})`),
      );
    }
    if (stats.undated) legend.append(WF.el("span", { class: "muted", text: ` ${stats.undated} undated` }));
  }

  WF.getJSON(`/api/stats?${WF.filterQuery()}`)
    .then(draw)
    .catch((error) => {
      box.textContent = `The timeline could not be loaded: ${error.message}`;
    });
})();
