/* The site search matches words; a pasted error response or log line finds little there. When
 * the query in the theme's search dialog looks like one, the dialog offers the lookup page with
 * the query filled in (lookup/?q=). The offer's words and the lookup's address come with each
 * page (<template data-ec-search-offer>, generator/theme_overrides/main.html). */
(function () {
  "use strict";

  var MAX_QUERY_LENGTH = 16384;  // as docs/assets/lookup.js matches no more

  function isWordChar(char) {
    return (char >= "0" && char <= "9") || (char >= "a" && char <= "z") || (char >= "A" && char <= "Z") || char === "_";
  }

  function isDigit(char) {
    return char >= "0" && char <= "9";
  }

  // Without its punctuation around it: `(401)`, `"auth_bad_access_token",` -> the word itself.
  function bare(word) {
    var start = 0, end = word.length;
    while (start < end && !isWordChar(word[start])) start += 1;
    while (end > start && !isWordChar(word[end - 1])) end -= 1;
    return word.slice(start, end);
  }

  // 401, status=401, code:503
  function isErrorStatus(word) {
    var digits = word.slice(Math.max(word.indexOf("="), word.indexOf(":")) + 1);
    return digits.length === 3 && (digits[0] === "4" || digits[0] === "5") && isDigit(digits[1]) && isDigit(digits[2]);
  }

  // auth_bad_access_token: lowercase letters joined by underscores
  function isErrorType(word) {
    if (word.length < 3 || word[0] === "_" || word[word.length - 1] === "_" || word.indexOf("_") < 0) return false;
    for (var i = 0; i < word.length; i += 1) {
      if (!((word[i] >= "a" && word[i] <= "z") || word[i] === "_")) return false;
    }
    return true;
  }

  // Braces with a colon (JSON), an HTTP status line, the response's field names, or a log line:
  // four words or more, one of them a 4xx/5xx status or an error type. Each test is one pass.
  function looksLikeResponseOrLog(text) {
    if (text.indexOf("{") >= 0 && text.indexOf(":") >= 0) return true;
    if (text.indexOf("HTTP/") >= 0 || text.indexOf("error_description") >= 0) return true;
    var words = text.split(/\s+/).filter(Boolean);
    if (words.length < 4) return false;
    return words.some(function (word) {
      var core = bare(word);
      return isErrorStatus(core) || isErrorType(core);
    });
  }

  function offerFor(query) {
    var template = document.querySelector("template[data-ec-search-offer]");
    var place = document.querySelector(".md-search__scrollwrap");
    if (!template || !place) return null;
    var offer = place.querySelector(".ec-search-offer");
    if (!offer) {
      offer = template.content.firstElementChild.cloneNode(true);
      offer.hidden = true;
      place.insertBefore(offer, place.firstChild);
    }
    // The lookup's address is relative to the page the template came with.
    var lookup = new URL(template.dataset.lookup, window.location.href);
    lookup.search = "?q=" + encodeURIComponent(query.slice(0, MAX_QUERY_LENGTH));
    offer.querySelector("a").href = lookup.href;
    return offer;
  }

  function update(input) {
    var query = input.value.trim();
    var shown = query !== "" && looksLikeResponseOrLog(query);
    var offer = shown ? offerFor(query) : document.querySelector(".md-search__scrollwrap .ec-search-offer");
    if (offer) offer.hidden = !shown;
  }

  function watch() {
    var input = document.querySelector("input.md-search__input");
    if (!input || input.dataset.ecOffer) return;
    input.dataset.ecOffer = "1";
    ["input", "keyup", "focus"].forEach(function (event) {
      input.addEventListener(event, function () { update(input); });
    });
  }

  if (typeof window.document$ !== "undefined" && window.document$.subscribe) {
    window.document$.subscribe(watch);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", watch);
  } else {
    watch();
  }
})();
