"""The ``Report`` and the builder that turns a ``Document`` into one.

Shape of a present section: every row key of the detected layout, each with every column key of
that row; a cell that could not be read is ``None`` (and a warning says why). An absent section is
``None``. Section 二 of the 2019 layout also carries ``procurement.unit`` ("元"/"万元") when printed.

The tables are read twice when a document has both: from its table grids and from its text.
Per section the reading with more cells wins (grids on a tie), as long as both readings agree on
the layout.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from parsers.checks import Check, run_checks
from parsers.document import Document
from parsers.grid_reading import read_grids
from parsers.metadata import agency_of, published_date, year_of
from parsers.segment import SectionReading, TextReading, read_sections
from parsers.tables import tables_text
from parsers.text import first_title_line
from parsers.titles import classify_title, is_readable_title, title_score

MAX_TEXT_CHARS = 3_000_000
SECTION_KEYS = ("active_disclosure", "requests", "review_litigation")
FIRST_TABLE_YEAR = 2019  # the first reports with the statutory tables (国办公开办函〔2019〕60号)

Value = int | float | None


@dataclass
class Report:
    source: str = ""
    title: str | None = None
    agency: str | None = None
    year: int | None = None
    published_at: date | None = None
    layout: str | None = None
    active_disclosure: dict[str, dict[str, Any]] | None = None
    requests: dict[str, dict[str, Value]] | None = None
    review_litigation: dict[str, dict[str, Value]] | None = None
    checks: list[Check] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    raw_cells: dict[tuple[str, str, str], str] = field(default_factory=dict, repr=False)

    @property
    def has_tables(self) -> bool:
        return any(getattr(self, s) is not None for s in SECTION_KEYS)

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "title": self.title,
            "agency": self.agency,
            "year": self.year,
            "published_at": self.published_at.isoformat() if self.published_at else None,
            "layout": self.layout,
            "active_disclosure": self.active_disclosure,
            "requests": self.requests,
            "review_litigation": self.review_litigation,
            "checks": [c.to_dict() for c in self.checks],
            "warnings": list(self.warnings),
        }

    def values(self) -> list[tuple[str, str, str, Value, str | None]]:
        """Long form for storage: (section, row_key, column_key, value, raw cell text)."""
        out: list[tuple[str, str, str, Value, str | None]] = []
        for section in SECTION_KEYS:
            table = getattr(self, section)
            if not table:
                continue
            for row, cells in table.items():
                for col, value in cells.items():
                    if col == "unit":
                        continue
                    out.append((section, row, col, value, self.raw_cells.get((section, row, col))))
        return out


def _section_values(reading: SectionReading, section: str, raw: dict[tuple[str, str, str], str]) -> dict[str, dict[str, Any]]:
    table: dict[str, dict[str, Any]] = {}
    for row, cells in (reading.table or {}).items():
        table[row] = values = {}
        for col, cell in cells.items():
            if cell:
                values[col] = cell[0]
                raw[(section, row, col)] = cell[1]
            else:
                values[col] = None
    if "procurement" in table:
        table["procurement"]["unit"] = reading.unit
    return table


def _choose(readings: list[TextReading]) -> tuple[TextReading | None, dict[str, SectionReading]]:
    """The reading with most cells sets the layout; other readings of that layout fill gaps."""
    if not readings:
        return None, {}
    if len(readings) == 1:  # nothing to compare: every section the one reading has
        only = readings[0]
        return only, {s: getattr(only, s) for s in SECTION_KEYS if getattr(only, s).table is not None}
    best = max(readings, key=lambda r: sum(getattr(r, s).score for s in SECTION_KEYS))
    chosen: dict[str, SectionReading] = {}
    for section in SECTION_KEYS:
        candidates = [r for r in readings if r is best or r.layout == best.layout or section == "review_litigation"]
        top = max(candidates, key=lambda r: getattr(r, section).score)
        if getattr(top, section).table is not None:
            chosen[section] = getattr(top, section)
    return best, chosen


def _complete(reading: TextReading) -> bool:
    sections = [getattr(reading, s) for s in SECTION_KEYS]
    return reading.layout is not None and all(s.table is not None and not s.warnings for s in sections)


def _report_link_texts(doc: Document) -> frozenset[str]:
    """Texts of the page's links that name an annual report."""
    return frozenset(text for _, text in doc.links if len(text) >= 8 and classify_title(text).is_annual_report)


