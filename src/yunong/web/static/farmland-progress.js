// 高标准农田 progress: new and upgraded 亩 of the accepted projects by year, as bars, against
// the pack's yearly target (the city's 200万亩) as a line where the page gives one.
(function () {
  "use strict";
  var element = document.getElementById("built-chart");
  if (!element || typeof echarts === "undefined") return;
  var data = JSON.parse(document.getElementById("built-data").textContent);
  if (!data.years.length) return;
  var series = [
    { name: data.text.new, type: "bar", stack: "built", itemStyle: { color: "#00838f" },
      data: data.years.map(function (y) { return y.new_mu; }) },
    { name: data.text.upgrade, type: "bar", stack: "built", itemStyle: { color: "#ef6c00" },
      data: data.years.map(function (y) { return y.upgrade_mu; }) }
  ];
  if (data.years.some(function (y) { return y.target_mu !== null; })) {
    series.push({ name: data.text.target, type: "line", step: "middle", symbol: "none",
      lineStyle: { type: "dashed", color: "#c62828" }, itemStyle: { color: "#c62828" },
      data: data.years.map(function (y) { return y.target_mu; }) });
  }
  var chart = echarts.init(element, null, { renderer: "svg" });
  chart.setOption({
    grid: { left: 72, right: 16, top: 40, bottom: 28 },
    legend: { top: 0 },
    tooltip: { trigger: "axis" },
    xAxis: { type: "category", data: data.years.map(function (y) { return String(y.year); }) },
    yAxis: { type: "value", name: data.text.unit },
    series: series
  });
  element.setAttribute("data-drawn", "true");
  window.addEventListener("resize", function () { chart.resize(); });
})();
