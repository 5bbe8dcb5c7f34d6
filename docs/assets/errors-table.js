/* Filter, sort and share the all-errors table (generator/templates/_base/all_errors_table.html.jinja).
 *
 * The rows come from all-errors.json (generator/site.py: all_errors_rows) and are drawn a page
 * at a time: a filter keystroke scans the data, not the DOM, so the table answers as fast at
 * many thousands of errors as at a hundred. The filter state lives in the URL query (?keyword=
 * &status=&module=&type=&sort=&dir=) so a filtered view can be shared (the copy-link button copies
 * it); controls are plain form elements and buttons, so it all works from the keyboard. The
 * keyword is not ?q=, which the theme's search takes for its own and opens its overlay on; links
 * made with ?q= before still restore their view. Re-initialised on every page view of Material's instant
 * navigation. */
(function () {
  "use strict";

  // Loaded inside Material's container, whose scripts instant navigation runs again on every
  // visit to the page: the first run sets everything up (and keeps the rows), later runs stop here.
  if (window.easemobErrorsTable) return;
  window.easemobErrorsTable = true;

  var PARAMS = ["keyword", "status", "module", "type"];
  var LEGACY_KEYWORD = "q";
  var PAGE_SIZE = 300;
  var loaded = {};  // rows file URL -> promise of its parsed rows, shared across page views

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  /* Mirrors render.html_prose: `backtick` spans become <code>, everything else is escaped. */
  function proseHtml(text) {
    var parts = text.split("`");
    if (parts.length % 2 === 0) return escapeHtml(text);
    return parts.map(function (part, i) {
      return i % 2 ? "<code>" + escapeHtml(part) + "</code>" : escapeHtml(part);
    }).join("");
  }

  /* The texts and URL patterns the page hands this script (generator/ui_text.yaml, generator/urls.py). */
  function readScriptData(root) {
    var data = JSON.parse(root.dataset.ecScriptData);
    function fill(pattern, values, encode) {
      return pattern.replace(/\{(\w+)\}/g, function (whole, name) {
        return name in values ? (encode ? encodeURIComponent(values[name]) : String(values[name])) : whole;
      });
    }
    return {
      text: function (key, values) { return fill(data.text[key], values || {}, false); },
      url: function (name, values) { return fill(data.urls[name], values, true); }
    };
  }

  function toEntry(row, index, moduleNames, ui) {
    var modules = row[5];
    var moduleText = modules.indexOf("all") !== -1 ? ui.text("stand_in.all_apis") : modules.map(function (key) {
      return moduleNames[key] || key;
    }).join(ui.text("list.separator"));
    var errorText = row[3] === null ? ui.text("stand_in.error_missing") : row[3];
    var entry = {
      index: index,
      slug: row[0],
      status: row[1],
      statusText: row[2],
      error: row[3],
      message: row[4] !== null ? row[4] : row[7],  // the literal, or what stands in for it
      messageIsLiteral: row[4] !== null,
      modules: modules,
      moduleText: moduleText,
      remedy: row[6],
      html: null
    };
    entry.sortKeys = {
      status: entry.status === null ? 1000 : entry.status,
      type: errorText.toLowerCase(),
      message: entry.message.toLowerCase(),
      modules: moduleText.toLowerCase(),
      remedy: entry.remedy.replace(/`/g, "").toLowerCase()
    };
    entry.errorText = errorText;
    entry.text = [entry.statusText, errorText, entry.message,
      moduleText, entry.remedy.replace(/`/g, "")].join(" ").toLowerCase().replace(/\s+/g, " ");
    return entry;
  }

  /* Each cell names its column (data-label), for the phone layout that shows a row as a card of
     labelled lines (docs/assets/extra.css); the names are the page's own column headers. */
  function cellOpeners(table) {
    return Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
      return '<td data-label="' + escapeHtml(th.textContent.trim()) + '">';
    });
  }

  function rowHtml(entry, ui, moduleNames, td) {
    if (entry.html !== null) return entry.html;
    var status = entry.status !== null
      ? '<a href="' + escapeHtml(ui.url("status", { code: entry.status })) + '">' + entry.status + "</a>"
      : escapeHtml(entry.statusText);
    var modules = entry.modules.indexOf("all") !== -1 ? escapeHtml(ui.text("stand_in.all_apis")) : entry.modules.map(function (key) {
      return '<a href="' + escapeHtml(ui.url("module", { key: key })) + '">' +
        escapeHtml(moduleNames[key] || key) + "</a>";
    }).join(escapeHtml(ui.text("list.separator")));
    // Literal API text is English in either edition (as generator/escape.py md_code marks it).
    var error = entry.error !== null ? '<code lang="en">' + escapeHtml(entry.error) + "</code>" : escapeHtml(entry.errorText);
    var message = entry.messageIsLiteral ? '<code lang="en">' + escapeHtml(entry.message) + "</code>" : escapeHtml(entry.message);
    entry.html =
      '<tr data-status="' + (entry.status === null ? "none" : entry.status) +
      '" data-type="' + escapeHtml(entry.error === null ? "none" : entry.error) +
      '" data-modules="' + escapeHtml(entry.modules.join(" ")) + '">' +
      td[0] + status + "</td>" +
      td[1] + error + "</td>" +
      td[2] + '<a href="' + escapeHtml(ui.url("entry", { slug: entry.slug })) + '">' + message + "</a></td>" +
      td[3] + modules + "</td>" +
      td[4] + proseHtml(entry.remedy) + "</td></tr>";
    return entry.html;
  }

  function load(url, ui) {
    if (!loaded[url]) {
      loaded[url] = fetch(url).then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      }).then(function (data) {
        return {
          moduleNames: data.modules,
          entries: data.rows.map(function (row, i) { return toEntry(row, i, data.modules, ui); })
        };
      });
      loaded[url].catch(function () { delete loaded[url]; });  // a later page view tries again
    }
    return loaded[url];
  }

  function init(root) {
    if (root.dataset.ecReady) return;
    root.dataset.ecReady = "1";
    var form = root.querySelector("form");
    var tbody = root.querySelector("tbody");
    var count = root.querySelector("[data-ec-count]");
    var empty = root.querySelector("[data-ec-empty]");
    var moreRow = root.querySelector("[data-ec-more-row]");
    var moreButton = root.querySelector("[data-ec-more]");
    var sortButtons = root.querySelectorAll("[data-ec-sort]");
    var ui = readScriptData(root);
    var td = cellOpeners(root.querySelector("table"));
    var state = { sort: "status", dir: "asc" };
    var entries = [];
    var moduleNames = {};
    var matches = [];
    var drawn = 0;

    function readUrl() {
      var query = new URLSearchParams(window.location.search);
      if (query.has(LEGACY_KEYWORD)) {
        if (!query.has("keyword")) query.set("keyword", query.get(LEGACY_KEYWORD));
        closeThemeSearch();
      }
      PARAMS.forEach(function (name) {
        var control = form.elements[name];
        var value = query.get(name) || "";
        if (control.tagName === "SELECT" && value &&
            !Array.prototype.some.call(control.options, function (o) { return o.value === value; })) {
          value = "";
        }
        control.value = value;
      });
      state.sort = query.get("sort") || "status";
      if (!entries.length || !(state.sort in entries[0].sortKeys)) state.sort = "status";
      state.dir = query.get("dir") === "desc" ? "desc" : "asc";
    }

    function writeUrl() {
      var query = new URLSearchParams(window.location.search);
      query.delete(LEGACY_KEYWORD);
      PARAMS.forEach(function (name) {
        var value = form.elements[name].value;
        if (value) query.set(name, value); else query.delete(name);
      });
      if (state.sort !== "status" || state.dir !== "asc") {
        query.set("sort", state.sort);
        query.set("dir", state.dir);
      } else {
        query.delete("sort");
        query.delete("dir");
      }
      var search = query.toString();
      var url = window.location.pathname + (search ? "?" + search : "") + window.location.hash;
      window.history.replaceState(window.history.state, "", url);
    }

    function drawMore() {
      var next = matches.slice(drawn, drawn + PAGE_SIZE);
      tbody.insertAdjacentHTML("beforeend", next.map(function (entry) {
        return rowHtml(entry, ui, moduleNames, td);
      }).join(""));
      drawn += next.length;
      var left = matches.length - drawn;
      moreRow.hidden = left <= 0;
      moreButton.textContent = ui.text("all_errors.more_left", { count: left });
    }

    function apply() {
      var needle = form.elements.keyword.value.trim().toLowerCase().replace(/\s+/g, " ");
      var status = form.elements.status.value;
      var module = form.elements.module.value;
      var type = form.elements.type.value;
      matches = entries.filter(function (entry) {
        return (!needle || entry.text.indexOf(needle) !== -1) &&
          (!status || String(entry.status === null ? "none" : entry.status) === status) &&
          (!module || entry.modules.indexOf(module) !== -1) &&
          (!type || (entry.error === null ? "none" : entry.error) === type);
      });
      tbody.textContent = "";
      drawn = 0;
      drawMore();
      count.textContent = matches.length === entries.length
        ? ui.text("all_errors.count", { count: entries.length })
        : ui.text("all_errors.count_filtered", { shown: matches.length, total: entries.length });
      empty.hidden = matches.length !== 0;
    }

    function applySort() {
      var factor = state.dir === "desc" ? -1 : 1;
      var key = state.sort;
      entries.sort(function (a, b) {
        var x = a.sortKeys[key], y = b.sortKeys[key];
        if (x < y) return -factor;
        if (x > y) return factor;
        return a.index - b.index;
      });
      sortButtons.forEach(function (button) {
        var th = button.closest("th");
        th.setAttribute("aria-sort", button.dataset.ecSort === state.sort
          ? (state.dir === "asc" ? "ascending" : "descending") : "none");
      });
    }

    form.addEventListener("input", function () { apply(); writeUrl(); });
    form.addEventListener("change", function () { apply(); writeUrl(); });
    form.addEventListener("reset", function () {
      window.setTimeout(function () { apply(); writeUrl(); }, 0);
    });
    moreButton.addEventListener("click", drawMore);
    var copyButton = root.querySelector("[data-ec-copy-link]");
    var copyStatus = root.querySelector("[data-ec-copy-status]");
    if (copyButton) copyButton.addEventListener("click", function () {
      copyText(window.location.href).then(function () {
        copyStatus.textContent = ui.text("all_errors.copied");
      }, function () {
        copyStatus.textContent = ui.text("all_errors.copy_failed");
      });
    });
    // Printed, the table holds every matching row: paper has no "show more" button.
    root.ecDrawAll = function () {
      while (drawn < matches.length) drawMore();
    };
    sortButtons.forEach(function (button) {
      button.addEventListener("click", function () {
        var key = button.dataset.ecSort;
        state.dir = state.sort === key && state.dir === "asc" ? "desc" : "asc";
        state.sort = key;
        applySort();
        apply();
        writeUrl();
      });
    });

    count.textContent = ui.text("all_errors.loading");
    var started = performance.now();
    load(root.dataset.rows, ui).then(function (data) {
      var arrived = performance.now();
      moduleNames = data.moduleNames;
      entries = data.entries.slice();  // sorting this view leaves the shared copy alone
      var legacy = new URLSearchParams(window.location.search).has(LEGACY_KEYWORD);
      readUrl();
      applySort();
      apply();
      if (legacy) writeUrl();  // the link now says ?keyword=, which the theme's search leaves alone
      // For benchmarks/browser_bench.py: getting the rows ready, then drawing the first page.
      root.dataset.ecDataMs = (arrived - started).toFixed(1);
      root.dataset.ecFirstRenderMs = (performance.now() - arrived).toFixed(1);
      root.dataset.ecReady = "2";
    }, function (error) {
      count.textContent = ui.text("all_errors.load_failed", { reason: error.message });
      root.dataset.ecReady = "failed";
    });
  }

  /* An old ?q= link: the theme's search has opened its overlay over the table; close it. */
  function closeThemeSearch() {
    var toggle = document.getElementById("__search");
    if (toggle && toggle.checked) {
      toggle.checked = false;
      toggle.dispatchEvent(new Event("change"));
    }
    var themeInput = document.querySelector("input.md-search__input");
    if (themeInput) themeInput.value = "";
  }

  /* The Clipboard API where the page may use it; else a selected text area and the copy command. */
  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
    return new Promise(function (resolve, reject) {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.style.position = "fixed";
      area.style.opacity = "0";
      document.body.appendChild(area);
      area.select();
      var copied = false;
      try { copied = document.execCommand("copy"); } catch (error) { copied = false; }
      document.body.removeChild(area);
      if (copied) resolve(); else reject(new Error("copy"));
    });
  }

  function initAll() {
    document.querySelectorAll("[data-ec-table]").forEach(init);
  }

  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("[data-ec-table]").forEach(function (root) {
      if (root.ecDrawAll) root.ecDrawAll();
    });
  });

  if (typeof window.document$ !== "undefined" && window.document$.subscribe) {
    window.document$.subscribe(initAll);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", initAll);
  } else {
    initAll();
  }
})();
