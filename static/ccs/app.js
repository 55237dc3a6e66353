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
