/* Charts of a published annual report. The figures come from the page's
   <script type="application/json" id="report-chart-data"> block (json_script: data, not script),
   so the page needs no inline script (CSP script-src 'self'). */
(function () {
  "use strict";
  var source = document.getElementById("report-chart-data");
  if (!source || typeof echarts === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  var charts = [];

  function draw(id, option) {
    var element = document.getElementById(id);
    if (!element) {
      return;
    }
    var chart = echarts.init(element, null, { renderer: "svg" });
    option.aria = { enabled: true };
    option.animation = false;
    chart.setOption(option);
    charts.push(chart);
  }

  function pie(items) {
    if (!items.length) {
      return { title: { text: data.empty, left: "center", top: "middle", textStyle: { color: "#495057" } } };
    }
    return {
      tooltip: { trigger: "item", formatter: "{b}：{c}（{d}%）" },
      legend: { bottom: 0, type: "scroll" },
      series: [{ type: "pie", radius: ["35%", "65%"], center: ["50%", "45%"], data: items,
                 label: { formatter: "{b}\n{c}" } }]
    };
  }

  draw("chart-acts", {
    tooltip: { trigger: "axis" },
    grid: { left: 48, right: 16, top: 24, bottom: 40 },
    xAxis: { type: "category", data: data.acts.labels, axisLabel: { interval: 0 } },
    yAxis: { type: "value", minInterval: 1 },
    series: [{ type: "bar", data: data.acts.values, label: { show: true, position: "top" } }]
  });
  draw("chart-kinds", pie(data.kinds));
  draw("chart-publication", pie(data.publication));
  draw("chart-remedies", {
    tooltip: { trigger: "axis" },
    legend: { bottom: 0 },
    grid: { left: 48, right: 16, top: 24, bottom: 56 },
    xAxis: { type: "category", data: data.remedies.labels, axisLabel: { interval: 0 } },
    yAxis: { type: "value", minInterval: 1 },
    series: data.remedies.series.map(function (s) {
      return { name: s.name, type: "bar", data: s.values, label: { show: true, position: "top" } };
    })
  });

  window.addEventListener("resize", function () {
    charts.forEach(function (chart) { chart.resize(); });
  });
})();
