"""Writing parsed reports: versions, long-form values and check results."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal

from sqlalchemy import delete, insert, select, text
from sqlalchemy.orm import Session

from storage.clock import now
from storage.models import CheckResult, Report, ReportValue

Outcome = Literal["new", "changed", "unchanged", "repost"]


@dataclass
class ParsedReport:
    """What the crawler knows about one report page, in storage's own terms."""

    url: str
    content_sha256: str  # identity of the content: equal hashes mean the same report version
    agency_id: str | None = None
    agency_name: str | None = None
    year: int | None = None
    title: str | None = None
    published_at: date | None = None
    layout: str | None = None
    has_tables: bool = False
    warnings: list[str] = field(default_factory=list)
    # (section, row_key, column_key, value, raw text)
    values: Sequence[tuple[str, str, str, float | int | None, str | None]] = ()
    checks: Sequence[tuple[str, bool, str | None]] = ()  # (rule, ok, detail)
    snapshot_id: int | None = None
    portal_id: int | None = None
    column_url: str | None = None


def current_report(session: Session, url: str) -> Report | None:
    return session.scalars(select(Report).where(Report.url == url, Report.is_current.is_(True))).first()


def record_report(session: Session, parsed: ParsedReport, *, seen_at: datetime | None = None) -> tuple[Outcome, Report]:
    """Store ``parsed``; a known URL with new content becomes a new version.

    The same content already stored under another URL (a repost in a second column) is not
    stored again: the existing report is touched and returned.
    """
    seen = seen_at or now()
    existing = current_report(session, parsed.url)
    if existing is not None and existing.content_sha256 == parsed.content_sha256:
        _touch(existing, seen)
        return "unchanged", existing
    if existing is None:
        _wait_for_writers_of(session, parsed.content_sha256)
        twin = session.scalars(
            select(Report).where(
                Report.content_sha256 == parsed.content_sha256,
                Report.is_current.is_(True),
                Report.url != parsed.url,
            )
        ).first()
        if twin is not None:
            _touch(twin, seen)
            return "repost", twin
    version = 1
    if existing is not None:
        existing.is_current = False
        version = existing.version + 1
    report = Report(
        agency_id=parsed.agency_id,
        agency_name=parsed.agency_name,
        year=parsed.year,
        url=parsed.url,
        title=parsed.title,
        published_at=parsed.published_at,
        first_seen_at=seen,
        last_seen_at=seen,
        gone_since=None,
        layout=parsed.layout,
        version=version,
        is_current=True,
        content_sha256=parsed.content_sha256,
        snapshot_id=parsed.snapshot_id,
        portal_id=parsed.portal_id,
        column_url=parsed.column_url,
        has_tables=parsed.has_tables,
        warnings=list(parsed.warnings),
    )
    session.add(report)
    session.flush()
    _insert_parse_results(session, report.id, parsed)
    return ("changed" if existing is not None else "new"), report


def _wait_for_writers_of(session: Session, content_sha256: str) -> None:
    """On PostgreSQL, wait until no other transaction is storing this content.

    Two crawl workers (scale-out) can meet the same report reposted on two portals at once: without
    the lock both find no twin and both store it. The lock lasts until commit, so the second worker
    finds the first one's row. SQLite needs none: its write transactions already take turns.
    """
    if session.get_bind().dialect.name != "postgresql":
        return
    key = int.from_bytes(hashlib.sha256(content_sha256.encode()).digest()[:8], "big", signed=True)
    session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})


def _insert_parse_results(session: Session, report_id: int, parsed: ParsedReport) -> None:
    # One executemany per table: a report has ~200 values, and row-by-row ORM inserts dominated
    # the crawler's time per report.
    values = [
        {"report_id": report_id, "section": s, "row_key": r, "column_key": c,
         "value": None if v is None else float(v), "raw": raw}
        for s, r, c, v, raw in parsed.values
    ]
    if values:
        session.execute(insert(ReportValue), values)
    checks = [{"report_id": report_id, "rule": rule, "ok": ok, "detail": detail} for rule, ok, detail in parsed.checks]
    if checks:
        session.execute(insert(CheckResult), checks)


def _touch(report: Report, seen: datetime) -> None:
    report.last_seen_at = max(report.last_seen_at, seen)
    report.gone_since = None


def report_rows(session: Session, **filters: Any) -> list[Report]:
    query = select(Report).filter_by(**filters).order_by(Report.id)
    return list(session.scalars(query))


def replace_parse_results(session: Session, report: Report, parsed: ParsedReport) -> bool:
    """Overwrite what the parser said about a stored report (after a parser upgrade).

    Crawl facts (URL, first/last seen, version, the snapshot) stay; returns True if anything changed.
    """
    new_values = [(s, r, c, None if v is None else float(v), raw) for s, r, c, v, raw in parsed.values]
    old_values = [(v.section, v.row_key, v.column_key, v.value, v.raw) for v in report.values]
    old_checks = sorted(
        (c.rule, c.ok, c.detail) for c in session.scalars(select(CheckResult).where(CheckResult.report_id == report.id))
    )
    fields = {
        "agency_name": parsed.agency_name,
        "year": parsed.year,
        "title": parsed.title,
        "published_at": parsed.published_at,
        "layout": parsed.layout,
        "has_tables": parsed.has_tables,
        "warnings": list(parsed.warnings),
    }
    changed = (
        old_values != new_values
        or old_checks != sorted(parsed.checks)
        or any(getattr(report, k) != v for k, v in fields.items())
    )
    if not changed:
        return False
    for key, value in fields.items():
        setattr(report, key, value)
    session.execute(delete(ReportValue).where(ReportValue.report_id == report.id))
    session.execute(delete(CheckResult).where(CheckResult.report_id == report.id))
    _insert_parse_results(session, report.id, parsed)
    session.flush()
    session.expire(report, ["values"])
    return True


def current_reports(session: Session, *, only_with_snapshot: bool = True) -> list[Report]:
    """Every report version still current, oldest first."""
    query = select(Report).where(Report.is_current.is_(True))
    if only_with_snapshot:
        query = query.where(Report.snapshot_id.is_not(None))
    return list(session.scalars(query.order_by(Report.id)))
