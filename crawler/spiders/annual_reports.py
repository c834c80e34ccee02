"""The one generic spider: portal → annual-report column → list pages → report pages → attachments.

Platform adapters (crawler.platforms) know how each CMS lists and paginates; this spider only
keeps track of what is being walked, what is known, and how each portal fared.

Incremental rule (documented in crawler/README.md):
- a column is walked to its last page on its first walk, after a walk that did not complete, while
  entries are left unfetched, and every NIANBAO_FULL_WALK_DAYS; otherwise paging stops at the first
  page that lists only known entries;
- only a full walk without any error may conclude that an entry is gone;
- a known report page is fetched again (conditionally) every NIANBAO_REVISIT_DAYS, or when its list
  entry changed (title or date).
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import os
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import unquote, urlsplit

import scrapy
from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
)
from scrapy.http import Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.defer import CancelledError
from twisted.internet.error import (
    ConnectionDone,
    ConnectionLost,
    ConnectionRefusedError,
    DNSLookupError,
    TCPTimedOutError,
    TimeoutError,
)
from twisted.python.failure import Failure
from twisted.web._newclient import ResponseNeverReceived

from crawler import hosts
from crawler.claims import HostClaims, crawl_round, host_of, join_seconds
from crawler.decoding import decode_page
from crawler.discovery import MAX_DEPTH, is_column_name, navigation_links
from crawler.items import ListingItem, PageReadItem, UnchangedItem
from crawler.middlewares import PortalBlocked
from crawler.parse_pool import ParsePool
from crawler.platforms import BY_NAME, ColumnStart, PageRequest, Platform, detect
from crawler.platforms.base import clean, page_title, parse_html
from crawler.reading import Reading, attachment_links, disposition_filename, facts, title_says_report
from crawler.redirects import OffsiteRedirect
from crawler.store import Store
from storage import crawl_state
from storage.clock import as_china, now
from storage.crawl_state import KnownItem, ListedEntry, PortalTarget
from storage.db import database_url

# Scrapy hands every log record to its handler and filters there; the PDF libraries log each token at
# DEBUG, which then costs more than reading the PDF. Their loggers are capped at the source.
QUIET_LOGGERS = ("pdfminer", "pdfplumber", "PIL", "charset_normalizer")

# Files and frames of one report page tried in turn until one holds the report.
MAX_CANDIDATES = 4

# Which request of a server goes first. Navigation finds the columns; a report's file comes before
# further report pages (its page's reading waits in memory for it), and report pages before further
# list pages, so a walk whose list pages are all queued at once neither starves reading nor piles
# up the entries of every page in memory.
ROLE_PRIORITY = {"navigation": 30, "attachment": 20, "detail": 10, "list": 0}

# Worst first: the outcome of a portal is the worst thing that happened to it.
SEVERITY = ("blocked", "timeout", "unreachable", "error")


@dataclass
class PortalCrawl:
    target: PortalTarget
    started_at: datetime
    failures: list[tuple[str, str]] = field(default_factory=list)  # (outcome, detail)
    columns: set[str] = field(default_factory=set)
    platform: str | None = None
    pages: int = 0
    visited: set[str] = field(default_factory=set)

    warnings: list[str] = field(default_factory=list)

    def fail(self, outcome: str, detail: str) -> None:
        self.failures.append((outcome, detail))


@dataclass
class ColumnWalk:
    column_url: str
    portal_id: int
    platform: str
    full: bool
    subscribers: set[int] = field(default_factory=set)
    pages: int = 0
    pending: int = 0
    failed: bool = False
    reached_end: bool = False
    listed: set[str] = field(default_factory=set)
    # List pages asked for all at once (a full walk of a list that announces its page count).
    asked_at_once: int = 0  # the number of the last of them (0: the pages are walked one by one)
    asked_urls: set[str] = field(default_factory=set)
    missing: list[int] = field(default_factory=list)  # announced pages that answered 404
    cut: bool = False  # announced more pages than NIANBAO_MAX_PAGES

    def asked_with_the_first(self, number: int) -> bool:
        return 1 < number <= self.asked_at_once


class AnnualReportsSpider(scrapy.Spider):
    name = "annual_reports"

    def __init__(
        self,
        db_url: str | None = None,
        run_id: int | str | None = None,
        agency_ids: str | list[str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        for name in QUIET_LOGGERS:
            logging.getLogger(name).setLevel(logging.WARNING)
        self.db_url = database_url(db_url)
        self.run_id = int(run_id) if run_id else None
        if isinstance(agency_ids, str):
            agency_ids = [a for a in agency_ids.split(",") if a]
        self.agency_ids = list(agency_ids or [])
        self.store = Store(self.db_url)
        self.parse_pool = ParsePool()
        self.portals: dict[int, PortalCrawl] = {}
        self.walks: dict[str, ColumnWalk] = {}
        self.requested_details: set[str] = set()
        self.nav_responses: dict[str, Response] = {}
        self.nav_waiters: dict[str, list[tuple[int, int, bool]]] = {}
        self.found_reports: set[int] = set()
        self.reports_gone = 0

    # -- settings ---------------------------------------------------------------------------------

    @property
    def full_walk_every(self) -> timedelta:
        return timedelta(days=self.settings.getfloat("NIANBAO_FULL_WALK_DAYS", 7))

    @property
    def revisit_after(self) -> timedelta:
        return timedelta(days=self.settings.getfloat("NIANBAO_REVISIT_DAYS", 30))

    @property
    def max_pages(self) -> int:
        return self.settings.getint("NIANBAO_MAX_PAGES", 500)

    # -- start ----------------------------------------------------------------------------------

    async def start(self) -> AsyncIterator[Any]:
        if self.run_id is None:
            self.run_id = self.store.run(crawl_state.start_run)
        self.parse_pool.start()  # the workers import the parsers while the first pages download
        targets = self.store.run(lambda s: crawl_state.portals_to_crawl(s, self.agency_ids or None))
        claims = self._claims()
        if claims is None:
            for target in targets:
                for request in self._begin_portal(target):
                    yield request
            return
        window = join_seconds()
        await asyncio.sleep(claims.join(window))
        mine, others = claims.shares([host_of(t.url) for t in targets])
        for share in (mine, others):
            if share is others and others:
                await asyncio.sleep(window)  # the other workers take their shares first
            for host in share:
                if not claims.claim(host):
                    self.crawler.stats.inc_value("nianbao/hosts_left_to_other_workers")
                    continue
                for target in targets:
                    if host_of(target.url) == host:
                        for request in self._begin_portal(target):
                            yield request

    def _begin_portal(self, target: PortalTarget) -> Iterator[Any]:
        self.portals[target.portal_id] = PortalCrawl(target, now())
        yield from self._discover(target.portal_id, target.url, depth=0, via_column=True)

    def _claims(self) -> HostClaims | None:
        redis_url = self.settings.get("REDIS_URL")
        round_id = crawl_round()
        if not redis_url or not round_id:
            return None
        return HostClaims(redis_url, round_id, self.settings.get("NIANBAO_WORKER") or str(os.getpid()))

    # -- requests ---------------------------------------------------------------------------------

    def _meta(self, portal_id: int, role: str, **extra: Any) -> dict[str, Any]:
        return {"portal_id": portal_id, "portal_url": self.portals[portal_id].target.url, "role": role, **extra}

    def _discover(self, portal_id: int, url: str, *, depth: int, via_column: bool) -> Iterator[Any]:
        """Fetch a navigation page once per run, however many portals lead to it."""
        self.portals[portal_id].visited.add(url)
        if url in self.nav_responses:
            yield from self._navigate(portal_id, self.nav_responses[url], depth, via_column)
            return
        if url in self.nav_waiters:
            self.nav_waiters[url].append((portal_id, depth, via_column))
            return
        self.nav_waiters[url] = []
        yield _request(
            url,
            callback=self.parse_navigation,
            errback=self.failed,
            dont_filter=True,
            meta=self._meta(portal_id, "navigation", depth=depth, via_column=via_column, conditional=True),
        )

    def _list_request(self, walk: ColumnWalk, page: PageRequest, number: int) -> scrapy.Request:
        walk.pending += 1
        meta = self._meta(walk.portal_id, "list", column=walk.column_url, page=page, page_number=number)
        if page.method == "POST":
            return _request(
                page.url,
                method="POST",
                body=page.body or "",
                headers={"Content-Type": "application/x-www-form-urlencoded; charset=UTF-8"},
                callback=self.parse_list,
                errback=self.failed,
                dont_filter=True,
                meta=meta,
            )
        meta["conditional"] = True
        return _request(page.url, callback=self.parse_list, errback=self.failed, dont_filter=True, meta=meta)

    # -- navigation: finding the column ---------------------------------------------------------

    def parse_navigation(self, response: Response) -> Iterator[Any]:
        self.portals[response.meta["portal_id"]].pages += 1
        self.nav_responses[response.url] = response
        first = (response.meta["portal_id"], response.meta["depth"], response.meta["via_column"])
        asked = (response.meta.get("redirect_urls") or [response.url])[0]
        self.nav_responses[asked] = response
        for portal_id, depth, via_column in [first, *self.nav_waiters.pop(asked, [])]:
            yield from self._navigate(portal_id, response, depth, via_column)

    def _navigate(self, portal_id: int, response: Response, depth: int, via_column: bool) -> Iterator[Any]:
        portal = self.portals[portal_id]
        if not isinstance(response, TextResponse):
            return
        text = page_text(response)
        allowed = self._allowed_for(portal)
        adapter = detect(response.url, text)
        starts = self._columns_on(adapter, response.url, text, via_column=via_column, depth=depth)
        for start in starts:
            yield from self._start_walk(portal, adapter, start, response)
        if depth >= MAX_DEPTH:
            return
        links = navigation_links(response.url, text, allowed)
        if starts:
            # A column page links up (breadcrumbs) and sideways; only sub-columns below it belong to it.
            follow = [(u, True) for u, _t in links.columns if _beneath(u, response.url)]
        else:
            follow = [(u, True) for u, _t in links.columns]
            if not follow and not portal.columns:
                follow = [(u, False) for u, _t in links.gateways]
        if via_column and _names_column(text):
            # A 年报 column split by year (2023年度 / 2022年度): each year is a sub-column of its own,
            # wherever the CMS keeps it (col/col123/ beside the parent, not always below it).
            follow += [(u, True) for u, _t in links.years]
        for url, column_link in follow:
            if url not in portal.visited:
                yield from self._discover(portal.target.portal_id, url, depth=depth + 1, via_column=column_link)

    def _columns_on(self, adapter: Platform, url: str, text: str, *, via_column: bool, depth: int) -> list[ColumnStart]:
        """Columns this page holds: a CMS list page reached by a 年报 link, or a gkmlpt catalog."""
        if adapter.name == "gkmlpt":
            return adapter.columns(url, text)
        if adapter.name in ("trs", "hanweb") and via_column:
            return adapter.columns(url, text)
        if not via_column:
            return []
        listing = adapter.read_page(url, PageRequest(url), text, 1)
        entries = [e for e in listing.entries if not is_column_name(e.title, e.url)]
        names_column = _names_column(text)
        reports_listed = any(title_says_report(e.title) for e in entries)
        if reports_listed or (names_column and entries):
            return adapter.columns(url, text)
        links = navigation_links(url, text, lambda _u: True)
        if names_column and depth > 0 and not links.columns and not links.years:
            return adapter.columns(url, text)  # an empty column
        return []

    def _start_walk(self, portal: PortalCrawl, adapter: Platform, start: ColumnStart, response: Response) -> Iterator[Any]:
        portal.columns.add(start.column_url)
        portal.platform = portal.platform or adapter.name
        existing = self.walks.get(start.column_url)
        if existing is not None:
            existing.subscribers.add(portal.target.portal_id)
            return
        plan = self.store.read(
            lambda s: crawl_state.plan_column_walk(s, start.column_url, full_walk_every=self.full_walk_every)
        )
        walk = ColumnWalk(start.column_url, portal.target.portal_id, adapter.name, plan.full, {portal.target.portal_id})
        self.walks[start.column_url] = walk
        # Queued before anything the walk finds, so it is written before them.
        self.store.write_later(
            lambda s: crawl_state.start_column_walk(
                s, column_url=start.column_url, portal_id=portal.target.portal_id, platform=adapter.name
            ),
            f"the start of the walk of {start.column_url}",
        )
        if start.first is not None:
            yield self._list_request(walk, start.first, 1)
            return
        walk.pending += 1
        yield from self._read_list_page(walk, PageRequest(response.url), 1, response)

    # -- list pages -----------------------------------------------------------------------------

    def parse_list(self, response: Response) -> Iterator[Any]:
        walk = self.walks[response.meta["column"]]
        yield from self._read_list_page(walk, response.meta["page"], response.meta["page_number"], response)

    def _read_list_page(self, walk: ColumnWalk, page: PageRequest, number: int, response: Response) -> Iterator[Any]:
        portal = self.portals[walk.portal_id]
        try:
            walk.pages += 1
            portal.pages += 1
            adapter = BY_NAME[walk.platform]
            text = page_text(response)
            listing = adapter.read_page(walk.column_url, page, text, number)
            allowed = self._allowed_for(portal)
            entries = []
            seen_here: set[str] = set()
            for entry in listing.entries:
                if entry.url in seen_here or not allowed(entry.url):
                    continue
                seen_here.add(entry.url)
                entries.append(entry)
            repeated = number > 1 and bool(seen_here) and seen_here <= walk.listed
            walk.listed.update(seen_here)
            known = self.store.read(lambda s: crawl_state.known_items(s, [e.url for e in entries]))
            listed = [ListedEntry(e.url, e.title, e.listed_date) for e in entries]
            known_reports = [k.report_id for k in known.values() if k.kind == "report" and k.report_id]
            self.found_reports.update(known_reports)
            # Not a report by its title: remembered as such with the listing, never fetched.
            not_reports = {e.url for e in listed if _unsettled(known.get(e.url)) and not _may_be_report(e.title)}
            report_urls = [e.url for e in listed if (k := known.get(e.url)) is not None and k.kind in ("report", "dead")]
            fetched = self.store.read(lambda s: crawl_state.last_fetched_many(s, report_urls)) if report_urls else {}
            if listed:
                yield ListingItem(walk.portal_id, walk.column_url, listed, known_reports, not_reports)
            for entry in listed:
                if entry.url in not_reports:
                    continue
                request = self._detail_request(walk, entry, known.get(entry.url), fetched.get(entry.url))
                if request is not None:
                    yield request
            all_known = bool(listed) and all(
                known.get(e.url) is not None and known[e.url].kind != "unknown" for e in listed
            )
            following = listing.next_page
            further = (adapter.page_requests(walk.column_url, page, text, listing, self.max_pages + 1)
                       if number == 1 and walk.full else None)
            if further is not None:
                yield from self._ask_all_pages(walk, portal, further, listing.total_pages)
            elif walk.asked_with_the_first(number) and (
                number < walk.asked_at_once or following is None or following.url in walk.asked_urls or walk.cut
            ):
                pass  # the walk's end was settled when all its pages were asked for
            elif following is None:
                walk.reached_end = True
            elif repeated:
                # Past its last page the CMS shows an earlier page again (and still offers 下一页).
                walk.reached_end = True
                self.warn(portal, f"{walk.column_url}: list page {number} repeats earlier entries though it "
                                  "offers 下一页; taken as the end of the list")
            elif number >= self.max_pages:
                walk.reached_end = False
                self.warn(portal, f"{walk.column_url}: still offers 下一页 after {self.max_pages} list pages "
                                  "(NIANBAO_MAX_PAGES); walk cut there, nothing concluded about entries beyond it")
            elif walk.full or not all_known:
                if number == walk.asked_at_once:
                    # The last page announced still offers 下一页 to a page nobody announced: the
                    # count was short. Go on page by page; the end is where that chain ends.
                    walk.reached_end = False
                    self.warn(portal, f"{walk.column_url}: list page {number}, the last one announced, offers "
                                      "下一页; walked on page by page")
                yield self._list_request(walk, following, number + 1)
            self._progress_column(walk, number, len(listed))
        finally:
            self._done_with(walk)

    def _ask_all_pages(self, walk: ColumnWalk, portal: PortalCrawl, further: list[PageRequest],
                       announced: int | None) -> Iterator[scrapy.Request]:
        """Every list page after the first, asked for at once (a full walk whose list announced its
        page count); at most NIANBAO_MAX_PAGES in all."""
        walk.cut = 1 + len(further) > self.max_pages
        further = further[: self.max_pages - 1]
        walk.asked_at_once = 1 + len(further)
        walk.asked_urls = {p.url for p in further}
        walk.reached_end = not walk.cut  # unless a page fails or is missing (see _done_with)
        if walk.cut:
            count = f"{announced} list pages" if announced and announced > self.max_pages else \
                f"more than {self.max_pages} list pages"
            self.warn(portal, f"{walk.column_url}: announces {count}; walk cut at {self.max_pages} "
                              "(NIANBAO_MAX_PAGES), nothing concluded about entries beyond it")
        self.crawler.stats.inc_value("nianbao/list_pages_asked_at_once", len(further))
        for number, request in enumerate(further, start=2):
            yield self._list_request(walk, request, number)

    def _detail_request(self, walk: ColumnWalk, entry: ListedEntry, known: KnownItem | None,
                        last_fetched: datetime | None) -> scrapy.Request | None:
        if entry.url in self.requested_details:
            return None
        if known is not None and known.kind == "other":
            return None
        if _unsettled(known):
            conditional = False
        else:  # a known report (or dead link): look again only when due, or when the list entry changed
            assert known is not None
            changed = (entry.title and entry.title != known.title) or (
                entry.listed_date and known.listed_date and entry.listed_date != known.listed_date
            )
            if not changed and not self._revisit_due(entry.url, last_fetched):
                return None
            conditional = True
            self.crawler.stats.inc_value("nianbao/revisits")
        self.requested_details.add(entry.url)
        walk.pending += 1
        return _request(
            entry.url,
            callback=self.parse_detail,
            errback=self.failed,
            dont_filter=True,
            meta=self._meta(
                walk.portal_id, "detail", column=walk.column_url, entry=entry, known=known, conditional=conditional
            ),
        )

    def _revisit_due(self, url: str, last_fetched: datetime | None) -> bool:
        """Known report pages are looked at again every revisit period, spread per URL over its
        second half so that the reports of one first crawl do not all come due on the same day."""
        if last_fetched is None or self.revisit_after <= timedelta(0):
            return True
        return now() - as_china(last_fetched) >= self.revisit_after * revisit_spread(url)

    # -- report pages and attachments -------------------------------------------------------------

    async def parse_detail(self, response: Response) -> AsyncIterator[Any]:
        walk = self.walks[response.meta["column"]]
        portal = self.portals[walk.portal_id]
        try:
            portal.pages += 1
            entry: ListedEntry = response.meta["entry"]
            known: KnownItem | None = response.meta["known"]
            sha = response.meta.get("body_sha256") or ""
            if known is not None and known.kind == "report" and known.fetched_sha256 == sha:
                yield UnchangedItem(response.url, known.report_id)
                recheck = self._attachment_recheck(walk, response)
                if recheck is not None:
                    yield recheck
                return
            reading = await self.parse_pool.read(response.body, url=entry.url, content_type=_content_type(response))
            snapshot_key = response.meta.get("snapshot_key")
            texts = {snapshot_key: reading.text} if snapshot_key else {}
            says_report = title_says_report(entry.title) or title_says_report(reading.report.title)
            if not reading.report.has_tables and says_report:
                attachment = self._attachment_request(walk, response, reading)
                if attachment is not None:
                    yield attachment
                    return
            kind = "report" if says_report and reading.has_report_body else "other"
            yield PageReadItem(
                portal_id=walk.portal_id,
                column_url=walk.column_url,
                url=entry.url,
                listed_title=entry.title,
                kind=kind,
                detail_sha256=sha,
                snapshot_key=snapshot_key,
                texts=texts,
                facts=facts(reading.report, reading.text, listed_title=entry.title, listed_date=entry.listed_date)
                if kind == "report"
                else None,
            )
        finally:
            self._done_with(walk)

    def _attachment_meta(self, response: Response, **extra: Any) -> dict[str, Any]:
        meta = dict(response.meta)
        meta.update(role="attachment", detail_sha=response.meta.get("body_sha256") or "",
                    detail_snapshot_key=response.meta.get("snapshot_key"), **extra)
        for key in ("snapshot_key", "body_sha256", "not_modified", "handle_httpstatus_list", "previous_sha256",
                    "download_latency", "retry_times", "redirect_urls", "redirect_times"):
            meta.pop(key, None)
        return meta

    def _attachment_request(self, walk: ColumnWalk, response: Response, reading: Reading) -> scrapy.Request | None:
        allowed = self._allowed_for(self.portals[walk.portal_id])
        files = [href for href, _text in attachment_links(reading.links or _links_of(response))]
        # A frameset or iframe wrapper holds the article itself on another page.
        frames = _frame_sources(response)
        candidates = list(dict.fromkeys(
            url for href in [*files, *frames]
            if (url := response.urljoin(href)) != response.url and allowed(url)
        ))[:MAX_CANDIDATES]
        if not candidates:
            return None
        walk.pending += 1
        meta = self._attachment_meta(response, detail_reading=reading, conditional=False, candidates=candidates[1:])
        return _request(candidates[0], callback=self.parse_attachment, errback=self.failed, dont_filter=True,
                              meta=meta)

    def _next_candidate(self, walk: ColumnWalk, response: Response, text: str) -> scrapy.Request | None:
        """The next file or frame of a report page, when the one just read was not the report."""
        remaining = list(response.meta.get("candidates") or ())
        if not remaining:
            return None
        meta = dict(response.meta)
        if response.meta.get("snapshot_key"):  # the text of what was read stays with its evidence
            meta["texts"] = {**(response.meta.get("texts") or {}), response.meta["snapshot_key"]: text}
        for key in ("snapshot_key", "body_sha256", "not_modified", "handle_httpstatus_list", "previous_sha256",
                    "download_latency", "retry_times", "redirect_urls", "redirect_times"):
            meta.pop(key, None)
        meta["candidates"] = remaining[1:]
        walk.pending += 1
        return _request(remaining[0], callback=self.parse_attachment, errback=self.failed, dont_filter=True,
                              meta=meta)

    def _attachment_recheck(self, walk: ColumnWalk, response: Response) -> scrapy.Request | None:
        """An unchanged report page may still point at a replaced file: ask for the file it was read
        from (conditionally; a 304 costs nothing to read). Files never fetched before are left alone:
        that report was read from the page itself."""
        allowed = self._allowed_for(self.portals[walk.portal_id])
        for href, _text in attachment_links(_links_of(response)):
            url = response.urljoin(href)
            if not allowed(url):
                continue
            if self.store.read(lambda s, u=url: crawl_state.last_fetched_at(s, u)) is None:
                return None
            walk.pending += 1
            meta = self._attachment_meta(response, detail_reading=None, detail_body=response.body,
                                         conditional=True, recheck=True)
            return _request(url, callback=self.parse_attachment, errback=self.failed, dont_filter=True, meta=meta)
        return None

    async def parse_attachment(self, response: Response) -> AsyncIterator[Any]:
        walk = self.walks[response.meta["column"]]
        try:
            self.portals[walk.portal_id].pages += 1
            entry: ListedEntry = response.meta["entry"]
            previous = response.meta.get("previous_sha256")
            if response.meta.get("recheck") and (
                response.meta.get("not_modified") or (previous and previous == response.meta.get("body_sha256"))
            ):
                self.crawler.stats.inc_value("nianbao/attachments_unchanged")
                return
            page: Reading | None = response.meta.get("detail_reading")
            if page is None:
                page = await self.parse_pool.read(response.meta.get("detail_body") or b"", url=entry.url)
            filename = disposition_filename(response.headers.get("Content-Disposition")) or _filename(response.url)
            reading = await self.parse_pool.read(response.body, url=response.url, content_type=_content_type(response),
                                                 filename=filename)
            texts = dict(response.meta.get("texts") or {})
            if response.meta.get("detail_snapshot_key"):
                texts[response.meta["detail_snapshot_key"]] = page.text
            if response.meta.get("snapshot_key"):
                texts[response.meta["snapshot_key"]] = reading.text
            following = None if reading.report.has_tables else self._next_candidate(walk, response, reading.text)
            if following is not None:
                yield following
                return
            is_report = reading.has_report_body or page.has_report_body
            if not reading.has_report_body and page.has_report_body:
                reading = page  # the file or frame was something else (a banner, a form): the page is the report
            yield PageReadItem(
                portal_id=walk.portal_id,
                column_url=walk.column_url,
                url=entry.url,
                listed_title=entry.title,
                kind="report" if is_report else "other",
                detail_sha256=response.meta["detail_sha"],
                snapshot_key=response.meta.get("detail_snapshot_key"),
                texts=texts,
                facts=facts(reading.report, reading.text, listed_title=entry.title, page=page.report,
                            listed_date=entry.listed_date)
                if is_report
                else None,
            )
        finally:
            self._done_with(walk)

    # -- failures and completion ----------------------------------------------------------------

    def failed(self, failure: Failure) -> None:
        request = failure.request  # type: ignore[attr-defined]
        meta = request.meta
        portal = self.portals.get(meta.get("portal_id"))
        role = meta.get("role")
        outcome, detail = _classify(failure, request.url)
        walk = self.walks.get(meta["column"]) if meta.get("column") else None
        page: Reading | None = meta.get("detail_reading")
        if role == "attachment" and page is not None and meta.get("detail_snapshot_key"):
            # The report page was read; what it pointed at failed. Its text still belongs to its evidence.
            self.store.write_later(lambda s: self._set_text(s, meta["detail_snapshot_key"], page.text),
                                   f"the text of {request.url}")
        if role == "navigation":
            for portal_id, depth, _via in self.nav_waiters.pop(request.url, []):
                waiting = self.portals[portal_id]
                if outcome in SEVERITY or depth == 0:
                    waiting.fail(outcome if outcome in SEVERITY else "error", detail)
        try:
            if portal is None:
                return
            if outcome == "disallowed":
                self.crawler.stats.inc_value("nianbao/robots_disallowed")
                if role == "navigation" and meta.get("depth") == 0:
                    portal.fail("error", detail)
                elif walk is not None and role == "list":
                    walk.failed = True
                    portal.fail("error", detail)
                return
            if outcome == "not_found" and role == "list" and walk is not None \
                    and walk.asked_with_the_first(meta.get("page_number") or 0):
                # The list announced more pages than it has: noted when the walk ends (_done_with).
                walk.missing.append(meta["page_number"])
                return
            if outcome == "not_found" and role in ("navigation", "detail", "attachment") and meta.get("depth") != 0:
                # A dead link on a page is the site's problem, not a failed crawl of it. Its answer is
                # kept as evidence; the entry is settled as dead and looked at again when revisits are due.
                self.crawler.stats.inc_value("nianbao/dead_links")
                entry = meta.get("entry")
                if role == "detail" and entry is not None and walk is not None:
                    # Behind the listing that created the entry, on the writer thread.
                    self.store.write_later(lambda s: crawl_state.settle_item(
                        s, portal_id=walk.portal_id, column_url=walk.column_url, url=entry.url, title=entry.title,
                        kind="dead", report_id=None, fetched_sha256=None), f"the dead link {entry.url}")
                return
            if outcome in ("too_large", "offsite") and not (role == "navigation" and meta.get("depth") == 0):
                self.warn(portal, detail)
                return
            portal.fail(outcome, detail)
            if walk is not None:
                walk.failed = True
        finally:
            if walk is not None:
                self._done_with(walk)

    def _set_text(self, session, snapshot_key: int, text: str) -> None:  # type: ignore[no-untyped-def]
        snapshot_id = self.store.row_id(snapshot_key)
        if snapshot_id is not None:
            crawl_state.set_snapshot_text(session, snapshot_id, text)

    def _done_with(self, walk: ColumnWalk) -> None:
        walk.pending -= 1
        if walk.pending > 0:
            return
        if walk.failed:
            for portal_id in walk.subscribers:
                self.portals[portal_id].fail("error", f"column {walk.column_url} was not walked completely")
            return
        if walk.missing:
            walk.reached_end = False
            for portal_id in walk.subscribers:
                self.warn(self.portals[portal_id], missing_pages_note(walk.column_url, walk.asked_at_once, walk.missing))
        # Queued behind the walk's own items on the writer thread, so it is written after them.
        self.store.write_later(lambda s: self._complete(s, walk), f"the end of the walk of {walk.column_url}")

    def _complete(self, session, walk: ColumnWalk) -> None:  # type: ignore[no-untyped-def]
        crawl_state.complete_column_walk(session, column_url=walk.column_url, full=walk.reached_end, pages=walk.pages)
        if walk.reached_end:
            self.reports_gone += crawl_state.mark_gone(session, column_url=walk.column_url, listed_urls=walk.listed)

    def closed(self, reason: str) -> None:
        self.parse_pool.close()
        self.store.drain()
        for portal in self.portals.values():
            outcome, detail = self._portal_outcome(portal)
            self.store.run(
                lambda s, p=portal, o=outcome, d=detail: crawl_state.record_portal_result(
                    s, run_id=self.run_id, portal_id=p.target.portal_id, outcome=o, detail=d,
                    pages_fetched=p.pages, started_at=p.started_at, platform=p.platform,
                    column_url=min(p.columns) if p.columns else None,
                )
            )

    def _portal_outcome(self, portal: PortalCrawl) -> tuple[str, str | None]:
        walks = [self.walks[c] for c in portal.columns if c in self.walks]
        for walk in walks:
            if walk.pending > 0 and not walk.failed:
                portal.fail("error", f"column {walk.column_url}: crawl ended before the walk completed")
        for outcome in SEVERITY:
            details = [d for o, d in portal.failures if o == outcome]
            if details:
                return outcome, "; ".join(dict.fromkeys(details))[:2000]
        if not portal.columns:
            return "no_column", f"no annual-report column found from {portal.target.url}"
        notes = "".join(f"; warning: {w}" for w in portal.warnings)
        return "ok", (f"{len(portal.columns)} column(s): " + ", ".join(sorted(portal.columns)) + notes)[:2000]

    # -- helpers --------------------------------------------------------------------------------

    def warn(self, portal: PortalCrawl, text: str) -> None:
        """Something the user should know that does not make the portal's crawl a failure."""
        if text not in portal.warnings:
            portal.warnings.append(text)
            self.logger.warning("%s: %s", portal.target.url, text)
        self.crawler.stats.inc_value("nianbao/warnings")

    def _allowed_for(self, portal: PortalCrawl):  # type: ignore[no-untyped-def]
        home = portal.target.url
        return lambda url: hosts.allowed(url, home)

    def _progress_column(self, walk: ColumnWalk, number: int, entries: int) -> None:
        reporter = getattr(self.crawler, "nianbao_progress", None)
        if reporter is not None:
            reporter.column_page(walk.column_url, number, entries)


