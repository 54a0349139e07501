(function () {
  "use strict";
  var form = document.getElementById("filters");
  if (!form) return;
  var q = form.elements.q, country = form.elements.country, year = form.elements.year, kind = form.elements.kind;
  var status = document.getElementById("f-status");
  var tables = Array.prototype.slice.call(document.querySelectorAll("table.records"));
  function read() {
    var p = new URLSearchParams(location.search);
    var h = location.hash.slice(1);
    if (h.indexOf("=") >= 0) new URLSearchParams(h).forEach(function (v, k) { p.set(k, v); });
    q.value = p.get("q") || "";
    country.value = p.get("country") || "";
    year.value = p.get("year") || "";
    kind.value = p.get("kind") || "";
  }
  function apply() {
    var text = q.value.trim().toLowerCase(), c = country.value, y = parseInt(year.value, 10), k = kind.value;
    var shown = 0, all = 0;
    tables.forEach(function (t) {
      var rows = t.tBodies[0].rows, n = 0;
      for (var i = 0; i < rows.length; i++) {
        var r = rows[i], ok = true, a;
        if (c && (a = r.getAttribute("data-c")) !== null) ok = (" " + a + " ").indexOf(" " + c + " ") >= 0;
        if (ok && !isNaN(y) && (a = r.getAttribute("data-y")) !== null) {
          if (a === "-") ok = false;
          else { var b = a.split(" "); ok = (b[0] === "" || +b[0] <= y) && (b[1] === "" || y <= +b[1]); }
        }
        if (ok && k && (a = r.getAttribute("data-k")) !== null) ok = a === k;
        if (ok && text) ok = r.textContent.toLowerCase().indexOf(text) >= 0;
        r.hidden = !ok;
        if (ok) n++;
      }
      shown += n; all += rows.length;
      var out = document.getElementById(t.id.replace(/-table$/, "-count"));
      if (out) out.textContent = n + " of " + rows.length + " rows shown";
      t.closest("section").hidden = n === 0 && rows.length > 0;
    });
    var active = text || c || !isNaN(y) || k;
    status.textContent = active ? shown + " of " + all + " rows match the filters." : "";
    document.body.setAttribute("data-filtered", active ? String(shown) : "");
  }
  function link() {
    var p = new URLSearchParams();
    if (q.value.trim()) p.set("q", q.value.trim());
    if (country.value) p.set("country", country.value);
    if (year.value) p.set("year", year.value);
    if (kind.value) p.set("kind", kind.value);
    var s = p.toString();
    try { history.replaceState(null, "", location.pathname + (s ? "#" + s : "")); } catch (e) { /* file: URLs may refuse */ }
  }
  form.addEventListener("input", function () { apply(); link(); });
  form.addEventListener("submit", function (e) { e.preventDefault(); apply(); link(); });
  form.addEventListener("reset", function () { setTimeout(function () { apply(); link(); }, 0); });
  window.addEventListener("hashchange", function () { if (location.hash.indexOf("=") >= 0) { read(); apply(); } });
  read();
  apply();
})();
