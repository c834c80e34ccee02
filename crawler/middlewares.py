"""Downloader middlewares: keep every response as evidence, recognise block pages, and make
re-crawls cheap with conditional requests."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response, TextResponse
from scrapy.responsetypes import responsetypes
from scrapy.utils.httpobj import urlparse_cached
from scrapy.utils.misc import build_from_crawler

from crawler.blocking import block_reason
from crawler.decoding import decode_page
from crawler.evidence import header_dict, readable_text
from crawler.hosts import download_slot
from storage import crawl_state
from storage.clock import now
from storage.snapshots import record_snapshot, sha256_of

# Detail pages and attachments get their text from the parser, which reads them anyway.
PARSED_ROLES = frozenset({"detail", "attachment"})
SMALL_PAGE = 32 * 1024


class PortalBlocked(IgnoreRequest):
    """The server answered with a challenge or block page instead of content."""


def _store(spider: Spider):  # type: ignore[no-untyped-def]
    return getattr(spider, "store", None)


class _CrawlerAware:
    """Reaches the spider through the crawler: Scrapy no longer passes it to middleware methods."""

    crawler: Crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler):  # type: ignore[no-untyped-def]
        middleware = cls()
        middleware.crawler = crawler
        return middleware

    def _spider(self, spider: Spider | None) -> Spider:
        return spider if spider is not None else self.crawler.spider  # type: ignore[return-value]


class EvidenceMiddleware(_CrawlerAware):
    """Store every response (even a 304 or a block page) with its headers, before anything judges it.

    The snapshot (hashing, compressing, its readable text, the insert) is written on the store's
    writer thread; the request carries the key of that row (``meta["snapshot_key"]``), which the
    writes queued after it resolve to the row's id. The reactor only hashes the body (to compare it
    with a stored version)."""

    def process_response(self, request: Request, response: Response, spider: Spider | None = None) -> Response:
        spider = self._spider(spider)
        store = _store(spider)
        if store is None:
            return response
        body = response.body if response.status != 304 else None
        headers = header_dict(response.headers)
        content_type = headers.get("Content-Type")
        is_text = isinstance(response, TextResponse)
        # A small page (a redirect, a wrapper) may never reach the parser; its text costs little.
        wants_text = bool(body) and (request.meta.get("role") not in PARSED_ROLES or len(body or b"") <= SMALL_PAGE)
        original = (request.meta.get("redirect_urls") or [request.url])[0]
        method = request.method
        request_body = request.body.decode("utf-8", errors="replace") if request.body else None
        status, final_url = response.status, response.url
        run_id, portal_id = getattr(spider, "run_id", None), request.meta.get("portal_id")
        fetched_at = now()  # when it arrived, not when the writer got to it

        def write(session):  # type: ignore[no-untyped-def]
            encoding = None
            if body and is_text:
                # Our own decoding: Scrapy's guess for an undeclared page is cp1252, mojibake for GBK.
                encoding = decode_page(body, content_type)[1]
            snapshot = record_snapshot(
                session,
                url=original,
                body=body,
                http_status=status,
                headers=headers,
                final_url=final_url,
                method=method,
                request_body=request_body,
                content_type=content_type,
                encoding=encoding,
                text=readable_text(body, content_type, encoding) if wants_text and body else None,
                crawl_run_id=run_id,
                portal_id=portal_id,
                fetched_at=fetched_at,
            )
            return snapshot.id

        request.meta["snapshot_key"] = store.insert_later(write, f"the response of {original}")
        request.meta["body_sha256"] = sha256_of(body) if body is not None else None
        spider.crawler.stats.inc_value("nianbao/responses")
        return response


class BlockDetectionMiddleware(_CrawlerAware):
    """A WAF challenge or JS-cookie wall is not content: fail the request so the portal is marked blocked."""

    def process_response(self, request: Request, response: Response, spider: Spider | None = None) -> Response:
        spider = self._spider(spider)
        if request.meta.get("role") == "robots":
            return response
        content_type = response.headers.get("Content-Type", b"").decode("latin-1")
        reason = block_reason(response.status, response.body, content_type)
        if reason:
            raise PortalBlocked(f"{reason} at {response.url}")
        return response


class ConditionalRequestMiddleware(_CrawlerAware):
    """Ask with If-None-Match / If-Modified-Since; a 304 gets the stored body back (flagged).

    ``meta["previous_sha256"]`` is the hash of the stored version, so a server that ignores
    validators and sends the same bytes again is recognised as unchanged too. An attachment's 304
    needs no bytes at all (nothing is read from an unchanged file), so its body is not loaded.
    """

    def process_request(self, request: Request, spider: Spider | None = None) -> None:
        spider = self._spider(spider)
        store = _store(spider)
        if store is None or request.method != "GET" or not request.meta.get("conditional"):
            return None
        if request.headers.get("If-None-Match") or request.headers.get("If-Modified-Since"):
            return None
        stored = store.read(lambda s: crawl_state.stored_version(s, request.url))
        request.meta["previous_sha256"] = stored.sha256
        for name, value in stored.validators.items():
            request.headers[name] = value
        statuses = list(request.meta.get("handle_httpstatus_list", ()))
        if 304 not in statuses:
            request.meta["handle_httpstatus_list"] = [*statuses, 304]
        return None

    def process_response(self, request: Request, response: Response, spider: Spider | None = None) -> Response:
        spider = self._spider(spider)
        if response.status != 304:
            return response
        store = _store(spider)
        previous = request.meta.get("previous_sha256")
        if request.meta.get("role") == "attachment" and previous:
            request.meta["not_modified"] = True
            request.meta["body_sha256"] = previous
            return Response(url=response.url, status=200, headers=response.headers, body=b"", request=request,
                            flags=["not_modified"])
        stored = store.read(lambda s: crawl_state.stored_response(s, request.url)) if store else None
        if stored is None:
            return response
        body, headers = stored
        cls = responsetypes.from_args(headers=headers, url=response.url, body=body)
        request.meta["not_modified"] = True
        request.meta["body_sha256"] = sha256_of(body)
        return cls(url=response.url, status=200, headers=headers, body=body, request=request, flags=["not_modified"])


class RememberedRobotsTxtMiddleware(RobotsTxtMiddleware):
    """robots.txt as Scrapy obeys it, but read from the evidence store when fetched recently,
    so a re-crawl does not cost one extra request per host."""

    async def robot_parser(self, request: Request):  # type: ignore[no-untyped-def]
        parsed = urlparse_cached(request)
        netloc = parsed.netloc
        spider = self.crawler.spider
        store = _store(spider) if spider is not None else None
        if netloc not in self._parsers and store is not None:
            max_age = timedelta(hours=self.crawler.settings.getfloat("NIANBAO_ROBOTS_MAX_AGE_HOURS", 24))
            robots_url = f"{parsed.scheme}://{netloc}/robots.txt"
            body = store.read(lambda s: crawl_state.recent_body(s, robots_url, max_age=max_age))
            if body is not None:
                self._parsers[netloc] = build_from_crawler(self._parserimpl, self.crawler, body)
                self.crawler.stats.inc_value("nianbao/robots_remembered")
        return await super().robot_parser(request)


class LoopbackSlotMiddleware:
    """Give each port of a loopback host its own download slot.

    Scrapy keys politeness slots by host name, so every portal served on 127.0.0.1 would share one
    slot and be crawled one request at a time; here each port is a separate server (our host policy
    already treats it so), and so it gets its own slot.
    """

    def process_request(self, request: Any, spider: Any = None) -> None:
        if "download_slot" not in request.meta and (slot := download_slot(request.url)) is not None:
            request.meta["download_slot"] = slot
        return None
