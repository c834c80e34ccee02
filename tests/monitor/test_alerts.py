"""The alert lifecycle on both backends: open once, resolve when the problem clears."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from monitor.alerts import acknowledge, open_alerts, refresh_alerts
from monitor.status import compute
from storage.db import open_database
from storage.models import Alert
from storage.snapshots import record_snapshot
from tests.monitor import builders as b


def check(url: str, day: str) -> tuple[int, int]:
    moment = b.at(f"{day}T12:00:00")
    with open_database(url) as session:
        compute(session, as_of=moment.date(), at=moment)
        changes = refresh_alerts(session, at=moment)
    return changes.opened, changes.resolved


def kinds(url: str) -> set[tuple[str, int, str]]:
    with open_database(url) as session:
        return {(a.agency_id, a.year, a.kind) for a in open_alerts(session)}


def test_missing_then_late_report_resolves_and_opens(db_url: str) -> None:
    with open_database(db_url) as s:
        b.agency(s, "m", since=2023)
        b.agency(s, "gov", level="county_government", since=2023)
        b.crawl(s, "ok", "2024-02-10T10:00:00")
    assert check(db_url, "2024-02-10") == (1, 0)
    assert kinds(db_url) == {("m", 2023, "missing")}
    # Nothing new: nothing opens, nothing resolves.
    assert check(db_url, "2024-02-10") == (0, 0)
    with open_database(db_url) as s:
        b.report(s, "m", 2023, seen="2024-03-01T09:00:00")
        b.crawl(s, "ok", "2024-03-01T10:00:00")
    assert check(db_url, "2024-03-01") == (1, 1)
    assert kinds(db_url) == {("m", 2023, "late")}
    with open_database(db_url) as s:
        alerts = list(s.scalars(select(Alert).order_by(Alert.id)))
        assert [(a.kind, a.resolved_at is not None) for a in alerts] == [("missing", True), ("late", False)]
        assert "30 day(s) after the deadline 2024-01-31" in alerts[1].message
        assert alerts[1].report_id is not None
        assert alerts[0].created_at == b.at("2024-02-10T12:00:00")
    # The county government's 2023 report is due 03-31: after that it is missing too.
    assert check(db_url, "2024-04-01") == (1, 0)
    assert ("gov", 2023, "missing") in kinds(db_url)


def test_unreachable_is_never_missing_and_clears(db_url: str) -> None:
    with open_database(db_url) as s:
        b.agency(s, "u", since=2023)
        b.crawl(s, "blocked", "2024-02-10T10:00:00")
    assert check(db_url, "2024-02-10") == (1, 0)
    assert kinds(db_url) == {("u", 2023, "unreachable")}
    with open_database(db_url) as s:
        b.crawl(s, "ok", "2024-06-01T10:00:00")
    assert check(db_url, "2024-06-01") == (1, 1)
    assert kinds(db_url) == {("u", 2023, "missing")}


def test_withdrawn_alert(db_url: str) -> None:
    with open_database(db_url) as s:
        b.agency(s, "w", since=2023)
        b.crawl(s, "ok", "2024-01-20T10:00:00")
        page = b.report(s, "w", 2023, seen="2024-01-20T09:00:00", published=date(2024, 1, 19))
    assert check(db_url, "2024-02-10") == (0, 0)
    with open_database(db_url) as s:
        b.gone(s, page.url, "2024-06-01T10:00:00")
        b.crawl(s, "ok", "2024-06-01T10:00:00")
    assert check(db_url, "2024-06-01") == (1, 0)
    assert kinds(db_url) == {("w", 2023, "withdrawn")}


def test_inconsistent_from_checks_and_carry_over(db_url: str) -> None:
    carried = [
        ("requests", "carried_out", "total", 3.0, "3"),
        ("requests", "carried_out", "natural_person", 1.0, "1"),
    ]
    with open_database(db_url) as s:
        b.agency(s, "i", since=2022)
        b.agency(s, "c", since=2022)
        b.crawl(s, "ok", "2024-01-20T10:00:00")
        b.report(
            s,
            "i",
            2022,
            seen="2023-01-20T09:00:00",
            checks=[("requests.balance", False, "total: 5 + 0 ≠ 4 + 0")],
        )
        b.report(s, "i", 2023, seen="2024-01-20T09:00:00", checks=[("requests.balance", True, None)])
        b.report(s, "c", 2022, seen="2023-01-20T09:00:00", values=carried)
        b.report(
            s,
            "c",
            2023,
            seen="2024-01-20T09:00:00",
            values=[
                ("requests", "carried_in", "total", 2.0, "2"),
                ("requests", "carried_in", "natural_person", 1.0, "1"),
            ],
        )
    assert check(db_url, "2024-02-10") == (2, 0)
    assert kinds(db_url) == {("i", 2022, "inconsistent"), ("c", 2023, "inconsistent")}
    with open_database(db_url) as s:
        messages = {a.agency_id: a.message for a in open_alerts(s)}
    assert "requests.balance" in messages["i"] and "carry_over" in messages["c"]
    assert check(db_url, "2024-02-10") == (0, 0)


def test_backdated_needs_an_ok_crawl_after_the_deadline_without_the_report(db_url: str) -> None:
    with open_database(db_url) as s:
        b.agency(s, "bd", since=2023)
        b.agency(s, "honest", since=2023)
        b.crawl(s, "ok", "2024-01-25T10:00:00")
        b.report(s, "honest", 2023, seen="2024-01-25T09:00:00", published=date(2024, 1, 25))
        # A blocked crawl proves nothing; the ok crawl on 02-05 saw the column without the report.
        b.crawl(s, "blocked", "2024-02-03T10:00:00")
        b.crawl(s, "ok", "2024-02-05T10:00:00")
        b.report(s, "bd", 2023, seen="2024-02-20T09:00:00", published=date(2024, 1, 30))
        b.crawl(s, "ok", "2024-02-20T10:00:00")
    check(db_url, "2024-02-20")
    assert kinds(db_url) == {("bd", 2023, "backdated")}
    with open_database(db_url) as s:
        (alert,) = open_alerts(s)
        assert "declares 2024-01-30" in alert.message
        assert acknowledge(s, alert.id, at=b.at("2024-02-21T08:00:00"))
        assert not acknowledge(s, alert.id + 1000)
    with open_database(db_url) as s:
        (alert,) = open_alerts(s)
        assert alert.acked_at == b.at("2024-02-21T08:00:00")
    # Acknowledged is not resolved: the next check neither reopens nor resolves it.
    assert check(db_url, "2024-02-21") == (0, 0)


def test_backdated_across_midnight_in_china_and_alerts_keep_their_evidence(db_url: str) -> None:
    with open_database(db_url) as s:
        b.agency(s, "dawn", since=2023)
        b.agency(s, "night", since=2023, portal="http://127.0.0.1:9/night/")
        # 06:00 in China on 02-01 is still 01-31 in UTC: the crawl and the first sighting both
        # fall after the 01-31 deadline by the China calendar, which is the one that counts.
        b.crawl(s, "ok", "2024-02-01T06:00:00+08:00")
        dawn = b.report(s, "dawn", 2023, seen="2024-02-01T07:00:00+08:00", published=date(2024, 1, 30))
        # A crawl late on the deadline day itself is not after the deadline.
        b.crawl(s, "ok", "2024-01-31T22:00:00+08:00", url="http://127.0.0.1:9/night/")
        b.report(
            s,
            "night",
            2023,
            seen="2024-01-31T23:00:00+08:00",
            published=date(2024, 1, 30),
            portal="http://127.0.0.1:9/night/",
        )
        page = record_snapshot(s, url=dawn.url, body=b"<html></html>", http_status=200)
        dawn.snapshot_id = page.id
    check(db_url, "2024-02-10")
    assert kinds(db_url) == {("dawn", 2023, "backdated")}
    with open_database(db_url) as s:
        (alert,) = open_alerts(s)
    assert (alert.report_id, alert.snapshot_id) == (dawn.id, page.id)
