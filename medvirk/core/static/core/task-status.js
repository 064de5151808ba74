// Progressive enhancement for the background-task status page: while the task runs, ask
// the server every two seconds how far it has come, and reload the page when it is done.
// Without JavaScript the page has a link that reloads it.
(function () {
  "use strict";
  var box = document.querySelector("[data-task-status]");
  if (!box || box.getAttribute("data-finished") === "true") {
    return;
  }
  var bar = document.getElementById("task-progress");
  function poll() {
    fetch(box.getAttribute("data-task-status"), { headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        if (data.finished) {
          window.location.reload();
          return;
        }
        if (bar) {
          bar.value = data.percent;
          bar.textContent = data.percent + " %";
        }
        window.setTimeout(poll, 2000);
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 2000);
})();
