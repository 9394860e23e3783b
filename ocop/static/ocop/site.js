/* Small behaviours of the platform's pages, wired by data attributes (no inline scripts: CSP forbids them). */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-print]");
    if (button) { window.print(); }
  });

  // A box that scrolls sideways (a wide table on a phone) takes keyboard focus, so it scrolls without a mouse.
  function focusScrollingBoxes() {
    document.querySelectorAll("main table, main .scroll").forEach(function (box) {
      var scrolls = box.scrollWidth > box.clientWidth + 1;
      if (scrolls && !box.hasAttribute("tabindex")) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("data-scroll-focus", "");
      } else if (!scrolls && box.hasAttribute("data-scroll-focus")) {
        box.removeAttribute("tabindex");
        box.removeAttribute("data-scroll-focus");
      }
    });
  }
  focusScrollingBoxes();
  window.addEventListener("resize", focusScrollingBoxes);
})();
