// Every form that posts: while it is being sent, its submit buttons are disabled and say
// "Sending…" (the text comes translated in this script tag's data-sending), so a second tap
// on a slow connection does not send it again. Coming back with the browser's back button
// (the page restored from its cache) gives working buttons again.
(function () {
  "use strict";

  var script = document.currentScript;
  var sending = (script && script.dataset.sending) || "…";
  var GIVE_BACK_MS = 30000; // a download answered in place never leaves the page

  function buttons(form) {
    return Array.prototype.filter.call(form.elements, function (field) {
      return field.type === "submit" && (field.tagName === "BUTTON" || field.tagName === "INPUT");
    });
  }

  function restore(form) {
    delete form.dataset.sending;
    buttons(form).forEach(function (button) {
      if (button.dataset.label === undefined) { return; }
      if (button.tagName === "INPUT") { button.value = button.dataset.label; } else {
        button.innerHTML = button.dataset.label;
      }
      delete button.dataset.label;
      button.disabled = false;
      button.removeAttribute("aria-busy");
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if ((form.method || "").toLowerCase() !== "post" || event.defaultPrevented) { return; }
    if (form.dataset.sending) { event.preventDefault(); return; } // already on its way
    form.dataset.sending = "1";
    // Disabled after the browser has read the form, so the pressed button's value still goes.
    window.setTimeout(function () {
      buttons(form).forEach(function (button) {
        button.dataset.label = button.tagName === "INPUT" ? button.value : button.innerHTML;
        if (button.tagName === "INPUT") { button.value = sending; } else {
          button.textContent = sending;
        }
        button.disabled = true;
        button.setAttribute("aria-busy", "true");
      });
    }, 0);
    window.setTimeout(function () { restore(form); }, GIVE_BACK_MS);
  });

  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[data-sending]").forEach(restore);
  });
}());
