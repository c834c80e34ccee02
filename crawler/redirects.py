"""Redirects that are not HTTP redirects, and keeping every redirect on the portal's own hosts.

Many portal roots and some article pages are a few bytes of script that send the browser on
(``window.location.href = "/zwgk/"``, ``location.replace(...)``); Scrapy follows <meta refresh> but
not scripts. A redirect (HTTP, meta refresh or script) to a host the portal's crawl may not visit is
not followed: mirrors and link farms must not be filed as the portal's pages.
"""

from __future__ import annotations

import re
from typing import Any

from scrapy import Request, Spider
from scrapy.downloadermiddlewares.redirect import BaseRedirectMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import HtmlResponse, Response

from crawler import hosts
from crawler.blocking import visible_text_length

_SCRIPT_TARGETS = (
    re.compile(rb"""(?:window\.|self\.|top\.|document\.)?location(?:\.href)?\s*=\s*["']([^"'<>\s]+)["']"""),
    re.compile(rb"""location\.(?:replace|assign)\(\s*["']([^"'<>\s]+)["']\s*\)"""),
)
MAX_REDIRECT_PAGE = 20_000  # a page that says more than a redirect is content, whatever its scripts do


def script_redirect_target(body: bytes) -> str | None:
    """Where a script-only page sends the browser, or None for a page with content of its own."""
    if len(body) > MAX_REDIRECT_PAGE or b"location" not in body or visible_text_length(body) > 200:
        return None
    for pattern in _SCRIPT_TARGETS:
        match = pattern.search(body)
        if match:
            target = match.group(1).decode("utf-8", "replace").strip()
            if target and not target.lower().startswith(("javascript:", "#", "mailto:")):
                return target
    return None


class ScriptRedirectMiddleware(BaseRedirectMiddleware):
    """Follow ``location.href = "..."`` pages like a meta refresh."""

    enabled_setting = "METAREFRESH_ENABLED"

    def process_response(self, request: Request, response: Response, spider: Spider | None = None) -> Request | Response:
        if (request.meta.get("dont_redirect") or request.method == "HEAD" or response.status != 200
                or not isinstance(response, HtmlResponse)):
            return response
        target = script_redirect_target(response.body)
        if target is None:
            return response
        url = response.urljoin(target)
        if not url.startswith(("http://", "https://")) or url == response.url:
            return response
        redirected = self._redirect_request_using_get(request, response, url)
        return self._redirect(redirected, request, "script redirect")


class OffsiteRedirect(IgnoreRequest):
    """A redirect left the hosts this portal's crawl may visit."""


class OffsiteRedirectMiddleware:
    """Refuse to fetch where a redirect points when it leaves the portal's hosts (crawler.hosts)."""

    def process_request(self, request: Request, spider: Any = None) -> None:
        portal_url = request.meta.get("portal_url")
        redirected_from = request.meta.get("redirect_urls")
        if portal_url and redirected_from and not hosts.allowed(request.url, portal_url):
            raise OffsiteRedirect(f"redirect from {redirected_from[-1]} to off-site {request.url} not followed")
        return None
