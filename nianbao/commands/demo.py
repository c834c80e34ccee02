"""`nianbao demo`: the whole job on the bundled sample county, on loopback, in under a minute.

The sample county's portals are served on 127.0.0.1 as they stood on 2024-02-10, crawled and
checked; then the clock moves to 2024-06-01 (a blocked portal has come back, a report was
withdrawn, late reports appeared), they are crawled and checked again. The last check shows every
status at once: a township held to a local 06-30 deadline is still pending. The status grid and
the open alerts are printed and the SQLite database is left behind for a look.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from monitor.status import CheckSummary, run_check
from nianbao.commands.alerts import alerts_table
from nianbao.commands.registry import load_registry_file
from nianbao.commands.status import grid
from nianbao.errors import UsageError
from storage.db import open_database
from storage.models import STATUSES, Agency
from storage.monitoring import alert_rows, status_rows

DEFAULT_FILE = "nianbao-demo.db"
STEPS = (date(2024, 2, 10), date(2024, 6, 1))


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--port", type=int, default=0, help="first port to serve on (one per portal); default: free ports"
    )
    parser.add_argument(
        "--download-timeout",
        type=float,
        default=3.0,
        help="seconds before the crawler gives up on the sample county's hanging portal (default 3)",
    )


def demo_database(explicit: str | None) -> tuple[str, Path | None]:
    """The URL to use and, for SQLite, the file. The default file is the demo's own and starts afresh."""
    if explicit is None:
        path = Path(DEFAULT_FILE).resolve()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{path}", path
    url = make_url(explicit)
    path = Path(url.database).resolve() if url.drivername.startswith("sqlite") and url.database else None
    with open_database(explicit) as session:
        bodies = session.scalar(select(func.count()).select_from(Agency)) or 0
    if bodies:
        raise UsageError(f"the demo needs an empty database; {explicit} already holds {bodies} bodies")
    return explicit, path


@contextmanager
def clock_at(moment: str) -> Iterator[None]:
    """Put this process's clock (storage.clock honours NIANBAO_NOW) at ``moment`` for a while."""
    before = os.environ.get("NIANBAO_NOW")
    os.environ["NIANBAO_NOW"] = moment
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("NIANBAO_NOW", None)
        else:
            os.environ["NIANBAO_NOW"] = before


def crawl(
    db_url: str, moment: str, registry: Path | None, timeout: float
) -> subprocess.CompletedProcess[str]:
    """One crawl in a subprocess (Twisted's reactor runs once per process), polite delays off: it is loopback."""
    env = {
        **os.environ,
        "NIANBAO_NOW": moment,
        "NIANBAO_POLITE": "0",
        "NIANBAO_DOWNLOAD_TIMEOUT": str(timeout),
    }
    command = [sys.executable, "-m", "nianbao", "--db", db_url, "crawl", "--quiet"]
    if registry is not None:
        command += ["--registry", str(registry)]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=600, check=False)


def _counts(summary: CheckSummary) -> str:
    return ", ".join(
        f"{status} {summary.counts[status]}" for status in STATUSES if summary.counts.get(status)
    )


def run(args: argparse.Namespace) -> int:
    from rich.console import Console

    from nianbao.demo.portal import SampleCounty, serve_county

    console = Console()
    db_url, db_file = demo_database(args.db)
    started = time.perf_counter()
    county = SampleCounty.generate(seed=2024, scale=1)
    try:
        serving = serve_county(
            county, as_of=STEPS[0], timeout_delay=args.download_timeout + 2, port=args.port
        )
        running = serving.__enter__()
    except OSError as exc:
        raise UsageError(f"cannot serve the sample county on port {args.port}: {exc}") from exc
    try:
        console.print(
            f"[bold]Sample county[/bold] 云溪县: {len(county.reports)} reports on {len(running.base_urls)} portals, "
            f"served on 127.0.0.1 (ports {min(u.rsplit(':', 1)[1] for u in running.base_urls.values())}…)"
        )
        with tempfile.TemporaryDirectory(prefix="nianbao-demo-") as folder:
            registry = running.write_registry(Path(folder) / "registry.yaml")
            added, _changed, _same = load_registry_file(db_url, registry)
            console.print(f"registry: {added} bodies loaded")
            for step, day in enumerate(STEPS):
                running.set_as_of(day)
                moment = f"{day.isoformat()}T10:00:00+08:00"
                with console.status(f"crawling the sample county as of {day} …"):
                    done = crawl(db_url, moment, registry if step == 0 else None, args.download_timeout)
                failed = [
                    line.removeprefix("portal failed: ")
                    for line in done.stderr.splitlines()
                    if line.startswith("portal failed:")
                ]
                if done.returncode not in (0, 1) or (done.returncode == 1 and not failed):
                    console.print(done.stdout, done.stderr, markup=False)
                    console.print(f"[red]the crawl failed (exit {done.returncode})[/red]")
                    return 1
                summary_line = next(
                    (line for line in done.stdout.splitlines() if line.strip()), "crawl finished"
                )
                console.print(f"[bold]{day}[/bold] crawl: {summary_line}")
                for line in failed:
                    console.print(f"   [magenta]portal failed[/magenta] {line}", markup=True, highlight=False)
                with clock_at(f"{day.isoformat()}T12:00:00+08:00"):
                    checked = run_check(db_url, as_of=day, notify=False)
                console.print(
                    f"[bold]{day}[/bold] check: {_counts(checked)}; alerts {checked.opened} opened, {checked.resolved} resolved"
                )
    finally:
        serving.__exit__(None, None, None)

    with open_database(db_url) as session:
        rows = status_rows(session)
        alerts = alert_rows(session)
    console.print()
    console.print(grid(rows))
    console.print(alerts_table(alerts, f"{len(alerts)} open alerts as of {STEPS[-1]}"))
    where = str(db_file) if db_file else db_url
    console.print(
        f"\nDone in {time.perf_counter() - started:.0f}s. The database is [bold]{where}[/bold]; look closer with\n"
        f"  nianbao --db {db_url} status --format json\n"
        f"  nianbao --db {db_url} alerts\n"
        f"  sqlite3 {where} 'select agency_id, year, status, days_late from statuses'"
        if db_file
        else f"\nDone in {time.perf_counter() - started:.0f}s. The database is {where}."
    )
    return 0
