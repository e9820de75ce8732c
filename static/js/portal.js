// Runder Tisch Integration: behaviour shared by every page (no inline scripts: CSP).
(function () {
  "use strict";
  function showError(german, english) {
    var region = document.getElementById("htmx-error");
    if (!region) {
      region = document.createElement("div");
      region.id = "htmx-error";
      region.className = "alert alert-danger";
      region.setAttribute("role", "alert");
      document.getElementById("main").prepend(region);
    }
    region.textContent = document.documentElement.lang === "en" ? english : german;
  }
  // Logging out takes the drafts kept in this browser (ideas.js) with it: on a shared
  // computer the next person finds none of them.
  document.querySelectorAll("form[data-logout]").forEach(function (form) {
    form.addEventListener("submit", function () {
      try {
        var store = window.localStorage;
        for (var i = store.length - 1; i >= 0; i--) {
          var key = store.key(i);
          if (key && key.indexOf("rt-draft:") === 0) { store.removeItem(key); }
        }
      } catch (e) { /* no storage: nothing kept */ }
    });
  });
  // After an htmx swap, move focus to the swapped region's heading when it asks for it,
  // so keyboard and screen reader users learn that the content changed.
  document.body.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail.target;
    var focus = target && target.querySelector("[data-focus-after-swap]");
    if (focus) { focus.setAttribute("tabindex", "-1"); focus.focus(); }
  });
  // Errors during an htmx request: tell the user instead of failing silently.
  document.body.addEventListener("htmx:responseError", function () {
    showError("Die Aktion konnte nicht ausgeführt werden. Bitte versuchen Sie es erneut.",
              "The action could not be completed. Please try again.");
  });
  document.body.addEventListener("htmx:sendError", function () {
    showError("Keine Verbindung zum Server. Ihre Eingaben bleiben erhalten; bitte versuchen Sie es erneut.",
              "No connection to the server. Your input is kept; please try again.");
  });
})();
