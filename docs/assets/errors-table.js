/* Filter, sort and share the all-errors table (generator/templates/all_errors_table.html.jinja).
 *
 * The filter state lives in the URL query (?q=&status=&module=&type=&sort=&dir=) so a filtered
 * view can be shared; controls are plain form elements and buttons, so it all works from the
 * keyboard. Re-initialised on every page view of Material's instant navigation. */
(function () {
  "use strict";

  var PARAMS = ["q", "status", "module", "type"];

  function rowText(row) {
    if (!row._ecText) {
      row._ecText = row.textContent.toLowerCase().replace(/\s+/g, " ");
    }
    return row._ecText;
  }

  function sortValue(row, key) {
    var cell = { status: 0, type: 1, message: 2, modules: 3, remedy: 4 }[key];
    var text = row.cells[cell].textContent.trim();
    if (key === "status") {
      var code = parseInt(row.dataset.status, 10);
      return isNaN(code) ? 1000 : code;
    }
    return text.toLowerCase();
  }

  function init(root) {
    if (root.dataset.ecReady) return;
    root.dataset.ecReady = "1";
    var form = root.querySelector("form");
    var tbody = root.querySelector("tbody");
    var rows = Array.prototype.slice.call(tbody.rows);
    var count = root.querySelector("[data-ec-count]");
    var empty = root.querySelector("[data-ec-empty]");
    var sortButtons = root.querySelectorAll("[data-ec-sort]");
    var state = { sort: "status", dir: "asc" };

    function readUrl() {
      var query = new URLSearchParams(window.location.search);
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
      state.dir = query.get("dir") === "desc" ? "desc" : "asc";
    }

    function writeUrl() {
      var query = new URLSearchParams(window.location.search);
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

    function apply() {
      var needle = form.elements.q.value.trim().toLowerCase();
      var status = form.elements.status.value;
      var module = form.elements.module.value;
      var type = form.elements.type.value;
      var shown = 0;
      rows.forEach(function (row) {
        var visible =
          (!needle || rowText(row).indexOf(needle) !== -1) &&
          (!status || row.dataset.status === status) &&
          (!module || (" " + row.dataset.modules + " ").indexOf(" " + module + " ") !== -1) &&
          (!type || row.dataset.type === type);
        row.hidden = !visible;
        if (visible) shown += 1;
      });
      count.textContent = shown === rows.length
        ? "共 " + rows.length + " 个错误"
        : "显示 " + shown + " / " + rows.length + " 个错误";
      empty.hidden = shown !== 0;
    }

    function applySort() {
      var factor = state.dir === "desc" ? -1 : 1;
      var keyed = rows.map(function (row, index) {
        return { row: row, value: sortValue(row, state.sort), index: index };
      });
      keyed.sort(function (a, b) {
        if (a.value < b.value) return -factor;
        if (a.value > b.value) return factor;
        return a.index - b.index;
      });
      var fragment = document.createDocumentFragment();
      keyed.forEach(function (item) { fragment.appendChild(item.row); });
      tbody.appendChild(fragment);
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
    sortButtons.forEach(function (button) {
      button.addEventListener("click", function () {
        var key = button.dataset.ecSort;
        state.dir = state.sort === key && state.dir === "asc" ? "desc" : "asc";
        state.sort = key;
        applySort();
        writeUrl();
      });
    });

    readUrl();
    applySort();
    apply();
    root.dataset.ecReady = "2";
  }

  function initAll() {
    document.querySelectorAll("[data-ec-table]").forEach(init);
  }

  if (typeof window.document$ !== "undefined" && window.document$.subscribe) {
    window.document$.subscribe(initAll);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", initAll);
  } else {
    initAll();
  }
})();
