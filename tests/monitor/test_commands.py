"""`nianbao check`, `status` and `alerts` through the command line, as a user runs them."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from datetime import date

import pytest

from storage.db import open_database
from tests.monitor import builders as b

STATUS_KEYS = {
    "agency_id",
    "agency",
    "year",
    "status",
    "deadline",
    "published_at",
    "first_seen_at",
    "days_late",
    "url",
    "failed_checks",
    "judged_by",
}
ALERT_KEYS = {"id", "agency_id", "year", "kind", "created_at", "message"}


@pytest.fixture(autouse=True)
def registry_written_before_the_check(monkeypatch: pytest.MonkeyPatch) -> None:
    """Rows seeded in this process carry the same simulated clock as the commands."""
    monkeypatch.setenv("NIANBAO_NOW", "2024-02-10T09:00:00+08:00")


def nianbao(
    db_url: str, *args: str, now: str = "2024-02-10T12:00:00+08:00"
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NIANBAO_DB": db_url, "NIANBAO_NOW": now}
    return subprocess.run(
        [sys.executable, "-m", "nianbao", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def seed(db_url: str) -> None:
    with open_database(db_url) as s:
        b.agency(s, "late-one", since=2022)
        b.agency(s, "silent", since=2023)
        b.crawl(s, "ok", "2024-02-10T10:00:00+08:00")
        b.report(s, "late-one", 2022, seen="2023-01-15T09:00:00", published=date(2023, 1, 14))
        b.report(
            s,
            "late-one",
            2023,
            seen="2024-02-10T09:30:00+08:00",
            checks=[("requests.balance", False, "total"), ("requests.row_totals", True, None)],
        )


def test_check_status_alerts_round_trip(db_url: str) -> None:
    seed(db_url)
    first = nianbao(db_url, "check")
    assert first.returncode == 0, first.stderr
    assert "check as of 2024-02-10" in first.stdout and "3 opened, 0 resolved" in first.stdout
    assert "3 changed since the last check" in first.stdout
    again = nianbao(db_url, "check")
    assert again.returncode == 0 and "0 opened, 0 resolved" in again.stdout
    assert "0 changed since the last check" in again.stdout

    done = nianbao(db_url, "status", "--format", "json")
    assert done.returncode == 0, done.stderr
    rows = {(r["agency_id"], r["year"]): r for r in json.loads(done.stdout)}
    assert all(set(r) >= STATUS_KEYS for r in rows.values())
    late = rows[("late-one", 2023)]
    assert late["status"] == "late" and late["days_late"] == 10
    assert late["first_seen_at"] == "2024-02-10T09:30:00+08:00" and late["published_at"] is None
    assert late["judged_by"] == "first_seen" and late["deadline"] == "2024-01-31"
    assert late["failed_checks"] == ["requests.balance"] and late["url"].endswith("late-one-2023.html")
    assert rows[("late-one", 2022)]["status"] == "on_time" and rows[("late-one", 2022)]["days_late"] == 0
    assert rows[("silent", 2023)]["status"] == "missing" and rows[("silent", 2023)]["url"] is None

    only = json.loads(nianbao(db_url, "status", "--format", "json", "--year", "2022").stdout)
    assert [(r["agency_id"], r["year"]) for r in only] == [("late-one", 2022)]
    table = list(
        csv.DictReader(io.StringIO(nianbao(db_url, "status", "--format", "csv", "--agency", "silent").stdout))
    )
    assert [(r["agency_id"], r["status"]) for r in table] == [("silent", "missing")]
    assert "silent" in nianbao(db_url, "status", "--format", "grid").stdout

    alerts = json.loads(nianbao(db_url, "alerts", "--format", "json").stdout)
    assert all(set(a) >= ALERT_KEYS for a in alerts)
    assert sorted((a["agency_id"], a["year"], a["kind"]) for a in alerts) == [
        ("late-one", 2023, "inconsistent"),
        ("late-one", 2023, "late"),
        ("silent", 2023, "missing"),
    ]
    assert all(a["created_at"] == "2024-02-10T12:00:00+08:00" for a in alerts)
    acked = nianbao(db_url, "alerts", "ack", str(alerts[0]["id"]))
    assert acked.returncode == 0, acked.stderr
    after = json.loads(nianbao(db_url, "alerts", "--format", "json").stdout)
    assert next(a for a in after if a["id"] == alerts[0]["id"])["acked_at"] is not None
    missing = nianbao(db_url, "alerts", "ack", "999999")
    assert missing.returncode == 2 and "no alert with id 999999" in missing.stderr
    assert "Traceback" not in missing.stderr


def test_bad_as_of_is_a_usage_error(sqlite_url: str) -> None:
    done = nianbao(sqlite_url, "check", "--as-of", "next tuesday")
    assert done.returncode == 2
    assert "not an ISO 8601" in done.stderr and "Traceback" not in done.stderr


def test_as_of_moves_the_deadlines(sqlite_url: str) -> None:
    seed(sqlite_url)
    done = nianbao(sqlite_url, "check", "--as-of", "2024-01-20")
    assert done.returncode == 0, done.stderr
    rows = {
        (r["agency_id"], r["year"]): r["status"]
        for r in json.loads(nianbao(sqlite_url, "status", "--format", "json").stdout)
    }
    assert rows[("silent", 2023)] == "pending"
    assert rows[("late-one", 2023)] == "late"  # a report already seen is judged on its dates


def test_status_before_any_check_computes_as_of_now(sqlite_url: str) -> None:
    seed(sqlite_url)
    rows = json.loads(nianbao(sqlite_url, "status", "--format", "json").stdout)
    assert {(r["agency_id"], r["year"], r["status"]) for r in rows} == {
        ("late-one", 2022, "on_time"),
        ("late-one", 2023, "late"),
        ("silent", 2023, "missing"),
    }
    # Showing statuses raises no alert: only `check` does.
    assert json.loads(nianbao(sqlite_url, "alerts", "--format", "json").stdout) == []
