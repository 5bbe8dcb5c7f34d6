/* The theme's chrome for keyboard and screen-reader users, on every page.
 *
 * - The navigation drawer (phones and tablets: Material's primary sidebar slides in when the
 *   #__drawer toggle is checked) is inert while it is closed: off screen, its links were Tab stops
 *   nobody could see. Where the sidebar is a sidebar (wide screens) it stays reachable.
 * - A table wrapper that scrolls sideways (Material wraps every table in .md-typeset__scrollwrap)
 *   is a named region in the Tab order, so a keyboard can scroll it (axe
 *   scrollable-region-focusable); its name is the edition's (<meta name="ec-scroll-region-label">,
 *   generator/theme_overrides/main.html). A wrapper that fits gets no Tab stop.
 *
 * Material's instant navigation replaces the page's sidebar and content, so both are applied again
 * after each page view; the drawer toggle and the media query outlive page views. */
(function () {
  "use strict";

  // Material's breakpoint below which the primary sidebar is a drawer (76.25em, less 1px).
  var DRAWER_MEDIA = window.matchMedia("(max-width: 76.234375em)");
  var SCROLL_REGION = "data-ec-scroll-region";
  var resizeObserver = typeof ResizeObserver === "function" ? new ResizeObserver(onResized) : null;

  function drawerToggle() {
    return document.getElementById("__drawer");
  }

  function applyDrawerState() {
    var toggle = drawerToggle();
    var closed = DRAWER_MEDIA.matches && !(toggle && toggle.checked);
    document.querySelectorAll(".md-sidebar--primary").forEach(function (drawer) {
      drawer.inert = closed;
    });
  }

  function scrollRegionLabel() {
    var meta = document.querySelector('meta[name="ec-scroll-region-label"]');
    return meta ? meta.content : "";
  }

  function markIfScrolling(wrapper) {
    var scrolls = wrapper.scrollWidth > wrapper.clientWidth;
    if (scrolls && !wrapper.hasAttribute(SCROLL_REGION)) {
      wrapper.setAttribute(SCROLL_REGION, "");
      wrapper.setAttribute("tabindex", "0");
      wrapper.setAttribute("role", "region");
      wrapper.setAttribute("aria-label", scrollRegionLabel());
    } else if (!scrolls && wrapper.hasAttribute(SCROLL_REGION)) {
      ["tabindex", "role", "aria-label", SCROLL_REGION].forEach(function (name) {
        wrapper.removeAttribute(name);
      });
    }
  }

  function onResized(records) {
    records.forEach(function (record) {
      var wrapper = record.target.closest(".md-typeset__scrollwrap");
      if (wrapper) markIfScrolling(wrapper);
    });
  }

  function watchScrollRegions() {
    if (resizeObserver) resizeObserver.disconnect();  // the last page's wrappers are gone
    document.querySelectorAll(".md-typeset__scrollwrap").forEach(function (wrapper) {
      markIfScrolling(wrapper);
      if (resizeObserver) {
        // The wrapper's own size changes with the screen, its table's when rows are drawn.
        resizeObserver.observe(wrapper);
        if (wrapper.firstElementChild) resizeObserver.observe(wrapper.firstElementChild);
      }
    });
  }

  function onPageView() {
    applyDrawerState();
    watchScrollRegions();
  }

  document.addEventListener("change", function (event) {
    if (event.target === drawerToggle()) applyDrawerState();
  });
  DRAWER_MEDIA.addEventListener("change", applyDrawerState);

  if (typeof window.document$ !== "undefined" && window.document$.subscribe) {
    window.document$.subscribe(onPageView);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", onPageView);
  } else {
    onPageView();
  }
})();
