// The grouping board: drag ideas between columns (SortableJS), save each move at once,
// keep the board current while others work on it (htmx polling), and announce results
// in the live region. No inline scripts: CSP.
(function () {
  "use strict";
  var dragging = false;
  var busy = false;

  function board() { return document.getElementById("board"); }

  function announce(message, level) {
    var live = document.getElementById("board-live");
    if (!live || !message) { return; }
    live.className = "board-live alert alert-" + (level || "success");
    // re-set the text so that screen readers announce a repeated message, too
    live.textContent = "";
    window.setTimeout(function () { live.textContent = message; }, 50);
  }

  function postMove(item, list) {
    var el = board();
    var next = item.nextElementSibling;
    busy = true;
    htmx.ajax("POST", el.dataset.moveUrl, {
      target: "#board",
      swap: "outerHTML",
      values: {
        idea: item.dataset.idea + ":" + item.dataset.version,
        target: list.dataset.concept || "",
        before: next && next.dataset.idea ? next.dataset.idea : ""
      }
    }).finally(function () { busy = false; });
  }

  function initSortables() {
    var el = board();
    if (!el || typeof Sortable === "undefined") { return; }
    el.querySelectorAll(".board-list").forEach(function (list) {
      if (list.dataset.locked === "true") { return; }
      Sortable.create(list, {
        group: "board",
        sort: list.dataset.concept !== "",  // ungrouped ideas keep their submission order
        animation: 120,
        forceFallback: true,
        fallbackTolerance: 3,
        draggable: ".board-card",
        ghostClass: "board-card-ghost",
        chosenClass: "board-card-chosen",
        onStart: function () { dragging = true; },
        onEnd: function (evt) {
          dragging = false;
          if (evt.from === evt.to && evt.oldIndex === evt.newIndex) { return; }
          postMove(evt.item, evt.to);
        }
      });
    });
  }

  // Remember what the user had selected and focused across a swap of the board.
  var saved = null;
  document.body.addEventListener("htmx:beforeSwap", function (evt) {
    if (evt.detail.target && evt.detail.target.id === "board") {
      // SortableJS leaves inline styles on cards; htmx would copy them onto the new
      // cards with setAttribute("style"), which the Content Security Policy blocks.
      evt.detail.target.querySelectorAll("[style]").forEach(function (node) {
        node.removeAttribute("style");
      });
      var checked = document.querySelector("#board input[name=idea]:checked");
      var active = document.activeElement;
      var target = document.getElementById("move-target");
      saved = {
        idea: checked ? checked.value : null,
        focus: active && active.id && board().contains(active) ? active.id : null,
        target: target ? target.value : null
      };
    }
  });

  document.body.addEventListener("htmx:afterSwap", function (evt) {
    if (!board() || (evt.detail.target && evt.detail.target.id !== "board" && !board().contains(evt.detail.target))) { return; }
    var el = board();
    if (saved) {
      if (saved.idea) {
        // keep the selection only if the idea is unchanged (same id and version)
        var radio = el.querySelector('input[name=idea][value="' + saved.idea + '"]');
        if (radio && !radio.disabled) { radio.checked = true; }
      }
      var target = document.getElementById("move-target");
      if (target && saved.target !== null) {
        for (var i = 0; i < target.options.length; i++) {
          if (target.options[i].value === saved.target) { target.value = saved.target; }
        }
      }
      if (saved.focus) {
        var focus = document.getElementById(saved.focus);
        // an idea moved to the top or the end has no button for that way any more:
        // the idea's own choice field keeps the focus on the card
        var order = /^order-(up|down)-(\d+)$/.exec(saved.focus);
        if (!focus && order) { focus = document.getElementById("pick-" + order[2]); }
        // "Mehr laden" is gone once a column shows all its ideas: its last card instead
        var more = /^more-(.*)$/.exec(saved.focus);
        if (!focus && more) {
          var key = more[1] === "ungrouped" ? "" : more[1];
          var picks = el.querySelectorAll('.board-list[data-concept="' + key + '"] input[name=idea]');
          if (picks.length) { focus = picks[picks.length - 1]; }
        }
        if (focus) { focus.focus(); }
      }
      saved = null;
    }
    if (el.dataset.message) { announce(el.dataset.message, el.dataset.level); }
    // a new concept's column, or the one an idea went to, may be off to the side
    if (el.hasAttribute("data-reveal")) {
      var list = el.querySelector('.board-list[data-concept="' + el.dataset.reveal + '"]');
      var column = list && list.closest(".board-column");
      if (column) { column.scrollIntoView({ block: "nearest", inline: "nearest" }); }
    }
    initSortables();
  });

  // Do not replace the board while the user drags, or is in the middle of a move.
  document.body.addEventListener("htmx:beforeRequest", function (evt) {
    var el = board();
    if (!el || evt.detail.elt !== el) { return; }
    var active = document.activeElement;
    var inMoveForm = active && active.closest && active.closest("#move-form");
    if (dragging || busy || inMoveForm) { evt.preventDefault(); }
  });

  // After a new concept was created, clear its title field.
  document.body.addEventListener("htmx:afterRequest", function (evt) {
    if (evt.detail.elt && evt.detail.elt.id === "new-concept-form" && evt.detail.successful) {
      evt.detail.elt.reset();
    }
  });

  initSortables();
})();
