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
})();
