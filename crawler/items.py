"""What the spider hands to the pipelines: listings seen, reports (and non-reports) read."""

from __future__ import annotations

from dataclasses import dataclass, field

from crawler.reading import ReportFacts
from storage.crawl_state import ListedEntry


@dataclass
class ListingItem:
    """Entries one list page of a column shows now."""

    portal_id: int
    column_url: str
    entries: list[ListedEntry]
    known_report_ids: list[int] = field(default_factory=list)  # listed again: still there
    not_reports: set[str] = field(default_factory=set)  # entries whose title says they are no report


@dataclass
class PageReadItem:
    """A detail page (and its attachment) read: a report, or something else to remember as such."""

    portal_id: int
    column_url: str | None
    url: str  # the detail page: the report's identity
    listed_title: str | None
    kind: str  # report | other
    detail_sha256: str
    snapshot_key: int | None  # evidence: the detail page (crawler.store.Store.insert_later)
    texts: dict[int, str] = field(default_factory=dict)  # snapshot key -> extracted text
    facts: ReportFacts | None = None
    portal_agency_ids: tuple[str, ...] = ()


@dataclass
class UnchangedItem:
    """A detail page fetched again that has not changed (304 or the same bytes)."""

    url: str
    report_id: int | None
