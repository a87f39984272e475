// Stock forms: search the item lists, offer only the chosen item's lots and packs, add rows.
// Plain JavaScript served by the app; every form also works without it.
// Lists are rebuilt from a copy of their options rather than hiding options: phone browsers
// (Safari on iOS) ignore `hidden` on <option>.
(function () {
  "use strict";

  var allOptions = new WeakMap();
  var rowsBox = document.querySelector("[data-rows]");
  var filter = document.querySelector("[data-item-filter]");
  var blankRow = rowsBox && rowsBox.querySelector("[data-row]").cloneNode(true);
  var datalists = 0;

  function remember(scope) {
    scope.querySelectorAll("[data-item-select], [data-lot-select]").forEach(function (select) {
      allOptions.set(select, Array.prototype.map.call(select.options, function (option) {
        return option.cloneNode(true);
      }));
    });
  }

  function offer(select, wanted) {
    var value = select.value;
    while (select.options.length) { select.remove(0); }
    allOptions.get(select).forEach(function (option) {
      if (option.value === "" || option.value === value || wanted(option)) {
        select.appendChild(option.cloneNode(true));
      }
    });
    select.value = value;
  }

  function chosenItem(row) {
    var item = row.querySelector("[data-item-select]");
    return item && item.selectedOptions.length ? item.selectedOptions[0] : null;
  }

  function syncLots(row) {
    var lots = row.querySelector("[data-lot-select]");
    var item = chosenItem(row);
    if (!lots) { return; }
    if (item && lots.value && lots.selectedOptions[0].dataset.item !== item.value) {
      lots.value = "";
    }
    offer(lots, function (option) { return item && option.dataset.item === item.value; });
  }

  function syncPacks(row) {
    var input = row.querySelector("[data-pack-input]");
    var item = chosenItem(row);
    if (!input) { return; }
    if (!input.list) {
      var list = document.createElement("datalist");
      datalists += 1;
      list.id = "packs-" + datalists;
      row.appendChild(list);
      input.setAttribute("list", list.id);
    }
    input.list.replaceChildren();
    ((item && item.dataset.packs) || "").split(",").filter(Boolean).forEach(function (name) {
      var option = document.createElement("option");
      option.value = name;
      input.list.appendChild(option);
    });
  }

  function filterItems(scope) {
    var needle = filter ? filter.value.trim().toLowerCase() : "";
    scope.querySelectorAll("[data-item-select]").forEach(function (select) {
      offer(select, function (option) {
        return option.textContent.toLowerCase().indexOf(needle) !== -1;
      });
    });
  }

  function prepare(row) {
    syncLots(row);
    syncPacks(row);
  }

  document.addEventListener("change", function (event) {
    if (event.target.matches("[data-item-select]")) { prepare(event.target.closest("[data-row]")); }
  });
  document.addEventListener("input", function (event) {
    if (event.target === filter) { filterItems(document); }
  });
  document.addEventListener("click", function (event) {
    if (!event.target.closest("[data-add-row]") || !blankRow) { return; }
    var row = blankRow.cloneNode(true);
    var place = rowsBox.querySelectorAll("[data-row]").length;
    row.querySelectorAll("input, select").forEach(function (field) { field.value = ""; });
    row.querySelectorAll("[list]").forEach(function (field) { field.removeAttribute("list"); });
    row.querySelectorAll(".invalid-feedback, [id$='-error'], datalist").forEach(function (node) {
      node.remove();
    });
    row.querySelectorAll(".is-invalid").forEach(function (field) {
      field.classList.remove("is-invalid");
      field.removeAttribute("aria-invalid");
      field.removeAttribute("aria-describedby");
    });
    // Ids stay unique: line-<row>-<field>, and each label still points at its own field.
    row.querySelectorAll("[id^='line-'], label[for^='line-']").forEach(function (node) {
      ["id", "for"].forEach(function (name) {
        var value = node.getAttribute(name);
        if (value) { node.setAttribute(name, value.replace(/^line-\d+-/, "line-" + place + "-")); }
      });
    });
    remember(row);
    rowsBox.appendChild(row);
    filterItems(row);
    prepare(row);
    row.querySelector("select, input").focus();
  });

  remember(document);
  document.querySelectorAll("[data-row]").forEach(prepare);
}());
