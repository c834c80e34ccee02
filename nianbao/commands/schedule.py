"""`nianbao schedule`: the daemon; `--once` runs one cycle; `--list` shows the next runs."""

from __future__ import annotations

import argparse
import json
import logging
import os

from monitor import scheduler
from nianbao.settings import SETTINGS_ENV, load_settings, notify_channels
from storage.clock import as_china
from storage.db import database_url


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--settings",
        help=f"settings file (YAML); default: ${SETTINGS_ENV}, else ./nianbao.yaml if present",
    )
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--once", action="store_true", help="crawl every due portal, check, notify, then exit")
    mode.add_argument("--list", action="store_true", help="show the scheduled jobs and their next runs")
    parser.add_argument("--all", action="store_true", help="with --once: crawl every portal, due or not")
    parser.add_argument("--format", choices=["table", "json"], default="table", help="output of --list")
    parser.add_argument("-v", "--verbose", action="store_true", help="log each job's output")


def run(args: argparse.Namespace) -> int:
    settings = load_settings(args.settings)
    notify_channels(settings)  # a bad channel URL is reported now, not at the first alert
    db_url = database_url(args.db)
    settings_path = str(settings.path) if settings.path else None
    if settings_path:
        # Children (crawl, check) and in-process notification read the same file.
        os.environ[SETTINGS_ENV] = settings_path
    logging.basicConfig(
        level=logging.INFO if (args.verbose or not (args.once or args.list)) else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    logging.getLogger("alembic").setLevel(logging.WARNING)
    if args.list:
        return _print_listing(db_url, settings, settings_path, args.format)
    if args.once:
        return scheduler.run_once(
            db_url, settings.schedule, settings_path, settings.registry, everything=args.all
        )
    scheduler.run_daemon(db_url, settings.schedule, settings_path, settings.registry)
    return 0


def _print_listing(db_url: str, settings, settings_path: str | None, output: str) -> int:  # type: ignore[no-untyped-def]
    jobs = scheduler.list_jobs(db_url, settings.schedule, settings_path)
    rows = [
        {
            "id": job.id,
            "name": job.name,
            "next_run_at": as_china(job.next_run_at).isoformat(timespec="seconds")
            if job.next_run_at
            else None,
            "stored": job.stored,
        }
        for job in jobs
    ]
    if output == "json":
        print(json.dumps(rows, ensure_ascii=False, indent=1))
        return 0
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"{len(rows)} jobs (not stored yet = added when the daemon starts)")
    for column in ("next run", "job", "id", "stored"):
        table.add_column(column)
    for row in rows:
        table.add_row(
            row["next_run_at"] or "paused", row["name"], row["id"], "yes" if row["stored"] else "not yet"
        )
    Console(width=160).print(table)
    return 0
