// The search page (plugins/search), loaded by search.html only. It answers the header's
// search field in place; Pagefind's bundle (data-search on the page) is imported on the
// first query or when the field gets focus. Results are catalog entries and pages, each
// linking to its anchor (the `href` metadata). Keys: ↓/↑ move between the field and the
// result links, Esc goes back to the field and, in the field, clears it.
(() => {
  "use strict";
  const root = document.querySelector("[data-search]");
  const form = document.querySelector("form[data-search-form]");
  if (!root || !form) return;
  const input = form.querySelector("input[name=q]");
  const status = document.querySelector("[data-search-status]");
  const list = document.querySelector("[data-search-results]");
  const more = document.querySelector("[data-search-more]");
  const PAGE = 10; // results shown at first and added by "More results"
  const SUB_RESULTS = 3; // sections listed under a page result

  const help = document.querySelector("[data-search-help]");
  help.textContent = "Type in the search field above. ↓ and ↑ move through the results, " +
    "Esc goes back to the field.";
  input.setAttribute("aria-describedby", help.id);
  for (const nojs of document.querySelectorAll("[data-search-nojs]")) nojs.hidden = true;
  // example queries: each button runs its search here, as if typed into the field
  const examples = document.querySelector("[data-search-examples]");
  if (examples) {
    examples.hidden = false;
    examples.addEventListener("click", (event) => {
      const button = event.target.closest("button[data-q]");
      if (!button) return;
      input.value = button.dataset.q;
      run(input.value, { debounce: false });
    });
  }

  let pagefind = null;
  const load = () => {
    pagefind ??= import(new URL(root.dataset.search, document.baseURI).href).then(async (pf) => {
      await pf.options({ excerptLength: 22, ranking: { pageLength: 0.25 } });
      pf.init();
      return pf;
    });
    return pagefind;
  };

  // Pagefind's excerpts are text with <mark> around the hits: keep exactly that, as nodes.
  const excerpt = (html) => {
    const p = document.createElement("p");
    p.className = "search-excerpt";
    const parsed = new DOMParser().parseFromString(`<body>${html}</body>`, "text/html").body;
    for (const node of parsed.childNodes) {
      if (node.nodeName === "MARK") {
        const mark = document.createElement("mark");
        mark.textContent = node.textContent;
        p.append(mark);
      } else {
        p.append(node.textContent);
      }
    }
    return p;
  };

  const link = (href, text) => {
    const a = document.createElement("a");
    a.href = href;
    a.textContent = text;
    return a;
  };

  const item = (data) => {
    const meta = data.meta || {};
    const href = meta.href || data.url;
    const li = document.createElement("li");
    const title = document.createElement("p");
    title.className = "search-title";
    title.append(link(href, meta.title || href));
    if (meta.where) {
      const where = document.createElement("span");
      where.className = "search-where";
      where.textContent = meta.where;
      title.append(" ", where);
    }
    li.append(title, excerpt(data.excerpt || ""));
    // a page's best sections (headings with an id), when the hits are under them
    const subs = (data.sub_results || []).filter((s) => s.anchor && s.anchor.id).slice(0, SUB_RESULTS);
    if (subs.length) {
      const ul = document.createElement("ul");
      ul.className = "search-sections";
      for (const sub of subs) {
        const sli = document.createElement("li");
        sli.append(link(`${href.split("#")[0]}#${sub.anchor.id}`, sub.title), excerpt(sub.excerpt || ""));
        ul.append(sli);
      }
      li.append(ul);
    }
    return li;
  };

  let current = null; // {query, results, shown}
  let seq = 0;

  const say = (text) => { status.textContent = text; };

  const showMore = async () => {
    const state = current;
    const batch = state.results.slice(state.shown, state.shown + PAGE);
    const data = await Promise.all(batch.map((r) => r.data()));
    if (state !== current) return;
    list.append(...data.map(item));
    state.shown += batch.length;
    more.hidden = state.shown >= state.results.length;
    const n = state.results.length;
    say(`${n} result${n === 1 ? "" : "s"} for “${state.query}”` +
        (state.shown < n ? `, ${state.shown} shown` : ""));
  };

  const run = async (query, { debounce = true } = {}) => {
    const mine = ++seq;
    const q = query.trim();
    const url = new URL(location.href);
    if (q) url.searchParams.set("q", q); else url.searchParams.delete("q");
    history.replaceState(null, "", url);
    if (!q) {
      current = null;
      list.replaceChildren();
      more.hidden = true;
      say("");
      return;
    }
    let pf;
    try {
      if (!pagefind) say("Loading the search index…");
      pf = await load();
    } catch (err) {
      pagefind = null;
      say("Search could not load its index. It needs the site served over HTTP (make serve).");
      return;
    }
    const search = debounce ? await pf.debouncedSearch(q, {}, 200) : await pf.search(q);
    if (search === null || mine !== seq) return; // a newer query took over
    current = { query: q, results: search.results, shown: 0 };
    list.replaceChildren();
    more.hidden = true;
    if (!search.results.length) {
      say(`No results for “${q}”`);
      return;
    }
    await showMore();
  };

  const links = () => [...list.querySelectorAll("a[href]")];

  input.addEventListener("focus", () => { load().catch(() => {}); }, { once: true });
  input.addEventListener("input", () => { run(input.value); });
  input.addEventListener("keydown", (event) => {
    if (event.key === "ArrowDown" && links().length) {
      event.preventDefault();
      links()[0].focus();
    } else if (event.key === "Escape" && input.value) {
      event.preventDefault();
      input.value = "";
      run("", { debounce: false });
    }
  });
  list.addEventListener("keydown", (event) => {
    const all = links();
    const at = all.indexOf(document.activeElement);
    if (at < 0) return;
    if (event.key === "ArrowDown" && at < all.length - 1) {
      event.preventDefault();
      all[at + 1].focus();
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      (at > 0 ? all[at - 1] : input).focus();
    } else if (event.key === "Escape") {
      event.preventDefault();
      input.focus();
      input.select();
    }
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    run(input.value, { debounce: false });
  });
  more.querySelector("button").addEventListener("click", () => {
    const first = list.children.length;
    showMore().then(() => list.children[first]?.querySelector("a")?.focus());
  });

  const query = new URLSearchParams(location.search).get("q") || "";
  if (query) {
    input.value = query;
    run(query, { debounce: false });
  } else {
    input.focus();
  }
})();
