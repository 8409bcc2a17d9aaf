// quotex report: the filter box. Plain JavaScript, no network; without it the page shows everything.
(function () {
  "use strict";
  var root = document.documentElement;
  var box = document.getElementById("filter");
  var input = document.getElementById("filter-q");
  var status = document.getElementById("filter-status");
  if (!box || !input || !status) { return; }

  function fold(s) {
    return (s || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/\s+/g, " ").trim();
  }
  function all(sel, from) { return Array.prototype.slice.call((from || document).querySelectorAll(sel)); }

  var speakers = all("#speakers .speaker").map(function (el) {
    return {
      el: el,
      names: fold(el.getAttribute("data-names")),
      quotes: all("li.sq", el).map(function (li) { return { el: li, text: fold(li.textContent) }; })
    };
  });
  var rows = all("#entities tbody tr").map(function (tr) { return { el: tr, names: fold(tr.getAttribute("data-names")) }; });
  var docs = all("#articles .doc").map(function (el) { return { el: el, names: fold(el.getAttribute("data-names")), text: null }; });
  var nQuotes = speakers.reduce(function (n, s) { return n + s.quotes.length; }, 0);

  function apply(raw) {
    var q = fold(raw);
    var shownS = 0, shownQ = 0, shownR = 0, shownD = 0;
    speakers.forEach(function (s) {
      var byName = q === "" || s.names.indexOf(q) >= 0;
      var any = false;
      s.quotes.forEach(function (x) {
        var show = byName || x.text.indexOf(q) >= 0;
        x.el.hidden = !show;
        if (show) { any = true; shownQ += 1; }
      });
      s.el.hidden = !(byName || any);
      if (!s.el.hidden) { shownS += 1; }
    });
    rows.forEach(function (r) {
      r.el.hidden = !(q === "" || r.names.indexOf(q) >= 0);
      if (!r.el.hidden) { shownR += 1; }
    });
    docs.forEach(function (d) {
      var show = q === "" || d.names.indexOf(q) >= 0;
      if (!show) {
        if (d.text === null) { d.text = fold(d.el.textContent); }
        show = d.text.indexOf(q) >= 0;
      }
      d.el.hidden = !show;
      if (show) { shownD += 1; }
    });
    root.setAttribute("data-filter", q);
    status.textContent = q === "" ? "" :
      "Showing " + shownS + " of " + speakers.length + " speakers, " + shownQ + " of " + nQuotes + " quotes, " +
      shownR + " of " + rows.length + " entities, " + shownD + " of " + docs.length + " articles.";
  }

  var timer = null;
  input.addEventListener("input", function () {
    if (timer !== null) { clearTimeout(timer); }
    timer = setTimeout(function () { timer = null; apply(input.value); }, 120);
  });
  input.addEventListener("keydown", function (ev) {
    if (ev.key === "Escape") { input.value = ""; apply(""); }
  });
  box.hidden = false;
  var params = new URLSearchParams(window.location.search);
  var q0 = params.get("q");
  if (q0) { input.value = q0; apply(q0); }
  root.setAttribute("data-ready", "1");
})();
