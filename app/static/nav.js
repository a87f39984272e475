// The phone menu and closable messages: all the JavaScript the page frame needs, instead of
// Bootstrap's 80 KB (bootstrap.min.js and popper). Without it the menu button does nothing
// and the messages stay; everything else works.
document.querySelectorAll("[data-menu-toggle]").forEach(function (button) {
  var menu = document.getElementById(button.getAttribute("aria-controls"));
  button.addEventListener("click", function () {
    var open = menu.classList.toggle("show");
    button.setAttribute("aria-expanded", open ? "true" : "false");
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && menu.classList.contains("show")) {
      menu.classList.remove("show");
      button.setAttribute("aria-expanded", "false");
      button.focus();
    }
  });
});
document.querySelectorAll("[data-dismiss-alert]").forEach(function (button) {
  button.addEventListener("click", function () { button.closest(".alert").remove(); });
});
