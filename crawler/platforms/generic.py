"""Plain list pages: dated links and a 下一页 link (also the fallback for unknown CMSs)."""

from __future__ import annotations

from crawler.platforms.base import Listing, PageRequest, Platform, dated_entries, next_link, parse_html


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
        return listing
