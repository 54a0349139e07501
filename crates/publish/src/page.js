(function () {
  "use strict";
  var form = document.getElementById("filters");
  if (!form) return;
  var q = form.elements.q, country = form.elements.country, year = form.elements.year, kind = form.elements.kind;
  var status = document.getElementById("f-status");
  var tables = Array.prototype.slice.call(document.querySelectorAll("table.records"));
  function quoteRow(r) {
    var n = r.nextElementSibling;
    return n && n.classList.contains("q") ? n : null;
  }
  function records(t) {
    return Array.prototype.filter.call(t.tBodies[0].rows, function (r) { return !r.classList.contains("q"); });
  }
  // A record's own text: its fields (names beside codes) and its quotes, not its sources' titles.
  function ownText(r) {
    var s = r.textContent, qr = quoteRow(r);
    if (qr) Array.prototype.forEach.call(qr.querySelectorAll("blockquote"), function (b) { s += " " + b.textContent; });
    return s.toLowerCase();
  }
  function read() {
    var p = new URLSearchParams(location.search);
    var h = location.hash.slice(1);
    if (h.indexOf("=") >= 0) new URLSearchParams(h).forEach(function (v, k) { p.set(k, v); });
    q.value = p.get("q") || "";
    country.value = p.get("country") || "";
    year.value = p.get("year") || "";
    kind.value = p.get("kind") || "";
  }
  // Whether record row r passes the filters; a filter on a field the row's table lacks fails.
  function passes(r, text, c, y, k) {
    var a;
    if (c) { a = r.getAttribute("data-c"); if (a === null || (" " + a + " ").indexOf(" " + c + " ") < 0) return false; }
    if (!isNaN(y)) {
      a = r.getAttribute("data-y");
      if (a === null || a === "-") return false;
      var b = a.split(" ");
      if (!(+b[0] <= y && y <= +b[1])) return false;
    }
    if (k && r.getAttribute("data-k") !== k) return false;
    if (text && ownText(r).indexOf(text) < 0) return false;
    return true;
  }
  function apply() {
    var text = q.value.trim().toLowerCase(), c = country.value, y = parseInt(year.value, 10), k = kind.value;
    var active = !!(text || c || !isNaN(y) || k);
    var shown = 0, all = 0, parts = [];
    tables.forEach(function (t) {
      var section = t.closest("section"), fact = section.hasAttribute("data-fact");
      var rows = records(t), n = 0;
      rows.forEach(function (r) {
        var ok = !active || (fact && passes(r, text, c, y, k));
        r.hidden = !ok;
        var qr = quoteRow(r);
        if (qr) qr.hidden = !ok;
        if (ok) n++;
      });
      var out = document.getElementById(t.id.replace(/-table$/, "-count"));
      if (out) out.textContent = active ? n + " of " + rows.length + " rows shown" : rows.length + " rows";
      section.hidden = active && n === 0;
      var button = section.querySelector("button.csv");
      if (button) { button.hidden = false; button.disabled = n === 0; }
      if (fact) {
        shown += n; all += rows.length;
        if (active && n) parts.push(t.getAttribute("data-table").replace(/_/g, " ") + " " + n);
      }
    });
    status.textContent = active
      ? shown + " of " + all + " records match the filters" + (parts.length ? ": " + parts.join(", ") : "") + "."
      : "";
    document.body.setAttribute("data-filtered", active ? String(shown) : "");
    timeline();
    countryView(c);
  }
  // A view per country: while a country is chosen, every record the filters leave, of every
  // fact table, in one chronological list (by `data-s`, the date's sort key; undated last).
  function countryView(c) {
    var view = document.getElementById("country-view");
    if (!view) return;
    var list = view.querySelector("ol");
    list.textContent = "";
    view.hidden = !c;
    if (!c) return;
    var opt = country.options[country.selectedIndex];
    view.querySelector("h3").textContent = (opt ? opt.textContent : c) + ": every record in order";
    var items = [];
    tables.forEach(function (t) {
      if (!t.closest("section").hasAttribute("data-fact")) return;
      records(t).forEach(function (r) {
        if (r.hidden) return;
        var d = r.querySelector("td[data-s]"), s = d && d.getAttribute("data-s");
        var text = r.querySelector('[data-l="summary"]') || r.querySelector('[data-l="title"]') || r.querySelector('[data-l="kind"]');
        items.push({ s: s === null || s === undefined ? null : +s, when: d ? (d.querySelector(".nw") || d).textContent.trim() : "", table: t.getAttribute("data-table"), id: r.id, text: text ? text.textContent.trim() : r.id });
      });
    });
    items.sort(function (a, b) {
      if (a.s === null || b.s === null) return (a.s === null) - (b.s === null) || (a.id < b.id ? -1 : 1);
      return a.s - b.s || (a.id < b.id ? -1 : 1);
    });
    items.forEach(function (x) {
      var li = document.createElement("li"), w = document.createElement("span"), k = document.createElement("span"), a = document.createElement("a");
      w.className = "when"; w.textContent = x.when || "date unknown";
      k.className = "kind"; k.textContent = x.table.replace(/_/g, " ").replace(/s$/, "");
      a.href = "#" + x.id; a.textContent = "↓"; a.setAttribute("aria-label", "record " + x.id);
      li.setAttribute("data-id", x.id);
      li.append(w, " ", k, " ", x.text, " ", a);
      list.appendChild(li);
    });
  }
  // The timeline follows the filters: a mark whose record is hidden is hidden too.
  function timeline() {
    Array.prototype.forEach.call(document.querySelectorAll("#timeline svg a"), function (a) {
      var r = document.getElementById(a.getAttribute("href").slice(1));
      if (r) a.style.display = r.hidden ? "none" : "";
    });
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
  // A record's link: followed through the redirects to its current id, and shown even where
  // the filters hid it.
  function follow() {
    var h = decodeURIComponent(location.hash.slice(1));
    if (!h || h.indexOf("=") >= 0) return;
    var el = document.getElementById(h);
    if (!el) {
      var m = /^([a-z_]+)-(.+)$/.exec(h), seen = {};
      while (m && !el && !seen[m[2]]) {
        seen[m[2]] = true;
        var red = document.getElementById("redirects-" + m[2]);
        var to = red && red.querySelector('[data-l="to_id"]');
        if (!to) break;
        var id = cellValue(to);
        el = document.getElementById(m[1] + "-" + id);
        m = [null, m[1], id];
      }
      if (!el) return;
      try { history.replaceState(null, "", location.pathname + location.search + "#" + el.id); } catch (e) { /* file: URLs may refuse */ }
    }
    if (el.hidden || (el.closest("section") || {}).hidden) { q.value = country.value = year.value = kind.value = ""; apply(); }
    el.scrollIntoView();
    if (el.id !== h) el.classList.add("target");
  }
  function csvCell(s) {
    return /[",\n\r]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
  }
  // A cell's value as the release's files hold it: codes and ids, not the names beside them,
  // nor the marks the page adds (inferred, as of).
  function cellValue(cell) {
    var c = cell.cloneNode(true);
    Array.prototype.forEach.call(c.querySelectorAll(".inf, .asof"), function (e) { e.remove(); });
    Array.prototype.forEach.call(c.querySelectorAll("small.code"), function (e) {
      var a = e.previousElementSibling;
      if (a && a.tagName === "A") a.remove();
    });
    return c.textContent.trim();
  }
  // The rows of table t that the filters leave, as CSV: the shown columns, as in the release's
  // files (codes and ids, not names), then each record's quotes and the sources they are from.
  function csv(t) {
    var head = Array.prototype.map.call(t.tHead.rows[0].cells, function (c) { return c.textContent.trim(); });
    var quoted = t.querySelector("tr.q") !== null;
    if (quoted) head.push("quotes", "quote_sources");
    var lines = [head.map(csvCell).join(",")];
    records(t).forEach(function (r) {
      if (r.hidden) return;
      var cells = Array.prototype.map.call(r.cells, cellValue);
      if (quoted) {
        var qr = quoteRow(r), qs = [], ss = [];
        if (qr) Array.prototype.forEach.call(qr.querySelectorAll(".quote"), function (d) {
          var b = d.querySelector("blockquote").textContent.trim();
          qs.push(b.replace(/^\u201c/, "").replace(/\u201d$/, ""));
          ss.push(d.querySelector(".src a").getAttribute("href").replace(/^#sources-/, ""));
        });
        cells.push(qs.join("\n"), ss.join(";"));
      }
      lines.push(cells.map(csvCell).join(","));
    });
    return lines.join("\r\n") + "\r\n";
  }
  document.addEventListener("click", function (e) {
    var b = e.target.closest && e.target.closest("button.csv");
    if (!b) return;
    var t = document.getElementById("t-" + b.getAttribute("data-table") + "-table");
    var url = URL.createObjectURL(new Blob([csv(t)], { type: "text/csv;charset=utf-8" }));
    var a = document.createElement("a");
    a.href = url;
    a.download = b.getAttribute("data-table") + "-filtered.csv";
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 60000);
  });
  // Columns that sort: each header a button; a date by its chronological key (`data-s`, as
  // `events.sort_key`), numbers as numbers, other text by what it shows; undated or empty last.
  // A record's quotes move with it.
  function sortBy(t, col, th) {
    var dir = th.getAttribute("aria-sort") === "ascending" ? -1 : 1;
    Array.prototype.forEach.call(t.tHead.rows[0].cells, function (c) { c.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", dir === 1 ? "ascending" : "descending");
    var rows = records(t).map(function (r, i) {
      var c = r.cells[col], s = c.getAttribute("data-s"), v = s !== null ? s : cellValue(c) === "" ? "" : c.textContent.trim();
      return { r: r, q: quoteRow(r), v: v, n: s !== null || (v !== "" && !isNaN(+v)), i: i };
    });
    rows.sort(function (a, b) {
      if (a.v === "" || b.v === "") return (a.v === "") - (b.v === "") || a.i - b.i;
      var d = a.n && b.n ? +a.v - +b.v : a.v.localeCompare(b.v);
      return d * dir || a.i - b.i;
    });
    var body = t.tBodies[0];
    rows.forEach(function (x) { body.appendChild(x.r); if (x.q) body.appendChild(x.q); });
  }
  tables.forEach(function (t) {
    Array.prototype.forEach.call(t.tHead.rows[0].cells, function (th, col) {
      var b = document.createElement("button");
      b.type = "button";
      b.className = "sort";
      while (th.firstChild) b.appendChild(th.firstChild);
      th.appendChild(b);
      b.addEventListener("click", function () { sortBy(t, col, th); });
    });
  });
  form.addEventListener("input", function () { apply(); link(); });
  form.addEventListener("change", function () { apply(); link(); });
  form.addEventListener("submit", function (e) { e.preventDefault(); apply(); link(); });
  form.addEventListener("reset", function () { setTimeout(function () { apply(); link(); }, 0); });
  window.addEventListener("hashchange", function () {
    if (location.hash.indexOf("=") >= 0) { read(); apply(); } else follow();
  });
  read();
  apply();
  // After the page has settled (the timeline below sets its zoom), so the record stays in view.
  if (document.readyState === "complete") follow(); else window.addEventListener("load", follow);
})();
// The timeline opens on the years where most records are, and zooms and pans (buttons, arrow
// keys, + and -): the marks' x positions are scaled about the plot's left edge (150 of 1000
// units), their text and height left as drawn; the lanes' names stay in view.
(function () {
  "use strict";
  var fig = document.querySelector("#timeline figure[data-first]");
  if (!fig) return;
  var box = fig.querySelector(".svg"), svg = box.querySelector("svg"), tools = fig.querySelector(".tl-tools");
  if (!svg || !tools) return;
  var first = +fig.getAttribute("data-first"), years = +fig.getAttribute("data-last") - first + 1;
  var from = +fig.getAttribute("data-from"), to = +fig.getAttribute("data-to");
  var L = 150, P = 830, k = 1, height = svg.viewBox.baseVal.height;
  var labels = svg.querySelector(".labels");
  var moving = Array.prototype.slice.call(svg.querySelectorAll(".axis line, .axis text, .marks rect, .marks line"));
  moving.forEach(function (e) {
    ["x", "width", "x1", "x2"].forEach(function (a) { if (e.hasAttribute(a)) e.setAttribute("data-" + a, e.getAttribute(a)); });
  });
  function unit() { return Math.max(box.clientWidth, 860) / 1000; } // pixels per unit at zoom 1
  function sx(v) { return L + (v - L) * k; }
  function draw() {
    var w = L + P * k + 20;
    moving.forEach(function (e) {
      var x = e.getAttribute("data-x"), x1 = e.getAttribute("data-x1");
      if (x !== null) e.setAttribute("x", sx(+x).toFixed(1));
      var wd = e.getAttribute("data-width");
      if (wd !== null) e.setAttribute("width", (+wd <= 3 ? +wd : Math.max(3, +wd * k)).toFixed(1));
      if (x1 !== null) {
        var nx1 = sx(+x1);
        e.setAttribute("x1", nx1.toFixed(1));
        e.setAttribute("x2", (nx1 + (+e.getAttribute("data-x2") - +x1) * (e.classList.contains("open") ? 1 : k)).toFixed(1));
      }
    });
    Array.prototype.forEach.call(svg.querySelectorAll("rect.lane"), function (r) { if (r.parentNode !== labels) r.setAttribute("width", w.toFixed(1)); });
    // Ticks at least 50 units apart: every 1, 2, 5, 10, 25 or 50 years.
    var per = P * k / years, step = [1, 2, 5, 10, 25, 50].filter(function (n) { return n * per >= 50; })[0] || 100;
    Array.prototype.forEach.call(svg.querySelectorAll(".axis [data-year]"), function (e) {
      if (+e.getAttribute("data-year") % step === 0) e.removeAttribute("display"); else e.setAttribute("display", "none");
    });
    svg.setAttribute("viewBox", "0 0 " + w.toFixed(1) + " " + height);
    svg.setAttribute("width", w.toFixed(1));
    svg.style.width = (w * unit()).toFixed(1) + "px";
    svg.style.minWidth = "0";
  }
  function yearX(y) { return L + P * k * (y - first) / years; }
  function show(y0, y1) {
    var u = unit(), visible = box.clientWidth / u - L - 10;
    k = Math.min(60, Math.max(1, visible * years / (P * (y1 - y0 + 1))));
    draw();
    box.scrollLeft = (yearX(y0) - L) * u;
    pin();
  }
  function zoom(f) {
    var u = unit(), centre = (box.scrollLeft + box.clientWidth / 2) / u;
    var year = first + (centre - L) * years / (P * k);
    k = Math.min(60, Math.max(1, k * f));
    draw();
    box.scrollLeft = yearX(year) * u - box.clientWidth / 2;
    pin();
  }
  function pin() { labels.setAttribute("transform", "translate(" + (box.scrollLeft / unit()).toFixed(1) + ",0)"); }
  box.addEventListener("scroll", pin);
  box.addEventListener("keydown", function (e) {
    if (e.key === "+" || e.key === "=") { zoom(1.5); e.preventDefault(); }
    else if (e.key === "-" || e.key === "_") { zoom(1 / 1.5); e.preventDefault(); }
  });
  tools.addEventListener("click", function (e) {
    var b = e.target.closest("button");
    if (!b) return;
    var z = b.getAttribute("data-zoom");
    if (z === "in") zoom(1.5); else if (z === "out") zoom(1 / 1.5);
    else if (z === "fit") show(from, to); else { k = 1; draw(); box.scrollLeft = 0; pin(); }
  });
  tools.hidden = false;
  show(from, to);
})();
