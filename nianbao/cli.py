"""The ``nianbao`` command: argument parsing and exit codes; each subcommand lives in its own module."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from nianbao.errors import UsageError
from storage.clock import ClockError
from storage.db import DatabaseError

# Subcommand name → module in nianbao.commands exposing ``add_arguments(parser)`` and ``run(args) -> int``.
COMMANDS: dict[str, str] = {
    "db": "Database schema: `nianbao db upgrade` brings it to the newest revision.",
    "registry": "Load or list the registry of bodies and their portals.",
    "parse": "Parse report files (HTML, text, PDF, DOCX, DOC) into JSON Lines.",
    "crawl": "Crawl the portals of the registered bodies and store what is found.",
    "check": "Compute every (body, year) status as of a date and raise alerts.",
    "status": "Show the status of every (body, year).",
    "alerts": "List open alerts, or acknowledge one.",
    "reparse": "Parse every stored report snapshot again with the current parser.",
    "schedule": "Run crawls, checks and notifications on a schedule.",
    "demo": "Serve the bundled sample county, crawl it, check it and show the result.",
}


def _module(name: str):  # type: ignore[no-untyped-def]
    return importlib.import_module(f"nianbao.commands.{name}")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="nianbao",
        description="Watch government portals for the annual reports on information disclosure.",
    )
    parser.add_argument(
        "--db",
        help="database URL (any SQLAlchemy URL); default: $NIANBAO_DB, else sqlite:///nianbao.db",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, summary in COMMANDS.items():
        try:
            module = _module(name)
        except ModuleNotFoundError as exc:
            if exc.name != f"nianbao.commands.{name}":
                raise
            continue
        command = sub.add_parser(name, help=summary, description=summary)
        module.add_arguments(command)
        _accept_db_everywhere(command)
        command.set_defaults(handler=module.run)
    return parser


def _accept_db_everywhere(parser: argparse.ArgumentParser) -> None:
    """Accept --db after the subcommand (and its actions) too.

    SUPPRESS keeps a value given earlier on the line from being overwritten by a default.
    """
    if not any("--db" in action.option_strings for action in parser._actions):
        parser.add_argument("--db", default=argparse.SUPPRESS, help="database URL (overrides $NIANBAO_DB)")
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in action.choices.values():
                _accept_db_everywhere(child)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return 2
    try:
        if os.environ.get("NIANBAO_NOW"):
            from storage.clock import now

            try:
                now()  # a bad clock setting is a usage error, reported before any work starts
            except ClockError as exc:
                raise UsageError(f"NIANBAO_NOW: {exc}") from exc
        return int(args.handler(args) or 0)
    except (UsageError, ClockError, DatabaseError) as exc:
        print(f"nianbao {args.command}: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"nianbao {args.command}: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
