"""Finding the annual-report column from a site root by the words of its links.

A portal's navigation leads from the home page through 政务公开 / 政府信息公开 to a column named
政府信息公开年报 (or 年度报告), which may itself hold sub-columns for departments and townships.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from crawler.platforms.base import parse_html, visible_links

MAX_DEPTH = 4  # home → 政务公开 → 政府信息公开 → 年报 → sub-column
ANNUAL_WORDS = ("年报", "年度报告")
GATEWAY_WORDS = ("政府信息公开", "信息公开", "政务公开", "公开目录", "信息公开目录", "主动公开")
# Links that carry the words but never lead to a column.
_NOT_A_COLUMN = ("搜索", "检索", "草稿", "征集", "通知", "报送", "模板", "下载", "网站工作", "报表")
_YEAR = re.compile(r"(19|20)\d{2}")
_DETAIL_URL = re.compile(r"(/t\d{8}_\d+|/art_\d+_\d+|/content_\d+|/post_\d+|\.(pdf|docx?|wps|xlsx?)$)", re.I)
_MAX_COLUMN_NAME = 24
# A sub-column of a 年报 column named by its year alone: 2023, 2023年, 2023年度, 2023年度报告, 2022年年报.
# Longer names (2023年度政府信息公开工作年度报告) are what report titles without an agency look like.
_YEAR_COLUMN = re.compile(r"^(?:19|20)\d{2}\s*年?度?\s*(?:年报|报告|年度报告)?$")


@dataclass(frozen=True)
class NavigationLinks:
    columns: list[tuple[str, str]]  # (url, link text): links to annual-report columns
    gateways: list[tuple[str, str]]  # links to 政务公开-like sections that may lead to one
    years: list[tuple[str, str]] = field(default_factory=list)  # year-named links: sub-columns of a 年报 column


def is_column_name(text: str, url: str) -> bool:
    """A link to a column, not to one report: short, no year, not a detail-page URL."""
    name = text.replace(" ", "")
    if not name or len(name) > _MAX_COLUMN_NAME or _YEAR.search(name):
        return False
    if any(word in name for word in _NOT_A_COLUMN) or _DETAIL_URL.search(url):
        return False
    return any(word in name for word in ANNUAL_WORDS)


def is_year_column_name(text: str, url: str) -> bool:
    """A link named by a year alone (2023年度): on a 年报 column page, the sub-column of that year."""
    return bool(_YEAR_COLUMN.match(text.replace(" ", ""))) and not _DETAIL_URL.search(url)


def is_gateway_name(text: str) -> bool:
    name = text.replace(" ", "")
    if not name or len(name) > 12 or any(word in name for word in _NOT_A_COLUMN):
        return False
    return any(word in name for word in GATEWAY_WORDS)


def navigation_links(url: str, text: str, allowed) -> NavigationLinks:  # type: ignore[no-untyped-def]
    """Column and gateway links of a page; ``allowed(url)`` filters hosts the crawl may visit."""
    root = parse_html(text)
    if root is None:
        return NavigationLinks([], [])
    columns: dict[str, str] = {}
    gateways: dict[str, str] = {}
    years: dict[str, str] = {}
    for _anchor, target, label in visible_links(root, url):
        if target == url or not allowed(target):
            continue
        if is_column_name(label, target):
            columns.setdefault(target, label)
        elif is_year_column_name(label, target):
            years.setdefault(target, label)
        elif is_gateway_name(label) and not _DETAIL_URL.search(target):
            gateways.setdefault(target, label)
    return NavigationLinks(list(columns.items()), [(u, t) for u, t in gateways.items() if u not in columns],
                           list(years.items()))
