// Draw the cockpit's charts with ECharts from the figures the page embeds as JSON.
(function () {
  "use strict";
  var source = document.getElementById("assess-data");
  if (!source || !window.echarts) { return; }
  var data = JSON.parse(source.textContent);
  // The chart labels in the page's language, from the catalogue.
  var text = JSON.parse(document.getElementById("assess-text").textContent);
  var colours = { green: "#2f7d32", yellow: "#d9a400", red: "#c62828", "": "#7a8a7a" };
  var charts = [];
  window.assessCharts = charts;

  function draw(element, option) {
    var chart = echarts.init(element, null, { renderer: "svg" });
    chart.setOption(option);
    charts.push(chart);
    element.setAttribute("data-drawn", "true");
    return chart;
  }

  document.querySelectorAll("[data-gauge]").forEach(function (element) {
    var row = data.gauges[Number(element.getAttribute("data-gauge"))];
    var share = row.progress === null ? 0 : Math.round(row.progress * 1000) / 10;
    draw(element, {
      series: [{
        type: "gauge", min: 0, max: 100, radius: "95%",
        progress: { show: true, itemStyle: { color: colours[row.colour] } },
        axisLabel: { show: false }, splitLine: { show: false }, axisTick: { show: false },
        detail: { formatter: share + "%", fontSize: 16, offsetCenter: [0, "60%"] },
        data: [{ value: share }]
      }]
    });
  });

  var ranking = document.getElementById("ranking-chart");
  if (ranking && data.ranking.length) {
    var rows = data.ranking.slice().reverse();
    var chart = draw(ranking, {
      grid: { left: 110, right: 40, top: 10, bottom: 20 },
      xAxis: { type: "value", max: 100 },
      yAxis: { type: "category", data: rows.map(function (r) { return r.name; }),
               axisLabel: { fontSize: 11 } },
      tooltip: { trigger: "axis" },
      series: [{ type: "bar", data: rows.map(function (r) { return r.score; }),
                 itemStyle: { color: "#2f7d32" }, label: { show: true, position: "right" } }]
    });
    chart.on("click", function (params) {
      window.location.href = "/assess/" + data.period + "/districts/" + rows[params.dataIndex].code;
    });
  }

  // Districts that have not reported have no score: drawn in a neutral grey, never in the
  // colour of a low score, and named (never shown by code).
  var map = document.getElementById("score-map");
  if (map && data.ranking.length) {
    var unreported = data.unreported || [];
    fetch("/assess/map.json", { credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (cells) {
        var byCode = {};
        data.ranking.concat(unreported).forEach(function (r) { byCode[r.code] = r; });
        cells.features = cells.features.filter(function (feature) {
          return byCode[feature.properties.code];
        });
        cells.features.forEach(function (feature) {
          feature.properties.name = byCode[feature.properties.code].name;
        });
        var missing = {};
        unreported.forEach(function (r) { missing[r.name] = true; });
        echarts.registerMap("chongqing-districts", cells);
        var chart = draw(map, {
          tooltip: { trigger: "item", formatter: function (p) {
            if (missing[p.name]) { return p.name + "：" + text.not_reported; }
            return p.name + "：" + (isNaN(p.value) ? "—" : p.value + " " + text.points); } },
          visualMap: { min: 0, max: 100, calculable: true, left: 0, bottom: 0,
                       inRange: { color: ["#c62828", "#f5d76e", "#2f7d32"] } },
          series: [{ type: "map", map: "chongqing-districts", roam: true,
                     itemStyle: { areaColor: "#d9d9d9" },
                     data: data.ranking.map(function (r) { return { name: r.name, value: r.score }; }) }]
        });
        chart.on("click", function (params) {
          var row = data.ranking.concat(unreported).filter(function (r) {
            return r.name === params.name; })[0];
          if (row) { window.location.href = "/assess/" + data.period + "/districts/" + row.code; }
        });
      });
  }

  var progress = document.getElementById("progress-chart");
  if (progress && data.progress) {
    var scored = data.progress.filter(function (r) { return r.progress !== null; }).reverse();
    draw(progress, {
      grid: { left: 170, right: 40, top: 10, bottom: 20 },
      xAxis: { type: "value", max: 100 },
      yAxis: { type: "category", data: scored.map(function (r) { return r.name; }),
               axisLabel: { fontSize: 11, width: 160, overflow: "truncate" } },
      series: [{ type: "bar", data: scored.map(function (r) {
        return { value: Math.round(r.progress * 1000) / 10, itemStyle: { color: colours[r.colour] } };
      }), label: { show: true, position: "right", formatter: "{c}%" } }]
    });
  }

  var trend = document.getElementById("trend-chart");
  if (trend && data.trend) {
    draw(trend, {
      grid: { left: 60, right: 20, top: 30, bottom: 30 },
      legend: { data: [text.actual, text.target] },
      tooltip: { trigger: "axis" },
      xAxis: { type: "category", data: data.trend.map(function (r) { return String(r.period); }) },
      yAxis: { type: "value", name: data.unit },
      series: [
        { name: text.actual, type: "line", data: data.trend.map(function (r) { return r.value; }) },
        { name: text.target, type: "line", lineStyle: { type: "dashed" },
          data: data.trend.map(function (r) { return r.target; }) }
      ]
    });
  }

  window.addEventListener("resize", function () {
    charts.forEach(function (chart) { chart.resize(); });
  });
})();
