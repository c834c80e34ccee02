"""Plain-HTTP helpers for the sample-portal tests: what a crawler without JavaScript can do."""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin

import lxml.html


@dataclass
class Fetched:
    status: int
    headers: Any
    body: bytes
    url: str

    @property
    def charset(self) -> str:
        match = re.search(r"charset=([\w-]+)", self.headers.get("Content-Type", ""))
        name = match.group(1) if match else "utf-8"
        return "gbk" if name.lower() == "gb2312" else name

    @property
    def text(self) -> str:
        return self.body.decode(self.charset)

    def links(self) -> list[tuple[str, str]]:
        """(absolute URL, link text) of every <a href> that is not javascript:."""
        root = lxml.html.fromstring(self.text)
        found = []
        for a in root.iter("a"):
            href = a.get("href")
            if href and not href.startswith("javascript:"):
                found.append((urljoin(self.url, href), a.text_content().strip()))
        return found


    def list_links(self, css_class: str) -> list[str]:
        """Absolute URLs of the entries of the article list ``<ul class=css_class>``."""
        root = lxml.html.fromstring(self.text)
        return [urljoin(self.url, href) for href in root.xpath(f'//ul[@class="{css_class}"]/li/a/@href')]


def fetch(url: str, *, data: bytes | None = None, headers: dict[str, str] | None = None,
          timeout: float = 10.0, method: str | None = None) -> Fetched:
    request = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return Fetched(response.status, response.headers, response.read(), url)
    except urllib.error.HTTPError as error:
        return Fetched(error.code, error.headers, error.read(), url)


def listed(truth: dict[str, Any], column: str) -> set[str]:
    """URLs the truth says a column lists right now (reports and everything else)."""
    urls = {p["url"] for r in truth["reports"] for p in r["placements"] if p["column"] == column and p["visible"]}
    urls |= {n["url"] for n in truth["non_reports"] if n["column"] == column and n["visible"]}
    return urls


def link_to(page: Fetched, text: str) -> str:
    """The URL of the first link whose text is ``text``."""
    for url, label in page.links():
        if label == text:
            return url
    raise AssertionError(f"no link {text!r} on {page.url}")
