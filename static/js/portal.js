// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  // After htmx swaps content, move focus to an element the server marked with data-focus, the
  // error summary, or the new content's heading, so keyboard and screen-reader users are
  // never lost.
  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail.target;
    var focusable =
      target.querySelector("[data-focus]") ||
      target.querySelector("[data-error-summary]") ||
      target.querySelector("h1, h2, h3");
    if (focusable) {
      if (!focusable.hasAttribute("tabindex")) {
        focusable.setAttribute("tabindex", "-1");
      }
      focusable.focus();
    }
  });
  // A form came back with errors: start from the error summary (it is also a live region), so
  // keyboard and screen-reader users hear what to fix and can follow its links to the fields.
  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.querySelector("[data-error-summary]");
    if (summary) {
      summary.focus();
    }
  });
  // Printing prints everything: open closed <details> for the printout, close them after.
  var openedForPrint = [];
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details:not([open])").forEach(function (details) {
      details.open = true;
      openedForPrint.push(details);
    });
  });
  window.addEventListener("afterprint", function () {
    openedForPrint.forEach(function (details) {
      details.open = false;
    });
    openedForPrint = [];
  });
  // Buttons that ask for confirmation before an irreversible step.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var message = form.getAttribute("data-confirm");
    if (message && !window.confirm(message)) {
      event.preventDefault();
    }
  });
})();
