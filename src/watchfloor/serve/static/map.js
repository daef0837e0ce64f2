/* The map page: country borders from world-atlas (no online tiles), clustered events. */
"use strict";

(function () {
  const PAGE = 500;
  const CAP = 10000;
  const mapEl = document.getElementById("map");
  const status = document.getElementById("map-status");
  if (!mapEl) return;

  if (typeof L === "undefined" || typeof topojson === "undefined" || !L.markerClusterGroup) {
    status.textContent =
      "The map libraries are not installed: run `make assets` (npm ci) in the checkout, then reload.";
    mapEl.classList.add("map-missing");
    mapEl.dataset.state = "missing";
    return;
  }

  const map = L.map(mapEl, { worldCopyJump: true, minZoom: 2, maxZoom: 12 }).setView([28, 45], 3);
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution("Borders: Natural Earth via world-atlas");

  WF.getJSON("/vendor/world-atlas/countries-50m.json")
    .then((topology) => {
      const borders = topojson.feature(topology, topology.objects.countries);
      L.geoJSON(borders, {
        interactive: false,
        style: { color: "#7d8791", weight: 0.6, fillColor: "#f4f1ea", fillOpacity: 1 },
      }).addTo(map);
      mapEl.dataset.borders = String(borders.features.length);
    })
    .catch((error) => {
      status.textContent = `Country borders could not be loaded: ${error.message}`;
    });

  function popup(p) {
    const root = WF.el("div", { class: "popup" });
    root.append(
      WF.el("a", { href: `/events/${encodeURIComponent(p.id)}`, text: `${p.event_type} / ${p.sub_event_type}` }),
      WF.el("div", { text: `${p.date || "undated"} · ${p.place || "unknown place"}` }),
      WF.el("div", { text: p.perpetrator ? `by ${p.perpetrator}` : "perpetrator not identified" }),
      WF.el("div", {
        text: `killed ${p.fatalities ?? "–"}, wounded ${p.injuries ?? "–"}`,
      }),
    );
    if (p.title) root.append(WF.el("div", { class: "muted", text: p.title }));
    return root;
  }

  function marker(feature) {
    const [lon, lat] = feature.geometry.coordinates;
    const p = feature.properties;
    const icon = L.divIcon({ className: `ev-dot type-${WF.slug(p.event_type)}`, iconSize: [14, 14] });
    const m = L.marker([lat, lon], { icon, title: `${p.date || ""} ${p.place || ""}`.trim(), keyboard: true });
    m.bindPopup(() => popup(p));
    return m;
  }

  async function load() {
    const cluster = L.markerClusterGroup({ showCoverageOnHover: false, maxClusterRadius: 40 });
    map.addLayer(cluster);
    const query = WF.filterQuery();
    query.set("limit", String(PAGE));
    const markers = [];
    let offset = 0;
    let total = 0;
    let undated = 0;
    do {
      query.set("offset", String(offset));
      const page = await WF.getJSON(`/api/events.geojson?${query}`);
      total = page.total;
      for (const feature of page.features) {
        if (feature.geometry) markers.push(marker(feature));
        else undated += 1;
      }
      if (page.count === 0) break;
      offset += page.count;
    } while (offset < total && offset < CAP);
    cluster.addLayers(markers);
    if (markers.length) map.fitBounds(cluster.getBounds().pad(0.3), { maxZoom: 7 });
    let text = `${markers.length} event(s) on the map`;
    if (undated) text += `, ${undated} without coordinates`;
    if (offset < total) text += `; the first ${offset} of ${total} loaded`;
    status.textContent = `${text}.`;
    mapEl.dataset.markers = String(markers.length);
    mapEl.dataset.state = "ready";
  }

  load().catch((error) => {
    status.textContent = `Events could not be loaded: ${error.message}`;
    mapEl.dataset.state = "error";
  });
})();
