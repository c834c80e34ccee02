"""How long `nianbao check` takes for a province-sized registry, on SQLite and on PostgreSQL.

    python bench/check.py                      # 100,000 bodies × 6 years, both backends
    python bench/check.py --agencies 20000 --backend sqlite

Synthetic rows are bulk-inserted first (bodies, portals and their last crawl outcomes, report
versions, failed checks, carried-over request counts); only the check itself is timed: statuses
for every (body, year), then opening alerts, then a second check that must find nothing new and
write nothing (the routine case: a check writes only the statuses that changed).

Figures, 100,000 bodies × 6 years (600,000 statuses, 333,504 alerts opened), 2-core machine
shared with other work, three runs each on one populated database copied afresh per run:

    backend      first check (3 runs)       second check (3 runs)
    before: scratch tables indexed as filled, statuses and alerts with per-row foreign-key checks
    PostgreSQL   18.5  18.5  20.5 s          6.7  6.7  7.3 s
    SQLite        7.8   7.7   6.9 s          4.9  4.8  5.0 s
    after
    PostgreSQL    7.6   7.4   8.0 s          4.3  4.3  4.3 s
    SQLite        5.8   5.7   5.2 s          4.9  4.7  4.8 s

What bought it on PostgreSQL's first check: per-row foreign-key checks on the 600,000 statuses and
on the alerts' evidence pointers (-6 s: statuses are derived data and declare no keys; alerts keep
their body's); scratch tables without indexes, built as heaps and analysed (-2 s over both checks:
B-trees grown row by row into small temporary buffers); work_mem for the hash joins (no batches
spilled to disk); judged statuses compared with the stored ones as they are set aside (one
materialisation of 600,000 rows instead of two); alert messages written straight into the alerts
and read from the problems' own scratch rows (no second scratch table, no join back to the
statuses); one scan for the four status kinds of alert; one aggregate for the report choice
(window functions only for years with several URLs).
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, insert, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from monitor.status import run_check  # noqa: E402
from storage.db import engine_for, upgrade  # noqa: E402
from storage.models import (  # noqa: E402
    Agency,
    CheckResult,
    CrawlPortalResult,
    CrawlRun,
    Portal,
    Report,
    ReportValue,
)

AS_OF = date(2025, 6, 1)
YEARS = 6
BATCH = 20_000
LEVELS = [("county_government", 1), ("county_department", 30), ("township", 60), ("subdistrict", 9)]


def _chunks(rows: list[dict], size: int = BATCH) -> Iterator[list[dict]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def populate(url: str, agencies: int, seed: int = 7) -> dict[str, int]:
    """Bulk-insert a synthetic province; returns how many rows of each kind."""
    rng = random.Random(seed)
    stamp = datetime(2025, 1, 1, tzinfo=UTC)
    upgrade(url)
    engine = engine_for(url)
    levels = [level for level, weight in LEVELS for _ in range(weight)]
    per_portal = 20
    portal_rows = [
        {"id": i + 1, "url": f"http://127.0.0.1:9/p{i}/", "host": "127.0.0.1:9"}
        for i in range(agencies // per_portal + 1)
    ]
    agency_rows = []
    for i in range(agencies):
        level = rng.choice(levels)
        agency_rows.append(
            {
                "id": f"a{i:06d}",
                "name": f"第{i}号机关",
                "aliases": [],
                "level": level,
                "portal_url": portal_rows[i // per_portal]["url"],
                "since": AS_OF.year - YEARS,
                "deadline": "02-28" if rng.random() < 0.02 else None,
                "created_at": stamp,
                "updated_at": stamp,
            }
        )
    run_rows = [{"id": 1, "started_at": stamp, "finished_at": stamp, "state": "finished"}]
    finished = datetime(2025, 5, 30, 2, tzinfo=UTC)
    result_rows = [
        {
            "crawl_run_id": 1,
            "portal_id": p["id"],
            "outcome": "ok" if rng.random() < 0.9 else rng.choice(["blocked", "timeout", "no_column"]),
            "started_at": finished,
            "finished_at": finished,
        }
        for p in portal_rows
    ]
    report_rows: list[dict] = []
    check_rows: list[dict] = []
    value_rows: list[dict] = []
    report_id = 0
    for i, agency in enumerate(agency_rows):
        for year in range(AS_OF.year - YEARS, AS_OF.year):
            if rng.random() < 0.15:
                continue
            report_id += 1
            deadline = date(year + 1, 1, 31)
            published = deadline + timedelta(days=rng.randint(-40, 30))
            seen = datetime(published.year, published.month, published.day, 3, tzinfo=UTC) + timedelta(
                days=rng.randint(0, 5)
            )
            versions = 2 if rng.random() < 0.05 else 1
            url = f"{agency['portal_url']}{i}/{year}.html"
            for version in range(1, versions + 1):
                if version > 1:
                    report_id += 1
                report_rows.append(
                    {
                        "id": report_id,
                        "agency_id": agency["id"],
                        "year": year,
                        "url": url,
                        "published_at": published if rng.random() < 0.8 else None,
                        "first_seen_at": seen + timedelta(days=30 * (version - 1)),
                        "last_seen_at": finished,
                        "gone_since": finished if version == versions and rng.random() < 0.01 else None,
                        "version": version,
                        "is_current": version == versions,
                        "portal_id": i // per_portal + 1,
                        "warnings": [],
                    }
                )
            if rng.random() < 0.05:
                check_rows.append({"report_id": report_id, "rule": "requests.balance", "ok": False})
            if rng.random() < 0.1:
                for row_key in ("carried_in", "carried_out"):
                    value_rows.append(
                        {
                            "report_id": report_id,
                            "section": "requests",
                            "row_key": row_key,
                            "column_key": "total",
                            "value": float(rng.randint(0, 3)),
                        }
                    )
    with engine.begin() as connection:
        for table, rows in (
            (Portal, portal_rows),
            (Agency, agency_rows),
            (CrawlRun, run_rows),
            (CrawlPortalResult, result_rows),
            (Report, report_rows),
            (CheckResult, check_rows),
            (ReportValue, value_rows),
        ):
            for chunk in _chunks(rows):
                connection.execute(insert(table), chunk)
        if connection.dialect.name == "postgresql":
            connection.execute(text("ANALYZE"))
    return {
        "agencies": len(agency_rows),
        "portals": len(portal_rows),
        "reports": len(report_rows),
        "failed_checks": len(check_rows),
        "values": len(value_rows),
    }


def timed_checks(url: str) -> tuple[float, float, int, int]:
    started = time.perf_counter()
    first = run_check(url, as_of=AS_OF)
    middle = time.perf_counter()
    second = run_check(url, as_of=AS_OF)
    ended = time.perf_counter()
    assert second.opened == 0 and second.resolved == 0, "a second check must find nothing new"
    assert second.changed == 0, "a second check must write no status"
    return middle - started, ended - middle, first.rows, first.opened


def postgres_database(name: str) -> str:
    server = subprocess.run(
        ["bash", str(ROOT / "scripts" / "postgres.sh")], capture_output=True, text=True, check=True
    ).stdout.strip().splitlines()[-1]
    admin = create_engine(server.replace("postgresql://", "postgresql+psycopg://"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(server).set(database=name).render_as_string(hide_password=False)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--agencies", type=int, default=100_000)
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    args = parser.parse_args()
    os.environ.pop("NIANBAO_NOTIFY", None)  # time the check, not deliveries to channels
    os.environ["NIANBAO_NOW"] = f"{AS_OF.isoformat()}T12:00:00+08:00"
    backends = ["sqlite", "postgresql"] if args.backend == "both" else [args.backend]
    with tempfile.TemporaryDirectory() as folder:
        for backend in backends:
            url = f"sqlite:///{folder}/bench.db" if backend == "sqlite" else postgres_database("nianbao_bench_check")
            started = time.perf_counter()
            sizes = populate(url, args.agencies)
            loaded = time.perf_counter() - started
            first, second, rows, opened = timed_checks(url)
            print(
                f"{backend:10s} {sizes['agencies']:,} bodies × {YEARS} years, {sizes['reports']:,} report rows "
                f"(loaded in {loaded:.1f}s): check {first:.2f}s ({rows:,} statuses, {opened:,} alerts opened); "
                f"second check {second:.2f}s (nothing new)",
                flush=True,
            )
            engine_for(url).dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
