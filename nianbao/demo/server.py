"""Real HTTP listeners on 127.0.0.1, one per portal, sharing one settable "as of" clock."""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Callable
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from nianbao.demo.site import PortalSite
from nianbao.demo.web import Request, Response

LOOPBACK = "127.0.0.1"

log = logging.getLogger(__name__)


class Clock:
    """The date the portals answer as of; tests move it while the servers run."""

    def __init__(self, day: date) -> None:
        self._lock = threading.Lock()
        self._day = day
        self.history: list[date] = [day]

    @property
    def day(self) -> date:
        with self._lock:
            return self._day

    def set(self, day: date) -> None:
        with self._lock:
            self._day = day
            self.history.append(day)


class RequestLog:
    """Every request received: (method, path with query, "127.0.0.1:port")."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: list[tuple[str, str, str]] = []

    def add(self, entry: tuple[str, str, str]) -> None:
        with self._lock:
            self._entries.append(entry)

    def snapshot(self) -> list[tuple[str, str, str]]:
        with self._lock:
            return list(self._entries)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


def _handler(site: PortalSite, clock: Clock, log: RequestLog, stopping: threading.Event,
             hang_seconds: Callable[[], float]) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "nianbao-demo"
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
            return

        def _serve(self) -> None:
            try:
                length = max(0, int(self.headers.get("Content-Length") or 0))
            except ValueError:
                self.send_error(400, "bad Content-Length")
                return
            body = self.rfile.read(length) if length else b""
            headers = {k.lower(): v for k, v in self.headers.items()}
            request = Request(self.command, self.path, headers, body)
            log.add((self.command, self.path, f"{LOOPBACK}:{self.server.server_address[1]}"))
            try:
                response = site.handle(request, clock.day)
            except Exception as error:  # a simulator bug must show, not kill the listener
                message = f"simulator error: {type(error).__name__}: {error}".encode()
                response = Response(500, message, "text/plain; charset=utf-8")
            if response.hang:
                stopping.wait(hang_seconds())
                self.close_connection = True
                return
            self.send_response(response.status)
            self.send_header("Content-Type", response.content_type)
            self.send_header("Content-Length", str(len(response.body)))
            for name, value in response.headers.items():
                self.send_header(name, value)
            self.end_headers()
            if self.command != "HEAD" and response.status != 304:
                self.wfile.write(response.body)

        do_GET = do_POST = do_HEAD = _serve

    return Handler


class PortalServer(ThreadingHTTPServer):
    """A threading HTTP server that treats a client hanging up as routine.

    Crawlers give up on the hanging portal and reset their connections: that is the behaviour
    being simulated, so it earns one log line, not a traceback. Any other error still reports in full.
    """

    def handle_error(self, request: Any, client_address: Any) -> None:
        error = sys.exc_info()[1]
        if isinstance(error, ConnectionError | TimeoutError):
            host, port = client_address[:2]
            log.info("client %s:%s disconnected (%s)", host, port, type(error).__name__)
            return
        super().handle_error(request, client_address)


class Listener:
    """One portal's HTTP server, running in a daemon thread."""

    def __init__(self, site: PortalSite, port: int, clock: Clock, log: RequestLog,
                 hang_seconds: Callable[[], float]) -> None:
        self.stopping = threading.Event()
        handler = _handler(site, clock, log, self.stopping, hang_seconds)
        self.server = PortalServer((LOOPBACK, port), handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        # A short poll keeps shutdown quick: tests start and stop whole counties.
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05},
                                       name=f"portal-{site.portal.key}", daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://{LOOPBACK}:{self.port}"

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.stopping.set()
        self.server.shutdown()
        self.server.server_close()