def missing_pages_note(column_url: str, announced: int, missing: list[int]) -> str:
    """The warning for a list that announced more pages than it serves."""
    numbers = sorted(missing)
    shown = ", ".join(str(n) for n in numbers[:5]) + (f" … ({len(numbers)} pages)" if len(numbers) > 5 else "")
    return (f"{column_url}: announces {announced} list pages, but page {shown} answered 404 (not found); "
            "walked without them, nothing concluded about entries no longer listed")


def _request(url: str, **kwargs: Any) -> scrapy.Request:
    """A request that names its download slot up front (so the scheduler hands out requests slot by
    slot, and one busy server cannot fill the downloader while others wait) and is ranked by its role."""
    meta = dict(kwargs.pop("meta", None) or {})
    meta.pop("download_slot", None)  # copied along from the page that linked here
    slot = hosts.download_slot(url)
    if slot is not None:
        meta["download_slot"] = slot
    kwargs.setdefault("priority", ROLE_PRIORITY.get(meta.get("role"), 0))
    return scrapy.Request(url, meta=meta, **kwargs)


def _names_column(text: str) -> bool:
    """Whether a page's title names an annual-report column."""
    title = page_title(text) or ""
    return any(word in title for word in ("年报", "年度报告"))


def _beneath(url: str, page_url: str) -> bool:
    """Whether ``url`` lies in the directory of ``page_url`` (a sub-column, not a parent or sibling)."""
    here, there = urlsplit(page_url), urlsplit(url)
    directory = here.path.rsplit("/", 1)[0] + "/"
    return there.netloc == here.netloc and there.path.startswith(directory) and there.path != here.path


