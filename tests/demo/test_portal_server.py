"""The listeners themselves: a client that hangs up is one log line, never a traceback."""

from __future__ import annotations

import logging
import socket
import struct
import time
from urllib.parse import urlsplit

import pytest

from tests.demo.portal_http import fetch


def _reset_mid_request(base_url: str) -> None:
    """Send half a request, then abort the connection with a TCP reset (what a crawler giving up does)."""
    address = urlsplit(base_url)
    with socket.create_connection((address.hostname, address.port), timeout=5) as client:
        client.sendall(b"GET /zwgk/ndbg/ HTTP/1.1\r\nHost: portal\r\n")
        time.sleep(0.2)  # the server is now blocked reading the rest of the headers
        client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))


def test_a_client_reset_is_logged_in_one_line(running, caplog: pytest.LogCaptureFixture,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    caplog.set_level(logging.INFO, logger="nianbao.demo.server")
    _reset_mid_request(running.base_urls["towns"])
    deadline = time.monotonic() + 5
    while not caplog.records and time.monotonic() < deadline:
        time.sleep(0.05)
    lines = [r.getMessage() for r in caplog.records if r.name == "nianbao.demo.server"]
    assert len(lines) == 1 and "disconnected (ConnectionResetError)" in lines[0], lines
    assert "127.0.0.1:" in lines[0]
    assert "Traceback" not in capsys.readouterr().err
    # The listener keeps serving after the reset.
    assert fetch(running.base_urls["towns"] + "/robots.txt").status == 200
