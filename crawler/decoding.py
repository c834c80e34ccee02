"""Decoding a page the way a browser in China would: the declared charset when it works, else UTF-8,
else GB18030 (a superset of GBK and GB2312, which most portals that declare nothing are written in).

Scrapy's own guess for an undeclared page falls back to cp1252, which decodes any bytes and turns
GBK titles into mojibake; these functions never guess a Western code page.
"""

from __future__ import annotations

import re

from charset_normalizer import from_bytes

_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.I)
_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([\w.:-]+)", re.I)
# The Chinese national encodings are all decoded as their superset.
_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "gb_2312-80": "gb18030", "x-gbk": "gb18030", "cp936": "gb18030",
            "utf8": "utf-8"}


def _normal(name: str | None) -> str | None:
    if not name:
        return None
    lowered = name.strip().lower()
    return _ALIASES.get(lowered, lowered)


def declared_charset(content_type: str | None, body: bytes) -> str | None:
    """The charset the HTTP header or the page's own <meta> declares, if any."""
    match = _HEADER_CHARSET.search(content_type or "")
    if match:
        return _normal(match.group(1))
    meta = _META_CHARSET.search(body[:4096])
    return _normal(meta.group(1).decode("ascii", "replace")) if meta else None


def decode_page(body: bytes, content_type: str | None = None) -> tuple[str, str]:
    """(text, encoding used) of a page; never raises."""
    if body.startswith(b"\xef\xbb\xbf"):
        return body[3:].decode("utf-8", "replace"), "utf-8"
    candidates = [declared_charset(content_type, body), "utf-8", "gb18030"]
    for codec in dict.fromkeys(c for c in candidates if c):
        try:
            return body.decode(codec), codec
        except (UnicodeDecodeError, LookupError):
            continue
    best = from_bytes(body[:200_000]).best()
    if best is not None:
        return body.decode(best.encoding, "replace"), best.encoding
    return body.decode("utf-8", "replace"), "utf-8"
