// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  // After htmx swaps content, move focus to the new content's heading or to an element the
  // server marked with data-focus, so keyboard and screen-reader users are never lost.
  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail.target;
    var focusable = target.querySelector("[data-focus]") || target.querySelector("h1, h2, h3");
    if (focusable) {
      if (!focusable.hasAttribute("tabindex")) {
        focusable.setAttribute("tabindex", "-1");
      }
      focusable.focus();
    }
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
