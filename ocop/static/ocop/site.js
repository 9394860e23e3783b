/* Small behaviours of the platform's pages, wired by data attributes (no inline scripts: CSP forbids them). */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-print]");
    if (button) { window.print(); }
  });
})();
