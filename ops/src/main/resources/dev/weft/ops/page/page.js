// Draws each chart of the page with uPlot from the JSON in #weft-charts. Layout only: the axes, scales, legend and
// drawing are uPlot's. Once a chart is drawn its figure gets data-points (the number of x values drawn); when all are,
// the body gets data-charts (how many), so that a headless browser's DOM dump shows the page rendered with data.
(function () {
  "use strict";
  var palette = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#7f7f7f"];
  var charts = JSON.parse(document.getElementById("weft-charts").textContent);
  var drawn = 0;
  charts.forEach(function (c) {
    var figure = document.getElementById(c.id);
    var target = figure.querySelector(".plot");
    var series = [{ label: c.x }];
    c.series.forEach(function (s, i) {
      var colour = palette[i % palette.length];
      var options = { label: s.label, stroke: colour, width: 1.5, spanGaps: !s.points };
      if (s.points) {
        options.paths = function () { return null; };
        options.points = { show: true, size: 6, stroke: colour, fill: colour };
      } else if (c.logY) {
        // On a log axis empty buckets are gaps: no line across them, and a point for each bucket that has a value.
        options.spanGaps = false;
        options.points = { show: true, size: 4, stroke: colour, fill: colour };
      } else {
        options.points = { show: false };
      }
      series.push(options);
    });
    var y = c.logY ? { distr: 3 }
      : c.yMax ? { range: [0, c.yMax * 1.05] }
      : { range: function (u, min, max) { return [0, max > 0 ? max * 1.05 : 1]; } };
    var plot = new uPlot({
      width: Math.max(320, target.clientWidth),
      height: 260,
      scales: { x: { time: false }, y: y },
      axes: [{ label: c.x, labelSize: 20 }, { label: c.y, labelSize: 20, size: 60 }],
      legend: { live: true },
      series: series
    }, c.data, target);
    figure.dataset.points = String(plot.data[0].length);
    drawn++;
  });
  document.body.dataset.charts = String(drawn);
})();
