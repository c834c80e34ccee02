"""Plain list pages: dated links and a 下一页 link (also the fallback for unknown CMSs).

When page 1 prints its page count (共N页, 第1/N页, 页次：1/N) and its 下一页 link shows where the
page number sits in the address (?page=2, list_2.html, index_1.html), every page is known at once.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from crawler.platforms.base import (
    Listing,
    PageRequest,
    Platform,
    dated_entries,
    next_link,
    parse_html,
    visible_links,
)

_TAG = re.compile(r"<[^>]*>")
_PAGE_COUNTS = (
    re.compile(r"共\s*(\d{1,5})\s*页"),
    re.compile(r"第\s*\d{1,5}\s*/\s*(\d{1,5})\s*页"),
    re.compile(r"页次\s*[:：]?\s*\d{1,5}\s*/\s*(\d{1,5})"),
)
_DIGITS = re.compile(r"\d+")
_LAST_PAGE = ("尾页", "末页", "最后一页", "最末页")


def announced_pages(text: str) -> int | None:
    """The page count a list page prints in its pager, if it prints one."""
    plain = _TAG.sub("", text).replace("&nbsp;", " ").replace("\u3000", " ")
    for pattern in _PAGE_COUNTS:
        match = pattern.search(plain)
        if match:
            return int(match.group(1))
    return None


def page_address(first_url: str, second_url: str) -> tuple[str, int] | None:
    """(address with ``{}`` where the page number goes, what to add to a page's number to get the one
    in its address) from the addresses of pages 1 and 2: the first number where they differ, if it
    reads 2 (?page=2: add 0) or 1 (index_1.html: add -1)."""
    common = 0
    for a, b in zip(first_url, second_url, strict=False):
        if a != b:
            break
        common += 1
    while common > 0 and second_url[common - 1].isdigit():
        common -= 1  # page=1 → page=12: the whole number differs, not its last digit
    path_start = len(second_url) - len(urlsplit(second_url)._replace(scheme="", netloc="").geturl())
    match = _DIGITS.search(second_url, max(common, path_start))
    if match is None or match.group() not in ("1", "2"):
        return None
    template = second_url[: match.start()] + "{}" + second_url[match.end() :]
    return template, int(match.group()) - 2


class Generic(Platform):
    name = "generic"

    def detect(self, url: str, text: str) -> bool:
        return True

    def read_page(self, column_url: str, request: PageRequest, text: str, page_number: int) -> Listing:
        root = parse_html(text)
        if root is None:
            return Listing()
        listing = Listing(dated_entries(root, request.url))
        following = next_link(root, request.url)
        if following and following != request.url:
            listing.next_page = PageRequest(following)
            listing.total_pages = announced_pages(text)
        return listing

    def page_requests(self, column_url: str, first: PageRequest, text: str, listing: Listing,
                      up_to: int) -> list[PageRequest] | None:
        count = listing.total_pages
        if count is None or count < 2 or listing.next_page is None or first.method != "GET":
            return None
        found = page_address(first.url, listing.next_page.url)
        if found is None:
            return None
        template, shift = found
        last = _last_page_link(text, first.url)
        if last is not None and last != template.format(count + shift):
            return None  # the 尾页 link contradicts the count or the address pattern: page by page
        return [listing.next_page][: max(0, up_to - 1)] + [
            PageRequest(template.format(number + shift)) for number in range(3, min(count, up_to) + 1)]


def _last_page_link(text: str, base: str) -> str | None:
    root = parse_html(text)
    if root is None:
        return None
    for _anchor, url, label in visible_links(root, base):
        if label.replace(" ", "") in _LAST_PAGE:
            return url
    return None
