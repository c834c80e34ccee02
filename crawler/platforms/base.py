"""What every platform adapter knows how to do, and the helpers they share.

An adapter is pure: it reads a page's URL and decoded text and says which annual-report columns the
page holds, which entries a list page lists and which request fetches the next page. No Scrapy, no
database, so each adapter is testable on a saved page alone.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urljoin, urlsplit

import lxml.html
from lxml import etree

MAX_PAGES = 500  # endless pagination is cut here

_DATE = re.compile(r"(20\d{2}|19\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
_URL_DAY = re.compile(r"t?((?:19|20)\d{2})(\d{2})(\d{2})_")
_HIDDEN_STYLE = "contains(translate(@style, ' ', ''), 'display:none')"
_SKIPPED_SCHEMES = ("javascript:", "mailto:", "tel:", "#")
# Where a script link goes: window.open('...'), location.href = '...', or a data-url attribute.
_SCRIPT_TARGET = re.compile(r"""(?:window\.open|location\.(?:href\s*=|replace|assign))\s*\(?\s*['"]([^'"]+)['"]""")
_DATA_TARGETS = ("data-url", "data-href", "data-link")
_WRITTEN = re.compile(r"""document\.write(?:ln)?\s*\(\s*(['"])(.*?)(?<!\\)\1\s*\)""", re.S)


@dataclass(frozen=True)
class Entry:
    """One item listed in a column."""

    url: str
    title: str
    listed_date: date | None = None


@dataclass(frozen=True)
class PageRequest:
    """How to fetch one list page (the adapter's own state rides along in ``state``)."""

    url: str
    method: str = "GET"
    body: str | None = None  # form-encoded body for POST
    state: tuple[tuple[str, str], ...] = ()

    def get(self, key: str, default: str = "") -> str:
        return dict(self.state).get(key, default)


@dataclass(frozen=True)
class ColumnStart:
    """An annual-report column found on a page; ``first`` is None when the page itself is page 1."""

    column_url: str
    name: str
    first: PageRequest | None = None


@dataclass
class Listing:
    entries: list[Entry] = field(default_factory=list)
    next_page: PageRequest | None = None
    total_pages: int | None = None


class Platform:
    """Base adapter; subclasses override what their CMS does differently."""

    name = "base"

    def detect(self, url: str, text: str) -> bool:
        raise NotImplementedError

    def columns(self, url: str, text: str) -> list[ColumnStart]:
        """The page itself is the column unless the CMS says otherwise."""
        return [ColumnStart(url, page_title(text) or url)]

    def read_page(self, column_url: str, request: PageRequest, text: str, page_number: int) -> Listing:
        raise NotImplementedError

    def page_requests(self, column_url: str, first: PageRequest, text: str, listing: Listing,
                      up_to: int) -> list[PageRequest] | None:
        """Every further list page (page 2, 3, … at most page ``up_to``) when page 1 (``first``, whose
        text was read into ``listing``) announces how many there are, so they can all be asked for at
        once; ``[]`` when it announces no further page. None (the default): the pages are found one
        after another (``Listing.next_page``)."""
        return None


# --- shared helpers ---------------------------------------------------------------------------


def parse_html(text: str) -> etree._Element | None:
    if not text or not text.strip():
        return None
    try:
        return lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError):
        try:
            return lxml.html.document_fromstring(text.encode("utf-8", errors="replace"))
        except (etree.ParserError, ValueError):
            return None


def page_title(text: str) -> str | None:
    root = parse_html(text)
    if root is None:
        return None
    found = root.findtext(".//title")
    return clean(found) if found else None


def clean(text: str | None) -> str:
    return re.sub(r"\s+", " ", (text or "").replace("\u3000", " ")).strip()


def find_date(text: str) -> date | None:
    match = _DATE.search(text or "")
    if not match:
        return None
    try:
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None


def url_date(url: str) -> date | None:
    match = _URL_DAY.search(url)
    if not match:
        return None
    try:
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None


def absolute(base: str, href: str | None) -> str | None:
    """The absolute http(s) URL of a link, or None for script/mail/fragment links."""
    if not href:
        return None
    href = href.strip()
    if not href or href.lower().startswith(_SKIPPED_SCHEMES):
        return None
    joined = urljoin(base, href)
    parts = urlsplit(joined)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return parts._replace(fragment="").geturl()


def is_hidden(element: etree._Element) -> bool:
    """Links a visitor cannot see (honeypots and drafts) are never followed."""
    return bool(element.xpath(f"ancestor-or-self::*[{_HIDDEN_STYLE}]"))


def link_text(anchor: etree._Element) -> str:
    """The fullest title of a link: the title attribute wins over a truncated text; a picture link
    is named by its picture's alt (or title) text."""
    text = clean(anchor.text_content())
    title = clean(anchor.get("title"))
    if not text and not title:
        for image in anchor.iter("img"):
            title = clean(image.get("alt")) or clean(image.get("title"))
            if title:
                break
    if title and (len(title) >= len(text) or text.endswith(("…", "...", "..")) or not text):
        return title
    return text


def document_base(root: etree._Element, url: str) -> str:
    """What the page's relative links are relative to: its ``<base href>`` if it sets one."""
    for element in root.iter("base"):
        declared = absolute(url, element.get("href"))
        if declared:
            return declared
    return url


def link_target(anchor: etree._Element, base: str) -> str | None:
    """Where a link leads: its href, or for a script link (``href="javascript:void(0)"`` or ``#``)
    the address it opens by ``onclick="window.open('...')"`` / ``location.href=`` or names in
    ``data-url`` — list pages of several CMSs open every entry that way."""
    url = absolute(base, anchor.get("href"))
    if url is not None:
        return url
    for name in _DATA_TARGETS:
        url = absolute(base, anchor.get(name))
        if url is not None:
            return url
    for script in (anchor.get("onclick"), anchor.get("href")):
        match = _SCRIPT_TARGET.search(script or "")
        if match:
            return absolute(base, match.group(1))
    return None


def visible_links(root: etree._Element, base: str) -> Iterator[tuple[etree._Element, str, str]]:
    """(anchor, absolute URL, text) for every visible link of a page."""
    base = document_base(root, base)
    for anchor in root.iter("a"):
        url = link_target(anchor, base)
        if url is None or is_hidden(anchor):
            continue
        yield anchor, url, link_text(anchor)


def written_links(root: etree._Element, base: str) -> Iterator[tuple[etree._Element, str, str]]:
    """Links a page's scripts write with ``document.write('<a href=...>')`` (TRS pagers do)."""
    base = document_base(root, base)
    for script in root.iter("script"):
        code = script.text or ""
        if "document.write" not in code:
            continue
        written = "".join(match.group(2).replace("\\'", "'").replace('\\"', '"')
                          for match in _WRITTEN.finditer(code))
        fragment = parse_html(f"<html><body>{written}</body></html>") if "<a" in written.lower() else None
        if fragment is not None:
            yield from visible_links(fragment, base)


def dated_entries(root: etree._Element, base: str) -> list[Entry]:
    """List entries the way most CMS lists are built: rows of a link and a date.

    Rows without a date count too when they sit in the same list as dated rows; a list with no
    dates at all is recognised by its shape (a ul/table of single-link rows outside the chrome).
    """
    rows: list[tuple[etree._Element, etree._Element, str, str]] = []  # (row, anchor, url, text)
    for anchor, url, text in visible_links(root, base):
        if not text:
            continue
        row = _row_of(anchor)
        if row is not None:
            rows.append((row, anchor, url, text))
    dated: dict[str, date] = {}
    containers: set[etree._Element] = set()
    for row, _anchor, url, text in rows:
        listed = find_date(clean(row.text_content()).replace(text, " ")) or url_date(url)
        if listed is not None:
            dated[url] = listed
            containers.add(row.getparent())
    if not containers:
        containers = {row.getparent() for row, _a, _u, text in rows if len(text) >= 8 and not _in_chrome(row)}
    entries: list[Entry] = []
    seen: set[str] = set()
    for row, _anchor, url, text in rows:
        if url in seen or (url not in dated and row.getparent() not in containers):
            continue
        seen.add(url)
        entries.append(Entry(url, text, dated.get(url) or url_date(url)))
    return entries


_CHROME = re.compile(r"nav|menu|header|footer|top|crumb|share|banner|friend|link|foot|head", re.I)


def _in_chrome(element: etree._Element) -> bool:
    node: etree._Element | None = element
    while node is not None and node.tag not in ("body", "html"):
        marks = f"{node.get('class') or ''} {node.get('id') or ''}"
        if marks.strip() and _CHROME.search(marks):
            return True
        node = node.getparent()
    return False


def _row_of(anchor: etree._Element) -> etree._Element | None:
    """The list row (li/tr/dd/p or a div holding one link) an anchor belongs to."""
    node = anchor.getparent()
    for _ in range(3):
        if node is None:
            return None
        if node.tag in ("li", "tr", "dd", "dt", "p"):
            return node
        if node.tag in ("div", "span", "td") and len(node.findall(".//a")) == 1:
            parent = node.getparent()
            if parent is not None and parent.tag in ("li", "tr") and len(parent.findall(".//a")) == 1:
                return parent
            return node
        node = node.getparent()
    return None


def next_link(root: etree._Element, base: str) -> str | None:
    """The URL of a 下一页 / 下页 / next link, if the page has one (or its scripts write one)."""
    for _anchor, url, text in itertools.chain(visible_links(root, base), written_links(root, base)):
        label = text.replace(" ", "")
        if label in ("下一页", "下页", "下一页>", "下一页>>", ">", "next", "Next", "›", "»") or label.startswith("下一页"):
            return url
    return None
