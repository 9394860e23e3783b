/* Dashboard charts (integrations/_figures.html) with Chart.js 4, vendored. Each canvas names the JSON spec
   printed beside it. Numbers in Vietnamese formats (12.640.000, money with ₫) in every language; long labels
   wrap; the chart's height follows its number of bars so that nothing is cut at phone width. */
(function () {
  "use strict";
  if (!window.Chart) { return; }
  var grouping = new Intl.NumberFormat("vi-VN", { maximumFractionDigits: 1 });

  function formatted(value, money) {
    return grouping.format(value) + (money ? " ₫" : "");
  }
  function wrap(label, width) {
    var words = String(label).split(" "), lines = [], line = "";
    words.forEach(function (word) {
      if (line && (line + " " + word).length > width) { lines.push(line); line = word; } else { line = line ? line + " " + word : word; }
    });
    if (line) { lines.push(line); }
    return lines.length > 1 ? lines : lines[0] || "";
  }

  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var spec = JSON.parse(document.getElementById(canvas.getAttribute("data-chart")).textContent);
    var horizontal = spec.kind === "bar";
    var narrow = canvas.parentElement.clientWidth < 520;
    var box = canvas.parentElement;
    box.classList.add(horizontal ? "chart-bars" : "chart-columns");
    var labels = spec.labels.map(function (label) { return horizontal ? wrap(label, narrow ? 18 : 30) : label; });
    if (horizontal) {
      var rows = labels.reduce(function (sum, label) { return sum + Math.max(2, Array.isArray(label) ? label.length + 1 : 2); }, 0);
      box.style.height = Math.max(120, 56 + rows * 15) + "px";
    } else {
      box.style.height = (narrow ? 220 : 280) + "px";
    }
    new Chart(canvas, {
      type: "bar",
      data: {
        labels: labels,
        datasets: [{
          label: spec.title,
          data: spec.values,
          backgroundColor: horizontal ? spec.labels.map(function (_l, i) { return spec.colours[i % spec.colours.length]; })
                                      : spec.colours[0]
        }]
      },
      options: {
        indexAxis: horizontal ? "y" : "x",
        maintainAspectRatio: false,
        responsive: true,
        animation: false,
        locale: "vi-VN",
        plugins: {
          legend: { display: false },
          title: { display: false },
          tooltip: { callbacks: { label: function (context) { return formatted(context.parsed[horizontal ? "x" : "y"], spec.money); } } }
        },
        scales: {
          x: horizontal ? { beginAtZero: true, ticks: { maxTicksLimit: narrow ? 3 : 6, callback: function (v) { return formatted(v, false); } } }
                        : { ticks: { autoSkip: true, maxRotation: 60, minRotation: 0 } },
          y: horizontal ? { ticks: { autoSkip: false, font: { size: narrow ? 11 : 12 } } }
                        : { beginAtZero: true, ticks: { maxTicksLimit: 6, callback: function (v) { return formatted(v, false); } } }
        }
      }
    });
    canvas.setAttribute("data-ready", "true");
  });
})();
