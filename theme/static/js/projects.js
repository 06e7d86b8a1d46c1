/* Projects page: filter (broker, framework, must-have features), sort (the default order,
   downloads, stars, latest release, name) and put any two or three projects side by side.
   Progressive enhancement: without JavaScript the form stays hidden, every project is listed in the
   default order, and the generated "X vs Y" pages are the side-by-side views.
   The state lives in the URL query, so a view can be shared:
     projects.html?broker=redis&has=asyncio,scheduling&sort=name&compare=celery,rq
   Values are read case-insensitively (by value or by label: ?broker=Redis); a value the page does
   not know is named, with the closest known one ("unknown broker 'redsi' — did you mean Redis?").
   Reads the data-* attributes of partials/project_row.html and the answers of its cells; the
   side-by-side panel is built from the rows' own cells (each fact is in the page once). */
(function () {
  "use strict";

  var MAX_PICKS = 3;
  var PARAMS = ["broker", "framework", "has", "sort", "compare"];

  function each(list, fn) { Array.prototype.forEach.call(list, fn); }
  function toArray(list) { return Array.prototype.slice.call(list); }
  function key(text) { return String(text || "").trim().toLowerCase().replace(/[\s_-]+/g, " "); }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) { node.setAttribute(name, attrs[name]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // Levenshtein distance, for "did you mean"
  function distance(a, b) {
    var prev = [], cur, i, j;
    for (j = 0; j <= b.length; j++) prev[j] = j;
    for (i = 1; i <= a.length; i++) {
      cur = [i];
      for (j = 1; j <= b.length; j++) {
        cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      }
      prev = cur;
    }
    return prev[b.length];
  }

  /* choices: [{value, label}]. Returns {value} for a match by value or label (any case), else
     {unknown: word, hint: label of the closest choice or ""}. */
  function resolve(word, choices) {
    var wanted = key(word);
    var found = choices.filter(function (c) { return key(c.value) === wanted || key(c.label) === wanted; })[0];
    if (found) return { value: found.value };
    var best = null, bestScore = Infinity;
    choices.forEach(function (c) {
      [c.value, c.label].forEach(function (name) {
        var k = key(name);
        var score = distance(wanted, k);
        if (k.indexOf(wanted) === 0 && wanted.length >= 3) score = Math.min(score, 1);
        if (score < bestScore) { bestScore = score; best = c; }
      });
    });
    var near = best && bestScore <= Math.max(2, Math.floor(wanted.length / 3));
    return { unknown: word, hint: near ? best.label : "" };
  }

  function unknownMessage(what, result) {
    return "unknown " + what + " '" + result.unknown + "'" +
      (result.hint ? " — did you mean " + result.hint + "?" : "");
  }

  function selectChoices(select) {
    return toArray(select.options).filter(function (o) { return o.value; })
      .map(function (o) { return { value: o.value, label: o.textContent.trim() }; });
  }

  function boxChoices(form) {
    return toArray(form.querySelectorAll('input[name="has"]')).map(function (b) {
      return { value: b.value, label: b.parentNode.textContent.trim() };
    });
  }

  function rowName(row) {
    var link = row.querySelector(".pn a");
    return link ? link.textContent.trim() : row.getAttribute("data-project");
  }

  // --- the state and the URL ----------------------------------------------------------------

  function readQuery(page) {
    var q = new URLSearchParams(window.location.search);
    var form = page.form;
    var problems = [];
    var state = { broker: "", framework: "", has: [], sort: "default", compare: [] };
    ["broker", "framework"].forEach(function (name) {
      var select = form.elements.namedItem(name);
      var raw = q.get(name);
      if (!raw) return;
      var result = select ? resolve(raw, selectChoices(select)) : { unknown: raw, hint: "" };
      if (result.unknown !== undefined) problems.push(unknownMessage(name, result));
      else state[name] = result.value;
    });
    (q.get("has") || "").split(",").filter(function (w) { return w.trim(); }).forEach(function (word) {
      var result = resolve(word, boxChoices(form));
      if (result.unknown !== undefined) problems.push(unknownMessage("feature", result));
      else if (state.has.indexOf(result.value) === -1) state.has.push(result.value);
    });
    var sort = form.elements.namedItem("sort");
    if (q.get("sort") && sort) {
      var sorted = resolve(q.get("sort"), selectChoices(sort));
      if (sorted.unknown !== undefined) problems.push(unknownMessage("sort order", sorted));
      else state.sort = sorted.value;
    }
    var projects = page.rows.map(function (row) {
      return { value: row.getAttribute("data-project"), label: rowName(row) };
    });
    (q.get("compare") || "").split(",").filter(function (w) { return w.trim(); }).forEach(function (word) {
      var result = resolve(word, projects);
      if (result.unknown !== undefined) problems.push(unknownMessage("project", result));
      else if (state.compare.indexOf(result.value) === -1) state.compare.push(result.value);
    });
    if (state.compare.length > MAX_PICKS) {
      problems.push("side by side shows up to " + MAX_PICKS + " projects: the first " + MAX_PICKS + " are shown");
      state.compare = state.compare.slice(0, MAX_PICKS);
    }
    return { state: state, problems: problems };
  }

  function formState(page) {
    var form = page.form;
    var s = { broker: "", framework: "", has: [], sort: "default", compare: page.picked.slice() };
    ["broker", "framework", "sort"].forEach(function (name) {
      var select = form.elements.namedItem(name);
      if (select) s[name] = select.value;
    });
    each(form.querySelectorAll('input[name="has"]'), function (b) { if (b.checked) s.has.push(b.value); });
    return s;
  }

  function showState(page, s) {
    var form = page.form;
    ["broker", "framework", "sort"].forEach(function (name) {
      var select = form.elements.namedItem(name);
      if (select) select.value = s[name] || (name === "sort" ? "default" : "");
    });
    each(form.querySelectorAll('input[name="has"]'), function (b) { b.checked = s.has.indexOf(b.value) !== -1; });
    page.picked = s.compare.slice();
  }

  function writeQuery(s) {
    var q = new URLSearchParams(window.location.search);
    PARAMS.forEach(function (k) { q.delete(k); });
    if (s.broker) q.set("broker", s.broker);
    if (s.framework) q.set("framework", s.framework);
    if (s.has.length) q.set("has", s.has.join(","));
    if (s.sort && s.sort !== "default") q.set("sort", s.sort);
    if (s.compare.length) q.set("compare", s.compare.join(","));
    var text = q.toString().replace(/%2C/g, ",");
    window.history.replaceState(null, "", window.location.pathname + (text ? "?" + text : "") + window.location.hash);
  }

  // --- filter and sort ----------------------------------------------------------------------

  function words(row, attr) { return (row.getAttribute(attr) || "").split(" "); }

  /* What a row answers yes or partly to (its cells' classes under the table's fact keys), plus
     "database" when one of its brokers is a database: the "must have" keys. */
  function featuresOf(row, databases) {
    var facts = factsOf(row);
    var found = Object.keys(facts).filter(function (k) {
      var cls = facts[k].cell.className;
      return /(^| )a-(yes|partial)( |$)/.test(cls);
    });
    if (words(row, "data-b").some(function (b) { return databases.indexOf(b) !== -1; })) found.push("database");
    return found;
  }

  function matches(row, s) {
    if (s.broker && words(row, "data-b").indexOf(s.broker) === -1) return false;
    if (s.framework && words(row, "data-fw").indexOf(s.framework) === -1) return false;
    return s.has.every(function (f) { return row.features.indexOf(f) !== -1; });
  }

  function number(row, attr) {
    var v = parseFloat(row.getAttribute(attr));
    return isNaN(v) ? -1 : v;
  }

  var SORT_ATTR = { downloads: "data-dl", stars: "data-stars", release: "data-rel" };

  function order(sort) {
    return function (a, b) {
      var d = 0;
      if (sort === "name") d = rowName(a).toLowerCase().localeCompare(rowName(b).toLowerCase());
      else if (SORT_ATTR[sort]) d = number(b, SORT_ATTR[sort]) - number(a, SORT_ATTR[sort]);
      return d || (a.rank - b.rank);
    };
  }

  function apply(page, s, problems) {
    var shown = 0;
    page.bodies.forEach(function (body) {
      var rows = toArray(body.children).filter(function (r) { return r.hasAttribute("data-project"); });
      var visible = 0;
      rows.sort(order(s.sort)).forEach(function (row) {
        row.hidden = !matches(row, s);
        body.appendChild(row);
        if (!row.hidden) visible += 1;
      });
      shown += visible;
      var kind = body.closest(".kind");
      if (kind) kind.hidden = visible === 0;
    });
    var total = page.rows.length;
    page.count.textContent = shown === total ? "all " + total + " projects shown"
      : shown + " of " + total + " projects shown";
    page.problems.textContent = "";
    (problems || []).forEach(function (text) {
      page.problems.appendChild(el("span", { "class": "unknown-value" }, text.charAt(0).toUpperCase() + text.slice(1) + ". "));
    });
    page.problems.hidden = !page.problems.textContent;
    showPicks(page);
  }

  // --- side by side -------------------------------------------------------------------------

  function rowById(page, id) {
    return page.rows.filter(function (r) { return r.getAttribute("data-project") === id; })[0];
  }

  /* The fact cells of a row, by fact key, with the label its table gives them. */
  function factsOf(row) {
    var table = row.closest("table");
    var heads = table ? toArray(table.querySelectorAll("thead th")) : [];
    var out = {};
    toArray(row.cells).forEach(function (cell, i) {
      var head = heads[i];
      if (cell.tagName === "TD" && head && head.getAttribute("data-k")) {
        out[head.getAttribute("data-k")] = { label: head.textContent.trim(), cell: cell };
      }
    });
    return out;
  }

  function staticPage(page, ids) {
    if (ids.length !== 2) return null;
    return toArray(document.querySelectorAll("a[data-pair]")).filter(function (a) {
      var pair = a.getAttribute("data-pair").split(" ");
      return pair.indexOf(ids[0]) !== -1 && pair.indexOf(ids[1]) !== -1;
    })[0] || null;
  }

  function copyOf(node) {
    var copy = node.cloneNode(true);
    each(copy.querySelectorAll("[id]"), function (n) { n.removeAttribute("id"); });
    each(copy.querySelectorAll(".pick"), function (n) { n.parentNode.removeChild(n); });
    return copy;
  }

  function renderPanel(page) {
    var panel = page.panel;
    var ids = page.picked;
    each(toArray(panel.children).slice(1), function (n) { panel.removeChild(n); });
    if (ids.length < 2) { panel.hidden = true; return; }
    var rows = ids.map(function (id) { return rowById(page, id); });
    var names = rows.map(rowName);
    var bar = el("p", { "class": "compare-bar" });
    bar.appendChild(el("span", {}, names.join(", ")));
    var full = staticPage(page, ids);
    if (full) {
      var link = el("a", { href: full.getAttribute("href") }, "full comparison: " + full.textContent.trim());
      bar.appendChild(link);
    }
    var clear = el("button", { type: "button" }, "Clear");
    clear.addEventListener("click", function () { setPicks(page, []); });
    bar.appendChild(clear);
    panel.appendChild(bar);

    var wrap = el("div", { "class": "vs-wrap" });
    var table = el("table", { "class": "side" });
    table.style.setProperty("--n", String(rows.length));  // the phone layout's columns
    table.appendChild(el("caption", { "class": "vh" }, names.join(" and ") + " side by side"));
    var head = el("tr");
    head.appendChild(el("td"));
    rows.forEach(function (row, i) {
      var th = el("th", { scope: "col" });
      th.appendChild(el("a", { href: "#" + row.id }, names[i]));
      head.appendChild(th);
    });
    table.appendChild(el("thead")).appendChild(head);
    var body = el("tbody");
    function line(label, cells) {
      var tr = el("tr");
      tr.appendChild(el("th", { scope: "row" }, label));
      cells.forEach(function (cell) { tr.appendChild(cell); });
      body.appendChild(tr);
    }
    line("In one line", rows.map(function (row) {
      var td = el("td");
      var summary = row.querySelector(".ps");
      if (summary) td.appendChild(copyOf(summary));
      return td;
    }));
    line("Signs of life", rows.map(function (row) {
      var td = el("td");
      var vitals = row.querySelector(".vitals");
      if (vitals) td.appendChild(copyOf(vitals));
      return td;
    }));
    var facts = rows.map(factsOf);
    var keys = [];
    facts.forEach(function (f) { Object.keys(f).forEach(function (k) { if (keys.indexOf(k) === -1) keys.push(k); }); });
    keys.forEach(function (k) {
      var label = "";
      facts.forEach(function (f) { if (!label && f[k]) label = f[k].label; });
      line(label, facts.map(function (f) {
        if (!f[k]) return el("td", { "class": "a-unknown" }, "not asked for this kind of project");
        var td = copyOf(f[k].cell);
        return td;
      }));
    });
    table.appendChild(body);
    wrap.appendChild(table);
    panel.appendChild(wrap);
    panel.hidden = false;
  }

  function showPicks(page) {
    each(page.boxes, function (box) {
      box.checked = page.picked.indexOf(box.value) !== -1;
      box.disabled = !box.checked && page.picked.length >= MAX_PICKS;
    });
    var bar = page.bar;
    bar.textContent = "";
    if (!page.picked.length) { bar.hidden = true; return; }
    var names = page.picked.map(function (id) { return rowName(rowById(page, id)); });
    if (page.picked.length === 1) {
      bar.appendChild(el("span", {}, "Comparing " + names[0] + ": choose one or two more."));
    } else {
      bar.appendChild(el("span", {}, "Comparing " + names.join(", ") + "."));
      bar.appendChild(el("a", { href: "#compare" }, "Show side by side"));
    }
    var clear = el("button", { type: "button" }, "Clear");
    clear.addEventListener("click", function () { setPicks(page, []); });
    bar.appendChild(clear);
    bar.hidden = false;
  }

  function setPicks(page, ids) {
    page.picked = ids.slice(0, MAX_PICKS);
    var s = formState(page);
    writeQuery(s);
    renderPanel(page);
    showPicks(page);
  }

  function addPickers(page) {
    page.boxes = page.rows.map(function (row) {
      var id = row.getAttribute("data-project");
      var label = el("label", { "class": "pick", title: "Compare " + rowName(row) });
      var box = el("input", { type: "checkbox", value: id });
      label.appendChild(box);
      label.appendChild(el("span", { "class": "vh" }, "Compare " + rowName(row)));
      var name = row.querySelector(".pn");
      if (name) name.insertBefore(label, name.firstChild);
      box.addEventListener("change", function () {
        var ids = page.picked.filter(function (p) { return p !== id; });
        if (box.checked) ids.push(id);
        setPicks(page, ids);
      });
      return box;
    });
  }

  // --- start ----------------------------------------------------------------------------------

  function start() {
    var form = document.querySelector("[data-projects-filters]");
    if (!form || !window.URLSearchParams || !window.history.replaceState || !Element.prototype.closest) return;
    var article = form.closest("article") || document.body;
    var bodies = toArray(article.querySelectorAll("table.grid tbody"));
    var page = {
      form: form,
      bodies: bodies,
      rows: toArray(article.querySelectorAll("table.grid tr[data-project]")),
      panel: article.querySelector("[data-compare]"),
      count: form.querySelector(".filter-count"),
      problems: el("p", { "class": "filter-problems", role: "alert", hidden: "" }),
      bar: el("div", { "class": "pick-bar", hidden: "", role: "region", "aria-label": "Projects chosen to compare" }),
      picked: [],
      boxes: []
    };
    var databases = (form.getAttribute("data-databases") || "").split(" ");
    page.rows.forEach(function (row, i) {
      row.rank = i;  // the default order is the document order
      row.features = featuresOf(row, databases);
    });
    form.insertBefore(page.problems, form.firstChild);  // seen first, even with the tools closed
    article.appendChild(page.bar);
    addPickers(page);
    var read = readQuery(page);
    showState(page, read.state);
    var tools = form.querySelector("details.tools");
    // the tools start open where there is room, or when the URL asks for a filter or an order
    var asked = read.state.broker || read.state.framework || read.state.has.length || read.state.sort !== "default";
    if (tools && (asked || read.problems.length || window.matchMedia("(min-width: 56rem)").matches)) tools.open = true;
    form.hidden = false;
    form.addEventListener("submit", function (e) { e.preventDefault(); });
    form.addEventListener("change", function () {
      var s = formState(page);
      writeQuery(s);
      apply(page, s, []);
    });
    apply(page, read.state, read.problems);
    renderPanel(page);
    if (page.picked.length >= 2) page.panel.scrollIntoView();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