def revisit_spread(url: str) -> float:
    """A fixed share in [0.5, 1) of the revisit period for this URL."""
    digest = hashlib.blake2b(url.encode("utf-8"), digest_size=4).digest()
    return 0.5 + 0.5 * int.from_bytes(digest, "big") / 2**32


def _unsettled(known: KnownItem | None) -> bool:
    return known is None or known.kind == "unknown"


def _may_be_report(title: str | None) -> bool:
    return title_says_report(title) or _truncated_report_title(title)


def _truncated_report_title(title: str | None) -> bool:
    text = (title or "").strip()
    return text.endswith(("…", "...", "..")) and any(w in text for w in ("公开", "年报", "年度"))


def _content_type(response: Response) -> str | None:
    value = response.headers.get("Content-Type")
    return value.decode("latin-1") if value else None


def _filename(url: str) -> str | None:
    parts = urlsplit(url)
    for piece in (parts.query, parts.path):
        lowered = unquote(piece).lower()
        for ext in (".pdf", ".docx", ".doc", ".wps"):
            if ext in lowered:
                return "attachment" + ext
    return None


def page_text(response: Response) -> str:
    """The page decoded by its declared charset, else UTF-8, else GB18030 (crawler.decoding)."""
    return decode_page(response.body, _content_type(response))[0]


