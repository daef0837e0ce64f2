/* The offline basemap for map views: Leaflet with world-atlas country borders, no online tiles.
   WF.basemap(element, status) returns the Leaflet map, or null (with the reason shown in
   `status`) when the vendor libraries are not installed. */
"use strict";

WF.basemap = function (mapEl, status) {
  if (typeof L === "undefined" || typeof topojson === "undefined") {
    status.textContent =
      "The map libraries are not installed: run `make assets` (npm ci) in the checkout, then reload.";
    mapEl.classList.add("map-missing");
    mapEl.dataset.state = "missing";
    return null;
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
  return map;
};
