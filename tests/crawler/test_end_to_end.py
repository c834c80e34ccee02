"""The whole crawler against the sample county served on loopback, on SQLite and PostgreSQL.

Each crawl runs in a subprocess (`python -m nianbao crawl`), as a scheduler would run it: Twisted's
reactor cannot restart within one process.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

from sqlalchemy import create_engine, text

from nianbao.demo.portal import SampleCounty, serve_county

ROOT = Path(__file__).resolve().parents[2]


def run_crawl(db_url: str, now: str, *extra: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environment = {
        **os.environ,
        "NIANBAO_DB": db_url,
        "NIANBAO_NOW": now,
        "NIANBAO_POLITE": "0",
        "NIANBAO_DOWNLOAD_TIMEOUT": "5",
        **(env or {}),
    }
    return subprocess.run(
        [sys.executable, "-m", "nianbao", "crawl", "--quiet", *extra],
        cwd=ROOT, env=environment, capture_output=True, text=True, timeout=600, check=False,
    )


def rows(db_url: str, query: str) -> list[tuple]:
    engine = create_engine(db_url.replace("postgresql://", "postgresql+psycopg://"))
    try:
        with engine.connect() as conn:
            return [tuple(r) for r in conn.execute(text(query))]
    finally:
        engine.dispose()


def expected_reports(truth: dict) -> dict[str, tuple[str | None, int]]:
    """Visible report → (agency, year), keyed by its first visible URL (reposts are one report)."""
    out = {}
    for report in truth["reports"]:
        urls = [p["url"] for p in report["placements"] if p["visible"]]
        if report["visible"] and urls:
            out[report["id"]] = (report["agency_id"], report["year"], set(urls))
    return out


def _numbers(sections: dict | None) -> dict[tuple[str, str, str], float]:
    """(section, row, column) → value of every number the sections hold (units and nulls aside)."""
    out = {}
    for section, table in (sections or {}).items():
        for row, cells in (table or {}).items():
            for column, value in (cells or {}).items():
                if isinstance(value, int | float) and not isinstance(value, bool):
                    out[(section, row, column)] = float(value)
    return out


def stored_values_differences(db_url: str, truth: dict) -> list[str]:
    """Reports whose stored values are not the numbers their ground truth holds (by URL)."""
    stored: dict[str, dict[tuple[str, str, str], float]] = {}
    for url, section, row, column, value in rows(
        db_url, "SELECT r.url, v.section, v.row_key, v.column_key, v.value FROM report_values v "
                "JOIN reports r ON r.id = v.report_id WHERE r.is_current AND v.value IS NOT NULL"):
        stored.setdefault(url, {})[(section, row, column)] = float(value)
    differences = []
    for report in truth["reports"]:
        if not report["visible"]:
            continue
        want = _numbers(report["expected"])
        for url in {p["url"] for p in report["placements"] if p["visible"]} & set(stored) or {None}:
            got = stored.get(url, {}) if url else {}
            if got != want:
                wrong = sorted(k for k in set(want) | set(got) if want.get(k) != got.get(k))
                differences.append(f"{report['id']} {report['form']}: {len(wrong)} values differ, e.g. {wrong[:3]}")
    return differences


def test_crawl_finds_exactly_the_ground_truth_then_recrawls_cheaply(db_url: str, tmp_path: Path) -> None:
    county = SampleCounty.generate(seed=2024, scale=1)
    with serve_county(county, as_of=date(2024, 2, 10), timeout_delay=2.0) as running:
        registry = running.write_registry(tmp_path / "registry.yaml")
        first = run_crawl(db_url, "2024-02-10T10:00:00+08:00", "--registry", str(registry))
        first_requests = len(running.request_log)
        assert first.returncode == 1, first.stderr  # the WAF, cookie-wall and hanging portals fail
        failed = {line.removeprefix("portal failed: ").split(": ")[0] for line in first.stderr.splitlines()
                  if line.startswith("portal failed:")}
        bases = running.base_urls
        assert failed == {bases["waf"] + "/", bases["jsl"] + "/", bases["slow"] + "/", bases["flaky"] + "/"}

        truth = running.ground_truth()
        expected = expected_reports(truth)
        stored = rows(db_url, "SELECT url, agency_id, year FROM reports WHERE is_current")
        by_url = {url: (agency, year) for url, agency, year in stored}
        for report_id, (agency, year, urls) in expected.items():
            hits = [u for u in urls if u in by_url]
            assert len(hits) == 1, f"{report_id} stored {len(hits)} times: {urls}"
            assert by_url[hits[0]] == (agency, year), report_id
        assert len(stored) == len(expected)  # no non-report, no repost stored twice
        non_reports = {n["url"] for n in truth["non_reports"]}
        assert not non_reports & set(by_url)
        forbidden = [n["url"] for n in truth["non_reports"] if n["forbidden"] or n["offsite"]]
        fetched = {u for (u,) in rows(db_url, "SELECT url FROM snapshots")}
        assert not set(forbidden) & fetched  # robots.txt and the mirror were respected
        assert rows(db_url, "SELECT count(*) FROM report_values")[0][0] > 1000
        assert stored_values_differences(db_url, truth) == []
        assert rows(db_url, "SELECT count(*) FROM snapshots WHERE text IS NULL AND http_status = 200 "
                            "AND content_type LIKE 'text/html%'")[0][0] == 0

        # Unchanged portal: a second crawl costs a small fraction of the first.
        second = run_crawl(db_url, "2024-02-10T12:00:00+08:00")
        second_requests = len(running.request_log) - first_requests
        assert second.returncode == 1
        assert "0 new, 0 changed" in second.stdout
        assert second_requests <= 0.15 * first_requests, (second_requests, first_requests)

        # The portal publishes more: only the new report pages are fetched; the withdrawn one is gone.
        before = set(by_url)
        running.set_as_of(date(2024, 6, 1))
        mark = len(running.request_log)
        third = run_crawl(db_url, "2024-06-01T10:00:00+08:00",
                          env={"NIANBAO_REVISIT_DAYS": "3650", "NIANBAO_ROBOTS_MAX_AGE_HOURS": "100000"})
        assert third.returncode == 1, third.stderr
        later = running.request_log[mark:]
        refetched = [path for _m, path, host in later if f"http://{host}{path}" in before]
        assert refetched == []
        truth = running.ground_truth(date(2024, 6, 1), crawl_dates=[date(2024, 2, 10), date(2024, 6, 1)])
        withdrawn = [r for r in truth["reports"] if "withdrawn" in r["cases"]]
        gone = {u for (u,) in rows(db_url, "SELECT url FROM reports WHERE gone_since IS NOT NULL")}
        assert withdrawn and all(set(r["urls"]) & gone for r in withdrawn)
        now_stored = {u for (u,) in rows(db_url, "SELECT url FROM reports WHERE is_current")}
        missed = [rid for rid, (_a, _y, urls) in expected_reports(truth).items() if not urls & now_stored]
        assert missed == []
        assert len(now_stored) > len(before)
