// Choose in the room: fetch the page again every few seconds, so the counts keep up with the
// phones. Without this script the "Show the latest counts" link does the same. Someone who
// asked for less motion gets no automatic changes: they use the link.
(function () {
  "use strict";
  if (!document.querySelector("[data-agenda-room]")) return;
  if (window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches) return;
  window.setTimeout(function () { window.location.reload(); }, 10000);
})();
