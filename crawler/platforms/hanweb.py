"""Hanweb (大汉) jpage: the first records sit in an XML datastore inside the column page; the rest
come from POST /module/web/jpage/dataproxy.jsp?startrecord=&endrecord=&perpage= with the column's
form fields (col, appid, webid, columnid, unitid, webname, permissiontype)."""

from __future__ import annotations

import html
import re
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

from crawler.platforms.base import (
    Entry,
    Listing,
    PageRequest,
    Platform,
    clean,
    find_date,
    parse_html,
    url_date,
)

DATAPROXY = "/module/web/jpage/dataproxy.jsp"
_RECORD = re.compile(r"<record>\s*(?:<!\[CDATA\[(.*?)\]\]>|(.*?))\s*</record>", re.S | re.I)
_TOTAL = re.compile(r"<totalrecord>\s*(\d+)\s*</totalrecord>|totalRecord\s*[:=]\s*['\"]?(\d+)", re.I)
_PER_PAGE = re.compile(r"perPage\s*[:=]\s*['\"]?(\d+)", re.I)
_GROUP = re.compile(r"groupSize\s*[:=]\s*['\"]?(\d+)", re.I)
_PROXY = re.compile(r"proxyUrl\s*[:=]\s*['\"]([^'\"]+)['\"]", re.I)
_PARAMS = re.compile(r"params\s*:\s*\{(.*?)\}", re.S)
_PAIR = re.compile(r"(\w+)\s*:\s*(?:'([^']*)'|\"([^\"]*)\"|([^,\s}]+))")
_NEXTGROUP = re.compile(r"<nextgroup>\s*<!\[CDATA\[.*?href=['\"]([^'\"]+)['\"]", re.S | re.I)
FORM_FIELDS = ("col", "appid", "webid", "path", "columnid", "sourceContentType", "unitid", "webname", "permissiontype")


def records(text: str, base: str) -> list[Entry]:
    """Entries of every <record> of a datastore (embedded in a page or a dataproxy answer)."""
    entries: list[Entry] = []
    for match in _RECORD.finditer(text):
        fragment = match.group(1) if match.group(1) is not None else html.unescape(match.group(2) or "")
        root = parse_html(f"<div>{fragment}</div>")
        if root is None:
            continue
        for anchor in root.iter("a"):
            href = anchor.get("href")
            if not href:
                continue
            url = urljoin(base, href.strip())
            title = clean(anchor.get("title")) or clean(anchor.text_content())
            if not title:
                continue
            row_text = clean(root.text_content()).replace(clean(anchor.text_content()), " ")
            entries.append(Entry(url, title, find_date(row_text) or url_date(url)))
            break
    return entries


def form_fields(text: str) -> dict[str, str]:
    """The column's dataproxy form, from the jpage call or else the nextgroup link."""
    fields: dict[str, str] = {}
    match = _PARAMS.search(text)
    if match:
        for pair in _PAIR.finditer(match.group(1)):
            value = next(v for v in pair.groups()[1:] if v is not None)
            fields[pair.group(1)] = html.unescape(value)
    if "columnid" not in fields:
        link = _NEXTGROUP.search(text)
        if link:
            query = dict(parse_qsl(urlsplit(html.unescape(link.group(1))).query, keep_blank_values=True))
            fields.update({k: v for k, v in query.items() if k != "page"})
    if fields:
        fields.setdefault("col", "1")
        fields.setdefault("path", "/")
    return {k: fields[k] for k in FORM_FIELDS if k in fields} | {
        k: v for k, v in fields.items() if k not in FORM_FIELDS
    }


def _int(pattern: re.Pattern[str], text: str, default: int) -> int:
    match = pattern.search(text)
    if not match:
        return default
    return int(next(g for g in match.groups() if g))


class Hanweb(Platform):
    name = "hanweb"

    def detect(self, url: str, text: str) -> bool:
        lowered = text.lower()
        return "<datastore" in lowered and ("jpage" in lowered or "dataproxy" in lowered or "<recordset" in lowered)

    def read_page(self, column_url: str, request: PageRequest, text: str, page_number: int) -> Listing:
        entries = records(text, request.url)
        if request.method == "POST":
            total = _int(_TOTAL, text, 0)
            per = int(request.get("perpage", "15"))
            group = int(request.get("group", "3"))
            end = int(request.get("end", "0"))
            proxy = request.get("proxy")
            body = request.body or ""
        else:
            total = _int(_TOTAL, text, len(entries))
            per = _int(_PER_PAGE, text, 15)
            group = _int(_GROUP, text, 3)
            end = len(entries)
            proxy = urljoin(request.url, _PROXY.search(text).group(1) if _PROXY.search(text) else DATAPROXY)
            fields = form_fields(text)
            body = urlencode(fields) if fields else ""
        listing = Listing(entries, total_pages=-(-total // per) if per else None)
        if entries and end < total and body:
            listing.next_page = _dataproxy_call(proxy, body, start=end + 1, per=per, group=group)
        return listing

    def page_requests(self, column_url: str, first: PageRequest, text: str, listing: Listing,
                      up_to: int) -> list[PageRequest] | None:
        """The dataproxy calls after the records embedded in the column page: one per group of pages."""
        if first.method == "POST":
            return None
        if listing.next_page is None:
            return []
        total, per, group = _int(_TOTAL, text, 0), _int(_PER_PAGE, text, 15), _int(_GROUP, text, 3)
        proxy, body = listing.next_page.get("proxy"), listing.next_page.body or ""
        step = max(1, per * group)
        starts = range(len(listing.entries) + 1, total + 1, step)
        return [_dataproxy_call(proxy, body, start=start, per=per, group=group) for start in starts[: max(0, up_to - 1)]]


def _dataproxy_call(proxy: str, body: str, *, start: int, per: int, group: int) -> PageRequest:
    """POST for records ``start`` … ``start + per * group - 1`` (what jpage asks for one group of pages)."""
    stop = start + per * group - 1
    query = urlencode({"startrecord": start, "endrecord": stop, "perpage": per})
    state = (("perpage", str(per)), ("group", str(group)), ("end", str(stop)), ("proxy", proxy))
    return PageRequest(f"{proxy}?{query}", "POST", body, state)
