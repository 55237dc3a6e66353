// CCS page behaviour: toasts (server messages, live pushes, htmx errors). No inline scripts anywhere.
(function () {
  "use strict";

  function showToasts(root) {
    if (!window.bootstrap) return;
    root.querySelectorAll(".toast:not([data-ccs-shown])").forEach(function (element) {
      element.setAttribute("data-ccs-shown", "1");
      var toast = bootstrap.Toast.getOrCreateInstance(element);
      element.addEventListener("hidden.bs.toast", function () { element.remove(); });
      toast.show();
    });
  }

  function errorToast(text) {
    var template = document.getElementById("error-toast-template");
    var stack = document.getElementById("toast-stack");
    if (!template || !stack) return;
    var node = template.content.firstElementChild.cloneNode(true);
    node.querySelector(".toast-body").textContent = text;
    node.setAttribute("data-ccs-error", "1");
    stack.appendChild(node);
  }

  document.addEventListener("DOMContentLoaded", function () {
    var stack = document.getElementById("toast-stack");
    if (!stack) return;
    showToasts(stack);
    new MutationObserver(function () { showToasts(stack); }).observe(stack, { childList: true });
  });

  document.addEventListener("htmx:responseError", function (event) {
    var status = event.detail.xhr ? event.detail.xhr.status : 0;
    var message = status === 403 ? "You do not have access to do that."
      : status === 404 ? "That item no longer exists."
      : "Something went wrong (" + status + "). Nothing you typed was lost; please try again.";
    errorToast(message);
  });
  document.addEventListener("htmx:sendError", function () {
    errorToast("The server could not be reached. Check your connection; nothing you typed was lost.");
  });
})();

// Drag-and-drop ordering: a container with data-sortable-url posts the new order (ids of its children's
// data-id, comma-separated) through htmx, which swaps the server's answer into data-sortable-target.
(function () {
  "use strict";
  function initSortables(root) {
    if (!window.Sortable || !window.htmx) return;
    root.querySelectorAll("[data-sortable-url]:not([data-sortable-ready])").forEach(function (list) {
      list.setAttribute("data-sortable-ready", "1");
      Sortable.create(list, {
        animation: 150,
        draggable: "[data-id]",
        onEnd: function (event) {
          if (event.oldIndex === event.newIndex) return;
          var order = Array.prototype.map.call(list.querySelectorAll(":scope > [data-id]"), function (item) {
            return item.getAttribute("data-id");
          }).join(",");
          htmx.ajax("POST", list.getAttribute("data-sortable-url"), {
            source: list, target: list.getAttribute("data-sortable-target"), swap: "outerHTML", values: { order: order }
          });
        }
      });
    });
  }
  document.addEventListener("DOMContentLoaded", function () { initSortables(document); });
  document.addEventListener("htmx:load", function (event) { initSortables(event.detail.elt.parentNode || document); });
})();

// Pipeline board: dragging a card into another stage's column posts the new stage; the board is redrawn.
(function () {
  "use strict";
  function initBoard(root) {
    if (!window.Sortable || !window.htmx) return;
    root.querySelectorAll("[data-board-drop]:not([data-board-ready])").forEach(function (column) {
      column.setAttribute("data-board-ready", "1");
      Sortable.create(column, {
        group: "pipeline", animation: 150, draggable: "[data-move-url]", sort: false,
        onAdd: function (event) {
          htmx.ajax("POST", event.item.getAttribute("data-move-url"), {
            source: column, target: "#board", swap: "outerHTML", values: { stage: column.getAttribute("data-stage") }
          });
        }
      });
    });
  }
  document.addEventListener("DOMContentLoaded", function () { initBoard(document); });
  document.addEventListener("htmx:load", function (event) { initBoard(event.detail.elt.parentNode || document); });
})();

// Live signals: a push of #live-signal names events ("tickets-changed ticket-42-changed"); each is dispatched on
// <body>, where a list or panel listening with hx-trigger="tickets-changed from:body" reloads itself with its own URL.
(function () {
  "use strict";
  document.addEventListener("htmx:oobAfterSwap", function (event) {
    var element = event.target;  // the swapped-in element (detail.target is the one it replaced)
    if (!element || element.id !== "live-signal") return;
    (element.getAttribute("data-live-signal") || "").split(" ").forEach(function (name) {
      if (name) document.body.dispatchEvent(new CustomEvent(name));
    });
  });
})();

