// Runder Tisch Integration: a "Drucken" button for print pages (no inline scripts: CSP).
// The button is hidden until this script shows it: without scripts, the browser's own
// print command (Strg+P) does the same.
(function () {
  "use strict";
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
})();
