"""Titles split or garbled, files that are not reports, label typos, run-together rows."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from parsers import Document, classify_title, parse_document
from parsers.digit_runs import resolve_runs
from parsers.report import build_report
from tests.parsers.zips import zip_of

SAMPLE_PDF = Path(__file__).resolve().parents[3] / "shared" / "samples" / "huaian-city-2024.pdf"


def test_real_pdf_agency_comes_from_the_title_printed_on_two_lines() -> None:
    out = parse_document(SAMPLE_PDF.read_bytes()).to_dict()
    assert out["title"] == "淮安市人民政府 2024 年政府信息公开工作年度报告"
    assert (out["agency"], out["year"], out["layout"]) == ("淮安市人民政府", 2024, "2021")
    assert out["warnings"] == []
    assert out["requests"]["new"]["total"] == 3119


@pytest.mark.parametrize(
    ("text", "title", "agency"),
    [
        (" 公开工作年度报告\n某某镇人民政府2023年政府信息公开工作年度报告\n一、总体情况", "某某镇人民政府2023年政府信息公开工作年度报告", "某某镇人民政府"),
        ("某某县人民政府办公室（县政务公开办）\n关于2023年政府信息公开工作的\n年度报告\n一、总体情况",
         "某某县人民政府办公室（县政务公开办）关于2023年政府信息公开工作的年度报告", "某某县人民政府办公室（县政务公开办）"),
        ("2023年度\n东湖区教育局政府信息公开工作年度报告\n一、总体情况", "2023年度东湖区教育局政府信息公开工作年度报告", "东湖区教育局"),
    ],
)
def test_titles_rejoined_over_lines_and_behind_junk(text: str, title: str, agency: str) -> None:
    out = parse_document(text.encode()).to_dict()
    assert (out["title"], out["agency"], out["year"]) == (title, agency, 2023)


@pytest.mark.parametrize(
    ("title", "agency"),
    [
        ("关于某某街道办事处2023年度政府信息公开工作年度报告", "某某街道办事处"),
        ("某某经济开发区管委会 2023 年政府信息公开工作年度报告", "某某经济开发区管委会"),
        ("某某市生态环境局（某某市生态环境保护综合行政执法支队）2023年政府信息公开年报", "某某市生态环境局（某某市生态环境保护综合行政执法支队）"),
        ("【某某市财政局】2023年度政府信息公开工作年度报告", "某某市财政局"),
        ("某某区卫生健康委员会2023年政府信息公开工作年度报告", "某某区卫生健康委员会"),
        ("某某县数据资源管理中心2023年政府信息公开工作年度报告", "某某县数据资源管理中心"),
    ],
)
def test_agency_name_forms(title: str, agency: str) -> None:
    info = classify_title(title)
    assert info.is_annual_report and (info.agency, info.year) == (agency, 2023)


@pytest.mark.parametrize(
    "garbled",
    [
        "ÿþ?e\x9e",  # UTF-16LE bytes decoded as Latin-1
        "Õþ¸®ÐÅÏ¢¹«¿ª¹¤×÷Äê¶È±¨¸æ",  # GBK bytes decoded as Latin-1
        "某某镇政府信息公开工作年度报告".encode("utf-16-be").decode("utf-16-le"),  # byte-swapped
    ],
)
def test_garbled_metadata_title_never_becomes_title_or_agency(garbled: str) -> None:
    doc = Document(kind="pdf", text="某某镇人民政府\n2023年政府信息公开工作年度报告\n一、总体情况", title=garbled)
    report = build_report(doc)
    assert report.title == "某某镇人民政府 2023年政府信息公开工作年度报告"
    assert report.agency == "某某镇人民政府"


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR" + bytes(range(256)), "PNG image"),
        (b"\xff\xd8\xff\xe0\0\x10JFIF\0" + bytes(range(256)), "JPEG image"),
        (zip_of({"[Content_Types].xml": "<x/>", "xl/workbook.xml": "<workbook/>"}, zipfile.ZIP_STORED), "xlsx spreadsheet"),
        (zip_of({"某某镇2023年政府信息公开工作年度报告.txt": "政府信息公开工作年度报告"}, zipfile.ZIP_STORED), "zip archive"),
        (b"", "empty file"),
    ],
)
def test_files_that_are_not_reports_are_empty_with_a_clear_warning(data: bytes, kind: str) -> None:
    out = parse_document(data, filename="report.html").to_dict()
    assert out["warnings"][0] == f"not a report document: {kind}"
    assert out["title"] is None and out["agency"] is None and out["year"] is None
    assert out["active_disclosure"] is None and out["requests"] is None and out["review_litigation"] is None


def test_label_typos_and_traditional_characters_still_find_their_rows() -> None:
    text = "\n".join([
        "某某镇2023年政府信息公开工作年度报告", "二、主动公开政府信息情况", "第二十条第（一）项",
        "信息内容\t本年制发件数\t本年度止件数\t现行有效件数", "规章\t0\t1\t3", "行政规范性文件\t7\t2\t41",
        "第二十条第（五）项", "信息内容\t本年处理决定数量", "行政許可\t88", "第二十条第（六）项", "信息内容\t本年处理决定数量",
        "行政处伐\t15", "行政强制\t2", "第二十条第（八）项", "信息内容\t本年收费金额（单位：万元）", "行政事业性收费\t0",
    ])
    out = parse_document(text.encode()).to_dict()
    assert out["active_disclosure"]["licensing"] == {"decisions": 88}
    assert out["active_disclosure"]["punishment"] == {"decisions": 15}
    assert out["active_disclosure"]["regulations"] == {"issued": 0, "repealed": 1, "in_force": 3}


def test_a_near_label_further_on_is_never_taken_for_a_missing_row() -> None:
    text = "\n".join([
        "某某镇2023年政府信息公开工作年度报告", "二、主动公开政府信息情况", "第二十条第（六）项", "信息内容\t本年处理决定数量",
        "行政强制\t2", "第二十条第（八）项", "信息内容\t本年收费金额（单位：万元）", "行政事业性收费\t0",
    ])
    out = parse_document(text.encode()).to_dict()
    assert out["active_disclosure"]["punishment"] == {"decisions": None}
    assert out["active_disclosure"]["coercion"] == {"decisions": 2}


def test_run_together_rows_are_settled_only_by_a_unique_consistent_choice() -> None:
    known = {"carried_in": [0, 0, 0, 0, 0, 0, 0], "carried_out": [0, 0, 0, 0, 0, 0, 0], "granted": [12, 6, 0, 2, 0, 0, 20]}
    both = [[12, 6, 0, 2, 0, 0, 20], [1, 2, 6, 0, 2, 0, 11]]
    # total_handled pins the outcomes, the balance then pins new
    assert resolve_runs(known, {"new": both}, ["granted"], 7) == {}
    with_total = {**known, "total_handled": [12, 6, 0, 2, 0, 0, 20]}
    assert resolve_runs(with_total, {"new": both}, ["granted"], 7) == {"new": both[0]}
    # a table that adds up no way at all leaves the row unread
    broken = {**with_total, "carried_out": [5, 0, 0, 0, 0, 0, 5]}
    assert resolve_runs(broken, {"new": both}, ["granted"], 7) == {}


def test_a_page_nested_past_the_parsers_depth_limit_says_where_reading_stopped() -> None:
    from parsers.html import extract_html

    page = ("<html><body><p>某县人民政府2023年政府信息公开工作年度报告</p>" + "<div>" * 300 + "<p>深处</p>"
            + "</div>" * 300 + "<p>之后</p></body></html>").encode()
    doc = extract_html(page)
    assert doc.text == "某县人民政府2023年政府信息公开工作年度报告"
    assert any("nested deeper" in w and "not read" in w for w in doc.warnings)
    shallow = extract_html(page.replace(b"<div>" * 300, b"<div>" * 200).replace(b"</div>" * 300, b"</div>" * 200))
    assert "之后" in shallow.text
    assert not any("nested" in w for w in shallow.warnings)
