"""The consistency rules of report-format.md. A failed rule is reported, never corrected.

A rule is evaluated only over the cells that were read; a rule with nothing to evaluate is
left out rather than reported as passed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from parsers.folding import close_cjk_gaps, fold
from parsers.labels import APPLICANT_COLUMNS, APPLICANT_KEYS, REVIEW_COLUMNS, outcome_rows

if TYPE_CHECKING:
    from parsers.report import Report

Section = dict[str, dict[str, Any]]


@dataclass(frozen=True)
class Check:
    rule: str
    ok: bool
    detail: str

    def to_dict(self) -> dict[str, Any]:
        return {"rule": self.rule, "ok": self.ok, "detail": self.detail}


def _close(a: float, b: float) -> bool:
    return abs(a - b) < 1e-6


def _verdict(rule: str, failures: list[str], compared: int, what: str) -> Check | None:
    if compared == 0:
        return None
    if failures:
        return Check(rule, False, "; ".join(failures))
    return Check(rule, True, f"{compared} {what} add up")


def requests_balance(requests: Section) -> Check | None:
    failures: list[str] = []
    compared = 0
    for col in APPLICANT_COLUMNS:
        cells = [requests.get(r, {}).get(col) for r in ("new", "carried_in", "total_handled", "carried_out")]
        if None in cells:
            continue
        compared += 1
        new, carried_in, handled, carried_out = cells
        if not _close(new + carried_in, handled + carried_out):
            failures.append(f"{col}: {new}+{carried_in} != {handled}+{carried_out}")
    return _verdict("requests.balance", failures, compared, "columns")


def outcomes_sum(requests: Section, layout: str | None) -> Check | None:
    failures: list[str] = []
    compared = 0
    rows = [requests.get(r, {}) for r in outcome_rows(layout or "2021")]
    handled = requests.get("total_handled", {})
    for col in APPLICANT_COLUMNS:
        total = handled.get(col)
        parts = [row.get(col) for row in rows]
        if total is None or None in parts:
            continue
        compared += 1
        if not _close(sum(parts), total):
            failures.append(f"{col}: outcomes sum to {sum(parts)}, total says {total}")
    return _verdict("requests.outcomes_sum", failures, compared, "columns")


def row_totals(requests: Section) -> Check | None:
    failures: list[str] = []
    compared = 0
    for row, cells in requests.items():
        parts = [cells.get(c) for c in APPLICANT_KEYS]
        total = cells.get("total")
        if total is None or None in parts:
            continue
        compared += 1
        if not _close(sum(parts), total):
            failures.append(f"{row}: applicants sum to {sum(parts)}, total says {total}")
    return _verdict("requests.row_totals", failures, compared, "rows")


def review_totals(review: Section) -> Check | None:
    failures: list[str] = []
    compared = 0
    for group, cells in review.items():
        parts = [cells.get(c) for c in REVIEW_COLUMNS[:-1]]
        total = cells.get("total")
        if total is None or None in parts:
            continue
        compared += 1
        if not _close(sum(parts), total):
            failures.append(f"{group}: results sum to {sum(parts)}, total says {total}")
    return _verdict("review_litigation.totals", failures, compared, "groups")


_NO_REQUESTS = re.compile(r"(?:未收到|没有收到|未受理|未接到|无人)[^。，,；;\n]{0,12}?申请")
_REQUEST_COUNT = re.compile(r"(?:收到|受理|接收|接到|新收)[^。\n，,；;]{0,20}?申请[^。\n；;，,]{0,14}?(\d+)\s*件")
# Reviews and suits counted in prose only where the clause ties them to information disclosure
# (因政府信息公开申请引发的行政复议36起): a county's report may also count all its reviews.
_REVIEW_COUNT = re.compile(r"信息公开[^。\n；;，,\d]{0,12}?行政复议\s*(\d+)\s*[件起]")
_SUIT_COUNT = re.compile(r"信息公开[^。\n；;，,\d]{0,12}?行政复议\s*\d+\s*[件起][，,、和及]?\s*(?:行政)?诉讼\s*(\d+)\s*[件起]")
_ALL_CASES = re.compile(r"行政复议、?行政诉讼[^。\n\d]{0,10}?(\d+)\s*件")


def text_vs_table(text: str, requests: Section | None, review: Section | None) -> Check | None:
    """Numbers the prose states about requests and appeals, compared with the tables."""
    prose = close_cjk_gaps(fold(text[:100000]))
    failures: list[str] = []
    compared = 0
    if requests:
        new = requests.get("new", {}).get("total")
        carried = requests.get("carried_in", {}).get("total")
        if new is not None:
            for m in _NO_REQUESTS.finditer(prose):
                compared += 1
                if new != 0:
                    failures.append(f"text says {m.group(0)!r} but the table counts {new} new requests")
            for m in _REQUEST_COUNT.finditer(prose):
                stated = int(m.group(1))
                compared += 1
                if stated not in (new, new + (carried or 0)):
                    failures.append(f"text says {m.group(0)!r} but the table counts {new} new requests")
    if review:
        review_total = review.get("review", {}).get("total")
        totals = [review.get(g, {}).get("total") for g in review]
        if review_total is not None:
            for m in _REVIEW_COUNT.finditer(prose):
                compared += 1
                if int(m.group(1)) != review_total:
                    failures.append(f"text says {m.group(0)!r} but the table counts {review_total} reviews")
        suits = [review.get(g, {}).get("total") for g in ("suit_direct", "suit_after_review")]
        if all(t is not None for t in suits):
            for m in _SUIT_COUNT.finditer(prose):
                compared += 1
                if int(m.group(1)) != sum(suits):  # type: ignore[arg-type]
                    failures.append(f"text says {m.group(0)!r} but the table counts {sum(suits)} suits")  # type: ignore[arg-type]
        if all(t is not None for t in totals):
            for m in _ALL_CASES.finditer(prose):
                compared += 1
                if int(m.group(1)) not in (sum(totals), review_total):
                    failures.append(f"text says {m.group(0)!r} but the table counts {sum(totals)} cases")
    if compared == 0:
        return None
    if failures:
        return Check("text_vs_table", False, "; ".join(failures))
    return Check("text_vs_table", True, f"{compared} statement(s) in the text agree with the tables")


def carry_over(previous: Report, current: Report) -> Check:
    """This year's carried-in requests must equal last year's carried-out, column by column."""
    if previous.requests is None or current.requests is None:
        return Check("carry_over", False, "a report without the requests table cannot be compared")
    failures: list[str] = []
    compared = 0
    for col in APPLICANT_COLUMNS:
        before = previous.requests.get("carried_out", {}).get(col)
        now = current.requests.get("carried_in", {}).get(col)
        if before is None or now is None:
            continue
        compared += 1
        if not _close(before, now):
            failures.append(f"{col}: carried out {before} in {previous.year}, carried in {now} in {current.year}")
    if compared == 0:
        return Check("carry_over", False, "no carried-over cells were read in both reports")
    if failures:
        return Check("carry_over", False, "; ".join(failures))
    return Check("carry_over", True, f"{compared} columns carried over from {previous.year} to {current.year}")


def run_checks(report: Report, text: str) -> list[Check]:
    found: list[Check | None] = []
    if report.requests:
        found += [requests_balance(report.requests), outcomes_sum(report.requests, report.layout), row_totals(report.requests)]
    if report.review_litigation:
        found.append(review_totals(report.review_litigation))
    found.append(text_vs_table(text, report.requests, report.review_litigation))
    return [c for c in found if c is not None]
