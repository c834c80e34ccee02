"""Reading a stored report again from its evidence, with the parser as it is now.

The crawl keeps every response, so a better parser can be applied to everything ever fetched
without touching a portal: the detail page's snapshot, and for attachment-only reports the
stored attachment it links to.
"""

from __future__ import annotations

from urllib.parse import urljoin

from sqlalchemy.orm import Session

from crawler.reading import attachment_links, facts, read
from storage.models import Report, Snapshot
from storage.reports import ParsedReport
from storage.snapshots import latest_snapshot, load_blob


def reread(session: Session, report: Report) -> ParsedReport | None:
    """The report as the current parser reads its stored evidence; None if the evidence is gone."""
    snapshot = session.get(Snapshot, report.snapshot_id) if report.snapshot_id else None
    if snapshot is None or snapshot.sha256 is None:
        return None
    body = load_blob(session, snapshot.sha256)
    if body is None:
        return None
    page = read(body, url=snapshot.final_url or snapshot.url, content_type=snapshot.content_type)
    reading, detail = page, None
    if not page.report.has_tables:
        for href, _text in attachment_links(page.links):
            stored = latest_snapshot(session, urljoin(snapshot.final_url or snapshot.url, href))
            data = load_blob(session, stored.sha256) if stored is not None and stored.sha256 else None
            if data is not None:
                reading, detail = read(data, url=stored.url, content_type=stored.content_type), page  # type: ignore[union-attr]
                break
    found = facts(reading.report, reading.text, listed_title=report.title,
                  page=detail.report if detail else None, listed_date=report.published_at)
    return ParsedReport(
        url=report.url,
        content_sha256=report.content_sha256 or found.content_sha256,
        agency_id=report.agency_id,
        agency_name=found.agency_name,
        year=found.year,
        title=found.title,
        published_at=found.published_at,
        layout=found.layout,
        has_tables=found.has_tables,
        warnings=found.warnings,
        values=found.values,
        checks=found.checks,
    )
