/* Draws every engagement chart on the page with Chart.js (served from /static/vendor/chartjs).
 *
 * Markup (templates/partials/engagement-chart.hbs): a <canvas data-chart="ID"> and a
 * <script type="application/json" id="ID"> holding the chart's data (src/reports/chart-view.ts ChartData):
 *   { labels: string[], yLabel: string, yMax: number|null,
 *     band: { lower: (number|null)[], median: (number|null)[], upper: (number|null)[], label, medianLabel } | null,
 *     series: [{ label, values: (number|null)[] }], shaded: number[] (label indices), shadedLabel: string }
 * The band is the cohort's middle half (shaded) and median (dashed); each series is a solid line with points,
 * so no line is told apart by colour alone. Non-teaching weeks are shaded grey behind the plot. The page's
 * table carries the same figures, so nothing here is the only way to read them.
 */
(function () {
  'use strict';
  if (typeof window.Chart === 'undefined') return;

  var INK = '#17212b';
  var INK_SOFT = '#4b5563';
  var LINE = '#d9dee4';
  var ACCENT = '#1b5e86';
  var BAND = 'rgba(27, 94, 134, 0.16)';
  var SHADE = 'rgba(75, 85, 99, 0.10)';
  var POINT_STYLES = ['circle', 'rectRot', 'triangle', 'rect'];
  var SERIES_COLOURS = [ACCENT, '#9a3412', '#1d6b3a', '#5b3a8c'];

  var shadeNonTeaching = {
    id: 'waymarkNonTeaching',
    beforeDatasetsDraw: function (chart, _args, options) {
      var shaded = options && options.indices;
      if (!shaded || !shaded.length) return;
      var x = chart.scales.x;
      var area = chart.chartArea;
      var count = chart.data.labels.length;
      var step = count > 1 ? (x.getPixelForValue(1) - x.getPixelForValue(0)) : area.right - area.left;
      var ctx = chart.ctx;
      ctx.save();
      ctx.fillStyle = SHADE;
      shaded.forEach(function (i) {
        var centre = x.getPixelForValue(i);
        var left = Math.max(area.left, centre - step / 2);
        var right = Math.min(area.right, centre + step / 2);
        ctx.fillRect(left, area.top, right - left, area.bottom - area.top);
      });
      ctx.restore();
    },
  };

  function datasetsOf(data) {
    var sets = [];
    if (data.band) {
      sets.push({ label: 'Upper quartile', data: data.band.upper, borderWidth: 0, pointRadius: 0, fill: false, spanGaps: false, waymarkHidden: true });
      sets.push({ label: data.band.label, data: data.band.lower, borderWidth: 0, pointRadius: 0, backgroundColor: BAND, fill: '-1', spanGaps: false });
      sets.push({ label: data.band.medianLabel, data: data.band.median, borderColor: INK_SOFT, borderDash: [6, 4], borderWidth: 2, pointRadius: 0, fill: false, spanGaps: false });
    }
    data.series.forEach(function (s, i) {
      var colour = SERIES_COLOURS[i % SERIES_COLOURS.length];
      sets.push({
        label: s.label,
        data: s.values,
        borderColor: colour,
        backgroundColor: colour,
        borderWidth: 2.5,
        pointRadius: 3.5,
        pointStyle: POINT_STYLES[i % POINT_STYLES.length],
        fill: false,
        spanGaps: false,
      });
    });
    return sets;
  }

  function draw(canvas) {
    var source = document.getElementById(canvas.getAttribute('data-chart'));
    if (!source) return;
    var data;
    try {
      data = JSON.parse(source.textContent || 'null');
    } catch {
      return;
    }
    if (!data || !data.labels) return;
    var legendLabels = data.shaded && data.shaded.length ? [data.shadedLabel] : [];
    new window.Chart(canvas, {
      type: 'line',
      data: { labels: data.labels, datasets: datasetsOf(data) },
      plugins: [shadeNonTeaching],
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        interaction: { mode: 'index', intersect: false },
        scales: {
          x: { grid: { display: false }, ticks: { color: INK_SOFT, autoSkip: true, maxRotation: 0 } },
          y: {
            beginAtZero: true,
            max: data.yMax === null ? undefined : data.yMax,
            grid: { color: LINE },
            ticks: { color: INK_SOFT, precision: 0 },
            title: { display: true, text: data.yLabel, color: INK_SOFT },
          },
        },
        plugins: {
          waymarkNonTeaching: { indices: data.shaded || [] },
          legend: {
            position: 'bottom',
            labels: {
              color: INK,
              usePointStyle: true,
              filter: function (item, chartData) {
                return !chartData.datasets[item.datasetIndex].waymarkHidden;
              },
            },
          },
          subtitle: { display: legendLabels.length > 0, text: legendLabels.length ? 'Grey columns: ' + data.shadedLabel.toLowerCase() + 's' : '', color: INK_SOFT, position: 'bottom' },
          tooltip: {
            filter: function (item) {
              return !item.dataset.waymarkHidden;
            },
          },
        },
      },
    });
  }

  function drawAll() {
    var canvases = document.querySelectorAll('canvas[data-chart]');
    for (var i = 0; i < canvases.length; i++) draw(canvases[i]);
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', drawAll);
  else drawAll();
})();
