"""Blocked portals: a WAF's 412 JS challenge, a 521 cookie challenge, a server that never answers."""

from __future__ import annotations

import re
import socket
import time
import urllib.error
from datetime import date
from http.client import RemoteDisconnected

import pytest

from nianbao.demo.portal import serve_county
from tests.demo.portal_http import fetch


def test_waf_portal_answers_412_with_a_script_challenge_everywhere(running):
    for path in ("/", "/robots.txt", "/zwgk/ndbg/"):
        page = fetch(running.base_urls["waf"] + path)
        assert page.status == 412
        assert b"<script" in page.body and b"document.cookie" in page.body
        assert "waf_sid=" in page.headers["Set-Cookie"]


def test_cookie_challenge_portal_answers_521_until_the_script_cookie_is_sent(running):
    base = running.base_urls["jsl"]
    challenge = fetch(base + "/")
    assert challenge.status == 521
    assert "__jsluid_s=" in challenge.headers["Set-Cookie"]
    # What a browser would compute by running the script.
    name, *parts = re.findall(r"\('([^']*)'\)", challenge.text)
    cookie = f"{name}={''.join(parts)}"
    assert fetch(base + "/", headers={"Cookie": challenge.headers["Set-Cookie"].split(";")[0]}).status == 521
    solved = fetch(base + "/", headers={"Cookie": cookie})
    assert solved.status == 200 and "政务公开" in solved.text


def test_hanging_portal_accepts_and_never_answers_in_time(running):
    url = running.base_urls["slow"] + "/"
    started = time.monotonic()
    with pytest.raises((socket.timeout, TimeoutError, urllib.error.URLError)):
        fetch(url, timeout=0.3)
    assert time.monotonic() - started < 1.4  # the timeout, well before the portal's delay
    started = time.monotonic()
    with pytest.raises((RemoteDisconnected, ConnectionError, urllib.error.URLError)):
        fetch(url, timeout=10)
    assert time.monotonic() - started >= 1.4  # the configured delay, then the connection drops


def test_blocked_portal_turns_healthy_and_its_bodies_follow(county):
    with serve_county(county, as_of=date(2024, 2, 10), timeout_delay=0.5) as running:
        url = running.base_urls["flaky"] + "/zwgk/ndbg/"
        assert fetch(url).status == 412
        blocked = running.ground_truth()
        body = next(a["id"] for a in running.registry()["agencies"] if a["portal"].startswith(running.base_urls["flaky"]))
        rows = [s for s in blocked["statuses"] if s["agency_id"] == body]
        assert rows and {s["status"] for s in rows} == {"unreachable"}
        running.set_as_of(date(2024, 6, 1))
        page = fetch(url)
        assert page.status == 200
        healthy = running.ground_truth()
        rows = [s for s in healthy["statuses"] if s["agency_id"] == body]
        assert "unreachable" not in {s["status"] for s in rows}
        found = {s["url"] for s in rows if s["url"]}
        assert found and found <= set(page.list_links("news-list")) | _later_pages(page)
        raised = {(a["year"], a["kind"]) for a in healthy["alerts_raised"] if a["agency_id"] == body}
        assert (2023, "unreachable") in raised  # raised by the first crawl, resolved by the second
        assert not [a for a in healthy["alerts"] if a["agency_id"] == body and a["kind"] == "unreachable"]


def _later_pages(first) -> set[str]:
    urls: set[str] = set()
    page = first
    while True:
        nxt = [u for u, text in page.links() if text == "下一页"]
        if not nxt:
            return urls
        page = fetch(nxt[0])
        urls |= set(page.list_links("news-list"))


def test_every_blocked_body_is_unreachable_not_missing(running):
    truth = running.ground_truth()
    blocked = {a["id"] for a in running.registry()["agencies"]
               if any(a["portal"].startswith(running.base_urls[k]) for k in ("waf", "jsl", "slow", "flaky"))}
    assert len(blocked) == 4
    for row in truth["statuses"]:
        if row["agency_id"] in blocked:
            assert row["status"] == "unreachable", row
