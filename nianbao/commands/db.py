"""`nianbao db upgrade`."""

from __future__ import annotations

import argparse

from storage.db import database_url, upgrade


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("action", choices=["upgrade"], help="upgrade: bring the schema to the newest revision")


def run(args: argparse.Namespace) -> int:
    url = database_url(args.db)
    upgrade(url)
    print("database schema is up to date")
    return 0
