"""`nianbao reparse`: read every stored report again with the current parser."""

from __future__ import annotations

import argparse

from crawler.reread import reread
from storage.db import open_database
from storage.reports import current_reports, replace_parse_results


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--quiet", action="store_true", help="print only the summary")


def run(args: argparse.Namespace) -> int:
    with open_database(args.db) as session:
        reports = current_reports(session)
        changed = missing = 0
        for report in reports:
            parsed = reread(session, report)
            if parsed is None:
                missing += 1
                continue
            if replace_parse_results(session, report, parsed):
                changed += 1
                if not args.quiet:
                    print(f"changed: report {report.id} {report.title or report.url}")
    print(f"reparse: {len(reports)} reports read again, {changed} changed, {missing} without stored evidence")
    return 0
