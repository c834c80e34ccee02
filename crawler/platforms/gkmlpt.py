"""Guangdong gkmlpt: the list page is empty; its script names a site id (SID) and a catalog tree, and
the records come as JSON from /gkmlpt/api/all/<catalog>?page=N&sid=<sid>."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime, timedelta, timezone
from urllib.parse import urljoin, urlsplit

from crawler.platforms.base import ColumnStart, Entry, Listing, PageRequest, Platform, find_date

_SID = re.compile(r"\bSID\s*[:=]\s*['\"]?(\d+)", re.I)
_TREE = re.compile(r"TREE\s*[:=]\s*(\[.*?\])\s*[,}]", re.S)
_NODE = re.compile(r"\{[^{}]*?\"id\"\s*:\s*(\d+)[^{}]*?\"name\"\s*:\s*\"([^\"]+)\"[^{}]*\}")
_CHINA = timezone(timedelta(hours=8))
ANNUAL = ("年报", "年度报告")


def _catalogs(text: str) -> list[tuple[int, str]]:
    match = _TREE.search(text)
    if match:
        try:
            nodes = json.loads(match.group(1))
            return [(int(n["id"]), str(n.get("name", ""))) for n in nodes if isinstance(n, dict) and "id" in n]
        except (ValueError, TypeError, KeyError):
            pass
    return [(int(i), name) for i, name in _NODE.findall(text)]


def _day(value: object) -> date | None:
    if isinstance(value, int | float) and value > 0:
        seconds = value / 1000 if value > 10**11 else value
        return datetime.fromtimestamp(seconds, UTC).astimezone(_CHINA).date()
    if isinstance(value, str):
        if value.isdigit():
            return _day(int(value))
        return find_date(value)
    return None


class Gkmlpt(Platform):
    name = "gkmlpt"

    def detect(self, url: str, text: str) -> bool:
        return "/gkmlpt/" in urlsplit(url).path or ("gkmlpt" in text.lower() and bool(_SID.search(text)))

    def columns(self, url: str, text: str) -> list[ColumnStart]:
        sid = _SID.search(text)
        if not sid:
            return []
        fragment = urlsplit(url).fragment
        index = url.split("#")[0]
        starts = []
        for catalog, name in _catalogs(text):
            if (fragment and fragment == str(catalog)) or (not fragment and any(w in name for w in ANNUAL)):
                api = urljoin(index, f"/gkmlpt/api/all/{catalog}?page=1&sid={sid.group(1)}")
                starts.append(ColumnStart(f"{index}#{catalog}", name, PageRequest(api, state=(("page", "1"),))))
        return starts

    def read_page(self, column_url: str, request: PageRequest, text: str, page_number: int) -> Listing:
        try:
            payload = json.loads(text)
        except ValueError:
            return Listing()
        if not isinstance(payload, dict):
            return Listing()
        articles = next((payload[k] for k in ("articles", "data", "list", "records") if isinstance(payload.get(k), list)), [])
        entries = []
        for article in articles:
            if not isinstance(article, dict):
                continue
            link = article.get("url") or article.get("link") or article.get("href")
            title = article.get("title") or article.get("name")
            if not link or not title:
                continue
            stamp = next((article[k] for k in ("first_publish_time", "publish_time", "date", "pub_date") if article.get(k)), None)
            entries.append(Entry(urljoin(request.url, str(link)), str(title).strip(), _day(stamp)))
        page = int(request.get("page", "1"))
        total_pages = payload.get("total_page")
        if not isinstance(total_pages, int):
            total = payload.get("total")
            size = payload.get("page_size") or len(articles) or 1
            total_pages = -(-int(total) // int(size)) if isinstance(total, int) else None
        listing = Listing(entries, total_pages=total_pages)
        more = entries and (page < total_pages if isinstance(total_pages, int) else True)
        if more:
            listing.next_page = _page(request.url, page + 1)
        return listing

    def page_requests(self, column_url: str, first: PageRequest, text: str, listing: Listing,
                      up_to: int) -> list[PageRequest] | None:
        if first.get("page", "1") != "1" or not isinstance(listing.total_pages, int):
            return None
        return [_page(first.url, number) for number in range(2, min(listing.total_pages, up_to) + 1)]


def _page(api_url: str, number: int) -> PageRequest:
    return PageRequest(re.sub(r"([?&]page=)\d+", rf"\g<1>{number}", api_url), state=(("page", str(number)),))
