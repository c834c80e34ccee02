"""The five real report texts: the whole contract JSON of each."""

from __future__ import annotations

from pathlib import Path

import pytest

from parsers import parse_document
from parsers.labels import APPLICANT_COLUMNS, REQ_2021_ROWS, REVIEW_COLUMNS, REVIEW_GROUPS

SEEDS = Path("/work/shared/seeds")
if not SEEDS.is_dir():
    SEEDS = Path(__file__).resolve().parents[1] / "fixtures" / "parsers" / "seeds"

ZERO_ACTIVE_2021 = {
    "regulations": {"issued": 0, "repealed": 0, "in_force": 0},
    "normative_documents": {"issued": 0, "repealed": 0, "in_force": 0},
    "licensing": {"decisions": 0},
    "punishment": {"decisions": 0},
    "coercion": {"decisions": 0},
    "fees": {"amount_10k_yuan": 0},
}
ZERO_REQUESTS_2021 = {row.key: dict.fromkeys(APPLICANT_COLUMNS, 0) for row in REQ_2021_ROWS}
ZERO_REVIEW = {group: dict.fromkeys(REVIEW_COLUMNS, 0) for group in REVIEW_GROUPS}
TABLE_CHECKS = [
    {"rule": "requests.balance", "ok": True, "detail": "7 columns add up"},
    {"rule": "requests.outcomes_sum", "ok": True, "detail": "7 columns add up"},
    {"rule": "requests.row_totals", "ok": True, "detail": "25 rows add up"},
    {"rule": "review_litigation.totals", "ok": True, "detail": "3 groups add up"},
]


def _text_check(statements: int) -> dict[str, object]:
    return {"rule": "text_vs_table", "ok": True, "detail": f"{statements} statement(s) in the text agree with the tables"}


CASES = {
    "000_cff84b0da7bd01e8.txt": ("新密市岳村镇 2023 年政府信息公开工作年度报告", "新密市岳村镇", 2023, 1),
    "001_78480d18d66647dc.txt": ("招远市金岭镇人民政府 2022年度政府信息公开工作年度报告", "招远市金岭镇人民政府", 2022, 1),
    "002_db17ef4a54c83baf.txt": (None, "官元镇", 2021, 1),
    "003_233be8da4349a759.txt": ("朱口镇人民政府 2024 年政府信息公开工作年度报告", "朱口镇人民政府", 2024, 2),
    "004_5b27f1084b7679ce.txt": ("公开工作年度报告", "召都巴镇", 2023, 0),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_seed_parses_to_the_whole_expected_json(name: str) -> None:
    title, agency, year, statements = CASES[name]
    data = (SEEDS / name).read_bytes()
    assert parse_document(data, source=name).to_dict() == {
        "source": name,
        "title": title,
        "agency": agency,
        "year": year,
        "published_at": None,
        "layout": "2021",
        "active_disclosure": ZERO_ACTIVE_2021,
        "requests": ZERO_REQUESTS_2021,
        "review_litigation": ZERO_REVIEW,
        "checks": [*TABLE_CHECKS, _text_check(statements)] if statements else TABLE_CHECKS,
        "warnings": [],
    }


def test_seed_long_form_values_cover_every_cell_with_its_raw_text() -> None:
    report = parse_document((SEEDS / "000_cff84b0da7bd01e8.txt").read_bytes())
    values = report.values()
    assert len(values) == 10 + 25 * 7 + 15
    assert ("active_disclosure", "regulations", "repealed", 0, "0") in values
    assert ("review_litigation", "suit_after_review", "total", 0, "0") in values
    assert report.has_tables
