"""Progress on stderr while a crawl runs, and the portal-by-portal picture at the end."""

from __future__ import annotations

import sys
import time
from typing import Any

from scrapy import Spider, signals
from twisted.internet import task

INTERVAL = 2.0


class ProgressReporter:
    """Prints one status line every few seconds (and on each column page when verbose)."""

    def __init__(self, crawler: Any, enabled: bool) -> None:
        self.crawler = crawler
        self.enabled = enabled
        self.started = time.monotonic()
        self.loop: task.LoopingCall | None = None
        self.last_column = ""
        self.interactive = sys.stderr.isatty()
        crawler.nianbao_progress = self

    @classmethod
    def from_crawler(cls, crawler: Any) -> ProgressReporter:
        reporter = cls(crawler, crawler.settings.getbool("NIANBAO_PROGRESS", True))
        crawler.signals.connect(reporter.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(reporter.spider_closed, signal=signals.spider_closed)
        return reporter

    def spider_opened(self, spider: Spider) -> None:
        if not self.enabled:
            return
        self.loop = task.LoopingCall(self.report)
        self.loop.start(INTERVAL, now=False)

    def spider_closed(self, spider: Spider) -> None:
        if self.loop is not None and self.loop.running:
            self.loop.stop()
        if self.enabled:
            self.report(final=True)

    def column_page(self, column_url: str, page: int, entries: int) -> None:
        self.last_column = f"{column_url} p.{page} ({entries} entries)"

    def line(self) -> str:
        stats = self.crawler.stats
        pages = stats.get_value("nianbao/responses", 0)
        new = stats.get_value("nianbao/reports_new", 0)
        changed = stats.get_value("nianbao/reports_changed", 0)
        same = stats.get_value("nianbao/reports_unchanged", 0) + stats.get_value("nianbao/reports_repost", 0)
        elapsed = time.monotonic() - self.started
        rate = pages / elapsed if elapsed > 0 else 0.0
        return (
            f"crawl {elapsed:6.1f}s · {pages} pages ({rate:.1f}/s) · reports {new} new, {changed} changed, "
            f"{same} unchanged · {self.last_column}"
        )

    def report(self, final: bool = False) -> None:
        text = self.line()
        if self.interactive and not final:
            sys.stderr.write("\r\x1b[2K" + text[:200])
        else:
            sys.stderr.write(("\r\x1b[2K" if self.interactive else "") + text + "\n")
        sys.stderr.flush()
