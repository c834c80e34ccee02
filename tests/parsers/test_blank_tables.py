"""A table printed with blank cells is a present section of null values, said in a warning.

Only a missing table makes a section null: the spec reads an empty cell as null, not the table as absent.
"""

from __future__ import annotations

import random
from pathlib import Path

from nianbao.demo import documents
from parsers import parse_document


def blanked(section: str) -> documents.ReportContent:
    content = documents.random_content(random.Random(11), "甲县教育局", 2023, "2021")
    for row in getattr(content, section).values():
        for key in row:
            row[key] = None
    return content


def test_blank_requests_table_is_null_cells_not_a_null_section() -> None:
    content = blanked("requests")
    report = parse_document(documents.render_html_page(content).encode("utf-8"), source="x.html").to_dict()
    assert report["requests"] is not None
    assert set(report["requests"]) == set(content.requests)
    assert all(v is None for row in report["requests"].values() for v in row.values())
    assert "requests: table found but every value cell is empty" in report["warnings"]
    assert report["active_disclosure"] == documents.expected_sections(content)["active_disclosure"]


def test_blank_review_table_is_null_cells_not_a_null_section() -> None:
    content = blanked("review_litigation")
    report = parse_document(documents.render_html_page(content).encode("utf-8"), source="x.html").to_dict()
    assert report["review_litigation"] == {
        g: dict.fromkeys(("upheld", "corrected", "other", "pending", "total"))
        for g in ("review", "suit_direct", "suit_after_review")
    }
    assert "review_litigation: table found but every value cell is empty" in report["warnings"]
    assert not [c for c in report["checks"] if c["rule"] == "review_litigation.totals"]


def test_the_official_blank_template_reads_as_the_2021_layout_with_null_values(shared_dir: Path) -> None:
    data = (shared_dir / "spec" / "2021_format_template.docx").read_bytes()
    report = parse_document(data, source="template.docx").to_dict()
    assert report["layout"] == "2021"
    for section in ("active_disclosure", "requests", "review_litigation"):
        values = [v for row in report[section].values() for v in row.values()]
        assert values and all(v is None for v in values), section
        assert f"{section}: table found but every value cell is empty" in report["warnings"]
    assert report["requests"]["other_misc"] == dict.fromkeys(
        ("natural_person", "commercial", "research", "public_interest", "legal_services", "other_org", "total"))


def test_prose_naming_a_few_row_labels_is_still_no_table() -> None:
    text = ("二、主动公开政府信息情况\n本年度我局办理行政许可35件，行政处罚2件，未发生行政强制。\n"
            "三、收到和处理政府信息公开申请情况\n本年度未收到政府信息公开申请。\n").encode()
    report = parse_document(text, source="prose.txt").to_dict()
    assert report["active_disclosure"] is None and report["requests"] is None
    assert not any("every value cell is empty" in w for w in report["warnings"])
