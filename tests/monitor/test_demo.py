"""`nianbao demo`: the whole job on the bundled sample county, as a new user first runs it."""

from __future__ import annotations

import os
import resource
import sqlite3
import subprocess
import sys
from pathlib import Path

from storage.db import open_database
from tests.monitor import builders as b

ROOT = Path(__file__).resolve().parents[2]


def demo(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("NIANBAO_DB", "NIANBAO_NOW", "NIANBAO_NOTIFY")}
    env["PYTHONPATH"] = str(ROOT)
    env["COLUMNS"] = "160"
    return subprocess.run(
        [sys.executable, "-m", "nianbao", *args, "demo"],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_demo_crawls_checks_and_leaves_the_database(tmp_path: Path) -> None:
    # The demo's own CPU time (it runs as a child process): the work done, whatever else runs.
    started = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = demo(tmp_path)
    finished = resource.getrusage(resource.RUSAGE_CHILDREN)
    elapsed = finished.ru_utime + finished.ru_stime - started.ru_utime - started.ru_stime
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    assert (
        "compliance: bodies × report years" in done.stdout and "open alerts as of 2024-06-01" in done.stdout
    )
    # The county's 2023 report and a township's under its own 06-30 rule are pending at first;
    # the township's still is at the end, so the final view shows every status.
    assert "2024-02-10 check:" in done.stdout and "pending 2" in done.stdout
    final_check = next(line for line in done.stdout.splitlines() if line.startswith("2024-06-01 check:"))
    for status in ("on_time", "late", "missing", "pending", "unreachable", "withdrawn"):
        assert f"{status} " in final_check, (status, final_check)
    grid = done.stdout[done.stdout.index("compliance: bodies × report years") :].split("open alerts as of")[0]
    cells = "".join(line for line in grid.splitlines() if line.startswith("│"))  # rows, not the legend
    for symbol in ("✓", "d ", "✗", "…", "?", "gone"):
        assert symbol in cells, symbol
    database = tmp_path / "nianbao-demo.db"
    assert str(database) in done.stdout
    with sqlite3.connect(database) as conn:
        statuses = {s for (s,) in conn.execute("SELECT DISTINCT status FROM statuses")}
        kinds = {k for (k,) in conn.execute("SELECT DISTINCT kind FROM alerts WHERE resolved_at IS NULL")}
    assert statuses == {"on_time", "late", "missing", "pending", "unreachable", "withdrawn"}
    assert kinds == {"missing", "late", "unreachable", "withdrawn", "inconsistent", "backdated"}
    assert elapsed < 120, elapsed  # the README promises under a minute on an idle machine

    # Run again: the demo's own database starts afresh instead of mixing two runs.
    again = demo(tmp_path)
    assert again.returncode == 0, again.stderr
    with sqlite3.connect(database) as conn:
        assert conn.execute("SELECT count(*) FROM crawl_runs").fetchone()[0] == 2


def test_demo_refuses_a_database_that_holds_bodies(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'mine.db'}"
    with open_database(url) as session:
        b.agency(session, "mine")
    done = demo(tmp_path, "--db", url)
    assert done.returncode == 2
    assert "needs an empty database" in done.stderr and "Traceback" not in done.stderr
