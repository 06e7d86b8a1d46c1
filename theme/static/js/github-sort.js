/* Re-sort the projects list by stars or by recent activity (progressive enhancement).
   Without JavaScript the list keeps its default order, most stars first (plugins/github_data).
   Reads data-stars / data-pushed from each entry's .github span (partials/github.html). */
(function () {
  "use strict";
  var ORDERS = [
    { key: "stars", label: "Most stars" },
    { key: "pushed", label: "Recent activity" }
  ];

  function figure(item, name) {
    var span = item.querySelector(".github[data-" + name + "]");
    var value = span ? parseInt(span.getAttribute("data-" + name), 10) : NaN;
    return isNaN(value) ? -1 : value;
  }

  function enhance(list) {
    var items = Array.prototype.slice.call(list.children);
    // ties keep the page's default order (most stars first)
    items.forEach(function (item, i) { item.setAttribute("data-default-index", String(i)); });
    var bar = document.createElement("div");
    bar.className = "gh-sort";
    bar.setAttribute("role", "group");
    bar.setAttribute("aria-label", "Sort projects");
    bar.appendChild(document.createTextNode("Sort: "));
    var status = document.createElement("span");
    status.className = "gh-sort-status";
    status.setAttribute("aria-live", "polite");
    var buttons = ORDERS.map(function (order) {
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = order.label;
      button.setAttribute("aria-pressed", order.key === "stars" ? "true" : "false");
      button.addEventListener("click", function () {
        sort(list, order.key);
        buttons.forEach(function (b) { b.setAttribute("aria-pressed", b === button ? "true" : "false"); });
        status.textContent = "Projects sorted by " + order.label.toLowerCase() + ".";
      });
      bar.appendChild(button);
      return button;
    });
    bar.appendChild(status);
    list.parentNode.insertBefore(bar, list);
  }

  function sort(list, key) {
    var items = Array.prototype.slice.call(list.children);
    items.sort(function (a, b) {
      var ia = parseInt(a.getAttribute("data-default-index"), 10);
      var ib = parseInt(b.getAttribute("data-default-index"), 10);
      return (figure(b, key) - figure(a, key)) || (ia - ib);
    });
    items.forEach(function (item) { list.appendChild(item); });
  }

  function start() {
    var lists = document.querySelectorAll("[data-github-sort]");
    Array.prototype.forEach.call(lists, enhance);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
