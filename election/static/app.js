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
  // 联署 choices: the lead picked in another select is not offered (<select data-exclude-selected-of="lead_id">)
  document.querySelectorAll("select[data-exclude-selected-of]").forEach(function (select) {
    var lead = document.getElementById(select.getAttribute("data-exclude-selected-of"));
    if (!lead) { return; }
    var sync = function () {
      Array.prototype.forEach.call(select.options, function (option) {
        var same = option.value === lead.value;
        option.disabled = same;
        option.hidden = same;
        if (same) { option.selected = false; }
      });
    };
    lead.addEventListener("change", sync);
    sync();
  });
  // Print views: a 打印本页 button (hidden without script; Ctrl+P works anyway)
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
})();
