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
})();
