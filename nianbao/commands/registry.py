"""`nianbao registry load FILE` and `nianbao registry list`."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from monitor.registry import RegistryError, read_registry
from nianbao.errors import UsageError
from storage.agencies import existing_agency_ids, list_agencies, upsert_agencies
from storage.db import open_database


def add_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    load = actions.add_parser("load", help="load a YAML or CSV registry (idempotent upsert by id)")
    load.add_argument("file", type=Path, help="registry file (.yaml/.yml or .csv)")
    listing = actions.add_parser("list", help="list the registered bodies")
    listing.add_argument("--format", choices=["table", "json"], default="table")


def load_registry_file(db: str | None, path: Path) -> tuple[int, int, int]:
    """Validate the whole file, then upsert it in one transaction; returns (added, changed, unchanged)."""
    with open_database(db) as session:
        try:
            entries = read_registry(path, known_ids=existing_agency_ids(session))
        except RegistryError as exc:
            raise UsageError(str(exc)) from exc
        result = upsert_agencies(session, entries)
    return len(result.added), len(result.changed), len(result.unchanged)


def run(args: argparse.Namespace) -> int:
    if args.action == "load":
        added, changed, unchanged = load_registry_file(args.db, args.file)
        print(f"registry {args.file}: {added} added, {changed} changed, {unchanged} unchanged")
        return 0
    with open_database(args.db) as session:
        agencies = list_agencies(session)
        rows = [
            {
                "id": a.id,
                "name": a.name,
                "aliases": a.aliases,
                "level": a.level,
                "parent": a.parent_id,
                "region": a.region,
                "portal": a.portal_url,
                "since": a.since,
                "deadline": a.deadline,
            }
            for a in agencies
        ]
    if args.format == "json":
        print(json.dumps(rows, ensure_ascii=False, indent=1))
        return 0
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"{len(rows)} registered bodies")
    for column in ("id", "name", "level", "parent", "portal"):
        table.add_column(column)
    for row in rows:
        table.add_row(row["id"], row["name"], row["level"], row["parent"] or "", row["portal"] or "")
    Console().print(table)
    return 0
