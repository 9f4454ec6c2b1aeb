// The map of open alerts: one circle per village, larger for more open alerts, red where a
// case is overdue; the legend is the page's own, below the map. The cockpit's schematic
// district cells are only a backdrop to find one's way, so the points are drawn even when
// the backdrop cannot be loaded.
(function () {
  "use strict";
  var element = document.getElementById("alert-map");
  if (!element || !window.echarts) { return; }
  var labels = JSON.parse(document.getElementById("alert-map-labels").textContent);
  var colours = { overdue: "#c62828", pending: "#c77700" };

  function getJson(url) {
    return fetch(url, { credentials: "same-origin" }).then(function (response) {
      if (!response.ok) { throw new Error(url + " " + response.status); }
      return response.json();
    });
  }

  function size(total, largest) {
    // Area, not radius, grows with the count, so that a village with four times the
    // alerts does not look sixteen times as large.
    return 8 + 28 * Math.sqrt(total / largest);
  }

  function bounds(points) {
    var lons = points.map(function (p) { return p.lon; });
    var lats = points.map(function (p) { return p.lat; });
    var west = Math.min.apply(null, lons), east = Math.max.apply(null, lons);
    var south = Math.min.apply(null, lats), north = Math.max.apply(null, lats);
    // At least a town's width around the points, so that one village still shows its district.
    var pad = Math.max(0.15, 0.1 * Math.max(east - west, north - south));
    return [[west - pad, north + pad], [east + pad, south - pad]];
  }

  function item(point, largest) {
    var shown = {
      name: point.name,
      value: [point.lon, point.lat, point.total],
      symbolSize: size(point.total, largest),
      point: point
    };
    if (point.placed_by_town) {
      shown.itemStyle = { opacity: 0.55, borderColor: "#333", borderWidth: 1, borderType: "dashed" };
    }
    return shown;
  }

  function tooltip(params) {
    var p = params.data.point;
    var lines = [
      "<strong>" + echarts.format.encodeHTML(p.town + " " + p.name) + "</strong>",
      labels.waiting + " " + p.waiting,
      labels.identifying + " " + p.identifying + (p.overdue ? "（" + labels.late + " " + p.overdue + "）" : "")
    ];
    if (p.placed_by_town) { lines.push(labels.by_town); }
    return lines.join("<br>");
  }

  function series(name, points, colour, largest) {
    return {
      name: name, type: "scatter", coordinateSystem: "geo", color: colour,
      data: points.map(function (p) { return item(p, largest); })
    };
  }

  function draw(found, cells) {
    var points = found.points.slice().sort(function (a, b) { return b.total - a.total; });
    element.setAttribute("data-villages", String(points.length));
    if (!points.length) {
      element.classList.add("empty");
      element.textContent = labels.none;
      element.setAttribute("data-drawn", "empty");
      return;
    }
    cells.features.forEach(function (feature) { feature.properties.name = feature.properties.code; });
    echarts.registerMap("monitor-districts", cells);
    var largest = points[0].total;
    var chart = echarts.init(element);
    chart.setOption({
      animation: false,  // circles growing in say nothing, and cost a slow phone
      tooltip: { trigger: "item", formatter: tooltip },
      geo: {
        map: "monitor-districts", roam: true, silent: true, boundingCoords: bounds(points),
        itemStyle: { areaColor: "#f3f6f1", borderColor: "#b9c4b6" }
      },
      series: [
        series(labels.overdue, points.filter(function (p) { return p.overdue > 0; }), colours.overdue, largest),
        series(labels.pending, points.filter(function (p) { return p.overdue === 0; }), colours.pending, largest)
      ]
    });
    chart.on("click", { seriesType: "scatter" }, function (params) {
      window.location.href = "/apps/monitor?village=" + encodeURIComponent(params.data.point.code);
    });
    window.addEventListener("resize", function () { chart.resize(); });
    window.monitorMap = chart;
    element.setAttribute("data-drawn", "true");
  }

  var backdrop = getJson("/assess/map.json").catch(function () {
    return { type: "FeatureCollection", features: [] };
  });
  Promise.all([getJson("/monitor/alert-map.json"), backdrop])
    .then(function (loaded) { draw(loaded[0], loaded[1]); })
    .catch(function () { element.textContent = labels.failed; });
})();
