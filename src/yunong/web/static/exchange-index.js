// Draw a district's quarterly price index as a line; quarters carried forward are hollow.
(function () {
  "use strict";
  var source = document.getElementById("exchange-index-data");
  var element = document.getElementById("index-chart");
  if (!source || !element || !window.echarts) { return; }
  var data = JSON.parse(source.textContent);
  var chart = echarts.init(element, null, { renderer: "svg" });
  chart.setOption({
    grid: { left: 48, right: 16, top: 16, bottom: 48 },
    tooltip: { trigger: "axis" },
    xAxis: { type: "category", data: data.quarters, axisLabel: { rotate: 45 } },
    yAxis: { type: "value", scale: true },
    series: [{
      type: "line",
      data: data.index.map(function (value, position) {
        return data.stale[position] ? { value: value, symbol: "emptyCircle", symbolSize: 8 } : value;
      })
    }]
  });
  element.setAttribute("data-drawn", "true");
  window.addEventListener("resize", function () { chart.resize(); });
})();
