// Small progressive enhancements; the pages work without them. No inline script (CSP).
(function () {
  "use strict";
  // Confirmation before anything irreversible: <button data-confirm="…">
  document.addEventListener("submit", function (event) {
    var button = event.submitter;
    var message = (button && button.getAttribute("data-confirm")) || event.target.getAttribute("data-confirm");
    if (message && !window.confirm(message)) {
      event.preventDefault();
    }
  });
  // Print views: a 打印本页 button (hidden without script; Ctrl+P works anyway)
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
})();
