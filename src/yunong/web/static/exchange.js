// Draw the price per 亩 by district, one bar series per kind, from the figures the page embeds.
(function () {
  "use strict";
  var source = document.getElementById("exchange-data");
  var element = document.getElementById("price-chart");
  if (!source || !element || !window.echarts) { return; }
  var data = JSON.parse(source.textContent);
  var chart = echarts.init(element, null, { renderer: "svg" });
  chart.setOption({
    grid: { left: 64, right: 16, top: 32, bottom: 64 },
    tooltip: { trigger: "axis" },
    legend: { top: 0 },
    xAxis: { type: "category", data: data.districts, axisLabel: { rotate: 45 } },
    yAxis: { type: "value" },
    series: data.series.map(function (series) {
      return { type: "bar", name: series.name, data: series.data };
    })
  });
  element.setAttribute("data-drawn", "true");
  window.addEventListener("resize", function () { chart.resize(); });
})();
