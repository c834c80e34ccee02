"""A server never sees more than CONCURRENT_REQUESTS_PER_DOMAIN (2) requests of the crawl at once,
even when a list page queues many report pages together (crawler.downloader)."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from tests.crawler.small_sites import Page, sites
from tests.crawler.test_end_to_end import run_crawl
from tests.crawler.test_paging import _registry

ENTRIES = 16


class CountingSite:
    """A list of report-titled entries whose pages answer slowly, counting requests in flight."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.in_flight = 0
        self.most = 0

    def route(self, path: str) -> Page | None:
        with self.lock:
            self.in_flight += 1
            self.most = max(self.most, self.in_flight)
        try:
            time.sleep(0.05)
            if path == "/nb/":
                rows = "".join(f"<li><a href='/nb/{i}.html'>云溪县第{i}局2023年政府信息公开工作年度报告</a>"
                               f"<span>2024-01-20</span></li>" for i in range(ENTRIES))
                return Page(f"<html><head><title>政府信息公开年报</title></head><body><ul>{rows}</ul></body></html>".encode())
            if path.endswith(".html"):
                return Page("<html><head><title>通知</title></head><body><p>页面内容</p></body></html>".encode())
            return None
        finally:
            with self.lock:
                self.in_flight -= 1


def test_a_server_gets_at_most_two_requests_at_once(db_url: str, tmp_path: Path) -> None:
    counting = CountingSite()
    with sites() as running:
        running.start({}, counting.route)
        registry = _registry(tmp_path, {"counted": running[0].base + "/nb/"})
        done = run_crawl(db_url, "2024-02-10T10:00:00+08:00", "--registry", str(registry),
                         env={"NIANBAO_PARSE_WORKERS": "0"})
        assert done.returncode == 0, done.stderr
        detail_pages = [p for p in running[0].log if p.endswith(".html")]
        assert len(detail_pages) == ENTRIES  # all sixteen were queued by one list page
        assert counting.most == 2  # busy (two at a time), never more
