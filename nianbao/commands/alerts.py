"""`nianbao alerts [--format table|json] [--all]` and `nianbao alerts ack ID`."""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from typing import Any

from monitor.alerts import acknowledge, open_alerts
from nianbao.errors import UsageError
from storage.clock import as_china
from storage.db import open_database
from storage.monitoring import AlertRow

KIND_COLOURS = {
    "missing": "red",
    "late": "yellow",
    "withdrawn": "bright_red",
    "unreachable": "magenta",
    "inconsistent": "blue",
    "backdated": "bright_magenta",
}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=["table", "json"], default="table")
    parser.add_argument("--all", action="store_true", help="include resolved alerts")
    actions = parser.add_subparsers(dest="action", metavar="ACTION")
    ack = actions.add_parser("ack", help="acknowledge an alert (it stays open until its problem clears)")
    ack.add_argument("id", type=int, help="the alert's id (see `nianbao alerts`)")


def _instant(value: Any) -> str | None:
    return as_china(value).isoformat(timespec="seconds") if value is not None else None


def as_record(alert: AlertRow) -> dict[str, Any]:
    return {
        "id": alert.id,
        "agency_id": alert.agency_id,
        "year": alert.year,
        "kind": alert.kind,
        "created_at": _instant(alert.created_at),
        "message": alert.message,
        "agency": alert.agency,
        "resolved_at": _instant(alert.resolved_at),
        "acked_at": _instant(alert.acked_at),
        "report_id": alert.report_id,
        "snapshot_id": alert.snapshot_id,
    }


def alerts_table(alerts: Sequence[AlertRow], title: str) -> Any:
    from rich.table import Table

    table = Table(title=title)
    for column in ("id", "year", "kind", "raised", "message"):
        table.add_column(column, justify="right" if column in ("id", "year") else "left")
    for alert in alerts:
        colour = KIND_COLOURS.get(alert.kind, "white")
        state = (
            " [dim](resolved)[/dim]"
            if alert.resolved_at
            else (" [dim](acked)[/dim]" if alert.acked_at else "")
        )
        table.add_row(
            str(alert.id),
            str(alert.year),
            f"[{colour}]{alert.kind}[/{colour}]{state}",
            as_china(alert.created_at).strftime("%Y-%m-%d %H:%M"),
            alert.message,
        )
    return table


def run(args: argparse.Namespace) -> int:
    if args.action == "ack":
        with open_database(args.db) as session:
            if not acknowledge(session, args.id):
                raise UsageError(f"no alert with id {args.id}")
        print(f"alert {args.id} acknowledged")
        return 0
    with open_database(args.db) as session:
        alerts = open_alerts(session, include_resolved=args.all)
    if args.format == "json":
        print(json.dumps([as_record(a) for a in alerts], ensure_ascii=False, indent=1))
        return 0
    from rich.console import Console

    title = f"{len(alerts)} alerts" if args.all else f"{len(alerts)} open alerts"
    Console().print(alerts_table(alerts, title))
    return 0
