// Draws every [data-chart] from the JSON next to it with uPlot, at the width of its container, with
// labels of at least 12 px; a series shorter than a week gets a week-wide axis (no four-year axis
// for one point). The table beside each chart holds the same values for screen readers.
(function () {
  "use strict";
  var DAY = 86400;
  var FONT = "13px system-ui, sans-serif";
  function epoch(iso) { var p = iso.split("-"); return Date.UTC(+p[0], +p[1] - 1, +p[2]) / 1000; }
  function build(host) {
    var spec = JSON.parse(document.getElementById(host.dataset.chart).textContent);
    var xs = spec.xDate ? spec.x.map(epoch) : spec.x.slice();
    var data = [xs];
    var series = [{}];
    spec.series.forEach(function (s) {
      data.push(s.values);
      var few = s.values.filter(function (v) { return v !== null; }).length < 40;
      series.push({
        label: s.label, stroke: s.color, width: 2, spanGaps: true,
        fill: s.kind === "bars" ? s.color + "66" : undefined,
        paths: s.kind === "bars" ? uPlot.paths.bars({ size: [0.6, 24] }) : undefined,
        points: { show: s.kind !== "bars" && few, size: 6 },
      });
    });
    spec.lines.forEach(function (l) {
      data.push(xs.map(function () { return l.value; }));
      series.push({ label: l.label, stroke: l.color, width: 1.5, dash: [6, 4], points: { show: false } });
    });
    var lo = xs[0], hi = xs[xs.length - 1];
    var minSpan = spec.xDate ? 7 * DAY : 4;
    if (hi - lo < minSpan) { var pad = (minSpan - (hi - lo)) / 2; lo -= pad; hi += pad; }
    var width = Math.max(280, host.clientWidth);
    var opts = {
      width: width, height: width < 500 ? 220 : 260,
      series: series,
      legend: { show: true },
      cursor: { points: { size: 8 } },
      scales: {
        x: { time: spec.xDate, range: function () { return [lo, hi]; } },
        y: { range: function (u, min, max) {
          return [spec.yMin !== null ? spec.yMin : min, spec.yMax !== null ? spec.yMax : max];
        } },
      },
      axes: [
        { font: FONT, labelFont: FONT, stroke: "#333", label: spec.xLabel, size: 44,
          space: width < 500 ? 70 : 90,
          values: spec.xDate ? "{M}/{D}" : undefined,
          incrs: spec.xDate ? [DAY, 2 * DAY, 7 * DAY, 14 * DAY, 28 * DAY, 91 * DAY, 182 * DAY, 365 * DAY] : [1, 2, 5, 10, 20, 50, 100] },
        { font: FONT, labelFont: FONT, stroke: "#333", label: spec.yLabel, size: 48 },
      ],
    };
    host.innerHTML = "";
    var plot = new uPlot(opts, data, host);
    host.dataset.drawn = "1";
    return plot;
  }
  function all() {
    var plots = [];
    document.querySelectorAll("[data-chart]").forEach(function (host) { plots.push([host, build(host)]); });
    var timer = null;
    window.addEventListener("resize", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        plots.forEach(function (p) { p[1].setSize({ width: Math.max(280, p[0].clientWidth), height: p[1].height }); });
      }, 150);
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", all); } else { all(); }
})();
