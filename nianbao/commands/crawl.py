"""`nianbao crawl [--registry FILE] [--agency ID ...] [--ignore-robots]`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from nianbao.errors import UsageError
from storage.db import database_url, open_database


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--registry", type=Path, metavar="FILE", help="load this registry file (YAML or CSV) first")
    parser.add_argument("--agency", action="append", default=[], metavar="ID",
                        help="crawl only the portals of these bodies (repeatable); default: all")
    parser.add_argument("--ignore-robots", action="store_true", help="do not obey robots.txt")
    parser.add_argument("--quiet", action="store_true", help="no progress lines while crawling")


def run(args: argparse.Namespace) -> int:
    from crawler.run import crawl
    from storage import crawl_state

    db = database_url(args.db)
    if args.registry is not None:
        from nianbao.commands.registry import load_registry_file

        added, changed, unchanged = load_registry_file(db, args.registry)
        print(f"registry {args.registry}: {added} added, {changed} changed, {unchanged} unchanged", file=sys.stderr)
    with open_database(db) as session:
        if args.agency:
            unknown = crawl_state.unknown_agency_ids(session, args.agency)
            if unknown:
                raise UsageError(f"unknown agency id(s): {', '.join(unknown)}")
        if not crawl_state.portals_to_crawl(session, args.agency or None):
            raise UsageError("no portals to crawl: load a registry first (--registry FILE)")
    summary = crawl(db, agency_ids=args.agency or None, ignore_robots=args.ignore_robots, show_progress=not args.quiet)
    print(
        f"crawl run {summary.run_id}: {summary.pages_fetched} pages fetched; reports: {summary.reports_found} found, "
        f"{summary.reports_new} new, {summary.reports_changed} changed, {summary.reports_gone} gone; "
        f"{len(summary.unassigned)} unassigned; {len(summary.portals)} portals, {len(summary.failed_portals)} failed"
    )
    for url, title in summary.unassigned:
        print(f"unassigned: {title or '(no title)'} <{url}>")
    for url, text in summary.warnings:
        print(f"warning: {url}: {text}", file=sys.stderr)
    for url, outcome, detail in summary.failed_portals:
        print(f"portal failed: {url}: {outcome}: {detail or ''}", file=sys.stderr)
    return 1 if summary.failed_portals else 0