def _links_of(response: Response) -> list[tuple[str, str]]:
    root = parse_html(page_text(response)) if isinstance(response, TextResponse) else None
    if root is None:
        return []
    return [(a.get("href") or "", clean(a.text_content())) for a in root.iter("a") if a.get("href")]


def _frame_sources(response: Response) -> list[str]:
    """Where a frameset or iframe wrapper page shows its real article."""
    root = parse_html(page_text(response)) if isinstance(response, TextResponse) else None
    if root is None:
        return []
    return [src for frame in root.iter("frame", "iframe") if (src := (frame.get("src") or "").strip())
            and not src.lower().startswith(("javascript:", "about:", "data:"))]


def _classify(failure: Failure, url: str) -> tuple[str, str]:
    """(outcome, detail) of a failed request: blocked, timeout, unreachable, not_found, disallowed,
    too_large, offsite, error."""
    if failure.check(PortalBlocked):
        return "blocked", str(failure.value)
    if failure.check(OffsiteRedirect):
        return "offsite", str(failure.value)
    if failure.check(DownloadCancelledError, CancelledError):
        return "too_large", f"not downloaded: larger than the download size limit (DOWNLOAD_MAXSIZE): {url}"
    if failure.check(DownloadTimeoutError, TimeoutError, TCPTimedOutError, ResponseNeverReceived):
        return "timeout", f"timed out: {url}"
    if failure.check(
        CannotResolveHostError, DownloadConnectionRefusedError, DNSLookupError, ConnectionRefusedError,
        DownloadFailedError, ConnectionDone, ConnectionLost,
    ):
        return "unreachable", f"cannot connect: {url} ({failure.value.__class__.__name__})"
    if failure.check(HttpError):
        status = failure.value.response.status  # type: ignore[union-attr]
        if status in (404, 410):
            return "not_found", f"HTTP {status}: {url}"
        return "error", f"HTTP {status}: {url}"
    if failure.check(IgnoreRequest):
        return "disallowed", f"not fetched (robots.txt or size limit): {url}"
    return "error", f"{failure.value.__class__.__name__}: {failure.value} ({url})"
