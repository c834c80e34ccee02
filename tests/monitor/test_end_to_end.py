"""Crawl the sample county at two dates and check: every status and alert is what the ground truth says.

Crawls run as subprocesses (`python -m nianbao crawl`), checks through the real command, on
SQLite and PostgreSQL. The truth knows which portals are blocked (HTTP 412/521), which hangs,
which comes back, which report is withdrawn and which is backdated.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

from nianbao.demo.portal import SampleCounty, serve_county

ROOT = Path(__file__).resolve().parents[2]
FIRST, SECOND = date(2024, 2, 10), date(2024, 6, 1)
REPORTED = ("on_time", "late")


def nianbao(db_url: str, now: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "NIANBAO_DB": db_url,
        "NIANBAO_NOW": now,
        "NIANBAO_POLITE": "0",
        "NIANBAO_DOWNLOAD_TIMEOUT": "5",
    }
    env.pop("NIANBAO_NOTIFY", None)
    return subprocess.run(
        [sys.executable, "-m", "nianbao", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def carry_over_failures(truth: dict[str, Any]) -> set[tuple[str, int]]:
    """(agency, year) whose report's carried_in differs from last year's carried_out, per the truth's numbers."""
    reports = {r["id"]: r for r in truth["reports"]}
    last_crawl = truth["crawl_dates"][-1]

    def requests_of(row: dict[str, Any]) -> dict[str, Any] | None:
        if row["status"] not in REPORTED:
            return None
        versions = [v for v in reports[row["report_id"]]["versions"] if v["start"] <= last_crawl]
        sections = versions[-1]["sections"] if versions else None
        return sections["requests"] if sections else None

    rows = {(s["agency_id"], s["year"]): s for s in truth["statuses"]}
    failures = set()
    for (agency, year), row in rows.items():
        previous = rows.get((agency, year - 1))
        now, before = requests_of(row), requests_of(previous) if previous else None
        if not now or not before:
            continue
        carried_in, carried_out = now.get("carried_in") or {}, before.get("carried_out") or {}
        if any(
            carried_in.get(column) is not None
            and carried_out.get(column) is not None
            and carried_in[column] != carried_out[column]
            for column in carried_in
        ):
            failures.add((agency, year))
    return failures


def expected_alerts(truth: dict[str, Any]) -> set[tuple[str, int, str]]:
    alerts = {(a["agency_id"], a["year"], a["kind"]) for a in truth["alerts"]}
    return alerts | {(agency, year, "inconsistent") for agency, year in carry_over_failures(truth)}


def assert_statuses_match(db_url: str, now: str, truth: dict[str, Any]) -> None:
    done = nianbao(db_url, now, "status", "--format", "json")
    assert done.returncode == 0, done.stderr
    got = {(r["agency_id"], r["year"]): r for r in json.loads(done.stdout)}
    want = {(s["agency_id"], s["year"]): s for s in truth["statuses"]}
    assert set(got) == set(want)
    urls = {r["id"]: set(r["urls"]) for r in truth["reports"]}
    carry = carry_over_failures(truth)
    wrong = []
    for key, expected in want.items():
        row = got[key]
        seen = (row["status"], row["days_late"])
        if seen != (expected["status"], expected["days_late"]):
            wrong.append((key, seen, (expected["status"], expected["days_late"])))
            continue
        if expected["status"] in REPORTED:
            assert row["published_at"] == expected["published_at"], key
            assert row["first_seen_at"][:10] == expected["first_seen_at"], key
            assert row["first_seen_at"].endswith("+08:00"), key
            assert row["judged_by"] == ("published_at" if expected["published_at"] else "first_seen"), key
            assert row["url"] in urls[expected["report_id"]], key
            own = sorted(rule for rule in row["failed_checks"] if rule != "carry_over")
            assert own == sorted(expected["failed_checks"]), key
            assert ("carry_over" in row["failed_checks"]) == (key in carry), key
        elif expected["status"] == "withdrawn":
            assert row["url"] in urls[expected["report_id"]], key  # the evidence of what was seen
        else:
            assert row["url"] is None and row["first_seen_at"] is None, key
    assert wrong == []


def open_alerts(db_url: str, now: str) -> set[tuple[str, int, str]]:
    done = nianbao(db_url, now, "alerts", "--format", "json")
    assert done.returncode == 0, done.stderr
    return {(a["agency_id"], a["year"], a["kind"]) for a in json.loads(done.stdout)}


def every_alert(db_url: str, now: str) -> list[tuple[str, int, str]]:
    done = nianbao(db_url, now, "alerts", "--format", "json", "--all")
    return [(a["agency_id"], a["year"], a["kind"]) for a in json.loads(done.stdout)]


def test_statuses_and_alerts_follow_the_ground_truth_at_two_dates(db_url: str, tmp_path: Path) -> None:
    county = SampleCounty.generate(seed=2024, scale=1)
    with serve_county(county, as_of=FIRST, timeout_delay=2.0) as running:
        registry = running.write_registry(tmp_path / "registry.yaml")
        first_now = "2024-02-10T10:00:00+08:00"
        crawled = nianbao(db_url, first_now, "crawl", "--quiet", "--registry", str(registry))
        assert crawled.returncode == 1, crawled.stderr  # the blocked and hanging portals fail
        check_now = "2024-02-10T12:00:00+08:00"
        checked = nianbao(db_url, check_now, "check")
        assert checked.returncode == 0, checked.stderr
        truth = running.ground_truth(FIRST)
        assert {s["status"] for s in truth["statuses"]} >= {
            "on_time",
            "late",
            "missing",
            "pending",
            "unreachable",
        }
        assert_statuses_match(db_url, check_now, truth)
        first_alerts = expected_alerts(truth)
        assert open_alerts(db_url, check_now) == first_alerts
        # Nothing new: a second check raises and resolves nothing.
        again = nianbao(db_url, check_now, "check")
        assert "alerts: 0 opened, 0 resolved" in again.stdout, again.stdout

        running.set_as_of(SECOND)
        second_now = "2024-06-01T10:00:00+08:00"
        crawled = nianbao(db_url, second_now, "crawl", "--quiet")
        assert crawled.returncode == 1, crawled.stderr
        check_now = "2024-06-01T12:00:00+08:00"
        checked = nianbao(db_url, check_now, "check")
        assert checked.returncode == 0, checked.stderr
        truth = running.ground_truth(SECOND, crawl_dates=[FIRST, SECOND])

    statuses = {s["status"] for s in truth["statuses"]}
    # Every status at once: a township held to a local 06-30 rule is still pending on 2024-06-01.
    assert statuses == {"withdrawn", "late", "missing", "unreachable", "on_time", "pending"}
    assert_statuses_match(db_url, check_now, truth)
    second_alerts = expected_alerts(truth)
    assert {kind for _a, _y, kind in second_alerts} >= {"withdrawn", "backdated", "inconsistent", "missing"}
    assert open_alerts(db_url, check_now) == second_alerts
    # Every alert ever raised, once: what was open at either check, with no duplicates.
    raised = every_alert(db_url, check_now)
    assert len(raised) == len(set(raised))
    assert set(raised) == first_alerts | second_alerts
    assert {(a["agency_id"], a["year"], a["kind"]) for a in truth["alerts_raised"]} <= set(raised)
    again = nianbao(db_url, check_now, "check")
    assert "alerts: 0 opened, 0 resolved" in again.stdout, again.stdout