// Ticket replies: "Reply to this" on a message threads the next reply under it (the form's hidden parent field).
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-reply-to], [data-reply-clear]");
    var form = document.getElementById("reply-form");
    if (!button || !form) return;
    var parent = form.querySelector("input[name=parent]");
    var indicator = form.querySelector("[data-reply-indicator]");
    if (button.hasAttribute("data-reply-clear")) {
      parent.value = ""; indicator.hidden = true; return;
    }
    parent.value = button.getAttribute("data-reply-to");
    indicator.querySelector("[data-reply-name]").textContent = button.getAttribute("data-reply-label");
    indicator.hidden = false;
    form.querySelector("textarea").focus();
  });
})();

// Quote builder keyboard: Enter (outside descriptions) and the up/down arrows move to the same column of the next or
// previous line, like a spreadsheet; Tab and Shift-Tab move along the line as usual. Every field saves on leaving.
(function () {
  "use strict";
  document.addEventListener("keydown", function (event) {
    var field = event.target;
    if (!field.closest || !field.closest("[data-builder]") || !field.dataset.col) return;
    if (event.altKey && (event.key === "ArrowUp" || event.key === "ArrowDown")) {
      // Alt+arrow moves the line; the field is saved first (change fires on blur), then focus comes back to it
      var button = field.closest("tr").querySelector('[data-move="' + (event.key === "ArrowUp" ? "up" : "down") + '"]');
      if (!button) return;
      event.preventDefault();
      var id = field.id;
      document.body.addEventListener("htmx:afterSettle", function refocus(settled) {
        if (!settled.detail.requestConfig || settled.detail.requestConfig.elt !== button) return;
        document.body.removeEventListener("htmx:afterSettle", refocus);
        var again = document.getElementById(id);
        if (again) again.focus();
      });
      // save the field first, then move (so the swapped-in line never shows a value older than what was typed)
      field.addEventListener("htmx:afterRequest", function thenMove() {
        field.removeEventListener("htmx:afterRequest", thenMove);
        htmx.trigger(button, "click");
      });
      htmx.trigger(field, "change");
      return;
    }
    var isText = field.tagName === "TEXTAREA";
    var down = (event.key === "Enter" && !isText && !event.shiftKey) || (event.key === "ArrowDown" && !isText && field.tagName !== "SELECT");
    var up = (event.key === "Enter" && !isText && event.shiftKey) || (event.key === "ArrowUp" && !isText && field.tagName !== "SELECT");
    if (!down && !up) return;
    var row = field.closest("tr");
    var next = row;
    do { next = down ? next.nextElementSibling : next.previousElementSibling; }
    while (next && !next.querySelector('[data-col="' + field.dataset.col + '"]'));
    if (!next) return;
    event.preventDefault();
    var target = next.querySelector('[data-col="' + field.dataset.col + '"]');
    target.focus();
    if (target.select) target.select();
  });
})();

// The builder's "add from the catalogue": ↓ from the search box goes into the results, ↑/↓ move between them, Enter
// adds the product; after it is added the search box has the focus again for the next one.
(function () {
  "use strict";
  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (!target.closest) return;
    var search = document.querySelector("[data-catalogue-search]");
    if (!search) return;
    var picks = Array.prototype.slice.call(document.querySelectorAll("#catalogue-results [data-testid=catalogue-pick]"));
    if (target === search && event.key === "ArrowDown" && picks.length) {
      event.preventDefault();
      picks[0].focus();
      return;
    }
    var index = picks.indexOf(target);
    if (index < 0) return;
    if (event.key === "ArrowDown" && index < picks.length - 1) { event.preventDefault(); picks[index + 1].focus(); }
    if (event.key === "ArrowUp") { event.preventDefault(); (index > 0 ? picks[index - 1] : search).focus(); }
    if (event.key === "Escape") { event.preventDefault(); search.focus(); }
  });
  document.addEventListener("htmx:afterSettle", function (event) {
    var source = event.detail.requestConfig && event.detail.requestConfig.elt;
    if (!source || !source.matches || !source.matches("[data-testid=catalogue-pick]")) return;
    var search = document.querySelector("[data-catalogue-search]");
    if (search) { search.focus(); search.select(); }
  });
})();

// An out-of-band swap never replaces the field a person is typing in: what they typed wins, and is saved on leaving.
document.addEventListener("htmx:oobBeforeSwap", function (event) {
  var target = event.detail.target;
  if (target && target === document.activeElement && "value" in target && target.value !== target.defaultValue) {
    event.detail.shouldSwap = false;
  }
});
