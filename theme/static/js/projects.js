/* Projects page: filter by broker and feature, sort by stars, latest release or name.
   Progressive enhancement: without JavaScript the form stays hidden and every project is listed
   (most stars first). The state lives in the URL query (?broker=redis&has=asyncio&sort=name),
   so a filtered view can be shared. Reads the data-* attributes of partials/project_data.html. */
(function () {
  "use strict";

  function each(list, fn) { Array.prototype.forEach.call(list, fn); }

  function hasOption(select, value) {
    return Array.prototype.some.call(select.options, function (o) { return o.value === value; });
  }

  function readQuery(form) {
    var q = new URLSearchParams(window.location.search);
    var broker = form.elements.namedItem("broker");
    var sort = form.elements.namedItem("sort");
    if (broker && q.get("broker") && hasOption(broker, q.get("broker"))) broker.value = q.get("broker");
    var wanted = (q.get("has") || "").split(",");
    each(form.querySelectorAll('input[name="has"]'), function (box) {
      box.checked = wanted.indexOf(box.value) !== -1;
    });
    if (sort && q.get("sort") && hasOption(sort, q.get("sort"))) sort.value = q.get("sort");
  }

  function state(form) {
    var broker = form.elements.namedItem("broker");
    var sort = form.elements.namedItem("sort");
    var has = [];
    each(form.querySelectorAll('input[name="has"]'), function (b) { if (b.checked) has.push(b.value); });
    return { broker: broker ? broker.value : "", has: has, sort: sort ? sort.value : "" };
  }

  function writeQuery(s, defaultSort) {
    var q = new URLSearchParams(window.location.search);
    ["broker", "has", "sort"].forEach(function (k) { q.delete(k); });
    if (s.broker) q.set("broker", s.broker);
    if (s.has.length) q.set("has", s.has.join(","));
    if (s.sort && s.sort !== defaultSort) q.set("sort", s.sort);
    var text = q.toString().replace(/%2C/g, ",");
    window.history.replaceState(null, "", window.location.pathname + (text ? "?" + text : "") + window.location.hash);
  }

  function matches(el, s) {
    var brokers = (el.getAttribute("data-brokers") || "").split(" ");
    var features = (el.getAttribute("data-features") || "").split(" ");
    if (s.broker && brokers.indexOf(s.broker) === -1) return false;
    return s.has.every(function (f) { return features.indexOf(f) !== -1; });
  }

  function number(el, attr) {
    var v = parseFloat(el.getAttribute(attr));
    return isNaN(v) ? -1 : v;
  }

  function compare(key) {
    return function (a, b) {
      var d;
      if (key === "name") d = a.getAttribute("data-name").localeCompare(b.getAttribute("data-name"));
      else d = number(b, key === "release" ? "data-released" : "data-stars") -
               number(a, key === "release" ? "data-released" : "data-stars");
      return d || (a.projectIndex - b.projectIndex);
    };
  }

  function apply(form, lists, s) {
    var shown = 0;
    var total = 0;
    lists.forEach(function (list) {
      var items = Array.prototype.filter.call(list.children, function (el) { return el.hasAttribute("data-project"); });
      items.sort(compare(s.sort || "stars")).forEach(function (el) {
        el.hidden = !matches(el, s);
        list.appendChild(el);
        if (el.tagName === "LI") { total += 1; if (!el.hidden) shown += 1; }
      });
    });
    // a group heading whose projects are all filtered out goes too
    lists.forEach(function (list) {
      var heading = list.previousElementSibling;
      if (list.tagName === "UL" && heading && heading.classList.contains("group-title")) {
        heading.hidden = !list.querySelector("li[data-project]:not([hidden])");
      }
    });
    var count = form.querySelector(".filter-count");
    if (count) {
      count.textContent = shown === total ? "All " + total + " projects shown."
        : shown + " of " + total + " projects shown.";
    }
  }

  function start() {
    var form = document.querySelector("[data-projects-filters]");
    if (!form || !window.URLSearchParams || !window.history.replaceState) return;
    var article = form.closest("article") || document.body;
    var lists = Array.prototype.slice.call(article.querySelectorAll(".compare tbody, ul.catalog-projects"));
    lists.forEach(function (list) {
      each(list.children, function (el, i) { el.projectIndex = i; });
    });
    var sort = form.elements.namedItem("sort");
    var defaultSort = sort ? sort.options[0].value : "";
    readQuery(form);
    form.hidden = false;
    form.addEventListener("submit", function (e) { e.preventDefault(); });
    form.addEventListener("change", function () {
      var s = state(form);
      writeQuery(s, defaultSort);
      apply(form, lists, s);
    });
    apply(form, lists, state(form));
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
