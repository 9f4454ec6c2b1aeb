// The one map: fetches what to draw for the current view and the statistics beside it.
(function () {
  "use strict";
  const config = JSON.parse(document.getElementById("map-config").textContent);
  const text = JSON.parse(document.getElementById("map-text").textContent);
  const element = document.getElementById("land-map");
  const map = L.map(element, { preferCanvas: true, zoomSnap: 1 });
  if (config.tiles) L.tileLayer(config.tiles, { maxZoom: 19 }).addTo(map);
  const [west, south, east, north] = config.extent;
  map.fitBounds([[south, west], [north, east]]);
  let layerKey = "kind";

  function parcelStyle(feature) {
    const layer = config.layers[layerKey];
    const found = layer.classes[feature.properties[layer.prop]];
    return { color: "#ffffff", weight: 0.6, fillColor: found ? found[1] : "#9e9e9e", fillOpacity: 0.9 };
  }
  const parcels = L.geoJSON(null, {
    style: parcelStyle,
    onEachFeature: (feature, shape) => shape.on("click", () => showCard(feature.properties.code)),
  }).addTo(map);
  const zones = L.geoJSON(null, {
    interactive: false,
    style: (f) => ({ color: config.zoneColours[f.properties.kind] || "#333", weight: 2, fill: false, dashArray: "6 4" }),
  }).addTo(map);
  const villages = L.geoJSON(null, {
    pointToLayer: (feature, at) => L.circleMarker(at, {
      radius: 3 + Math.min(9, Math.sqrt(feature.properties.parcels) / 4),
      color: "#33691e", weight: 1, fillColor: "#7cb342", fillOpacity: 0.8,
    }),
    onEachFeature: (feature, marker) => {
      const p = feature.properties;
      marker.bindTooltip(`${p.name}：${p.parcels} ${text.parcels}`);
      marker.on("click", () => map.setView(marker.getLatLng(), config.parcelZoom));
    },
  }).addTo(map);

  function viewBox() {
    const b = map.getBounds();
    return [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map((v) => v.toFixed(6)).join(",");
  }
  function query(extra) {
    return new URLSearchParams({ bbox: viewBox(), zoom: map.getZoom(), region: config.region, ...extra }).toString();
  }

  let latest = 0;
  async function refresh() {
    const ticket = ++latest;
    const [drawing, figures] = await Promise.all([
      fetch(`/api/land/map?${query()}`).then((r) => r.json()),
      fetch(`/api/land/map/stats?${query()}`).then((r) => r.json()),
    ]);
    if (ticket !== latest) return;  // a newer view is on its way
    parcels.clearLayers(); villages.clearLayers(); zones.clearLayers();
    (drawing.mode === "parcels" ? parcels : villages).addData(drawing.features);
    if (document.getElementById("show-zones").checked) zones.addData(drawing.zones);
    element.dataset.mode = drawing.mode;
    const count = drawing.features.features.length;
    element.dataset.drawn = String(count);
    const zoomedOut = drawing.mode !== "parcels";
    document.getElementById("map-mode").textContent = zoomedOut
      ? (map.getZoom() >= config.parcelZoom ? text.too_many : text.villages) : `${count} ${text.parcels}`;
    showFigures(document.getElementById("view-stats"), figures);
    document.getElementById("stats-time").textContent = (figures.computed_at || "").slice(0, 16).replace("T", " ");
    document.getElementById("export-png").href = `/land/map.png?${query({ layer: layerKey })}`;
  }

  function shown(value, percent) {
    if (value === null || value === undefined || value === "") return text.none;
    if (value === true) return text.yes;
    if (value === false) return text.no;
    if (percent) return `${(value * 100).toFixed(1)}%`;
    return typeof value === "number" ? value.toLocaleString("zh-CN") : String(value);
  }
  function showFigures(container, data) {
    container.querySelectorAll("[data-field]").forEach((cell) => {
      cell.textContent = shown(data[cell.dataset.field], cell.hasAttribute("data-percent"));
    });
  }

  async function showCard(code) {
    const response = await fetch(`/api/land/parcels/${encodeURIComponent(code)}`);
    const data = await response.json();
    const card = document.getElementById("parcel-card");
    showFigures(card, data);
    const list = document.getElementById("parcel-links");
    list.replaceChildren();
    const links = data.links.map((l) => `${l.from} —${l.relation}→ ${l.to}`);
    for (const line of links.length ? links : [text.none]) {
      const item = document.createElement("li");
      item.textContent = line;
      list.append(item);
    }
    card.hidden = false;
    card.scrollIntoView({ block: "nearest" });
  }

  function showLegend() {
    const layer = config.layers[layerKey];
    const legend = document.getElementById("legend");
    legend.replaceChildren();
    for (const [label, colour] of Object.values(layer.classes)) {
      const row = document.createElement("div");
      const swatch = document.createElement("span");
      swatch.className = "swatch";
      swatch.style.background = colour;
      row.append(swatch, label);
      legend.append(row);
    }
  }

  document.querySelectorAll("input[name=layer]").forEach((input) => input.addEventListener("change", () => {
    layerKey = input.value;
    parcels.setStyle(parcelStyle);
    showLegend();
    document.getElementById("export-png").href = `/land/map.png?${query({ layer: layerKey })}`;
  }));
  document.getElementById("show-zones").addEventListener("change", refresh);
  let timer = null;
  map.on("moveend", () => { clearTimeout(timer); timer = setTimeout(refresh, 150); });
  window.landMap = { map, parcels };  // for the browser tests: where a parcel is on screen
  showLegend();
  refresh();
})();
