// 人居环境: black and odorous bodies and open remediations by district, with ECharts.
(function () {
  "use strict";
  var source = document.getElementById("habitat-data");
  var element = document.getElementById("habitat-chart");
  if (!source || !element || !window.echarts) { return; }
  var data = JSON.parse(source.textContent);
  var text = JSON.parse(document.getElementById("habitat-text").textContent);
  var chart = echarts.init(element, null, { renderer: "svg" });
  chart.setOption({
    tooltip: { trigger: "axis" },
    legend: { data: [text.black, text.open] },
    grid: { left: 40, right: 10, top: 30, bottom: 70 },
    xAxis: { type: "category", data: data.names, axisLabel: { rotate: 45 } },
    yAxis: { type: "value", minInterval: 1 },
    series: [
      { name: text.black, type: "bar", data: data.black, itemStyle: { color: "#6d4c41" } },
      { name: text.open, type: "bar", data: data.open, itemStyle: { color: "#d9a400" } }
    ]
  });
  element.setAttribute("data-drawn", "true");
  window.addEventListener("resize", function () { chart.resize(); });
})();
