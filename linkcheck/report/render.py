"""Render the report data as Markdown and HTML from the Jinja templates in templates/.

Both environments escape every printed value: the HTML one with Jinja's
autoescape, the Markdown one through ``finalize`` with :func:`md_text`
(markupsafe's ``Markup`` marks text that is already Markdown: macro output and
the ``url``/``code`` filters). Templates never decide what is safe by themselves.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any
from urllib.parse import quote

import jinja2
from markupsafe import Markup

# Every character that can start inline markup, a link, HTML or a table cell. Values are
# never at the start of a line, so list and heading markers ("-", "+", "1.") are harmless.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#!|<>~&])")


def md_text(value: object) -> str:
    """Escape outside text for Markdown: no markup, links or HTML can get through."""
    text = " ".join(str(value).split())  # no newlines: they would end table rows and lists
    return _MD_SPECIAL.sub(r"\\\1", text)


def md_url(url: str) -> str:
    """An autolink whose text cannot break out of its angle brackets."""
    return "<" + quote(url, safe=":/?#[]@!$&'()*+,;=%~-._") + ">"


def yaml_block(text: str) -> Markup:
    """A fenced YAML block of our own snippet (catalog edits); a backtick could only end the
    fence early, so none gets in."""
    return Markup("```yaml\n" + str(text).replace("`", "'") + "\n```")


def summary_line(data: dict[str, Any]) -> str:
    s, c = data["summary"], data["counts"]
    return (f"Link check run {data['run']['id']}: {s['links']} links, {c['ok']} ok, {c['warn']} warn, "
            f"{c['error']} error; {s['newly_broken']} newly broken, {s['recovered']} recovered, "
            f"{s['newly_moved']} newly moved, {s['content_drift']} content drift.")


def _showing_status(p: dict[str, Any]) -> bool:
    """Add " (HTTP 404)" unless the message already names the status."""
    return bool(p.get("status")) and str(p["status"]) not in str(p["message"])


def _location(loc: dict[str, Any]) -> str:
    return f"{loc['source']}:{loc['line']}" if loc["line"] else str(loc["source"])


def _md_finalize(value: object) -> object:
    return value if isinstance(value, Markup) else Markup(md_text(value))


def _environment(markdown: bool) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("linkcheck.report", "templates"),
        autoescape=True,  # HTML: escape; Markdown: everything passes _md_finalize first
        finalize=_md_finalize if markdown else None,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    env.tests["showing_status"] = _showing_status
    env.filters["location"] = _location
    if markdown:
        env.filters["url"] = lambda url: Markup(md_url(str(url)))
        # a code span: file paths are shown as they are (they come from our own tree)
        env.filters["code"] = lambda text: Markup(f"`{text}`")
        env.filters["yaml_block"] = yaml_block
    return env


@cache
def _template(name: str) -> jinja2.Template:
    return _environment(markdown=name.endswith(".md.j2")).get_template(name)


def render_markdown(data: dict[str, Any]) -> str:
    return _template("report.md.j2").render(data=data, summary=summary_line(data))


def render_html(data: dict[str, Any]) -> str:
    return _template("report.html.j2").render(data=data, summary=summary_line(data))
