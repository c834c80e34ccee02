"""The parser's public entry points: bytes in, ``Document`` or ``Report`` out, never an exception.

Format extractors for PDF, DOCX and DOC live in their own modules; when one is unavailable the
report says so in its warnings instead of failing.
"""

from __future__ import annotations

import importlib
import re
import traceback
from collections.abc import Callable

from parsers.document import Document
from parsers.html import extract_html
from parsers.report import Report, build_report
from parsers.text import extract_text

_HTML_START = re.compile(rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|div|table|p|title)\b", re.I | re.S)


def _fallback_sniff(data: bytes, filename: str | None = None, content_type: str | None = None) -> str:
    head = data[:2048].lstrip(b"\xef\xbb\xbf")
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "docx"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "doc"
    if _HTML_START.match(head) or (content_type or "").lower().startswith(("text/html", "application/xhtml")):
        return "html"
    if re.search(rb"<(?:html|body|table|div)\b", data[:8192], re.I):
        return "html"
    return "text"


def _sniffer() -> Callable[..., str]:
    try:
        return importlib.import_module("parsers.sniff").sniff_kind  # type: ignore[no-any-return]
    except (ImportError, AttributeError):
        return _fallback_sniff


def _non_report_kind(data: bytes) -> str | None:
    try:
        return importlib.import_module("parsers.sniff").non_report_kind(data)  # type: ignore[no-any-return]
    except Exception:  # noqa: BLE001 - the sniffer is optional; fall back to reading text
        return "empty file" if not data.strip() else None


def _extractor(module: str, name: str) -> Callable[[bytes], Document] | None:
    try:
        return getattr(importlib.import_module(module), name)  # type: ignore[no-any-return]
    except (ImportError, AttributeError):
        return None


def extract_document(data: bytes, filename: str | None = None, content_type: str | None = None) -> Document:
    """Sniff the kind of ``data`` and extract its text and tables."""
    try:
        kind = _sniffer()(data, filename=filename, content_type=content_type)
    except Exception as exc:  # noqa: BLE001 - a sniffer bug must not lose the document
        kind = _fallback_sniff(data, filename, content_type)
        sniff_warning = [f"type detection failed ({exc}); guessed {kind}"]
    else:
        sniff_warning = []
    if kind == "html":
        doc = extract_html(data, content_type=content_type)
    elif kind in ("pdf", "docx", "doc"):
        extract = _extractor(f"parsers.{kind}", f"extract_{kind}")
        if extract is None:
            doc = Document(kind=kind, text="", warnings=[f"no extractor for {kind} files is installed"])
        else:
            doc = extract(data)
    elif kind == "unknown":
        what = _non_report_kind(data)
        if what is not None:
            # Reading an image or a spreadsheet as text yields garbage that could pass for a title.
            doc = Document(kind="unknown", text="", warnings=[f"not a report document: {what}"])
        else:
            doc = extract_text(data)
            doc.warnings.append("file type not recognised; read as text")
    else:
        doc = extract_text(data)
    doc.warnings[:0] = sniff_warning
    return doc


# A page saved under its URL's own name keeps the date a TRS-style URL carries (t20240125_123.html).
_DATED_FILENAME = re.compile(r"(?:^|[/\\])(t20\d{6}_\d+\.[A-Za-z]{2,5})$")


def _url_from_filename(filename: str | None) -> str | None:
    m = _DATED_FILENAME.search(filename or "")
    return "/" + m.group(1) if m else None


def parse_document(
    data: bytes,
    *,
    source: str = "",
    filename: str | None = None,
    content_type: str | None = None,
    url: str | None = None,
) -> Report:
    """Parse one report file. Internal errors become warnings; this never raises on any input."""
    try:
        doc = extract_document(data, filename=filename, content_type=content_type)
    except Exception as exc:  # noqa: BLE001
        return Report(source=source, warnings=[f"could not extract the document: {type(exc).__name__}: {exc}"])
    try:
        return build_report(doc, source=source, url=url or _url_from_filename(filename))
    except Exception as exc:  # noqa: BLE001
        where = traceback.extract_tb(exc.__traceback__)[-1]
        return Report(
            source=source,
            title=doc.title,
            warnings=[*doc.warnings, f"parser error {type(exc).__name__}: {exc} at {where.name}:{where.lineno}"],
        )
