// The waiting page for a PDF: download it as soon as it is ready. Without this script the
// page still works: "Download the PDF" fetches it, or brings this page back until it is ready.
(function () {
  "use strict";
  var box = document.querySelector(".pdf-wait");
  if (!box || !window.fetch) return;
  var download = box.querySelector("[data-download]");
  var message = box.querySelector("[data-ready-message]");
  var heading = document.querySelector("h1[data-ready-title]");
  function check() {
    fetch(box.getAttribute("data-status-url"), {
      credentials: "same-origin",
      headers: { Accept: "application/json" }
    })
      .then(function (reply) {
        if (reply.status === 404) window.location.reload(); // gone: the page says so
        if (!reply.ok) throw new Error(reply.status);
        return reply.json();
      })
      .then(function (state) {
        if (state.status === "ready") {
          box.querySelectorAll("[data-not-ready]").forEach(function (p) { p.hidden = true; });
          document.title = document.title.replace(heading.textContent, heading.dataset.readyTitle);
          heading.textContent = heading.dataset.readyTitle;
          message.hidden = false;
          window.location.href = download.href;
        } else if (state.status === "failed") {
          window.location.reload();
        } else {
          window.setTimeout(check, 1000);
        }
      })
      .catch(function () {
        window.setTimeout(check, 5000);
      });
  }
  window.setTimeout(check, 700);
})();
