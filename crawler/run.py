"""Running a whole crawl in-process: `crawl(db_url, ...) -> CrawlSummary`.

Twisted's reactor cannot be restarted, so a process runs at most one crawl; a caller that needs
several (a scheduler, a test) runs each in a subprocess: ``python -m nianbao crawl``.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from typing import Any

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from crawler.hosts import is_loopback
from crawler.spiders.annual_reports import AnnualReportsSpider
from crawler.store import Store
from storage import crawl_state
from storage.db import database_url


@dataclass
class CrawlSummary:
    run_id: int
    pages_fetched: int = 0
    reports_found: int = 0
    reports_new: int = 0
    reports_changed: int = 0
    reports_unchanged: int = 0
    reports_gone: int = 0
    non_reports: int = 0
    unassigned: list[tuple[str, str | None]] = field(default_factory=list)
    portals: list[tuple[str, str, str | None]] = field(default_factory=list)  # (url, outcome, detail)
    warnings: list[tuple[str, str]] = field(default_factory=list)  # (portal url, what the user should know)
    stats: dict[str, Any] = field(default_factory=dict)

    @property
    def failed_portals(self) -> list[tuple[str, str, str | None]]:
        return [p for p in self.portals if p[1] != "ok"]

    @property
    def ok(self) -> bool:
        return not self.failed_portals


def scrapy_settings(overrides: dict[str, Any] | None = None) -> Settings:
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "crawler.settings")
    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    for key, value in (overrides or {}).items():
        settings.set(key, value, priority="cmdline")
    return settings


# Failures to reach a portal are the crawl's findings, reported per portal in the summary; Scrapy's
# own ERROR lines (with tracebacks) for the same events would bury that summary.
_TRANSPORT_LOGGERS = (
    "scrapy.downloadermiddlewares.robotstxt",
    "scrapy.downloadermiddlewares.retry",
    "scrapy.core.downloader.handlers.http11",
)


def _quiet_transport_errors() -> None:
    if os.environ.get("NIANBAO_LOG_LEVEL", "").upper() in ("DEBUG", "INFO"):
        return
    for name in _TRANSPORT_LOGGERS:
        logging.getLogger(name).setLevel(logging.CRITICAL)


def crawl(
    db_url: str | None,
    *,
    agency_ids: list[str] | None = None,
    ignore_robots: bool = False,
    show_progress: bool = True,
    settings_overrides: dict[str, Any] | None = None,
) -> CrawlSummary:
    url = database_url(db_url)
    store = Store(url)
    run_id = store.run(crawl_state.start_run)
    overrides = dict(settings_overrides or {})
    overrides.setdefault("NIANBAO_PROGRESS", show_progress)
    targets = store.run(lambda s: crawl_state.portals_to_crawl(s, agency_ids or None))
    if targets and all(is_loopback(t.url) for t in targets):
        # Delays protect other people's servers; a portal served on this machine needs none.
        overrides.setdefault("DOWNLOAD_DELAY", 0.0)
        overrides.setdefault("AUTOTHROTTLE_ENABLED", False)
    if ignore_robots:
        overrides["ROBOTSTXT_OBEY"] = False
    process = CrawlerProcess(scrapy_settings(overrides))
    _quiet_transport_errors()
    crawler = process.create_crawler(AnnualReportsSpider)
    process.crawl(crawler, db_url=url, run_id=run_id, agency_ids=list(agency_ids or []))
    state = "failed"
    try:
        process.start()
        state = "finished"
    finally:
        spider = crawler.spider
        summary = summarise(store, run_id, crawler.stats.get_stats(), spider)
        store.run(lambda s: crawl_state.finish_run(s, run_id, state=state, counts=_counts(summary), stats=_jsonable(summary.stats)))
    return summary


def summarise(store: Store, run_id: int, stats: dict[str, Any], spider: AnnualReportsSpider | None) -> CrawlSummary:
    summary = CrawlSummary(run_id=run_id, stats=stats)
    summary.pages_fetched = int(stats.get("nianbao/responses", 0))
    summary.reports_new = int(stats.get("nianbao/reports_new", 0))
    summary.reports_changed = int(stats.get("nianbao/reports_changed", 0))
    summary.reports_unchanged = int(stats.get("nianbao/reports_unchanged", 0)) + int(stats.get("nianbao/reports_repost", 0))
    summary.non_reports = int(stats.get("nianbao/non_reports", 0))
    if spider is not None:
        summary.reports_gone = spider.reports_gone
        found = set(spider.found_reports)
        summary.reports_found = len(found)
        summary.unassigned = store.run(lambda s: crawl_state.unassigned_reports(s, found))
        summary.warnings = [(p.target.url, w) for p in spider.portals.values() for w in p.warnings]
    summary.portals = store.run(lambda s: crawl_state.portal_results(s, run_id))
    return summary


def _counts(summary: CrawlSummary) -> dict[str, int]:
    return {
        "pages_fetched": summary.pages_fetched,
        "reports_found": summary.reports_found,
        "reports_new": summary.reports_new,
        "reports_changed": summary.reports_changed,
        "reports_gone": summary.reports_gone,
        "unassigned": len(summary.unassigned),
    }


def _jsonable(stats: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in stats.items():
        out[key] = value if isinstance(value, int | float | str | bool) or value is None else str(value)
    return out
