"""HTTPS: certificates are verified against the system's CAs (or SSL_CERT_FILE); an
untrusted or wrong-name certificate is a tls_error, a trusted one is fine."""

from __future__ import annotations

import ssl

import pytest
import trustme

from tests.support.fakeweb import site, static
from tests.support.servers import serve_app


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


def _tls(ca: trustme.CA, *names: str) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert(*names).configure_cert(context)
    return context


def test_trusted_certificate_is_ok(run_one, ca, tmp_path, monkeypatch):
    bundle = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(bundle))
    monkeypatch.setenv("SSL_CERT_FILE", str(bundle))  # how a deployment adds its own CAs
    app = site({"/": static("Secure", "<p>x</p>" * 400)})
    with serve_app(app, "127.0.1.40", ssl_context=_tls(ca, "secure.test")) as url:
        port = url.rsplit(":", 1)[1]
        r = run_one(f"https://secure.test:{port}/", resolve={"secure.test": "127.0.1.40"})
    assert (r.verdict, r.reason, r.status) == ("ok", "ok", 200)


def test_certificate_from_an_unknown_authority_is_a_tls_error(run_one, ca):
    app = site({"/": static("Secure")})
    with serve_app(app, "127.0.1.41", ssl_context=_tls(ca, "secure.test")) as url:
        port = url.rsplit(":", 1)[1]
        r = run_one(f"https://secure.test:{port}/", resolve={"secure.test": "127.0.1.41"})
    assert (r.verdict, r.reason, r.status) == ("error", "tls_error", None)


def test_certificate_for_another_name_is_a_tls_error(run_one, ca, tmp_path, monkeypatch):
    bundle = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(bundle))
    monkeypatch.setenv("SSL_CERT_FILE", str(bundle))
    app = site({"/": static("Secure")})
    with serve_app(app, "127.0.1.42", ssl_context=_tls(ca, "other.test")) as url:
        port = url.rsplit(":", 1)[1]
        r = run_one(f"https://secure.test:{port}/", resolve={"secure.test": "127.0.1.42"})
    assert (r.verdict, r.reason, r.status) == ("error", "tls_error", None)
    assert "secure.test" in r.message or "certificate" in r.message.lower()
