"""A link behind a sign-in wall on another host: the report lists it as a warning of its own,
says what happened and what to do (issue 23)."""

from __future__ import annotations

from linkcheck.engine.check import CheckOptions
from linkcheck.engine.reasons import TABLE
from linkcheck.report.build import write_report
from linkcheck.runs.local import run_check
from linkcheck.store import Store
from tests.support.fakeweb import redirect, serve_sites, site, static
from tests.support.tworuns import make_settings


def test_report_explains_login_required(tmp_path):
    idp = site({"/adfs/ls/": static("Sign In", "<form><input name=UserName></form>")})
    with serve_sites(idp, first_host=158) as (idp_url,):
        login = f"http://sso.corp.example:{idp_url.rsplit(':', 1)[1]}"
        intranet = site({"/runbooks/deploy": redirect(f"{login}/adfs/ls/?wa=wsignin1.0&wctx=rm%3d0", 302)})
        with serve_sites(intranet, first_host=159) as (url,):
            pages = tmp_path / "content" / "pages"
            pages.mkdir(parents=True)
            (pages / "ops.md").write_text(f"Title: Ops\n\nSee [the deploy runbook]({url}/runbooks/deploy).\n",
                                          encoding="utf-8")
            settings = make_settings(tmp_path)
            options = CheckOptions.from_settings(settings, resolve=(("sso.corp.example", "127.0.1.158"),))
            with Store.from_settings(settings) as store:
                summary = run_check(settings, [tmp_path / "content"], store=store, root=tmp_path,
                                    options=options)
                report = write_report(settings, store)
    (result,) = summary.results
    assert (result.verdict, result.reason) == ("warn", "login_required")
    text = report.paths.md.read_text(encoding="utf-8")
    assert f"{url}/runbooks/deploy" in text
    assert "login required: redirected to a sign-in page: sent to sign in at sso.corp.example" in text
    assert TABLE["login_required"].fix in text
    assert "content/pages/ops.md:3" in text
