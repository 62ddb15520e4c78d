// Reload the page after the seconds in data-refresh of #preparing (the explanation is computed by the
// worker; the page shows it as soon as it is there). Nothing happens when the element is absent.
(function () {
  "use strict";
  var waiting = document.getElementById("preparing");
  if (!waiting) return;
  var seconds = parseInt(waiting.getAttribute("data-refresh") || "5", 10);
  window.setTimeout(function () { window.location.reload(); }, seconds * 1000);
})();
