"""Anchors as browsers resolve them: rendered-Markdown ids, text fragments, encodings."""

from __future__ import annotations

from tests.support.fakeweb import serve_sites, site, static

README = ('<article class="markdown-body"><h2 id="user-content-installation">Installation</h2>'
          '<h2 id="user-content-caf%C3%A9">Café</h2><h3 id="api:client">api:client</h3></article>')


def test_anchor_rules(run):
    app = site({"/readme": static("owner/repo", README)})
    with serve_sites(app, first_host=35) as (url,):
        page = url + "/readme"
        results = run([
            page + "#installation",  # GitHub/GitLab/Gitea prefix heading ids with "user-content-"
            page + "#:~:text=pip%20install",  # a text fragment: a highlight, never an element
            page + "#installation:~:text=pip",  # an anchor followed by a text directive
            page + "#api%3Aclient",  # percent-encoded: matches the decoded id
            page + "#api:client",
            page + "#caf%C3%A9",  # matches the raw (prefixed) id as written
            page + "#uninstall",  # really missing
            page + "#uninstall:~:text=x",
        ])
    assert [r.reason for r in results] == ["ok"] * 6 + ["anchor_missing"] * 2
