// Headline suggestions under the header search box, as the reader types.
// An enhancement: without this file the box is a plain form that opens /search/.
(function () {
  "use strict";

  var DELAY_MS = 150;
  var MIN_CHARS = 2;

  function setup(form) {
    var input = form.querySelector('input[name="q"]');
    var list = form.querySelector("[data-search-suggestions]");
    if (!input || !list || !window.fetch) return;
    var timer = null;
    var asked = "";

    function hide() {
      list.hidden = true;
      list.textContent = "";
    }

    function show(items) {
      list.textContent = "";
      items.forEach(function (item) {
        var li = document.createElement("li");
        var link = document.createElement("a");
        link.href = item.url;
        link.textContent = item.title;
        li.appendChild(link);
        list.appendChild(li);
      });
      list.hidden = items.length === 0;
    }

    function ask(text) {
      asked = text;
      fetch(form.getAttribute("data-search-suggest") + "?q=" + encodeURIComponent(text), {
        headers: { Accept: "application/json" }
      })
        .then(function (response) { return response.ok ? response.json() : { suggestions: [] }; })
        .then(function (data) {
          if (input.value.trim() === text) show(data.suggestions || []);
        })
        .catch(function () { /* suggestions are optional: the form still searches */ });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      var text = input.value.trim();
      if (text.length < MIN_CHARS) { asked = ""; hide(); return; }
      timer = window.setTimeout(function () { if (text !== asked) ask(text); }, DELAY_MS);
    });

    function move(from, step) {
      var links = Array.prototype.slice.call(list.querySelectorAll("a"));
      var next = links.indexOf(from) + step;
      if (next < 0) input.focus();
      else if (links[next]) links[next].focus();
    }

    input.addEventListener("keydown", function (event) {
      if (event.key === "Escape") hide();
      if (event.key === "ArrowDown" && !list.hidden) { event.preventDefault(); move(null, 1); }
    });
    list.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown") { event.preventDefault(); move(document.activeElement, 1); }
      if (event.key === "ArrowUp") { event.preventDefault(); move(document.activeElement, -1); }
      if (event.key === "Escape") { hide(); input.focus(); }
    });
    document.addEventListener("click", function (event) {
      if (!form.contains(event.target)) hide();
    });
  }

  document.querySelectorAll("[data-search-suggest]").forEach(setup);
})();
