"""Platform adapters, one module per CMS, and the detection that picks one for a page."""

from __future__ import annotations

from crawler.platforms.base import ColumnStart, Entry, Listing, PageRequest, Platform
from crawler.platforms.generic import Generic
from crawler.platforms.gkmlpt import Gkmlpt
from crawler.platforms.hanweb import Hanweb
from crawler.platforms.trs import TRS

# Most specific first; the generic adapter takes whatever none of the others claims.
ADAPTERS: tuple[Platform, ...] = (Gkmlpt(), Hanweb(), TRS(), Generic())
BY_NAME = {adapter.name: adapter for adapter in ADAPTERS}


def detect(url: str, text: str) -> Platform:
    for adapter in ADAPTERS:
        if adapter.detect(url, text):
            return adapter
    return BY_NAME["generic"]


__all__ = ["ADAPTERS", "BY_NAME", "ColumnStart", "Entry", "Listing", "PageRequest", "Platform", "detect"]
