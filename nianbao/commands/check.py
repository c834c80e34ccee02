"""`nianbao check [--as-of DATE]`: compute every status, open and resolve alerts, notify."""

from __future__ import annotations

import argparse
from datetime import date

from monitor.status import CheckSummary, run_check
from storage.clock import CHINA, parse_instant
from storage.db import database_url
from storage.models import STATUSES


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--as-of",
        metavar="DATE",
        help="judge deadlines as of this date (ISO 8601; default: now, or $NIANBAO_NOW)",
    )


def as_of_date(text: str | None) -> date | None:
    """A China date from an ISO date or date-time (ClockError on nonsense, reported as usage)."""
    if text is None:
        return None
    return parse_instant(text).astimezone(CHINA).date()


def describe(summary: CheckSummary) -> str:
    counts = ", ".join(
        f"{status} {summary.counts[status]}" for status in STATUSES if summary.counts.get(status)
    )
    return (
        f"check as of {summary.as_of.isoformat()}: {summary.rows} (body, year) statuses"
        f"{' — ' + counts if counts else ''}; {summary.changed} changed since the last check\n"
        f"alerts: {summary.opened} opened, {summary.resolved} resolved; notifications sent: {summary.notifications}"
    )


def run(args: argparse.Namespace) -> int:
    summary = run_check(database_url(args.db), as_of=as_of_date(args.as_of))
    print(describe(summary))
    return 0
