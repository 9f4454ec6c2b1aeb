// Draw 产业大脑's charts with ECharts from the figures the page embeds as JSON.
(function () {
  "use strict";
  var source = document.getElementById("industry-data");
  if (!source || !window.echarts) { return; }
  var data = JSON.parse(source.textContent);
  var text = JSON.parse(document.getElementById("industry-text").textContent);

  function draw(element, option) {
    var chart = echarts.init(element, null, { renderer: "svg" });
    chart.setOption(option);
    element.setAttribute("data-drawn", "true");
    window.addEventListener("resize", function () { chart.resize(); });
    return chart;
  }

  function line(points, extra) {
    return Object.assign({
      grid: { left: 48, right: 16, top: 16, bottom: 28 },
      tooltip: { trigger: "axis" },
      xAxis: { type: "category", data: points.map(function (p) { return p[0]; }) },
      yAxis: { type: "value", scale: true },
      series: [{ type: "line", showSymbol: false, data: points.map(function (p) { return p[1]; }),
                 itemStyle: { color: "#2f7d32" } }]
    }, extra || {});
  }

  document.querySelectorAll("[data-chain]").forEach(function (element) {
    var points = (data.chains || [])[Number(element.getAttribute("data-chain"))] || [];
    if (points.length) { draw(element, line(points)); }
  });
  document.querySelectorAll("[data-series]").forEach(function (element) {
    var series = (data.series || [])[Number(element.getAttribute("data-series"))];
    if (series && series.points.length) { draw(element, line(series.points)); }
  });

  var ratio = document.getElementById("ratio-chart");
  if (ratio && data.ratio && data.ratio.length) {
    var option = line(data.ratio);
    option.series[0].name = text.ratio;
    option.series[0].markLine = {
      symbol: "none",
      data: [
        { yAxis: data.level3_below, name: text.level3, lineStyle: { color: "#d9a400" } },
        { yAxis: data.level1_below, name: text.level1, lineStyle: { color: "#c62828" } }
      ]
    };
    draw(ratio, option);
  }

  var floors = document.getElementById("floors-chart");
  if (floors && data.floors && data.floors.length) {
    draw(floors, {
      grid: { left: 110, right: 48, top: 16, bottom: 28 },
      tooltip: { trigger: "axis" },
      xAxis: { type: "value", name: "%", max: function (v) { return Math.max(120, Math.ceil(v.max)); } },
      yAxis: { type: "category", data: data.floors.map(function (f) { return f.name; }) },
      series: [{
        type: "bar", name: text.share,
        data: data.floors.map(function (f) {
          return { value: f.share, itemStyle: { color: f.share !== null && f.share < 100 ? "#c62828" : "#2f7d32" } };
        }),
        label: { show: true, position: "right", formatter: "{c}%" },
        markLine: { symbol: "none", data: [{ xAxis: 100 }] }
      }]
    });
  }

  var map = document.getElementById("districts-map");
  if (map && data.map && data.map.features.length) {
    echarts.registerMap("industry-districts", data.map);
    var values = data.districts.map(function (r) { return r.value; });
    draw(map, {
      tooltip: { trigger: "item" },
      visualMap: { min: 0, max: Math.max.apply(null, values), calculable: true, left: 0, bottom: 0,
                   inRange: { color: ["#e8f5e9", "#2f7d32"] } },
      series: [{ type: "map", map: "industry-districts", roam: true, label: { show: true, fontSize: 10 },
                 data: data.districts.map(function (r) { return { name: r.name, value: r.value }; }) }]
    });
  }

  var districts = document.getElementById("districts-chart");
  if (districts && data.districts && data.districts.length) {
    var rows = data.districts.slice(0, 20).reverse();
    draw(districts, {
      grid: { left: 110, right: 48, top: 10, bottom: 20 },
      tooltip: { trigger: "axis" },
      xAxis: { type: "value" },
      yAxis: { type: "category", data: rows.map(function (r) { return r.name; }) },
      series: [{ type: "bar", data: rows.map(function (r) { return r.value; }),
                 itemStyle: { color: "#2f7d32" }, label: { show: true, position: "right" } }]
    });
  }
}());
