/* Paste-the-error lookup (the lookup/ page), and the matcher it runs on catalog.json.
 *
 * The matcher follows generator/match.py step by step (not line for line): the same constants
 * (MAX_QUERY_LENGTH, MAX_JSON_DEPTH, WHITESPACE) and the template pieces that catalog.json
 * exports. Both run tests/data/lookup_vectors.json and must rank identically, so change them
 * together. Every step is linear in the query, which is cut at MAX_QUERY_LENGTH characters.
 * Ranking, best first: 100 status + type + message template, 90 type + message, 80 message only,
 * 60/65 type only (+status), 40 status only, <40 words in common (fuzzy). A request line in the
 * paste (method, then path or URL) names the API whose limit rate-limit results show
 * (requestedApis, as match.py requested_apis). */
(function () {
  "use strict";

  // Pages load this script inside Material's container, whose scripts instant navigation runs
  // again on every visit to such a page: the first run sets everything up, later runs stop here.
  if (window.easemobErrors) return;

  var MAX_RESULTS = 10;
  var MAX_QUERY_LENGTH = 16384;  // characters (code points, as Python counts them)
  var MAX_JSON_DEPTH = 100;  // deeper bodies go to the field scan, as in match.py (json.loads recurses)
  // Everything Python's str.split() or JavaScript's \s calls blank (generator/message_template.py).
  var WHITESPACE = "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff";
  var BLANK_RUN = new RegExp("[" + WHITESPACE + "]+");
  var HTTP_METHODS = ["GET", "POST", "PUT", "DELETE", "PATCH"];
  var REQUEST_PATH_LOOKAHEAD = 8;  // words after a method its path may come (curl options in between)
  var MAX_REQUEST_LINES = 100;  // method words tried for a request line, as in match.py
  var WRAPPERS = "\"'`\\[]()<>,;";  // quotes and brackets around a request line, as in match.py
  // ASCII digits and word boundary, as in match.py.
  var STATUS_LINE = new RegExp("HTTP/[0-9](?:\\.[0-9])?[" + WHITESPACE + "]+([0-9]{3})(?![0-9A-Za-z_])");

  function isBlank(char) {
    return WHITESPACE.indexOf(char) !== -1;
  }

  function strip(text) {
    var start = 0, end = text.length;
    while (start < end && isBlank(text[start])) start += 1;
    while (end > start && isBlank(text[end - 1])) end -= 1;
    return text.slice(start, end);
  }

  function normalizeMessage(text) {
    return text.split(BLANK_RUN).filter(Boolean).join(" ");
  }

  /* Code units at ``index``: 2 for a surrogate pair (one character to Python), else 1. */
  function charWidth(text, index) {
    var high = text.charCodeAt(index), low = text.charCodeAt(index + 1);
    return high >= 0xd800 && high <= 0xdbff && low >= 0xdc00 && low <= 0xdfff ? 2 : 1;
  }

  function cutQuery(text) {
    if (text.length <= MAX_QUERY_LENGTH) return text;
    var index = 0;
    for (var count = 0; count < MAX_QUERY_LENGTH && index < text.length; count++) index += charWidth(text, index);
    return text.slice(0, index);
  }

  /* generator/message_template.py pieces_match: the pieces in order, each middle one at its
   * leftmost place, at least one character for each placeholder; no regex, linear time. */
  function piecesMatch(pieces, message) {
    if (pieces.length === 1) return message === pieces[0];
    var first = pieces[0], last = pieces[pieces.length - 1];
    if (!message.startsWith(first)) return false;
    var end = first.length;
    for (var i = 1; i < pieces.length - 1; i++) {
      var found = end < message.length ? message.indexOf(pieces[i], end + charWidth(message, end)) : -1;
      if (found === -1) return false;
      end = found + pieces[i].length;
    }
    return message.length - last.length > end && message.endsWith(last);
  }

  function nestsDeeperThan(text, limit) {
    var depth = 0, inString = false, escaped = false;
    for (var i = 0; i < text.length; i++) {
      var char = text[i];
      if (inString) {
        if (escaped) escaped = false;
        else if (char === "\\") escaped = true;
        else if (char === '"') inString = false;
      } else if (char === '"') inString = true;
      else if (char === "[" || char === "{") {
        depth += 1;
        if (depth > limit) return true;
      } else if (char === "]" || char === "}") depth -= 1;
    }
    return false;
  }

  function jsonObject(text) {
    if (nestsDeeperThan(text, MAX_JSON_DEPTH)) return null;
    var body;
    try { body = JSON.parse(text); } catch (e) { return null; }
    return body !== null && typeof body === "object" && !Array.isArray(body) ? body : null;
  }

  function skipBlanks(text, index) {
    while (index < text.length && isBlank(text[index])) index += 1;
    return index;
  }

  function closingQuote(text, index) {
    while (index < text.length) {
      var char = text[index];
      if (char === '"') return index;
      index += char === "\\" ? 2 : 1;
    }
    return -1;
  }

  /* The first "name": "..." string, decoded where it can be; a scan that never reads text twice. */
  function stringField(text, name) {
    var key = '"' + name + '"';
    for (var at = text.indexOf(key); at !== -1; at = text.indexOf(key, at + 1)) {
      var index = skipBlanks(text, at + key.length);
      if (text[index] !== ":") continue;
      index = skipBlanks(text, index + 1);
      if (text[index] !== '"') continue;
      var close = closingQuote(text, index + 1);
      if (close === -1) return null;  // a later key's closing quote would have closed this string
      var raw = text.slice(index + 1, close);
      try { return JSON.parse('"' + raw + '"'); } catch (e) { return raw; }
    }
    return null;
  }

  function textOrNull(value) {
    return typeof value === "string" ? value : null;
  }

  function fieldsFromJson(text) {
    var start = text.indexOf("{"), end = text.lastIndexOf("}");
    if (start !== -1 && end > start) {
      var candidate = text.slice(start, end + 1);
      // A body quoted inside a log line arrives with its quotes escaped: try it unescaped too.
      var tries = [candidate, candidate.split('\\"').join('"')];
      for (var i = 0; i < tries.length; i++) {
        var body = jsonObject(tries[i]);
        if (body !== null) return [textOrNull(body.error), textOrNull(body.error_description)];
      }
    }
    return [stringField(text, "error"), stringField(text, "error_description")];
  }

  function parseQuery(text, knownTypes) {
    text = strip(text);
    var status = null;
    var line = STATUS_LINE.exec(text);
    if (line) status = parseInt(line[1], 10);
    else if (/^[0-9]{3}$/.test(text)) status = parseInt(text, 10);
    var fields = fieldsFromJson(text);
    var error = fields[0], message = fields[1];
    if (error === null && message === null && status !== null && !line) {
      return { text: text, status: status, error: null, message: null };
    }
    if (error === null && message === null && !line) {
      if (knownTypes.has(text)) error = text;
      else {
        // Case-insensitive fallback; the first in sorted order wins so both matchers agree.
        var folded = Array.from(knownTypes).sort().find(function (t) { return t.toLowerCase() === text.toLowerCase(); });
        if (folded !== undefined) error = folded;
        else if (text) message = text;
      }
    }
    return { text: text, status: status, error: error, message: message };
  }

  function words(text) {
    return new Set(text.toLowerCase().match(/[a-z0-9_]+|[\u4e00-\u9fff]/g) || []);
  }

  /* What every query needs from each entry, computed once per catalog (at load, not per paste). */
  function prepare(catalog) {
    if (catalog._types) return catalog;
    var lang = catalog.lang;
    catalog.entries.forEach(function (entry) {
      entry._words = words([entry.error, entry.message, entry.cause[lang], entry.remedy[lang]].filter(Boolean).join(" "));
    });
    catalog._types = new Set(catalog.entries.map(function (e) { return e.error; }).filter(function (t) { return t !== null; }));
    // (method, segment count) -> the APIs of that shape, in catalog order
    catalog._apisByShape = new Map();
    (catalog.apis || []).forEach(function (api) {
      var shape = api.method + " " + api.path_pattern.length;
      if (!catalog._apisByShape.has(shape)) catalog._apisByShape.set(shape, []);
      catalog._apisByShape.get(shape).push(api);
    });
    return catalog;
  }

  /* Python's str.strip(WRAPPERS). */
  function stripWrappers(word) {
    var start = 0, end = word.length;
    while (start < end && WRAPPERS.indexOf(word[start]) !== -1) start += 1;
    while (end > start && WRAPPERS.indexOf(word[end - 1]) !== -1) end -= 1;
    return word.slice(start, end);
  }

  /* The segments of a request path or URL without query and fragment, or null. */
  function requestSegments(word) {
    var schemes = ["https://", "http://"];
    for (var i = 0; i < schemes.length; i++) {
      if (word.startsWith(schemes[i])) {
        var slash = word.indexOf("/", schemes[i].length);
        word = slash !== -1 ? word.slice(slash) : "/";
        break;
      }
    }
    if (!word.startsWith("/")) return null;
    ["?", "#"].forEach(function (mark) {
      var cut = word.indexOf(mark);
      if (cut !== -1) word = word.slice(0, cut);
    });
    return word.split("/").filter(Boolean);
  }

  /* The APIs whose pattern fits the segments, those with the most literal segments only. */
  function apisFor(catalog, method, segments) {
    var best = [], bestLiterals = -1;
    (catalog._apisByShape.get(method + " " + segments.length) || []).forEach(function (api) {
      var pattern = api.path_pattern, literals = 0;
      for (var i = 0; i < pattern.length; i++) {
        if (pattern[i] === null) continue;
        if (pattern[i] !== segments[i]) return;
        literals += 1;
      }
      if (literals > bestLiterals) { best = [api]; bestLiterals = literals; }
      else if (literals === bestLiterals) best.push(api);
    });
    return best;
  }

  /* The APIs the first request line of the text names; [] when it names none. */
  function requestedApis(catalog, text) {
    prepare(catalog);
    var found = [];
    var list = cutQuery(text).split(BLANK_RUN).map(stripWrappers);
    var tried = 0;
    for (var index = 0; index < list.length && !found.length; index++) {
      if (HTTP_METHODS.indexOf(list[index]) === -1) continue;
      tried += 1;
      if (tried > MAX_REQUEST_LINES) break;
      var stop = Math.min(list.length, index + 1 + REQUEST_PATH_LOOKAHEAD);
      for (var next = index + 1; next < stop; next++) {
        var segments = requestSegments(list[next]);
        if (segments === null) continue;
        found = apisFor(catalog, list[index], segments);
        break;  // the method's path names no API: try the next method word
      }
    }
    return found;
  }

  function wordsInCommon(a, b) {
    var small = a.size <= b.size ? a : b, large = small === a ? b : a;
    var common = 0;
    small.forEach(function (w) { if (large.has(w)) common += 1; });
    return common;
  }

  /* ``withWords`` false: only the exact signals (scores of 40 and more); words in common give 0. */
  function scoreEntry(entry, query, withWords) {
    var statusMatch = query.status !== null && entry.status === query.status;
    var typeMatch = query.error !== null && entry.error !== null && entry.error === query.error;
    var messageMatch = query.normalizedMessage !== null && (
      (entry.message_pieces !== null && piecesMatch(entry.message_pieces, query.normalizedMessage)) ||
      entry.former_message_pieces.some(function (pieces) { return piecesMatch(pieces, query.normalizedMessage); }));
    if (messageMatch && typeMatch && statusMatch) return 100;
    if (messageMatch && typeMatch) return 90;
    if (messageMatch) return 80;
    if (typeMatch) return statusMatch ? 65 : 60;
    if (statusMatch && query.error === null && query.message === null) return 40;
    if (!withWords || query.wanted.size === 0) return 0;
    return Math.floor(39 * wordsInCommon(query.wanted, entry._words) / query.wanted.size);
  }

  /* How a result matched (match.py match_kind): score_entry's tiers, and for a message match
   * whether the message is the documented one, an earlier one of the entry, or fits its template. */
  function matchKind(entry, query, score) {
    if (score >= 80) {
      if (entry.message !== null && normalizeMessage(entry.message) === query.normalizedMessage) return ["exact", false];
      var former = entry.former_message_pieces.some(function (pieces) {
        return pieces.length === 1 && pieces[0] === query.normalizedMessage;
      });
      return former ? ["exact", true] : ["template", false];
    }
    if (score >= 60) return ["type", false];
    return [score >= 40 ? "status" : "words", false];
  }

  /* The paste holds a message and no result has it: the results are guesses. */
  function messageUnmatched(catalog, text, matches) {
    prepare(catalog);
    return parseQuery(cutQuery(text), catalog._types).message !== null &&
      !matches.some(function (m) { return m.kind === "exact" || m.kind === "template"; });
  }

  function findMatches(catalog, text, limit) {
    prepare(catalog);
    var query = parseQuery(cutQuery(text), catalog._types);
    query.normalizedMessage = query.message !== null ? normalizeMessage(query.message) : null;
    query.wanted = words([query.error, query.message].filter(Boolean).join(" ") || query.text);
    limit = limit === undefined ? MAX_RESULTS : limit;
    // Words in common score below 40, so they can only reach the results when fewer than
    // ``limit`` entries match exactly; only then are they counted (same ranking either way).
    var best = [];
    var withWords = false;
    for (var pass = 0; pass < 2; pass++) {
      best = [];
      var matched = 0;
      catalog.entries.forEach(function (entry) {
        var score = scoreEntry(entry, query, withWords);
        if (score > 0) {
          matched += 1;
          var how = matchKind(entry, query, score);
          keepBest(best, { entry: entry, score: score, kind: how[0], former: how[1] }, limit);
        }
      });
      if (matched >= limit || withWords) break;
      withWords = true;
    }
    return best;
  }

  function ranksBefore(a, b) {
    if (a.score !== b.score) return a.score > b.score;
    if (a.entry.apis.length !== b.entry.apis.length) return a.entry.apis.length > b.entry.apis.length;
    return a.entry.slug < b.entry.slug;
  }

  /* ``best`` stays the first ``limit`` matches in rank order: the same list as sorting every match
   * (match.py does) and slicing, without sorting the thousands that share a single character
   * with a Chinese query. */
  function keepBest(best, match, limit) {
    if (best.length === limit && !ranksBefore(match, best[limit - 1])) return;
    var at = best.length;
    while (at > 0 && ranksBefore(match, best[at - 1])) at -= 1;
    best.splice(at, 0, match);
    if (best.length > limit) best.pop();
  }

  window.easemobErrors = { findMatches: findMatches, messageUnmatched: messageUnmatched, parseQuery: parseQuery, requestedApis: requestedApis };

  /* ---- the page ---- */

  /* The texts and URL patterns the page hands this script (generator/ui_text.yaml, generator/urls.py). */
  function readScriptData(box) {
    var data = JSON.parse(box.dataset.ecScriptData);
    function fill(pattern, values, encode) {
      return pattern.replace(/\{(\w+)\}/g, function (whole, name) {
        return name in values ? (encode ? encodeURIComponent(values[name]) : String(values[name])) : whole;
      });
    }
    return {
      lang: data.lang,
      text: function (key, values) { return fill(data.text[key], values || {}, false); },
      url: function (name, values) { return fill(data.urls[name], values, true); }
    };
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  // Literal API text is English in either edition (as generator/escape.py md_code marks it).
  function literalCode(text) {
    var code = element("code", null, text);
    code.lang = "en";
    return code;
  }

  function link(href, text) {
    var a = element("a", null, text);
    a.href = href;
    return a;
  }

  // Catalog prose: `backticks` are inline code, everything else is text (never HTML).
  function prose(tag, text) {
    var node = element(tag);
    var parts = text.split("`");
    if (parts.length % 2 === 0) { node.textContent = text; return node; }
    parts.forEach(function (part, i) {
      node.appendChild(i % 2 ? element("code", null, part) : document.createTextNode(part));
    });
    return node;
  }

  /* Under a call-limit result: the limit of each API the paste names, and where every limit is. */
  function rateLimitFacts(named, ui) {
    var dd = element("dd", "ec-result__limit");
    var shown = named.filter(function (api) { return api.rate_limit !== null; });
    shown.forEach(function (api) {
      var line = element("span", null, ui.text("lookup.limit_api", { title: api.title, method: api.method, path: api.path }) + api.rate_limit.shown);
      line.dataset.apiId = api.id;
      dd.appendChild(line);
      dd.appendChild(document.createTextNode(ui.text("list.sentence_break")));
    });
    if (!shown.length) dd.appendChild(document.createTextNode(ui.text("lookup.limit_unknown")));
    dd.appendChild(link(ui.url("rate_limits", {}), ui.text("lookup.limit_link")));
    return dd;
  }

  function renderResult(match, ui, modules, named) {
    var e = match.entry;
    var item = element("li", "ec-result");
    item.dataset.entrySlug = e.slug;
    item.dataset.match = match.kind;
    var label = ui.text(match.former ? "lookup.match_former" : "lookup.match_" + match.kind);
    item.appendChild(element("p", "ec-result__match ec-result__match--" + match.kind, label));
    var head = element("p", "ec-result__head");
    head.appendChild(element("span", "ec-result__status", e.shown.status));
    head.appendChild(e.error !== null ? literalCode(e.error) : document.createTextNode(e.shown.error));
    head.appendChild(document.createTextNode(" "));
    var title = link(ui.url("entry", { slug: e.slug }), null);
    title.appendChild(e.message !== null ? literalCode(e.message) : document.createTextNode(e.shown.message));
    head.appendChild(title);
    item.appendChild(head);
    var facts = element("dl", "ec-result__facts");
    [["lookup.cause", e.cause[ui.lang]], ["lookup.remedy", e.remedy[ui.lang]], ["lookup.retry", ui.text("retry." + e.retry)]].forEach(function (pair) {
      facts.appendChild(element("dt", null, ui.text(pair[0])));
      facts.appendChild(prose("dd", pair[1]));
    });
    facts.appendChild(element("dt", null, ui.text("lookup.where")));
    var where = element("dd");
    var separator = ui.text("list.separator");
    if (e.modules.indexOf("all") !== -1) where.appendChild(document.createTextNode(ui.text("stand_in.all_apis")));
    e.modules.filter(function (k) { return k !== "all"; }).forEach(function (key, i) {
      if (i) where.appendChild(document.createTextNode(separator));
      where.appendChild(link(ui.url("module", { key: key }), modules[key] || key));
    });
    if (e.apis.length) {
      where.appendChild(document.createTextNode(ui.text("lookup.apis_before", { count: e.apis.length })));
      e.apis.slice(0, 3).forEach(function (api, i) {
        if (i) where.appendChild(document.createTextNode(separator));
        where.appendChild(link(ui.url("api", { key: api.module, id: api.id }), api.title));
      });
      where.appendChild(document.createTextNode(ui.text("lookup.apis_after")));
    }
    facts.appendChild(where);
    if (e.about_rate_limits && named !== null) {
      facts.appendChild(element("dt", null, ui.text("lookup.limit")));
      facts.appendChild(rateLimitFacts(named, ui));
    }
    item.appendChild(facts);
    var more = link(ui.url("entry", { slug: e.slug }), ui.text("lookup.more"));
    more.className = "ec-result__more";
    item.appendChild(more);
    return item;
  }

  function initLookup(box) {
    if (box.dataset.ecReady) return;
    box.dataset.ecReady = "1";
    var input = box.querySelector("textarea");
    var status = box.querySelector("[data-ec-lookup-status]");
    var list = box.querySelector("[data-ec-lookup-results]");
    var ui = readScriptData(box);
    var catalog = null;
    // The lookup page keeps the query in its address (?q=); a box elsewhere (the 404 page, whose
    // address is the missing one) leaves the address alone.
    var ownsAddress = !("ecLookupElsewhere" in box.dataset);

    function run() {
      // Only the first MAX_QUERY_LENGTH characters are matched, and only they go into the link.
      var text = cutQuery(input.value);
      var cut = text.length < input.value.length;
      if (ownsAddress) {
        var query = new URLSearchParams(window.location.search);
        if (strip(text)) query.set("q", text); else query.delete("q");
        var search = query.toString();
        window.history.replaceState(window.history.state, "", window.location.pathname + (search ? "?" + search : ""));
      }
      list.textContent = "";
      var notice = box.querySelector("[data-no-exact-match]");
      if (notice) notice.parentNode.removeChild(notice);
      if (!catalog) return;
      if (!strip(text)) { status.textContent = ui.text("lookup.empty_query"); return; }
      var modules = {};
      catalog.modules.forEach(function (m) { modules[m.key] = m.name; });
      var matches = findMatches(catalog, text);
      // null: the catalog has no call limits to show
      var named = catalog.rate_limits_url ? requestedApis(catalog, text) : null;
      if (matches.length && messageUnmatched(catalog, text, matches)) {
        notice = element("p", "ec-lookup__notice", ui.text("lookup.no_exact_match"));
        notice.dataset.noExactMatch = "";
        notice.setAttribute("role", "note");
        list.parentNode.insertBefore(notice, list);
      }
      matches.forEach(function (match) { list.appendChild(renderResult(match, ui, modules, named)); });
      status.textContent = (matches.length
        ? ui.text("lookup.found", { count: matches.length })
        : ui.text("lookup.not_found")) +
        (cut ? ui.text("lookup.cut", { count: MAX_QUERY_LENGTH }) : "");
    }

    input.addEventListener("input", run);
    var initial = ownsAddress ? new URLSearchParams(window.location.search).get("q") : null;
    if (initial) {
      input.value = initial;
      // Material's search also reads ?q= and opens its overlay; on this page ?q= is ours.
      var toggle = document.getElementById("__search");
      if (toggle && toggle.checked) {
        toggle.checked = false;
        toggle.dispatchEvent(new Event("change"));
      }
      var materialInput = document.querySelector("input.md-search__input");
      if (materialInput) materialInput.value = "";
      input.focus();
    }
    status.textContent = ui.text("lookup.loading");
    fetch(box.dataset.catalog)
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (data) {
        var started = performance.now();
        catalog = prepare(data);
        box.dataset.ecPrepareMs = (performance.now() - started).toFixed(1);  // benchmarks/browser_bench.py
        run();
        box.dataset.ecReady = "2";
      })
      .catch(function () { status.textContent = ui.text("lookup.load_failed"); });
  }

  function initAll() {
    document.querySelectorAll("[data-ec-lookup]").forEach(initLookup);
  }

  if (typeof window.document$ !== "undefined" && window.document$.subscribe) {
    window.document$.subscribe(initAll);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", initAll);
  } else {
    initAll();
  }
})();
