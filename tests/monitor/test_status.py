"""Statuses computed in SQL on both backends, from rows written the way the crawler writes them."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from monitor.status import compute, is_stale
from storage.db import open_database
from storage.models import AgencyYearStatus, StatusCheck
from storage.monitoring import StatusChanges, status_rows
from tests.monitor import builders as b


def statuses(url: str, as_of: date) -> dict[tuple[str, int], object]:
    with open_database(url) as session:
        compute(session, as_of=as_of, at=b.at(f"{as_of.isoformat()}T12:00:00"))
    with open_database(url) as session:
        return {(row.agency_id, row.year): row for row in status_rows(session)}


def test_on_time_late_and_judged_by(db_url: str) -> None:
    with open_database(db_url) as s:
        for name in ("a", "b", "c", "d"):
            b.agency(s, name, since=2023)
        b.crawl(s, "ok", "2024-02-10T10:00:00")
        b.report(s, "a", 2023, seen="2024-02-10T09:00:00", published=date(2024, 1, 31))
        b.report(s, "b", 2023, seen="2024-02-10T09:00:00", published=date(2024, 2, 5))
        # No declared date: the China date of the first sighting decides. 20:00 on the deadline
        # day in China is 12:00 UTC the same day; 01:00 the next day is still the 31st in UTC.
        b.report(s, "c", 2023, seen="2024-01-31T20:00:00+08:00")
        b.report(s, "d", 2023, seen="2024-02-01T01:00:00+08:00")
    rows = statuses(db_url, date(2024, 2, 10))
    a, bb, c, d = (rows[(n, 2023)] for n in "abcd")
    assert (a.status, a.days_late, a.judged_by, a.published_at) == (
        "on_time",
        0,
        "published_at",
        date(2024, 1, 31),
    )
    assert (bb.status, bb.days_late) == ("late", 5)
    assert (c.status, c.days_late, c.judged_by, c.published_at) == ("on_time", 0, "first_seen", None)
    assert (d.status, d.days_late, d.judged_by) == ("late", 1, "first_seen")
    assert d.first_seen_at == b.at("2024-02-01T01:00:00+08:00")
    assert a.url and a.url.endswith("a-2023.html")
    assert a.deadline == date(2024, 1, 31)


def test_pending_missing_unreachable(db_url: str) -> None:
    other = "http://127.0.0.1:9/other/"
    never = "http://127.0.0.1:9/never/"
    with open_database(db_url) as s:
        b.agency(s, "ok-portal", since=2022)
        b.agency(s, "blocked", since=2022, portal=other)
        b.agency(s, "never-crawled", since=2022, portal=never)
        b.agency(s, "no-portal", since=2022, portal=None)
        b.agency(s, "gov", level="county_government", since=2023)
        b.crawl(s, "ok", "2024-02-01T10:00:00")
        b.crawl(s, "ok", "2024-01-20T10:00:00", url=other)
        b.crawl(s, "blocked", "2024-02-01T10:00:00", url=other)
    rows = statuses(db_url, date(2024, 2, 10))
    assert rows[("ok-portal", 2022)].status == "missing"
    assert rows[("ok-portal", 2023)].status == "missing"
    assert rows[("blocked", 2023)].status == "unreachable"
    assert rows[("never-crawled", 2023)].status == "unreachable"
    assert rows[("no-portal", 2022)].status == "unreachable"
    # A county government has until 03-31.
    assert rows[("gov", 2023)].status == "pending"
    assert rows[("gov", 2023)].deadline == date(2024, 3, 31)
    assert all(row.days_late is None and row.url is None for row in rows.values())
    # On the deadline day itself nothing is overdue yet.
    rows = statuses(db_url, date(2024, 1, 31))
    assert rows[("ok-portal", 2023)].status == "pending"
    assert rows[("blocked", 2023)].status == "pending"
    assert rows[("ok-portal", 2022)].status == "missing"


def test_portal_that_comes_back_replaces_unreachable_with_the_truth(db_url: str) -> None:
    with open_database(db_url) as s:
        b.agency(s, "x", since=2023)
        b.agency(s, "y", since=2023)
        b.crawl(s, "timeout", "2024-02-10T10:00:00")
    rows = statuses(db_url, date(2024, 2, 10))
    assert rows[("x", 2023)].status == rows[("y", 2023)].status == "unreachable"
    with open_database(db_url) as s:
        b.report(s, "x", 2023, seen="2024-06-01T09:00:00", published=date(2024, 1, 20))
        b.crawl(s, "ok", "2024-06-01T10:00:00")
    rows = statuses(db_url, date(2024, 6, 1))
    assert rows[("x", 2023)].status == "on_time"
    assert rows[("y", 2023)].status == "missing"


def test_withdrawn_and_years_from_since(db_url: str) -> None:
    with open_database(db_url) as s:
        b.agency(s, "w", since=2022)
        b.crawl(s, "ok", "2024-02-10T10:00:00")
        first = b.report(s, "w", 2022, seen="2023-01-10T09:00:00", published=date(2023, 1, 9))
        b.report(s, "w", 2023, seen="2024-01-10T09:00:00", published=date(2024, 1, 9))
        b.gone(s, first.url, "2024-02-10T10:00:00")
    rows = statuses(db_url, date(2024, 2, 10))
    assert sorted(rows) == [("w", 2022), ("w", 2023)]
    withdrawn = rows[("w", 2022)]
    assert withdrawn.status == "withdrawn"
    assert withdrawn.url == first.url and withdrawn.published_at == date(2023, 1, 9)
    assert rows[("w", 2023)].status == "on_time"


def test_lateness_is_judged_by_the_first_version(db_url: str) -> None:
    with open_database(db_url) as s:
        b.agency(s, "v", since=2023)
        b.crawl(s, "ok", "2024-03-01T10:00:00")
        b.report(s, "v", 2023, seen="2024-01-20T09:00:00", content="first")
        newer = b.report(
            s,
            "v",
            2023,
            seen="2024-03-01T09:00:00",
            content="corrected",
            checks=[("requests.balance", False, "x")],
        )
        assert newer.version == 2
    rows = statuses(db_url, date(2024, 3, 1))
    row = rows[("v", 2023)]
    assert (row.status, row.judged_by, row.first_seen_at) == (
        "on_time",
        "first_seen",
        b.at("2024-01-20T09:00:00"),
    )
    # The row points at the current version, and lists the rules that version fails.
    assert row.report_id == newer.id
    assert row.failed_checks == ("requests.balance",)


def test_override_deadline_and_since(db_url: str) -> None:
    with open_database(db_url) as s:
        b.agency(s, "o", since=2023, deadline="02-15")
        b.crawl(s, "ok", "2024-02-10T10:00:00")
        b.report(s, "o", 2023, seen="2024-02-10T09:00:00", published=date(2024, 2, 10))
    rows = statuses(db_url, date(2024, 2, 10))
    assert list(rows) == [("o", 2023)]
    assert rows[("o", 2023)].status == "on_time"
    assert rows[("o", 2023)].deadline == date(2024, 2, 15)


def test_staleness_follows_crawls(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NIANBAO_NOW", "2024-02-01T08:00:00")
    with open_database(db_url) as s:
        b.agency(s, "s", since=2023)
        assert is_stale(s)
    statuses(db_url, date(2024, 2, 10))
    with open_database(db_url) as s:
        assert not is_stale(s)
        b.crawl(s, "ok", "2024-02-11T10:00:00")
        assert is_stale(s)


def stored(url: str) -> dict[tuple[str, int], tuple[str, date, object]]:
    """(agency, year) -> (status, the row's own as_of, its computed_at), straight from the table."""
    with open_database(url) as session:
        return {
            (row.agency_id, row.year): (row.status, row.as_of, row.computed_at)
            for row in session.scalars(select(AgencyYearStatus))
        }


def check(url: str, as_of: date, at: str) -> StatusChanges:
    with open_database(url) as session:
        return compute(session, as_of=as_of, at=b.at(at))


def test_a_check_writes_only_the_statuses_that_changed(db_url: str) -> None:
    with open_database(db_url) as s:
        for name in ("quiet", "publishes", "blocked"):
            b.agency(s, name, since=2022, portal=b.PORTAL if name != "blocked" else "http://127.0.0.1:9/b/")
        b.crawl(s, "ok", "2024-02-10T10:00:00")
        b.crawl(s, "timeout", "2024-02-10T10:00:00", url="http://127.0.0.1:9/b/")
        b.report(s, "quiet", 2022, seen="2023-01-10T09:00:00", published=date(2023, 1, 9))
        b.report(s, "quiet", 2023, seen="2024-01-10T09:00:00", published=date(2024, 1, 9))
    first = check(db_url, date(2024, 2, 10), "2024-02-10T12:00:00")
    assert (first.total, first.changed) == (6, 6)
    before = stored(db_url)
    assert before[("publishes", 2023)][0] == "missing"

    again = check(db_url, date(2024, 2, 11), "2024-02-11T12:00:00")
    assert (again.total, again.changed) == (6, 0)
    assert stored(db_url) == before  # not one row rewritten, not even its as_of

    with open_database(db_url) as s:
        b.report(s, "publishes", 2023, seen="2024-02-12T09:00:00", published=date(2024, 2, 12))
        b.crawl(s, "ok", "2024-02-12T10:00:00")
    third = check(db_url, date(2024, 2, 12), "2024-02-12T12:00:00")
    assert (third.total, third.changed) == (6, 1)
    after = stored(db_url)
    assert after[("publishes", 2023)] == ("late", date(2024, 2, 12), b.at("2024-02-12T12:00:00"))
    assert {key: row for key, row in after.items() if key != ("publishes", 2023)} == {
        key: row for key, row in before.items() if key != ("publishes", 2023)
    }
    # Readers see every row as of the last check, whichever check last wrote it.
    with open_database(db_url) as s:
        assert {row.as_of for row in status_rows(s)} == {date(2024, 2, 12)}
        checks = s.scalars(select(StatusCheck).order_by(StatusCheck.id)).all()
    assert [(c.as_of, c.statuses, c.changed) for c in checks] == [
        (date(2024, 2, 10), 6, 6),
        (date(2024, 2, 11), 6, 0),
        (date(2024, 2, 12), 6, 1),
    ]


def test_rows_no_longer_due_are_removed_and_a_value_changing_back_is_written(db_url: str) -> None:
    with open_database(db_url) as s:
        b.agency(s, "r", since=2022)
        b.crawl(s, "ok", "2024-02-10T10:00:00")
    check(db_url, date(2024, 2, 10), "2024-02-10T12:00:00")
    assert {key: row[0] for key, row in stored(db_url).items()} == {
        ("r", 2022): "missing",
        ("r", 2023): "missing",
    }
    # Judged as of an earlier day: 2023 is not due yet, and 2022 was still ahead of its deadline.
    earlier = check(db_url, date(2023, 1, 20), "2024-02-10T13:00:00")
    assert (earlier.total, earlier.changed) == (1, 2)
    assert {key: row[0] for key, row in stored(db_url).items()} == {("r", 2022): "pending"}
    # The registry moves the body's first year: the rows before it go.
    with open_database(db_url) as s:
        b.agency(s, "r", since=2023)
    later = check(db_url, date(2024, 2, 10), "2024-02-10T14:00:00")
    assert (later.total, later.changed) == (1, 2)
    assert {key: row[0] for key, row in stored(db_url).items()} == {("r", 2023): "missing"}


def test_a_year_with_several_urls_is_judged_by_the_earliest_and_shows_one_still_there(db_url: str) -> None:
    with open_database(db_url) as s:
        for name in ("moved", "twice", "gone", "single"):
            b.agency(s, name, since=2023)
        b.crawl(s, "ok", "2024-03-10T10:00:00")
        # Published late at one address, withdrawn, and put up again at another.
        first = b.report(
            s, "moved", 2023, seen="2024-02-05T09:00:00", published=date(2024, 2, 5), url=f"{b.PORTAL}a"
        )
        again = b.report(
            s,
            "moved",
            2023,
            seen="2024-03-02T09:00:00",
            published=date(2024, 3, 2),
            url=f"{b.PORTAL}b",
            content="x",
        )
        b.gone(s, first.url, "2024-03-01T10:00:00")
        # Two copies on the portal: the earlier one decides and is shown.
        early = b.report(
            s, "twice", 2023, seen="2024-01-20T09:00:00", published=date(2024, 1, 20), url=f"{b.PORTAL}c"
        )
        b.report(
            s, "twice", 2023, seen="2024-01-25T09:00:00", published=date(2024, 1, 25), url=f"{b.PORTAL}d"
        )
        # Every copy gone: withdrawn, with the earliest as the evidence.
        kept = b.report(
            s, "gone", 2023, seen="2024-01-10T09:00:00", published=date(2024, 1, 10), url=f"{b.PORTAL}e"
        )
        other = b.report(
            s, "gone", 2023, seen="2024-01-12T09:00:00", published=date(2024, 1, 12), url=f"{b.PORTAL}f"
        )
        for report in (kept, other):
            b.gone(s, report.url, "2024-03-01T10:00:00")
        b.report(s, "single", 2023, seen="2024-01-30T09:00:00", published=date(2024, 1, 29))
    rows = statuses(db_url, date(2024, 3, 10))
    moved = rows[("moved", 2023)]
    assert (moved.status, moved.days_late, moved.published_at) == ("late", 5, date(2024, 2, 5))
    assert moved.report_id == again.id and moved.url == again.url
    twice = rows[("twice", 2023)]
    assert (twice.status, twice.published_at, twice.report_id) == ("on_time", date(2024, 1, 20), early.id)
    gone = rows[("gone", 2023)]
    assert (gone.status, gone.report_id, gone.published_at) == ("withdrawn", kept.id, date(2024, 1, 10))
    single = rows[("single", 2023)]
    assert (single.status, single.published_at, single.judged_by) == (
        "on_time",
        date(2024, 1, 29),
        "published_at",
    )
    assert single.first_seen_at == b.at("2024-01-30T09:00:00")
