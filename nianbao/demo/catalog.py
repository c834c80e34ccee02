"""What the sample county holds: portals, their columns, and the items listed in them.

Everything here is plain data, decided once by the generator; the web layer only reads it. An
item exists on a portal "as of" a date: from the day it appears until the day it is taken down.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from nianbao.demo.bodies import Body


@dataclass(frozen=True)
class Portal:
    """One web host (one HTTP listener)."""

    key: str
    title: str
    platform: str  # trs | hanweb | gkmlpt | plain | mirror
    guard: str | None = None  # waf (HTTP 412 JS challenge) | jsl (HTTP 521 cookie challenge) | timeout
    healthy_from: date | None = None  # the guard lifts on this date (None: never)
    charset: str = "utf-8"

    def reachable(self, day: date) -> bool:
        """Whether a crawler that runs no JavaScript gets real pages on ``day``."""
        if self.guard is None:
            return True
        return self.healthy_from is not None and day >= self.healthy_from


@dataclass(frozen=True)
class Column:
    """A list of items on a portal, paginated the portal's way."""

    key: str
    portal: str
    path: str  # the column's entry URL path
    name: str
    per_page: int
    params: dict[str, Any] = field(default_factory=dict)  # platform ids (columnid, sid, ...)
    hidden: bool = False  # not linked from the navigation (e.g. the robots-disallowed drafts)


@dataclass(frozen=True)
class Version:
    """The content of a report from ``start`` on (a report may be replaced after publication)."""

    start: date
    content: Any  # documents.ReportContent (opaque here)
    consistent: bool


@dataclass(frozen=True)
class Placement:
    """Where and when one item is listed."""

    column: str
    path: str  # detail page path on the column's portal
    declared: datetime | None  # the date the page declares (None: the page gives no date)
    appear: date
    gone: date | None = None
    attachment: str | None = None  # path of the file that holds the report, for attachment-only reports

    def visible(self, day: date) -> bool:
        return self.appear <= day and (self.gone is None or day < self.gone)


@dataclass
class Item:
    """A report or another document listed in a column."""

    id: str
    kind: str  # report | other
    title: str
    placements: list[Placement]
    body: Body | None = None
    year: int | None = None
    form: str = "html"  # html | pdf | docx | doc | image_pdf
    versions: list[Version] = field(default_factory=list)
    cases: tuple[str, ...] = ()  # injected situations, e.g. ("late",), ("withdrawn",)
    text: str = ""  # the body of a non-report page
    layout: str | None = None
    number: int = 0  # the CMS's numeric id, used in URLs

    def version_on(self, day: date) -> Version | None:
        current = None
        for version in self.versions:
            if version.start <= day:
                current = version
        return current or (self.versions[0] if self.versions else None)


@dataclass
class Catalog:
    """All portals, columns and items of one sample county."""

    portals: dict[str, Portal]
    columns: dict[str, Column]
    items: list[Item]
    bodies: list[Body]
    registry_portal: dict[str, tuple[str, str]]  # body id -> (portal key, path)

    def items_in(self, column_key: str, day: date) -> list[tuple[Item, Placement]]:
        """Items visible in a column on ``day``, newest first as a CMS lists them."""
        found = [
            (item, placement)
            for item in self.items
            for placement in item.placements
            if placement.column == column_key and placement.visible(day)
        ]
        found.sort(key=lambda pair: (_list_date(pair[1]), pair[0].number), reverse=True)
        return found

    def columns_of(self, portal_key: str) -> list[Column]:
        return [c for c in self.columns.values() if c.portal == portal_key]


def _list_date(placement: Placement) -> datetime:
    if placement.declared is not None:
        return placement.declared
    return datetime(placement.appear.year, placement.appear.month, placement.appear.day)
