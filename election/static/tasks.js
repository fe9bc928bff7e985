// Background task page: poll /tasks/<id>.json and move the progress bar until the task is finished.
(function () {
  "use strict";
  var box = document.querySelector("[data-task-url]");
  if (!box) { return; }
  var url = box.getAttribute("data-task-url");
  var bar = box.querySelector("progress");
  var percent = box.querySelector("[data-task-percent]");
  var state = box.querySelector("[data-task-state]");
  var message = box.querySelector("[data-task-message]");
  var download = box.querySelector("[data-task-download]");
  var delay = 500;

  function show(data) {
    bar.value = data.progress;
    bar.textContent = data.progress + "%";
    percent.textContent = data.progress + "%";
    state.textContent = data.status_label;
    var bad = data.status === "failed" || data.status === "rejected";  // rejected: nothing saved, errors listed
    state.className = "tag" + (data.status === "done" ? " ok" : bad ? " bad" : "");
    message.textContent = data.message;
    message.className = bad ? "error" : "";
    if (data.download_url) {
      var link = download.querySelector("a");
      link.href = data.download_url;
      link.textContent = "下载结果：" + (data.download_name || "");
      download.hidden = false;
    }
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
      .then(function (data) {
        show(data);
        if (!data.finished) {
          delay = Math.min(delay * 1.5, 3000);
          window.setTimeout(poll, delay);
        }
      })
      .catch(function () { message.textContent = "暂时无法获取进度，请稍后刷新本页。"; });
  }
  if (box.getAttribute("data-task-finished") !== "1") { poll(); }
})();
