"""Request and response values shared by the simulated portals, and HTTP caching rules."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, timezone
from email.utils import format_datetime, parsedate_to_datetime
from urllib.parse import parse_qs, urlsplit

SHANGHAI = timezone(timedelta(hours=8))


@dataclass(frozen=True)
class Request:
    method: str
    target: str  # path with query, as sent
    headers: dict[str, str]  # lower-case names
    body: bytes = b""

    @property
    def path(self) -> str:
        return urlsplit(self.target).path

    @property
    def query(self) -> dict[str, str]:
        return {k: v[0] for k, v in parse_qs(urlsplit(self.target).query, keep_blank_values=True).items()}

    @property
    def form(self) -> dict[str, str]:
        text = self.body.decode("utf-8", errors="replace")
        return {k: v[0] for k, v in parse_qs(text, keep_blank_values=True).items()}

    @property
    def cookies(self) -> dict[str, str]:
        jar = {}
        for part in self.headers.get("cookie", "").split(";"):
            name, _, value = part.strip().partition("=")
            if name:
                jar[name] = value
        return jar


@dataclass
class Response:
    status: int
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    hang: bool = False  # accept the request and never answer it


def html(text: str, charset: str = "utf-8", status: int = 200) -> Response:
    """An HTML page encoded the way the portal declares (GBK for ``gb2312`` like real TRS sites)."""
    codec = "gbk" if charset.lower() in ("gb2312", "gbk") else charset
    return Response(status, text.encode(codec, errors="xmlcharrefreplace"), f"text/html; charset={charset}")


def not_found(charset: str = "utf-8") -> Response:
    return html("<html><head><title>404</title></head><body><h1>您访问的页面不存在</h1></body></html>",
                charset, 404)


def _http_date(moment: datetime) -> str:
    return format_datetime(moment.astimezone(UTC), usegmt=True)


def cacheable(response: Response, modified: date, request: Request) -> Response:
    """Add ETag/Last-Modified, and answer 304 when the client already holds this version."""
    if response.status != 200:
        return response
    etag = '"' + hashlib.sha1(response.body).hexdigest()[:20] + '"'
    stamp = datetime.combine(modified, time(8, 0), SHANGHAI)
    response.headers["ETag"] = etag
    response.headers["Last-Modified"] = _http_date(stamp)
    match = request.headers.get("if-none-match")
    if match is not None:
        fresh = etag in [tag.strip() for tag in match.split(",")] or match.strip() == "*"
    else:
        fresh = _not_modified_since(request.headers.get("if-modified-since"), stamp)
    if fresh:
        return Response(304, b"", response.content_type, dict(response.headers))
    return response


def _not_modified_since(header: str | None, stamp: datetime) -> bool:
    if not header:
        return False
    try:
        since = parsedate_to_datetime(header)
    except (TypeError, ValueError):
        return False
    if since.tzinfo is None:
        since = since.replace(tzinfo=UTC)
    return since >= stamp
