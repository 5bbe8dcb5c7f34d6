/* The language switch leads to the same page in the other edition (generator/editions.py).
 *
 * Each page's head lists its twins (<link rel="alternate" hreflang data-ec-twin>), and the build
 * points the switch at them. Material's instant navigation replaces the page and its head but
 * not the header, so after each page view the switch takes its links from the head again. */
(function () {
  "use strict";

  function pointSwitchAtTwins() {
    document.querySelectorAll("link[rel=alternate][hreflang][data-ec-twin]").forEach(function (twin) {
      var lang = twin.getAttribute("hreflang");
      document.querySelectorAll("a.md-select__link[hreflang]").forEach(function (link) {
        if (link.getAttribute("hreflang") === lang) link.href = new URL(twin.dataset.ecTwin, window.location.href).href;
      });
    });
  }

  if (typeof window.document$ !== "undefined" && window.document$.subscribe) {
    window.document$.subscribe(pointSwitchAtTwins);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", pointSwitchAtTwins);
  } else {
    pointSwitchAtTwins();
  }
})();
