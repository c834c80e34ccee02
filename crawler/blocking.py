"""Telling a block page from content: WAF challenges (HTTP 412), JS-cookie walls (HTTP 521) and
the tiny script-only pages that set a cookie and reload. Such a page proves nothing about a column."""

from __future__ import annotations

import re

BLOCK_STATUSES = frozenset({412, 521, 429, 403})
_SCRIPT = re.compile(rb"<script\b[^>]*>(.*?)</script>", re.S | re.I)
_TAGS = re.compile(rb"<[^>]+>")
_CHALLENGE_MARKERS = (
    b"document.cookie",
    b"location.reload",
    b"location.href=location",
    b"__jsl_clearance",
    b"_waf_",
    b"acw_sc__",
    b"captcha",
)


def visible_text_length(body: bytes) -> int:
    without_scripts = _SCRIPT.sub(b" ", body)
    text = _TAGS.sub(b" ", without_scripts)
    return len(re.sub(rb"\s+", b"", text))


def block_reason(status: int, body: bytes, content_type: str | None = None) -> str | None:
    """Why this response is a block page, or None when it is content (or an ordinary error)."""
    if status in (412, 521):
        return f"HTTP {status} challenge"
    if content_type and "html" not in content_type.lower() and status < 400:
        return None
    head = body[:20000]
    lowered = head.lower()
    scripted_cookie = b"<script" in lowered and any(marker in lowered for marker in _CHALLENGE_MARKERS[:3])
    if scripted_cookie and visible_text_length(head) < 200 and len(body) < 20000:
        return f"HTTP {status} JavaScript cookie challenge"
    if status in (403, 429) and any(marker in lowered for marker in _CHALLENGE_MARKERS):
        return f"HTTP {status} challenge"
    return None
