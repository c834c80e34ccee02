"""parse(render(content)) gives back exactly the content's sections, for every published form."""

from __future__ import annotations

import json
import random
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from nianbao.demo.documents import (
    HTML_STYLES,
    PDF_RULINGS,
    TEXT_FORMS,
    ReportContent,
    expected_sections,
    random_content,
    render_docx,
    render_html_page,
    render_image_only_pdf,
    render_pdf,
    render_text,
)
from parsers import parse_document

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "documents"
AGENCIES = ("新密市岳村镇", "招远市金岭镇人民政府", "平潭综合实验区管委会", "岚皋县官元镇人民政府")
CONTENTS_PER_FORM = 8

Renderer = Callable[[ReportContent], tuple[bytes, str]]


def _html(style: str) -> Renderer:
    return lambda content: (render_html_page(content, style).encode("utf-8"), "report.html")


def _text(form: str) -> Renderer:
    return lambda content: (render_text(content, form).encode("utf-8"), "report.txt")


def _pdf(ruling: str, large_print: bool = False) -> Renderer:
    return lambda content: (render_pdf(content, ruling, large_print), "report.pdf")


RENDERERS: dict[str, Renderer] = {
    **{f"html-{style}": _html(style) for style in HTML_STYLES},
    **{f"text-{form}": _text(form) for form in TEXT_FORMS if form != "run_together"},
    "docx": lambda content: (render_docx(content), "report.docx"),
    "pdf": lambda content: (render_pdf(content), "report.pdf"),
    # Tables without ruling lines are read from the page text: labels wrap around their values.
    **{f"pdf-{ruling}": _pdf(ruling) for ruling in PDF_RULINGS if ruling != "grid"},
    # Tables over several pages, the header row repeated on each: pages' column rules differ.
    "pdf-grid-large-print": _pdf("grid", large_print=True),
    # Both at once: labels wrap around their values and group labels' lines fall between them.
    "pdf-none-large-print": _pdf("none", large_print=True),
}


def contents(count: int, seed: int, **options: Any) -> Iterator[ReportContent]:
    rng = random.Random(seed)
    for index in range(count):
        layout = ("2019", "2021")[index % 2]
        year = rng.randint(2019, 2020) if layout == "2019" else rng.randint(2021, 2024)
        yield random_content(rng, AGENCIES[index % len(AGENCIES)], year, layout, **options)


def sections(report: Any) -> dict[str, Any]:
    return {
        "active_disclosure": report.active_disclosure,
        "requests": report.requests,
        "review_litigation": report.review_litigation,
    }


@pytest.mark.parametrize("form", sorted(RENDERERS))
def test_every_form_round_trips_exactly(form: str) -> None:
    for content in contents(CONTENTS_PER_FORM, seed=zlib.crc32(form.encode()) % 1000):
        data, filename = RENDERERS[form](content)
        report = parse_document(data, filename=filename)
        assert sections(report) == expected_sections(content), f"{form} {content.layout}"
        assert report.layout == content.layout
        assert report.year == content.year
        assert report.agency == content.agency
        assert [check.rule for check in report.checks if not check.ok] == []
        # Every cell is where it belongs: none left over in a neighbouring row.
        assert [w for w in report.warnings if "extra cell" in w] == [], form


@pytest.mark.parametrize("form", sorted(RENDERERS))
def test_broken_arithmetic_is_reported_not_corrected(form: str) -> None:
    for content in contents(4, seed=77, consistent=False):
        data, filename = RENDERERS[form](content)
        report = parse_document(data, filename=filename)
        assert sections(report) == expected_sections(content)
        failed = {check.rule for check in report.checks if not check.ok}
        assert failed == set(content.broken_rules)


def test_run_together_text_never_yields_a_wrong_number() -> None:
    """Glued cells are ambiguous (行政许可3960181): a value is read exactly or left null, never guessed."""
    read = unread = 0
    for content in contents(12, seed=5):
        report = parse_document(render_text(content, "run_together").encode("utf-8"), filename="report.txt")
        parsed = sections(report)
        for section, rows in expected_sections(content).items():
            for row, columns in rows.items():
                for column, value in columns.items():
                    got = ((parsed.get(section) or {}).get(row) or {}).get(column)
                    if got is None:
                        unread += 1
                    else:
                        assert got == value, (section, row, column)
                        read += 1
    assert read > unread  # most cells are still recoverable from the row totals


@pytest.mark.parametrize("form", TEXT_FORMS)
def test_all_zero_reports_round_trip_in_every_text_form(form: str) -> None:
    for content in contents(2, seed=9, zero=True):
        report = parse_document(render_text(content, form).encode("utf-8"), filename="report.txt")
        assert sections(report) == expected_sections(content)


@pytest.mark.parametrize("stem", ["doc-2021-township", "doc-2019-county", "doc-2021-zero"])
def test_doc_fixtures_round_trip(stem: str) -> None:
    expected = json.loads((FIXTURES / f"{stem}.json").read_text(encoding="utf-8"))
    report = parse_document((FIXTURES / f"{stem}.doc").read_bytes(), filename=f"{stem}.doc")
    assert {key: expected[key] for key in ("active_disclosure", "requests", "review_litigation")} == sections(
        report
    )
    assert (report.agency, report.year, report.layout) == (
        expected["agency"],
        expected["year"],
        expected["layout"],
    )


def test_image_only_pdf_reports_missing_tables() -> None:
    content = next(contents(1, seed=3))
    report = parse_document(render_image_only_pdf(content), filename="scan.pdf")
    assert sections(report) == {"active_disclosure": None, "requests": None, "review_litigation": None}
    assert any("no extractable text" in warning for warning in report.warnings)
