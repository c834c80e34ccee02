"""Turning a response into what the evidence store keeps: plain headers and readable text."""

from __future__ import annotations

import json
import re
from typing import Any

from crawler.platforms.base import parse_html

_SPACE_LINES = re.compile(r"\n\s*\n+")
_MAX_TEXT = 1_000_000


def header_dict(headers: Any) -> dict[str, str]:
    """Scrapy's byte headers as a plain str mapping (repeated headers joined by ', ')."""
    out: dict[str, str] = {}
    for name, values in headers.items():
        key = name.decode("latin-1") if isinstance(name, bytes) else str(name)
        decoded = [v.decode("latin-1") if isinstance(v, bytes) else str(v) for v in values]
        out[key] = ", ".join(decoded)
    return out


def _decode(body: bytes, encoding: str | None) -> str:
    for codec in (encoding, "utf-8", "gb18030"):
        if not codec:
            continue
        try:
            return body.decode(codec)
        except (UnicodeDecodeError, LookupError):
            continue
    return body.decode("utf-8", errors="replace")


def readable_text(body: bytes, content_type: str | None, encoding: str | None) -> str | None:
    """The text a person would read in a list or navigation page, JSON, XML or plain text."""
    media = (content_type or "").lower()
    if body[:5] == b"%PDF-" or body[:4] in (b"PK\x03\x04", b"\xd0\xcf\x11\xe0") or "image/" in media:
        return None
    text = _decode(body[: 5 * _MAX_TEXT], encoding)
    if "json" in media:
        try:
            return json.dumps(json.loads(text), ensure_ascii=False, indent=1)[:_MAX_TEXT]
        except ValueError:
            return text[:_MAX_TEXT]
    if "html" in media or "<html" in text[:2000].lower():
        root = parse_html(text)
        if root is None:
            return text[:_MAX_TEXT]
        for junk in root.xpath("//script[not(@type='text/xml')]|//style"):
            junk.drop_tree()
        return _SPACE_LINES.sub("\n", root.text_content()).strip()[:_MAX_TEXT]
    return text[:_MAX_TEXT]
