// Draws every <canvas data-chart="ID"> from the JSON in <script id="ID">. The page always shows the
// same figures in a table, so the chart is a picture of the table, never the only copy.
(function () {
  "use strict";
  var dollars = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD", maximumFractionDigits: 0 });
  var count = new Intl.NumberFormat("en-US");

  function draw(canvas) {
    var source = document.getElementById(canvas.dataset.chart);
    if (!source || typeof Chart === "undefined" || Chart.getChart(canvas)) { return; }
    var spec = JSON.parse(source.textContent);
    var format = spec.money ? dollars.format : count.format;
    // One series (label, values) or several (series: [{label, values, color, dashed}]); a null
    // value is a gap, e.g. the forecast before the as-of month.
    var series = spec.series || [{ label: spec.label, values: spec.values, color: "#005ea2" }];
    new Chart(canvas, {
      type: spec.type,
      data: {
        labels: spec.labels,
        datasets: series.map(function (s) {
          return {
            label: s.label,
            data: s.values.map(function (v) { return v === null ? null : Number(v); }),
            backgroundColor: s.color || "#005ea2",
            borderColor: s.color || "#005ea2",
            borderDash: s.dashed ? [6, 4] : [],
            tension: 0.2
          };
        })
      },
      options: {
        maintainAspectRatio: false,
        animation: false,
        plugins: {
          legend: { display: series.length > 1 },
          tooltip: { callbacks: { label: function (ctx) { return ctx.dataset.label + ": " + format(ctx.parsed.y); } } }
        },
        scales: { y: { beginAtZero: true, ticks: { callback: function (v) { return format(v); } } } }
      }
    });
  }

  function drawAll() { document.querySelectorAll("canvas[data-chart]").forEach(draw); }
  drawAll();
  // htmx swaps in new figures (a saved budget line): draw the charts that came with them.
  document.body.addEventListener("htmx:afterSettle", drawAll);
})();
