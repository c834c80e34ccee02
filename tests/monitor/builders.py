"""Rows the monitor reads, written through storage the way the crawler writes them."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import date, datetime
from urllib.parse import urlsplit

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from storage.agencies import AgencyEntry, upsert_agencies
from storage.clock import parse_instant
from storage.models import CrawlPortalResult, CrawlRun, Portal, Report
from storage.reports import ParsedReport, record_report

PORTAL = "http://127.0.0.1:9/zwgk/nb/"


def at(text: str) -> datetime:
    return parse_instant(text)


def agency(
    session: Session,
    agency_id: str,
    *,
    level: str = "township",
    portal: str | None = PORTAL,
    since: int = 2021,
    deadline: str | None = None,
    name: str | None = None,
) -> None:
    entry = AgencyEntry(
        id=agency_id,
        name=name or f"云溪县{agency_id}",
        level=level,
        portal=portal,
        since=since,
        deadline=deadline,
    )
    upsert_agencies(session, [entry])


def portal_id(session: Session, url: str = PORTAL) -> int:
    found = session.scalar(select(Portal.id).where(Portal.url == url))
    if found is not None:
        return found
    row = Portal(url=url, host=urlsplit(url).hostname or "")
    session.add(row)
    session.flush()
    return row.id


def crawl(session: Session, outcome: str, finished: str, *, url: str = PORTAL) -> int:
    """One crawl run that visited ``url`` and ended with ``outcome`` at ``finished``."""
    moment = at(finished)
    run = CrawlRun(started_at=moment, finished_at=moment, state="finished")
    session.add(run)
    session.flush()
    session.add(
        CrawlPortalResult(
            crawl_run_id=run.id,
            portal_id=portal_id(session, url),
            outcome=outcome,
            started_at=moment,
            finished_at=moment,
        )
    )
    session.flush()
    return run.id


def report(
    session: Session,
    agency_id: str,
    year: int,
    *,
    seen: str,
    published: date | None = None,
    url: str | None = None,
    content: str = "v1",
    checks: Sequence[tuple[str, bool, str | None]] = (),
    values: Sequence[tuple[str, str, str, float | None, str | None]] = (),
    portal: str = PORTAL,
) -> Report:
    page = url or f"{portal}{agency_id}-{year}.html"
    parsed = ParsedReport(
        url=page,
        content_sha256=hashlib.sha256(f"{page}|{content}".encode()).hexdigest(),
        agency_id=agency_id,
        year=year,
        title=f"{agency_id} {year}年政府信息公开工作年度报告",
        published_at=published,
        has_tables=True,
        checks=checks,
        values=values,
        portal_id=portal_id(session, portal),
    )
    _, row = record_report(session, parsed, seen_at=at(seen))
    return row


def gone(session: Session, url: str, since: str) -> None:
    session.execute(
        update(Report).where(Report.url == url, Report.is_current.is_(True)).values(gone_since=at(since))
    )
    session.flush()
