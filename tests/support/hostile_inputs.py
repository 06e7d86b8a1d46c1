"""The worst case of every pattern that runs on text from the web, at any size.

Shared by tests/engine/test_bounded_patterns.py (each must take well under a second of
CPU at 1 MiB) and benchmarks/hostile_patterns.py (which measures the same calls on
another tree, e.g. main, for before/after figures): only module names and functions that
both trees have are used.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

MIB = 1024 * 1024


def _quiet(fn: Callable[..., object], *args: object, **kw: object) -> object:
    try:
        return fn(*args, **kw)
    except ValueError:  # BadURL and friends: an answer, not a crash
        return None


def worst_cases(n: int = MIB) -> dict[str, tuple[str, Callable[[], object]]]:
    """name -> (the input, a call doing the work) for inputs of about ``n`` bytes."""
    from yarl import URL

    from linkcheck.engine import check, client, page, parked, retry, softnotfound, verdict
    from linkcheck.metadata import pypi
    from linkcheck.report import drift

    def rep(unit: str, size: int = n) -> str:
        return unit * max(1, size // len(unit))

    def html(unit: str) -> bytes:
        return rep(unit).encode()

    u = URL("http://a.test/")
    cases: list[tuple[str, str, Callable[..., object], tuple[object, ...], dict[str, object]]] = [
        ("parked.loads_parking_script", '"src=" * n', parked.loads_parking_script, (rep("src="),), {}),
        ("parked.loads_parking_script (one long value)", '"src=" + "a" * n',
         parked.loads_parking_script, ("src=" + rep("a"),), {}),
        ("parked.says_parked (heading)", '"the domain" + "\\t" * n + "x"',
         parked.says_parked, (["the domain" + rep("\t") + "x"], ""), {}),
        ("parked.says_parked (text)", '"this domain " * (n / 12)',
         parked.says_parked, ([], rep("this domain ")), {}),
        ("softnotfound.text_says_not_found (heading)", '"the page you are looking for" + " " * n',
         softnotfound.text_says_not_found, (["the page you are looking for" + rep(" ")], ""), {}),
        ("softnotfound.text_says_not_found (text)", '"we can\'t find" + " " * n',
         softnotfound.text_says_not_found, ([], "we can't find" + rep(" ")), {}),
        ("softnotfound.is_app_shell", '"enable" + " " * n',
         softnotfound.is_app_shell, ("enable" + rep(" "),), {}),
        ("verdict.says_not_found (blanks)", '"404 the page" + " " * n + "x"',
         verdict.says_not_found, ("404 the page" + rep(" ") + "x",), {}),
        ("verdict.says_not_found (separators)", '"not found |" * (n / 11)',
         verdict.says_not_found, (rep("not found |"),), {}),
        ("verdict.is_landing", 'path "/" * n + "x"',
         verdict.is_landing, (URL("http://a.test" + rep("/") + "x"),), {}),
        ("verdict.is_landing (language)", 'path "/en" * (n / 3)',
         verdict.is_landing, (URL("http://a.test" + rep("/en") + "x"),), {}),
        ("verdict.is_challenge", '403, "<" * n', verdict.is_challenge, (403, {}, html("<")), {}),
        ("page.decode (meta charset)", 'b"<meta " * (n / 6)', page.decode, (html("<meta "), None), {}),
        ("page.parse (title flood)", '"<title>" * (n / 7)', page.parse, (html("<title>"), "utf-8"),
         {"anchors": False}),
        ("page.parse (< in a title)", '"<title>" + "<" * n', page.parse, (b"<title>" + html("<"), "utf-8"),
         {"anchors": False}),
        ("page.parse (comment flood, tree)", '"<!--" * (n / 4)', page.parse, (html("<!--"), "utf-8"),
         {"anchors": False}),
        ("page.parse (meta refresh)", '<meta http-equiv=refresh content="0" * n>', page.parse,
         (b'<meta http-equiv="refresh" content="' + html("0") + b'">', "utf-8"), {"anchors": False}),
        ("page.parse (anchors)", '"<a id=x name=y>" * (n / 16)',
         page.parse, (html("<a id=x name=y>"), "utf-8"), {"anchors": True}),
        ("page.headings_and_text (svg)", '"<svg></svg>" * (n / 11)',
         page.headings_and_text, (html("<svg></svg>"), "utf-8"), {}),
        ("page.headings_and_text (svg and text)", '"<svg></svg>x" * (n / 12)',
         page.headings_and_text, (html("<svg></svg>x"), "utf-8"), {}),
        ("page.headings_and_text (script)", '"<script>x</script>y" * (n / 19)',
         page.headings_and_text, (html("<script>x</script>y"), "utf-8"), {}),
        ("client.request_url (Location path)", '"http://a.test/" + "%" * n',
         _quiet, (client.request_url, "http://a.test/" + rep("%")), {}),
        ("client.request_url (Location host)", '"http://" + "a." * (n / 2) + "!"',
         _quiet, (client.request_url, "http://" + rep("a.") + "!"), {}),
        ("client.request_url (relative)", '"/" + "[" * n',
         _quiet, (client.request_url, "/" + rep("[")), {"base": u}),
        ("client._charset (Content-Type)", '"charset=" * (n / 8)', client._charset, (rep("charset="),), {}),
        ("check._refresh_header", '"0" * n', check._refresh_header, (rep("0"),), {}),
        ("retry.parse_retry_after", '"1" * n', _quiet, (retry.parse_retry_after, rep("1")), {}),
        ("retry.parse_retry_after (date)", '"Mon, " * (n / 5)', retry.parse_retry_after, (rep("Mon, "),), {}),
        ("pypi.github_repo_of", '"https://github.com/" + "a" * n + "/b/"',
         pypi.github_repo_of, ("https://github.com/" + rep("a") + "/b" + rep("/", 64),), {}),
        ("drift.title_similarity", "two titles of n characters, no letters",
         drift.title_similarity, (rep("1 "), rep("2 ")), {}),
    ]
    return {name: (what, partial(fn, *args, **kw)) for name, what, fn, args, kw in cases}
