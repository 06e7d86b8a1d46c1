"""Honest messages: a 304 is no "client error", a server that sends only a 1xx and closes
did not refuse the connection."""

from __future__ import annotations

from tests.support.fakeweb import serve_sites, site, status
from tests.support.servers import RawServer


def test_304_to_a_plain_request_is_an_unexpected_answer_not_a_client_error(run_one):
    app = site({"/p": status(304)})
    with serve_sites(app, first_host=11) as (url,):
        r = run_one(url + "/p")
    assert (r.verdict, r.reason, r.status) == ("error", "unexpected_status", 304)
    assert r.message == "unexpected answer (HTTP 304)"
    assert "client error" not in r.message


def test_a_418_is_still_a_client_error(run_one):
    app = site({"/p": status(418)})
    with serve_sites(app, first_host=11) as (url,):
        r = run_one(url + "/p")
    assert (r.reason, r.message) == ("http_error", "client error (HTTP 418)")


def test_only_an_interim_1xx_then_close_is_not_connection_refused(run_one):
    server = RawServer(b"HTTP/1.1 100 Continue\r\n\r\n", host="127.0.1.12")
    try:
        r = run_one(server.url + "/", retries=0)
    finally:
        server.close()
    assert (r.verdict, r.reason, r.status) == ("error", "bad_response", None)
    assert "refused" not in r.message
    assert "interim HTTP 100" in r.message


def test_nothing_listening_is_connection_refused(run_one):
    from tests.support.servers import free_port

    r = run_one(f"http://127.0.1.13:{free_port('127.0.1.13')}/", retries=0)
    assert (r.verdict, r.reason) == ("error", "connection_error")
    assert "refused" in r.message
