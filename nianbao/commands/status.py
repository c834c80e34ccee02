"""`nianbao status [--year Y] [--agency ID] [--format table|json|csv|grid]`."""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections.abc import Sequence
from typing import Any

from monitor.status import compute, is_stale
from storage.clock import as_china, today
from storage.db import open_database
from storage.monitoring import StatusRow, status_rows

COLOURS = {
    "on_time": "green",
    "late": "yellow",
    "missing": "red",
    "pending": "cyan",
    "unreachable": "magenta",
    "withdrawn": "bright_red",
}
SYMBOLS = {
    "on_time": "✓",
    "late": "late",
    "missing": "✗",
    "pending": "…",
    "unreachable": "?",
    "withdrawn": "gone",
}
CSV_FIELDS = (
    "agency_id",
    "agency",
    "year",
    "status",
    "deadline",
    "published_at",
    "first_seen_at",
    "days_late",
    "judged_by",
    "url",
    "failed_checks",
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--year", type=int, action="append", default=[], help="only this report year (repeatable)"
    )
    parser.add_argument(
        "--agency", action="append", default=[], metavar="ID", help="only this body (repeatable)"
    )
    parser.add_argument(
        "--format",
        choices=["table", "json", "csv", "grid"],
        default="table",
        help="table (default), json, csv, or grid (bodies × years)",
    )


def as_record(row: StatusRow) -> dict[str, Any]:
    """The contract's JSON object for one (agency, year), plus a few helpful extra keys."""
    return {
        "agency_id": row.agency_id,
        "agency": row.agency,
        "year": row.year,
        "status": row.status,
        "deadline": row.deadline.isoformat(),
        "published_at": row.published_at.isoformat() if row.published_at else None,
        "first_seen_at": as_china(row.first_seen_at).isoformat(timespec="seconds")
        if row.first_seen_at
        else None,
        "days_late": row.days_late,
        "url": row.url,
        "failed_checks": list(row.failed_checks),
        "judged_by": row.judged_by,
        "level": row.level,
        "report_id": row.report_id,
        "snapshot_id": row.snapshot_id,
        "as_of": row.as_of.isoformat(),
    }


def load_rows(db: str | None, years: Sequence[int] = (), agencies: Sequence[str] = ()) -> list[StatusRow]:
    """Stored statuses; computed as of today first when none exist or a crawl came after them."""
    with open_database(db) as session:
        if is_stale(session):
            compute(session, as_of=today())
    with open_database(db) as session:
        return status_rows(session, years=years, agency_ids=agencies)


def print_table(rows: Sequence[StatusRow]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"{len(rows)} (body, year) statuses" + (f" as of {rows[0].as_of}" if rows else ""))
    for column in (
        "body",
        "year",
        "status",
        "deadline",
        "published",
        "first seen",
        "days late",
        "failed checks",
    ):
        table.add_column(column, justify="right" if column in ("year", "days late") else "left")
    for row in rows:
        colour = COLOURS.get(row.status, "white")
        seen = as_china(row.first_seen_at).strftime("%Y-%m-%d %H:%M") if row.first_seen_at else ""
        if row.judged_by == "first_seen":
            seen += " *"
        table.add_row(
            f"{row.agency} [dim]({row.agency_id})[/dim]",
            str(row.year),
            f"[{colour}]{row.status}[/{colour}]",
            row.deadline.isoformat(),
            row.published_at.isoformat() if row.published_at else "",
            seen,
            "" if row.days_late is None else str(row.days_late),
            ", ".join(row.failed_checks),
        )
    console = Console()
    console.print(table)
    if any(row.judged_by == "first_seen" for row in rows):
        console.print("[dim]* the page declares no date: lateness judged from when it was first seen[/dim]")


def grid(rows: Sequence[StatusRow]) -> Any:
    """A Rich table of bodies × years, one coloured cell per status."""
    from rich.table import Table

    years = sorted({row.year for row in rows})
    by_body: dict[str, dict[int, StatusRow]] = {}
    names: dict[str, str] = {}
    for row in rows:
        by_body.setdefault(row.agency_id, {})[row.year] = row
        names[row.agency_id] = row.agency
    table = Table(title="compliance: bodies × report years")
    table.add_column("body")
    for year in years:
        table.add_column(str(year), justify="center")
    for agency_id in sorted(by_body, key=lambda key: (names[key], key)):
        cells = []
        for year in years:
            row = by_body[agency_id].get(year)
            if row is None:
                cells.append("")
                continue
            colour = COLOURS.get(row.status, "white")
            label = f"+{row.days_late}d" if row.status == "late" else SYMBOLS.get(row.status, row.status)
            if row.failed_checks:
                label += " !"
            cells.append(f"[{colour}]{label}[/{colour}]")
        table.add_row(names[agency_id], *cells)
    table.caption = (
        "[green]✓ on time[/green]  [yellow]+Nd late[/yellow]  [red]✗ missing[/red]  [cyan]… pending[/cyan]  "
        "[magenta]? unreachable[/magenta]  [bright_red]gone withdrawn[/bright_red]  ! failed checks"
    )
    return table


def run(args: argparse.Namespace) -> int:
    rows = load_rows(args.db, args.year, args.agency)
    if args.format == "json":
        print(json.dumps([as_record(row) for row in rows], ensure_ascii=False, indent=1))
    elif args.format == "csv":
        writer = csv.DictWriter(sys.stdout, fieldnames=CSV_FIELDS, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        for row in rows:
            record = as_record(row)
            record["failed_checks"] = ";".join(record["failed_checks"])
            writer.writerow(record)
    elif args.format == "grid":
        from rich.console import Console

        Console().print(grid(rows))
    else:
        print_table(rows)
    return 0
