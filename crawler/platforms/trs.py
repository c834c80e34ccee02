"""TRS WCM: static list pages index.html, index_1.html, … announced only by a createPageHTML call."""

from __future__ import annotations

import re
from urllib.parse import urljoin

from crawler.platforms.base import (
    Entry,
    Listing,
    PageRequest,
    Platform,
    clean,
    dated_entries,
    next_link,
    parse_html,
    url_date,
    visible_links,
)

_PAGER = re.compile(r"createPageHTML\(\s*([\w.]+)\s*,\s*([\w.]+)\s*,\s*['\"]([\w-]+)['\"]\s*,\s*['\"](\w+)['\"]")
_DETAIL = re.compile(r"/t\d{8}_\d+\.s?html?$")


def _number(token: str, text: str) -> int | None:
    if token.isdigit():
        return int(token)
    match = re.search(rf"\b{re.escape(token)}\s*=\s*['\"]?(\d+)", text)
    return int(match.group(1)) if match else None


def pager(text: str) -> tuple[int, int, str, str] | None:
    """(page count, current index, page name, extension) from the createPageHTML call."""
    match = _PAGER.search(text)
    if not match:
        return None
    count, current = _number(match.group(1), text), _number(match.group(2), text)
    if count is None or current is None:
        return None
    return count, current, match.group(3), match.group(4)


def column_base(url: str) -> str:
    """The directory of a column: index_3.html and index.html share it."""
    return urljoin(url, "./")


class TRS(Platform):
    name = "trs"

    def detect(self, url: str, text: str) -> bool:
        return "createPageHTML" in text or bool(re.search(r"href=['\"]\./\d{6}/t\d{8}_\d+\.s?html", text))

    def read_page(self, column_url: str, request: PageRequest, text: str, page_number: int) -> Listing:
        root = parse_html(text)
        if root is None:
            return Listing()
        entries = dated_entries(root, request.url)
        listed = {e.url for e in entries}
        for _anchor, url, title in visible_links(root, request.url):
            if _DETAIL.search(url) and url not in listed and title:
                entries.append(Entry(url, clean(title), url_date(url)))
                listed.add(url)
        listing = Listing(entries)
        found = pager(text)
        if found:
            count, current, name, ext = found
            listing.total_pages = count
            if current + 1 < count:
                listing.next_page = PageRequest(urljoin(column_base(column_url), f"{name}_{current + 1}.{ext}"))
        else:  # no page count: the pager is a plain (or script-written) 下一页 link
            following = next_link(root, request.url)
            if following and following != request.url:
                listing.next_page = PageRequest(following)
        return listing

    def page_requests(self, column_url: str, first: PageRequest, text: str, listing: Listing,
                      up_to: int) -> list[PageRequest] | None:
        found = pager(text)
        if found is None or found[1] != 0:
            return None
        count, _current, name, ext = found
        base = column_base(column_url)
        return [PageRequest(urljoin(base, f"{name}_{index}.{ext}")) for index in range(1, min(count, up_to))]
