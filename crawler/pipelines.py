"""Item pipeline: every list page (with its entries) and every report or non-report read goes to
storage in one transaction, so a crawl killed at any moment keeps everything it finished and redoes
the rest."""

from __future__ import annotations

from typing import Any

from scrapy import Spider
from scrapy.crawler import Crawler

from crawler.assign import AgencyMatcher
from crawler.items import ListingItem, PageReadItem, UnchangedItem
from storage import crawl_state
from storage.reports import ParsedReport, record_report


class StoragePipeline:
    crawler: Crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StoragePipeline:
        pipeline = cls()
        pipeline.crawler = crawler
        return pipeline

    def open_spider(self, spider: Spider | None = None) -> None:
        spider = spider if spider is not None else self.crawler.spider
        self.store = spider.store  # type: ignore[attr-defined]
        self.matcher = AgencyMatcher.build(self.store.read(crawl_state.agencies_for_matching))

    async def process_item(self, item: Any, spider: Spider | None = None) -> Any:
        # Written on the store's writer thread (in order); the reactor downloads meanwhile.
        spider = spider if spider is not None else self.crawler.spider
        stats = spider.crawler.stats
        if isinstance(item, ListingItem):
            await self.store.write(lambda s: self._listing(s, item))
        elif isinstance(item, PageReadItem):
            outcome, report_id, _agency_id = await self.store.write(lambda s: self._page(s, item))
            if item.kind == "report":
                stats.inc_value(f"nianbao/reports_{outcome}")
                spider.found_reports.add(report_id)  # type: ignore[attr-defined]
            else:
                stats.inc_value("nianbao/non_reports")
        elif isinstance(item, UnchangedItem):
            if item.report_id is not None:
                await self.store.write(lambda s: crawl_state.touch_report(s, item.report_id))  # type: ignore[arg-type]
            stats.inc_value("nianbao/pages_unchanged")
        return item

    def _listing(self, session, item: ListingItem) -> None:  # type: ignore[no-untyped-def]
        crawl_state.see_column_items(session, portal_id=item.portal_id, column_url=item.column_url,
                                     entries=item.entries, not_reports=item.not_reports)
        for report_id in item.known_report_ids:
            crawl_state.touch_report(session, report_id)

    def _page(self, session, item: PageReadItem) -> tuple[str, int | None, str | None]:  # type: ignore[no-untyped-def]
        for snapshot_key, text in item.texts.items():
            snapshot_id = self.store.row_id(snapshot_key)
            if snapshot_id is not None:
                crawl_state.set_snapshot_text(session, snapshot_id, text)
        if item.kind != "report" or item.facts is None:
            crawl_state.settle_item(
                session, portal_id=item.portal_id, column_url=item.column_url, url=item.url,
                title=item.listed_title, kind="other", report_id=None, fetched_sha256=item.detail_sha256,
            )
            return "other", None, None
        facts = item.facts
        agency_id = self.matcher.match(facts.agency_name, facts.title)
        parsed = ParsedReport(
            url=item.url,
            content_sha256=facts.content_sha256,
            agency_id=agency_id,
            agency_name=facts.agency_name,
            year=facts.year,
            title=facts.title,
            published_at=facts.published_at,
            layout=facts.layout,
            has_tables=facts.has_tables,
            warnings=facts.warnings,
            values=facts.values,
            checks=facts.checks,
            snapshot_id=self.store.row_id(item.snapshot_key),
            portal_id=item.portal_id,
            column_url=item.column_url,
        )
        outcome, report = record_report(session, parsed)
        if report.agency_id is None and agency_id is not None:
            crawl_state.assign_report_agency(session, report.id, agency_id)
        crawl_state.settle_item(
            session, portal_id=item.portal_id, column_url=item.column_url, url=item.url,
            title=item.listed_title, kind="report", report_id=report.id, fetched_sha256=item.detail_sha256,
        )
        return outcome, report.id, report.agency_id
