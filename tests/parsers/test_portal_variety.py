"""Report pages the way real portals serve them: each fixture in ``tests/parsers/fixtures`` parses
to its whole expected JSON (``<fixture>.expected.json``).

Every fixture was written from one set of known figures (non-zero, internally consistent unless
the page itself prints a null), so each expected section is those figures; titles, agencies, dates
and warnings are what the page itself states. Files are read as ``nianbao parse FILE`` reads them:
the file name goes along, since a saved page may keep its URL's name.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from parsers import parse_document
from parsers.metadata import published_date, signature

FIXTURES = Path(__file__).resolve().parent / "fixtures"
CASES = sorted(p.name.removesuffix(".expected.json") for p in FIXTURES.glob("*.expected.json"))


def test_every_fixture_has_its_file() -> None:
    assert len(CASES) >= 13
    assert all((FIXTURES / name).is_file() for name in CASES)


@pytest.mark.parametrize("name", CASES)
def test_fixture_parses_to_its_whole_expected_json(name: str) -> None:
    expected = json.loads((FIXTURES / f"{name}.expected.json").read_text(encoding="utf-8"))
    got = parse_document((FIXTURES / name).read_bytes(), source=name, filename=name).to_dict()
    assert got == expected


def test_signature_gives_the_body_and_the_date_it_signed() -> None:
    text = "六、其他需要报告的事项\n无。\n\n某县城关镇人民政府\n2024年01月20日\n"
    assert signature(text) == ("某县城关镇人民政府", date(2024, 1, 20))
    assert signature("……\n某县某乡人民政府  二〇二三年一月十六日") == ("某县某乡人民政府", date(2023, 1, 16))
    assert signature("……\n二○二四年十二月三十一日") == (None, date(2024, 12, 31))


def test_a_sentence_ending_in_a_date_is_no_signature() -> None:
    assert signature("本报告于2024年1月20日经局务会审议通过。\n") == (None, None)
    assert signature("统计期限自2023年1月1日起至2023年12月31日\n其他说明") == (None, None)
    # a name line that is prose above the date is not taken for the body
    assert signature("我局将进一步加强政务公开工作\n2024年1月20日") == (None, date(2024, 1, 20))


def test_declared_dates_outrank_the_signature() -> None:
    text = "正文\n某局\n2024年1月20日"
    assert published_date({"PubDate": "2024-01-25"}, text, None) == date(2024, 1, 25)
    assert published_date({}, "发布日期：2024-1-22\n" + text, None) == date(2024, 1, 22)
    assert published_date({}, text, "http://127.0.0.1/art/2024/1/23/art_1_2.html") == date(2024, 1, 23)
    assert published_date({}, text, None) == date(2024, 1, 20)


def test_a_saved_page_keeps_its_url_date_but_an_explicit_url_wins() -> None:
    page = "<html><body><p>某局2023年政府信息公开工作年度报告</p></body></html>".encode()
    assert parse_document(page, filename="/tmp/x/t20240125_123.html").published_at == date(2024, 1, 25)
    assert parse_document(page, filename="report.html").published_at is None
    got = parse_document(page, filename="t20240125_123.html", url="http://127.0.0.1/202402/t20240203_9.html")
    assert got.published_at == date(2024, 2, 3)


def test_years_in_chinese_numerals_name_the_report_year() -> None:
    from parsers import classify_title

    info = classify_title("某县市场监督管理局二〇二三年政府信息公开工作年度报告")
    assert (info.is_annual_report, info.year, info.agency) == (True, 2023, "某县市场监督管理局")
    assert classify_title("某镇二○二二年度政府信息公开工作年度报告").year == 2022


def test_a_report_with_picture_tables_and_links_to_other_years_is_still_a_report() -> None:
    page = (
        "<html><head><title>某镇2023年政府信息公开工作年度报告</title></head><body><div class='c'>"
        "<h1>某镇2023年政府信息公开工作年度报告</h1><p>一、总体情况</p><p>2023年，某镇推进政务公开。</p>"
        "<p>二、主动公开政府信息情况</p><p><img src='a.png'></p><p>三、收到和处理政府信息公开申请情况</p>"
        "<p><img src='b.png'></p></div><ul><li><a href='/1.html'>某镇2022年政府信息公开工作年度报告</a></li>"
        "<li><a href='/2.html'>某镇2021年政府信息公开工作年度报告</a></li></ul></body></html>"
    ).encode()
    got = parse_document(page).to_dict()
    assert (got["agency"], got["year"]) == ("某镇", 2023)
    assert not any("a list, not a report" in w for w in got["warnings"])
    assert any("tables are absent" in w for w in got["warnings"])
