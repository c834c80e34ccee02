"""Reading a fetched page or file into a report, and deciding whether it is one.

Title first (classify_title), then the body: the statutory tables, or a 年度报告 heading near the
top. The content fingerprint that identifies a version is taken from what the report says (body,
year, table values), not from the page bytes, so the same report reposted in a second column with
another date and page furniture is recognised as the same report.
"""

from __future__ import annotations

import hashlib
import json
import re
import traceback
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import unquote

from parsers import Document, Report, classify_title, extract_document
from parsers.report import build_report

ATTACHMENT_EXTENSIONS = (".pdf", ".docx", ".doc", ".wps")
_HEADING = re.compile(r"(政府信息公开|政务公开|信息公开)[^\n]{0,12}(年度报告|年报)")
_ATTACHMENT_HINT = re.compile(r"\.(pdf|docx?|wps)(?:$|[?&#])|filename=[^&]*\.(pdf|docx?|wps)", re.I)
_SPACE = re.compile(r"\s+")
# A link text that names a file (附件：年报.pdf, 附件1) or offers one (点击下载, 下载附件, 全文下载).
_FILE_NAMED = re.compile(r"\.(pdf|docx?|wps)\s*$|^\s*附件|^\s*(点击|请)?下载(附件|文件|全文|原文|报告)?\s*$|^\s*(全文|原文|附件)下载\s*$",
                         re.I)
_DISPOSITION_EXTENDED = re.compile(r"filename\*\s*=\s*([\w-]+)'[^']*'([^;]+)", re.I)
_DISPOSITION_PLAIN = re.compile(r"filename\s*=\s*(\"[^\"]*\"|[^;]+)", re.I)


@dataclass
class Reading:
    """A parsed page or file: the report, the extracted text and what it looks like."""

    report: Report
    text: str
    kind: str  # the document kind: html | pdf | docx | doc | text
    links: list[tuple[str, str]] = field(default_factory=list)

    @property
    def has_report_body(self) -> bool:
        return self.report.has_tables or bool(_HEADING.search(self.text[:3000]))


def read(data: bytes, *, url: str, content_type: str | None = None, filename: str | None = None) -> Reading:
    """Extract and parse; never raises (a broken file becomes a reading with warnings)."""
    try:
        document = extract_document(data, filename=filename, content_type=content_type)
    except Exception as exc:  # noqa: BLE001 - hostile input must not stop the crawl
        document = Document(kind="text", text="", warnings=[f"could not extract: {type(exc).__name__}: {exc}"])
    try:
        report = build_report(document, source=url, url=url)
    except Exception as exc:  # noqa: BLE001
        where = traceback.extract_tb(exc.__traceback__)[-1]
        report = Report(
            source=url,
            title=document.title,
            warnings=[*document.warnings, f"parser error {type(exc).__name__}: {exc} at {where.name}:{where.lineno}"],
        )
    return Reading(report, document.text or "", document.kind, list(document.links))


def unreadable(url: str, warning: str) -> Reading:
    """A document that could not be read at all: empty, with the reason as its warning."""
    return Reading(Report(source=url, warnings=[warning]), "", "text")


def title_says_report(title: str | None) -> bool:
    return bool(title) and classify_title(title or "").is_annual_report


def attachment_links(links: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """(href, text) of links to PDF/DOC/DOCX files (by the address, or by a link text naming such a
    file, as download scripts like ``/down?id=7`` have), the ones naming a report first."""
    found = [
        (href, text)
        for href, text in links
        if href and not href.lower().startswith(("javascript:", "mailto:", "#"))
        and (_ATTACHMENT_HINT.search(href) or _FILE_NAMED.search(text or ""))
    ]
    found.sort(key=lambda link: 0 if re.search(r"年报|年度报告|报告", link[1] or "") else 1)
    return found


def disposition_filename(value: bytes | str | None) -> str | None:
    """The file name a Content-Disposition header gives: RFC 5987 ``filename*=UTF-8''...`` first,
    else ``filename=`` as UTF-8, GBK bytes or percent-escapes (all three occur on portals)."""
    if not value:
        return None
    raw = value if isinstance(value, bytes) else value.encode("latin-1", "replace")
    for codec in ("utf-8", "gb18030", "latin-1"):
        try:
            text = raw.decode(codec)
            break
        except UnicodeDecodeError:
            continue
    extended = _DISPOSITION_EXTENDED.search(text)
    if extended:
        try:
            return unquote(extended.group(2).strip(), encoding=extended.group(1), errors="strict")
        except (LookupError, UnicodeDecodeError):
            pass
    plain = _DISPOSITION_PLAIN.search(text)
    if not plain:
        return None
    name = plain.group(1).strip().strip('"').strip()
    if "%" in name:
        for codec in ("utf-8", "gb18030"):
            try:
                return unquote(name, encoding=codec, errors="strict")
            except UnicodeDecodeError:
                continue
    return name or None


def fingerprint(report: Report, text: str) -> str:
    """Identity of a report's content: body, year and every table value; else its normalised text."""
    values = report.values()
    if values:
        payload = json.dumps(
            [report.agency, report.year, report.layout, sorted((s, r, c, v) for s, r, c, v, _raw in values)],
            ensure_ascii=False,
            default=str,
        )
    else:
        payload = _SPACE.sub("", text)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


@dataclass
class ReportFacts:
    """What the stored report row will say, merged from the list entry, detail page and attachment."""

    title: str | None
    agency_name: str | None
    year: int | None
    published_at: date | None
    layout: str | None
    has_tables: bool
    warnings: list[str]
    values: list[tuple[str, str, str, float | int | None, str | None]]
    checks: list[tuple[str, bool, str | None]]
    content_sha256: str


def facts(report: Report, text: str, *, listed_title: str | None, page: Report | None = None,
          listed_date: date | None = None) -> ReportFacts:
    """Merge: the file's own statements win for content; the page's for its date; the list's title."""
    title_info = classify_title(listed_title or report.title or (page.title if page else "") or "")
    checks = [(c["rule"], bool(c["ok"]), c.get("detail")) for c in report.to_dict()["checks"]]
    published = (page.published_at if page and page.published_at else None) or report.published_at or listed_date
    return ReportFacts(
        title=listed_title or (page.title if page else None) or report.title,
        agency_name=report.agency or (page.agency if page else None) or title_info.agency,
        year=report.year or (page.year if page else None) or title_info.year,
        published_at=published,
        layout=report.layout,
        has_tables=report.has_tables,
        warnings=list(report.warnings) + (list(page.warnings) if page else []),
        values=report.values(),
        checks=checks,
        content_sha256=fingerprint(report, text),
    )
