// Ideenwerkstatt: draft kept in the browser, feedback templates (no inline scripts: CSP).
(function () {
  "use strict";
  var PREFIX = "rt-draft:";

  function storage() {
    try { return window.localStorage; } catch (e) { return null; }
  }

  // --- a successful submission clears the draft ------------------------------------
  document.querySelectorAll("[data-clear-draft]").forEach(function (el) {
    var store = storage();
    if (store) { store.removeItem(PREFIX + el.getAttribute("data-clear-draft")); }
  });

  // --- draft of the idea form ----------------------------------------------------------
  var form = document.querySelector("form[data-draft-key]");
  var store = storage();
  if (form && store) {
    var key = PREFIX + form.getAttribute("data-draft-key");
    var fields = function () {
      return Array.prototype.filter.call(form.elements, function (el) {
        return el.name && el.name !== "csrfmiddlewaretoken" && el.type !== "file" &&
          el.type !== "submit" && el.type !== "button" && el.type !== "hidden";
      });
    };
    var save = function () {
      var data = {};
      fields().forEach(function (el) {
        if (el.type === "checkbox" || el.type === "radio") {
          data[el.name] = data[el.name] || [];
          if (el.checked) { data[el.name].push(el.value); }
        } else {
          data[el.name] = el.value;
        }
      });
      data._saved = new Date().toISOString();
      try { store.setItem(key, JSON.stringify(data)); } catch (e) { /* quota: ignore */ }
    };
    var restore = function (data) {
      fields().forEach(function (el) {
        if (!(el.name in data)) { return; }
        if (el.type === "checkbox" || el.type === "radio") {
          el.checked = data[el.name].indexOf(el.value) !== -1;
        } else {
          el.value = data[el.name];
        }
      });
    };
    var raw = store.getItem(key);
    // The server's own restoration (validation errors, expired session) wins.
    if (raw && !form.hasAttribute("data-server-restored")) {
      try {
        var draft = JSON.parse(raw);
        var title = form.querySelector("[name=title]");
        var description = form.querySelector("[name=description]");
        if ((draft.title || draft.description) && !(title && title.value) && !(description && description.value)) {
          restore(draft);
          var notice = document.getElementById("draft-notice");
          if (notice) { notice.hidden = false; }
          if (title) { title.dispatchEvent(new Event("input", { bubbles: true })); }
        }
      } catch (e) { store.removeItem(key); }
    }
    form.addEventListener("input", save);
    form.addEventListener("change", save);
    var discard = document.querySelector("[data-draft-discard]");
    if (discard) {
      discard.addEventListener("click", function () {
        store.removeItem(key);
        form.reset();
        fields().forEach(function (el) {
          if (el.type === "checkbox" || el.type === "radio") { el.checked = false; }
          else if (el.tagName !== "SELECT") { el.value = ""; }
        });
        var notice = document.getElementById("draft-notice");
        if (notice) { notice.hidden = true; }
        var first = form.querySelector("[name=title]");
        if (first) { first.focus(); }
      });
    }
  }

  // --- a new search keeps the ideas ticked in the moderation queue ---------------------
  var ticked = null;
  document.body.addEventListener("htmx:beforeSwap", function (evt) {
    var target = evt.detail.target;
    if (target && target.id === "idea-results") {
      ticked = Array.prototype.map.call(
        target.querySelectorAll("input[name=ideas]:checked"),
        function (box) { return box.value; }
      );
    }
  });
  document.body.addEventListener("htmx:afterSwap", function () {
    var results = document.getElementById("idea-results");
    if (!results || !ticked) { return; }
    ticked.forEach(function (value) {
      var box = results.querySelector('input[name=ideas][value="' + value + '"]');
      if (box) { box.checked = true; }
    });
    ticked = null;
  });

  // --- feedback templates fill an empty feedback field ---------------------------------
  var texts = document.getElementById("feedback-texts");
  if (texts) {
    var templates = JSON.parse(texts.textContent);
    document.querySelectorAll("form[data-feedback-form]").forEach(function (f) {
      var select = f.querySelector("[name=feedback_template]");
      var feedback = f.querySelector("[name=public_feedback]");
      if (!select || !feedback) { return; }
      select.addEventListener("change", function () {
        var text = templates[select.value];
        if (text && (!feedback.value || feedback.dataset.fromTemplate === "true")) {
          feedback.value = text;
          feedback.dataset.fromTemplate = "true";
        }
      });
      feedback.addEventListener("input", function () { feedback.dataset.fromTemplate = "false"; });
    });
  }
})();
