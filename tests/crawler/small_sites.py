"""Tiny portals served on 127.0.0.1 for robustness tests: fixed pages, real HTTP, a request log."""

from __future__ import annotations

import threading
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from nianbao.demo.portal import SampleCounty, serve_county


@dataclass
class Page:
    body: bytes
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)


Route = Page | Callable[[str], Page | None]  # a fixed page, or one built from the path with its query


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        return  # a crawler hanging up on a too-big download is expected here


class SmallSite:
    """One portal: ``routes`` maps a path (with query, if any) to a page; everything else is a 404."""

    def __init__(self, routes: dict[str, Route], fallback: Callable[[str], Page | None] | None = None) -> None:
        self.routes = routes
        self.fallback = fallback
        self.log: list[str] = []
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
                return

            def do_GET(self) -> None:  # noqa: N802 - stdlib name
                site.log.append(self.path)
                page = site.page(self.path)
                self.send_response(page.status)
                self.send_header("Content-Type", page.content_type)
                self.send_header("Content-Length", str(len(page.body)))
                for name, value in page.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(page.body)

        self.server = _QuietServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def page(self, path: str) -> Page:
        if path == "/robots.txt":
            return Page(b"User-agent: *\nDisallow:\n", "text/plain")
        route = self.routes.get(path)
        if route is None and self.fallback is not None:
            route = self.fallback
        page = route(path) if callable(route) else route
        return page or Page(b"<html><body>404 Not Found</body></html>", status=404)

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class Sites(list[SmallSite]):
    """The small sites one test serves; all are stopped when the test's ``with sites()`` ends."""

    def start(self, routes: dict[str, Route], fallback: Callable[[str], Page | None] | None = None) -> SmallSite:
        site = SmallSite(routes, fallback)
        self.append(site)
        return site


@contextmanager
def sites() -> Iterator[Sites]:
    running = Sites()
    try:
        yield running
    finally:
        for site in running:
            site.stop()


@dataclass(frozen=True)
class SampleReport:
    title: str
    body: bytes  # the page (HTML) or the file (PDF, DOCX)
    form: str


def sample_reports() -> dict[str, list[SampleReport]]:
    """Real-looking report pages and files of the sample county, by form (html, pdf, docx)."""
    county = SampleCounty.generate(seed=2024, scale=1)
    found: dict[str, list[SampleReport]] = {"html": [], "pdf": [], "docx": []}
    with serve_county(county, as_of=date(2024, 2, 10), timeout_delay=1.0) as running:
        for report in running.ground_truth()["reports"]:
            if report["form"] not in found or not report["visible"] or len(found[report["form"]]) >= 16:
                continue
            if report["cases"]:
                continue  # the special cases (no year, changed, withdrawn...) are not what these tests are about
            placement = next(p for p in report["placements"] if p["visible"])
            url = placement["attachment_url"] or placement["url"]
            with urllib.request.urlopen(url, timeout=30) as answer:
                found[report["form"]].append(SampleReport(report["title"], answer.read(), report["form"]))
    return found
