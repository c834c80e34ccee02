"""Report versions, reposts and long-form values."""

from __future__ import annotations

import threading
import time
from datetime import date, datetime, timedelta

from sqlalchemy import select

from storage.clock import CHINA
from storage.db import open_database
from storage.models import CheckResult, Report, ReportValue
from storage.reports import ParsedReport, record_report

T0 = datetime(2024, 1, 20, 9, 0, tzinfo=CHINA)


def parsed(url: str, digest: str, value: int = 7) -> ParsedReport:
    return ParsedReport(
        url=url, content_sha256=digest, agency_name="甲县教育局", year=2023, published_at=date(2024, 1, 20),
        layout="2021", has_tables=True,
        values=[("requests", "new", "total", value, str(value)), ("requests", "new", "natural_person", None, "—")],
        checks=[("requests.balance", True, None)],
    )


def test_new_unchanged_changed_and_repost(db_url: str) -> None:
    with open_database(db_url) as session:
        outcome, first = record_report(session, parsed("http://h/a.html", "h1"), seen_at=T0)
        assert outcome == "new" and first.version == 1
    with open_database(db_url) as session:
        outcome, same = record_report(session, parsed("http://h/a.html", "h1"), seen_at=T0 + timedelta(days=1))
        assert outcome == "unchanged" and same.id == first.id
        assert same.last_seen_at == T0 + timedelta(days=1) and same.first_seen_at == T0
    with open_database(db_url) as session:
        outcome, repost = record_report(session, parsed("http://h/other-column/a.html", "h1"), seen_at=T0)
        assert outcome == "repost" and repost.id == first.id
    with open_database(db_url) as session:
        outcome, second = record_report(session, parsed("http://h/a.html", "h2", 9), seen_at=T0 + timedelta(days=30))
        assert outcome == "changed" and second.version == 2
    with open_database(db_url) as session:
        rows = session.scalars(select(Report).order_by(Report.version)).all()
        assert [(r.version, r.is_current) for r in rows] == [(1, False), (2, True)]
        values = session.execute(
            select(ReportValue.report_id, ReportValue.column_key, ReportValue.value).order_by(ReportValue.id)
        ).all()
        assert [(v.column_key, v.value) for v in values if v.report_id == rows[1].id] == [
            ("total", 9.0), ("natural_person", None)]
        assert session.scalar(select(CheckResult.rule).where(CheckResult.report_id == rows[0].id)) == "requests.balance"


def test_two_writers_storing_one_content_at_once_store_it_once(db_url: str) -> None:
    """Two crawl workers meeting the same repost at the same moment: the second waits and finds the first."""
    started, outcomes = threading.Event(), []

    def second_writer() -> None:
        started.set()
        with open_database(db_url) as session:
            outcomes.append(record_report(session, parsed("http://h2/col/a.html", "same"), seen_at=T0)[0])

    with open_database(db_url) as session:
        outcome, _first = record_report(session, parsed("http://h1/col/a.html", "same"), seen_at=T0)
        other = threading.Thread(target=second_writer)
        other.start()
        started.wait()
        time.sleep(0.5)  # the other writer is now inside record_report, waiting for this commit
        assert outcomes == []
    other.join(timeout=60)
    assert [outcome, *outcomes] == ["new", "repost"]
    with open_database(db_url) as session:
        assert session.scalars(select(Report.url).where(Report.is_current.is_(True))).all() == ["http://h1/col/a.html"]
