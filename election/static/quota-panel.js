// Live quota counters: a form with data-quota-panel-url re-renders its panel as boxes are ticked.
(function () {
  "use strict";
  function refresh(form) {
    var target = document.querySelector(form.getAttribute("data-quota-panel-target") || "[data-quota-panel]");
    var counters = form.getAttribute("data-quota-counters-target") &&
      document.querySelector(form.getAttribute("data-quota-counters-target"));
    if (!target && !counters) { return; }
    var body = new URLSearchParams();
    if (counters) { body.append("with_counters", "1"); }
    body.append("csrf_token", form.querySelector("input[name=csrf_token]").value);
    if (form.getAttribute("data-quota-step")) { body.append("step", form.getAttribute("data-quota-step")); }
    var field = form.getAttribute("data-quota-field") || "nominee_ids";
    // one field of dot-joined ids: a province's 1,000 ticks parse as one value, not 1,000, and "." needs no
    // percent-escape in the form body (a comma would be %2C, 1,000 escapes to undo)
    var ids = [];
    form.querySelectorAll("input[name=" + field + "]:checked").forEach(function (box) { ids.push(box.value); });
    body.append("ids", ids.join("."));
    fetch(form.getAttribute("data-quota-panel-url"), {method: "POST", body: body, credentials: "same-origin",
      headers: {"Content-Type": "application/x-www-form-urlencoded"}})
      .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
      .then(function (html) {
        if (counters) {  // two parts: the counters, then the panel
          var parts = document.createElement("div");
          parts.innerHTML = html;
          counters.innerHTML = parts.querySelector("[data-part=counters]").innerHTML;
          counters.setAttribute("data-updated", String(Date.now()));
          html = parts.querySelector("[data-part=panel]").innerHTML;
        }
        if (target) { target.innerHTML = html; target.setAttribute("data-updated", String(Date.now())); }
      })
      .catch(function () {
        (target || counters).insertAdjacentHTML("afterbegin", "<p class=\"error\">人数和结构暂时无法刷新，请点“重新核算”查看。</p>");
      });
  }
  document.addEventListener("change", function (event) {
    var form = event.target.closest && event.target.closest("form[data-quota-panel-url]");
    if (form && event.target.name === (form.getAttribute("data-quota-field") || "nominee_ids")) { refresh(form); }
  });
})();
