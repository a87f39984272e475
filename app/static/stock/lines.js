// Stock forms: filter the item lists, show only the chosen item's lots, add line rows.
// Plain JavaScript served by the app; every form also works without it.
(function () {
  "use strict";

  function syncLots(row) {
    var item = row.querySelector("[data-item-select]");
    var lots = row.querySelector("[data-lot-select]");
    if (!item || !lots) { return; }
    Array.prototype.forEach.call(lots.options, function (option) {
      var mine = !option.dataset.item || option.dataset.item === item.value;
      option.hidden = !mine;
      if (!mine && option.selected) { lots.value = ""; }
    });
  }

  function filterItems(text) {
    var needle = text.trim().toLowerCase();
    document.querySelectorAll("[data-item-select]").forEach(function (select) {
      Array.prototype.forEach.call(select.options, function (option) {
        option.hidden = option.value !== "" && needle !== "" &&
          option.textContent.toLowerCase().indexOf(needle) === -1;
      });
    });
  }

  document.addEventListener("change", function (event) {
    if (event.target.matches("[data-item-select]")) {
      syncLots(event.target.closest("[data-row]"));
    }
  });
  document.addEventListener("input", function (event) {
    if (event.target.matches("[data-item-filter]")) { filterItems(event.target.value); }
  });
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-add-row]");
    if (!button) { return; }
    var rows = document.querySelector("[data-rows]");
    var last = rows.querySelector("[data-row]:last-of-type");
    var copy = last.cloneNode(true);
    copy.querySelectorAll("input, select").forEach(function (field) { field.value = ""; });
    copy.querySelectorAll(".invalid-feedback").forEach(function (message) { message.remove(); });
    copy.querySelectorAll(".is-invalid").forEach(function (field) { field.classList.remove("is-invalid"); });
    rows.appendChild(copy);
    syncLots(copy);
  });
  document.querySelectorAll("[data-row]").forEach(syncLots);
}());
