"""Parser throughput: reports per second on one core for HTML, text, PDF and DOCX inputs, and the
cost of the HTML path relative to a bare lxml parse of the same pages.

    python bench/parse.py [--count N]

Inputs come from the demo renderers with random values, so every run parses realistic pages of
every site style. Targets: >= 300 HTML/s, >= 20 PDF/s, HTML ratio to bare lxml <= 3x.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import lxml.html  # noqa: E402

from nianbao.demo import documents as demo  # noqa: E402
from parsers import parse_document  # noqa: E402


def _inputs(count: int) -> dict[str, list[bytes]]:
    rng = random.Random(2024)
    forms: dict[str, list[bytes]] = {"html": [], "text": [], "pdf": [], "docx": []}
    for i in range(count):
        content = demo.random_content(rng, f"测试县第{i}镇人民政府", 2023, rng.choice(("2019", "2021")))
        forms["html"].append(demo.render_html_page(content, demo.HTML_STYLES[i % len(demo.HTML_STYLES)]).encode())
        text_form = [f for f in demo.TEXT_FORMS if f != "run_together"][i % (len(demo.TEXT_FORMS) - 1)]
        forms["text"].append(demo.render_text(content, text_form).encode("gb18030"))
        if i < max(4, count // 10):
            forms["pdf"].append(demo.render_pdf(content))
            forms["docx"].append(demo.render_docx(content))
    return forms


def _rate(items: list[bytes], work: Callable[[bytes], object], min_seconds: float = 1.0) -> float:
    done = 0
    started = time.process_time()
    while True:
        for data in items:
            work(data)
        done += len(items)
        elapsed = time.process_time() - started
        if elapsed >= min_seconds:
            return done / elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=40, help="distinct reports per format")
    args = parser.parse_args(argv)
    forms = _inputs(args.count)
    rates = {kind: _rate(items, lambda d: parse_document(d)) for kind, items in forms.items()}
    bare = _rate(forms["html"], lxml.html.document_fromstring)
    for kind, rate in rates.items():
        print(f"{kind:5s} {rate:8.1f} reports/s per core")
    print(f"bare lxml parse of the same HTML {bare:8.1f} pages/s; parse_document is {bare / rates['html']:.2f}x slower")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
