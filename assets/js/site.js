// Comfort only: every page works without this file.
(function () {
  "use strict";
  // Close the phone menu after a link in it is followed within the page.
  document.querySelectorAll(".nav-toggle a").forEach(function (a) {
    a.addEventListener("click", function () {
      var d = a.closest("details");
      if (d) { d.open = false; }
    });
  });

  // The staff menu on phones: folded behind its Menu button, a disclosure the keyboard opens
  // with Enter or Space and closes with Escape. Wider screens always show the menu (CSS), and
  // without this script it is simply shown.
  var menuButton = document.querySelector(".staff-menu-button");
  var menu = menuButton && document.getElementById(menuButton.getAttribute("aria-controls"));
  if (menu) {
    var nav = menuButton.closest("nav");
    var setOpen = function (open) {
      menuButton.setAttribute("aria-expanded", open ? "true" : "false");
      nav.classList.toggle("is-folded", !open);
    };
    setOpen(false);
    menuButton.hidden = false;
    menuButton.addEventListener("click", function () {
      setOpen(menuButton.getAttribute("aria-expanded") !== "true");
    });
    nav.addEventListener("keydown", function (e) {
      if (e.key === "Escape" && menuButton.getAttribute("aria-expanded") === "true" &&
          getComputedStyle(menuButton).display !== "none") {
        setOpen(false);
        menuButton.focus();
      }
    });
  }
})();
