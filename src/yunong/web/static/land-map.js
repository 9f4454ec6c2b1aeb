// The one map: region outlines under the parcels, the statistics beside them, a parcel's card
// (beside the map on a desktop, a bottom sheet on a phone) and the list of the parcels in view.
(function () {
  "use strict";
  const config = JSON.parse(document.getElementById("map-config").textContent);
  const text = JSON.parse(document.getElementById("map-text").textContent);
  const element = document.getElementById("land-map");
  const map = L.map(element, { preferCanvas: true, zoomSnap: 1 });
  if (config.tiles) L.tileLayer(config.tiles, { maxZoom: 19 }).addTo(map);
  const [west, south, east, north] = config.extent;
  map.fitBounds([[south, west], [north, east]]);
  // A visit's position on a household's page links here as ?at=lat,lon: open the map there.
  const at = (new URLSearchParams(location.search).get("at") || "").split(",").map(Number);
  if (at.length === 2 && at.every(Number.isFinite)) {
    map.setView(at, Math.max(config.parcelZoom, 16));
    L.circleMarker(at, { radius: 8, color: "#c62828", weight: 3, fillOpacity: 0.2, interactive: false }).addTo(map);
  }
  let layerKey = "kind";

  // Outlines lie under the parcels (overlayPane is 400) and names above them, neither taking clicks.
  map.createPane("outlines").style.zIndex = 350;
  map.getPane("outlines").style.pointerEvents = "none";
  map.createPane("names").style.zIndex = 450;
  map.getPane("names").style.pointerEvents = "none";
  // The caller's own level frames the map (a heavy line, the land inside it lighter); the
  // finest level drawn is dotted, any level between them dashed.
  const OUTLINE_STYLES = {
    frame: { color: "#5d4037", weight: 2.6, fillColor: "#fffdf6", fillOpacity: 0.6 },
    between: { color: "#795548", weight: 1.6, dashArray: "8 4", fillOpacity: 0 },
    finest: { color: "#8d6e63", weight: 1, dashArray: "3 3", fillOpacity: 0 },
  };
  let drawnLevels = { top: 0, finest: 0 };
  function outlineStyle(feature) {
    const level = feature.properties.level;
    if (level === drawnLevels.top) return OUTLINE_STYLES.frame;
    return level === drawnLevels.finest ? OUTLINE_STYLES.finest : OUTLINE_STYLES.between;
  }
  const outlines = L.geoJSON(null, {
    pane: "outlines",
    renderer: L.canvas({ pane: "outlines" }),
    interactive: false,
    style: outlineStyle,
  }).addTo(map);
  const names = L.layerGroup().addTo(map);

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
  // Other applications' layers (e.g. high-standard farmland projects): coloured by their
  // class, solid when finished (accepted), dashed while under way; a click opens their card.
  const overlayConfig = config.overlays || {};
  const overlays = {};
  for (const [key, overlay] of Object.entries(overlayConfig)) {
    overlays[key] = L.geoJSON(null, {
      style: (f) => {
        const found = overlay.classes[f.properties[overlay.prop]];
        const colour = found ? found[1] : "#455a64";
        const done = f.properties.accepted;
        // Over parcels only the outline is drawn (and takes clicks), so the parcels keep theirs.
        const fill = element.dataset.mode !== "parcels";
        return { color: colour, weight: done ? 3 : 2.5, dashArray: done ? null : "6 4", fill, fillColor: colour, fillOpacity: done ? 0.3 : 0.1 };
      },
      onEachFeature: (feature, shape) => shape.on("click", (event) => {
        L.DomEvent.stopPropagation(event);
        showOverlayCard(key, feature.properties);
      }),
    }).addTo(map);
  }
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
  function viewQuery(extra) {
    return new URLSearchParams({ bbox: viewBox(), region: config.region, ...extra }).toString();
  }
  const json = (url) => fetch(url).then((r) => r.json());

  let latest = 0;
  async function refresh() {
    const ticket = ++latest;
    const [drawing, figures, regions] = await Promise.all([
      json(`/api/land/map?${query()}`),
      json(`/api/land/map/stats?${query()}`),
      json(`/api/land/boundaries?${query()}`),
    ]);
    if (ticket !== latest) return;  // a newer view is on its way
    parcels.clearLayers(); villages.clearLayers(); zones.clearLayers();
    (drawing.mode === "parcels" ? parcels : villages).addData(drawing.features);
    if (selected) select(selected);
    if (document.getElementById("show-zones").checked) zones.addData(drawing.zones);
    element.dataset.mode = drawing.mode;
    for (const [key, layer] of Object.entries(overlays)) {
      layer.clearLayers();
      const shown = document.getElementById(`show-${key}`).checked && drawing[key];
      if (shown) layer.addData(drawing[key]);
      element.dataset[key] = String(shown ? drawing[key].features.length : 0);
    }
    showOutlines(regions);
    element.dataset.mode = drawing.mode;
    const count = drawing.features.features.length;
    element.dataset.drawn = String(count);
    const zoomedOut = drawing.mode !== "parcels";
    document.getElementById("map-mode").textContent = zoomedOut
      ? (map.getZoom() >= config.parcelZoom ? text.too_many : text.villages) : `${count} ${text.parcels}`;
    showFigures(document.getElementById("view-stats"), figures);
    document.getElementById("stats-time").textContent = (figures.computed_at || "").slice(0, 16).replace("T", " ");
    document.getElementById("export-png").href = `/land/map.png?${query({ layer: layerKey })}`;
    document.getElementById("export-xlsx").href = `/land/parcels.xlsx?${viewQuery()}`;
    if (listBox.open) loadList(1);
  }

  function showOutlines(regions) {
    outlines.clearLayers(); names.clearLayers();
    element.dataset.outlines = "0";
    if (!document.getElementById("show-boundaries").checked) return;
    const levels = regions.features.map((f) => f.properties.level);
    drawnLevels = { top: Math.min(...levels), finest: Math.max(...levels) };
    outlines.addData(regions);
    for (const feature of regions.features) {
      const at = feature.properties.label;
      if (!at) continue;
      const label = document.createElement("span");
      label.textContent = feature.properties.name;
      const icon = L.divIcon({ className: `region-name level-${feature.properties.level}`, html: label, iconSize: null });
      names.addLayer(L.marker([at[1], at[0]], { icon, pane: "names", interactive: false, keyboard: false }));
    }
    element.dataset.outlines = String(regions.features.length);
  }

  function shown(value, cell) {
    if (value === null || value === undefined || value === "") return text.none;
    if (value === true) return text.yes;
    if (value === false) return text.no;
    if (cell.hasAttribute("data-percent")) return `${(value * 100).toFixed(1)}%`;
    if (cell.hasAttribute("data-year")) return String(value);
    return typeof value === "number" ? value.toLocaleString("zh-CN") : String(value);
  }
  function showFigures(container, data) {
    container.querySelectorAll("[data-field]").forEach((cell) => {
      cell.textContent = shown(data[cell.dataset.field], cell);
    });
  }

  const card = document.getElementById("parcel-card");
  let selected = null;  // the code of the parcel whose card is open, outlined on the map
  function select(code) {
    selected = code;
    parcels.setStyle(parcelStyle);
    const shape = parcels.getLayers().find((l) => l.feature.properties.code === code);
    if (shape) shape.setStyle({ color: "#212121", weight: 3 }).bringToFront();
  }
  async function showCard(code) {
    const response = await fetch(`/api/land/parcels/${encodeURIComponent(code)}`);
    const data = await response.json();
    showFigures(card, data);
    const list = document.getElementById("parcel-links");
    list.replaceChildren();
    const links = data.links.map((l) => `${l.from} —${l.relation}→ ${l.to}`);
    for (const line of links.length ? links : [text.none]) {
      const item = document.createElement("li");
      item.textContent = line;
      list.append(item);
    }
    select(code);
    overlayCard.hidden = true;
    card.hidden = false;
    card.scrollTop = 0;
    // On a phone the card is a sheet over the map's foot; on a desktop it heads the side panel.
    if (getComputedStyle(card).position !== "fixed") card.scrollIntoView({ block: "nearest" });
  }
  document.getElementById("parcel-card-close").addEventListener("click", () => {
    card.hidden = true;
    select(null);
  });

  const overlayCard = document.getElementById("overlay-card");
  function showOverlayCard(key, properties) {
    const overlay = overlayConfig[key];
    const labelled = { ...properties };
    const found = overlay.classes[properties[overlay.prop]];
    if (found) labelled[overlay.prop] = found[0];
    if (properties.step in overlay.labels) labelled.step = overlay.labels[properties.step];
    showFigures(overlayCard, labelled);
    card.hidden = true;
    document.getElementById("overlay-card-link").href = overlay.link.replace("{}", encodeURIComponent(properties.number));
    overlayCard.hidden = false;
    overlayCard.scrollTop = 0;
    if (getComputedStyle(overlayCard).position !== "fixed") overlayCard.scrollIntoView({ block: "nearest" });
  }
  document.getElementById("overlay-card-close").addEventListener("click", () => { overlayCard.hidden = true; });

  const listBox = document.getElementById("parcel-list-box");
  const listArea = document.getElementById("parcel-list");
  let listTicket = 0;
  async function loadList(page) {
    const ticket = ++listTicket;
    listArea.setAttribute("aria-busy", "true");
    const response = await fetch(`/land/parcels?${viewQuery({ page })}`);
    const html = await response.text();
    if (ticket !== listTicket) return;
    listArea.innerHTML = html;  // our own server's fragment, escaped by its templates
    listArea.removeAttribute("aria-busy");
  }
  listBox.addEventListener("toggle", () => { if (listBox.open) loadList(1); });
  listArea.addEventListener("click", (event) => {
    const pager = event.target.closest("button[data-page]");
    if (pager) loadList(Number(pager.dataset.page));
    const row = event.target.closest("button[data-card]");
    if (row) showCard(row.dataset.card);
  });

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
    // Each overlay's classes as outlines: solid once accepted, dashed while under way.
    for (const [key, overlay] of Object.entries(overlayConfig)) {
      if (!document.getElementById(`show-${key}`).checked) continue;
      for (const [label, colour] of Object.values(overlay.classes)) {
        const row = document.createElement("div");
        const swatch = document.createElement("span");
        swatch.className = "swatch outline";
        swatch.style.borderColor = colour;
        row.append(swatch, `${overlay.name}：${label}`);
        legend.append(row);
      }
    }
    const note = document.createElement("div");
    note.className = "map-note";
    note.textContent = Object.keys(overlayConfig).length ? text.overlay_note : "";
    legend.append(note);
  }

  document.querySelectorAll("input[name=layer]").forEach((input) => input.addEventListener("change", () => {
    layerKey = input.value;
    select(selected);
    showLegend();
    document.getElementById("export-png").href = `/land/map.png?${query({ layer: layerKey })}`;
  }));
  document.getElementById("show-zones").addEventListener("change", refresh);
  document.getElementById("show-boundaries").addEventListener("change", refresh);
  document.querySelectorAll("input.show-overlay").forEach((input) => input.addEventListener("change", () => { showLegend(); refresh(); }));
  let timer = null;
  map.on("moveend", () => { clearTimeout(timer); timer = setTimeout(refresh, 150); });
  window.landMap = { map, parcels, outlines, overlays };  // for the browser tests: what is drawn where
  showLegend();
  refresh();
})();