def _lists_reports(doc: Document) -> int:
    """How many reports of different years the page links to (0 or 1: not a list of reports)."""
    years = {classify_title(text).year for text in _report_link_texts(doc)}
    years.discard(None)
    return len(years) if len(years) >= 2 else 0


def _title(doc: Document) -> str | None:
    """The document's own title unless the body's top lines name the report more fully.

    PDF metadata often holds a bare 政府信息公开工作年度报告 or a wrongly decoded string, while the
    first page prints the body's name and the year.
    """
    declared = (doc.title or "").strip() or None
    if declared and not is_readable_title(declared):
        declared = None
    from_body = first_title_line(doc.text, _report_link_texts(doc))
    if declared and ("报告" in declared or "年报" in declared):
        return from_body if from_body and title_score(from_body) > title_score(declared) else declared
    return from_body or declared


def _absent_tables(readings: list[TextReading], title: str | None, year: int | None, images: int) -> list[str]:
    """Why a document without any statutory table has none, as far as it shows."""
    if any(r.old_statistics for r in readings):
        return ["the report prints the statistics table used before 2019, not the statutory tables: not read"]
    if title and not classify_title(title).is_annual_report and not any(r.headings for r in readings):
        return [f"no statutory tables found; the title names no annual report: {title[:60]}"]
    if year is not None and year < FIRST_TABLE_YEAR:
        return [f"a report on {year}: the statutory tables began with the {FIRST_TABLE_YEAR} reports"]
    if not any(r.headings for r in readings):
        return ["no statutory tables found"]
    warnings = ["the statutory tables are absent: headings found but no table values (image or missing)"]
    if images:
        warnings.append(f"the article shows {images} picture(s): tables printed as pictures are not read")
    return warnings


def build_report(doc: Document, *, source: str = "", url: str | None = None) -> Report:
    report = Report(source=source, warnings=list(doc.warnings))
    text = doc.text or ""
    if len(text) > MAX_TEXT_CHARS:
        report.warnings.append(f"text of {len(text)} characters cut to {MAX_TEXT_CHARS} for reading")
        text = text[:MAX_TEXT_CHARS]
    readings: list[TextReading] = []
    if doc.tables:
        from_grids = read_grids(doc.tables)
        readings.append(from_grids or read_sections(tables_text(doc.tables)[:MAX_TEXT_CHARS], grids=True))
    # The text is read too unless the grids already gave every section without a complaint.
    if text and not (readings and _complete(readings[0])):
        readings.append(read_sections(text))
    best, chosen = _choose(readings)
    if best is not None:
        report.layout = best.layout if chosen.get("active_disclosure") or chosen.get("requests") else None
        report.warnings.extend(best.warnings)
    for section, reading in chosen.items():
        setattr(report, section, _section_values(reading, section, report.raw_cells))
        report.warnings.extend(reading.warnings)
    absent_at = len(report.warnings)  # where the word on absent tables goes, once the year is known
    if report.has_tables:
        missing = [s for s in SECTION_KEYS if getattr(report, s) is None]
        report.warnings.extend(f"{s}: the section's table was not found" for s in missing)
        if missing and doc.images:
            report.warnings.append(f"the article shows {doc.images} picture(s): tables printed as pictures are not read")
    report.title = _title(doc)
    report.published_at = published_date(doc.meta, text, url)
    # A report whose tables are pictures may link its other years' reports: its headings say it is one.
    listed = 0 if report.has_tables or any(r.headings for r in readings) else _lists_reports(doc)
    if listed:
        # A list of reports names bodies and years of other pages: its own body text tells nothing.
        report.warnings.append(f"the page lists {listed} reports of different years: a list, not a report")
        text = ""
    report.agency = agency_of(report.title, text, doc.meta)
    if report.agency is None:
        report.warnings.append("agency not found")
    report.year, year_warnings = year_of(report.title, text, report.published_at)
    report.warnings.extend(year_warnings)
    if not report.has_tables:
        report.warnings[absent_at:absent_at] = _absent_tables(readings, report.title, report.year, doc.images)
    report.checks = run_checks(report, text)
    return report
