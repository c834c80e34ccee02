"""`nianbao parse FILE...`: one JSON object per file, JSON Lines on stdout."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from nianbao.errors import UsageError


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="+", metavar="FILE", help="report files (.html .txt .pdf .docx .doc); - reads stdin")
    parser.add_argument("--url", help="the page's URL, used for dates written into it")


def run(args: argparse.Namespace) -> int:
    from parsers import parse_document

    unreadable: list[str] = []
    for name in args.files:
        if name == "-":
            data = sys.stdin.buffer.read()
            filename = None
        else:
            try:
                data = Path(name).read_bytes()
            except OSError as exc:
                unreadable.append(f"{name}: {exc.strerror or exc}")
                continue
            filename = name
        report = parse_document(data, source=name, filename=filename, url=args.url)
        sys.stdout.write(json.dumps(report.to_dict(), ensure_ascii=False) + "\n")
        sys.stdout.flush()
    if unreadable:
        raise UsageError("cannot read " + "; ".join(unreadable))
    return 0
