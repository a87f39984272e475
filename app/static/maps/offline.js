// Map pages: register the worker that keeps the last copy of each map page for when the
// network drops (app/maps/offline_views.py says why a worker), and show the banner with the
// time of the data when the page is that kept copy or the connection drops while it is open.
(function () {
  var me = document.currentScript;
  var banner = document.querySelector("[data-offline-banner]");
  var keptCopy = document.documentElement.hasAttribute("data-offline-copy");
  function show(visible) { if (banner) { banner.classList.toggle("d-none", !visible); } }
  show(keptCopy);
  window.addEventListener("offline", function () { show(true); });
  window.addEventListener("online", function () { show(keptCopy); });
  // Workers need HTTPS (or localhost): on plain HTTP the map still works, only not offline.
  if ("serviceWorker" in navigator && window.isSecureContext && me) {
    navigator.serviceWorker.register(me.dataset.worker, { scope: me.dataset.scope })
      .catch(function () { /* no offline copy this time; the map itself is drawn */ });
  }
})();
