"""HTML portal pages: encodings, site chrome, merged headers, metadata."""

from __future__ import annotations

from pathlib import Path

from parsers import extract_document, parse_document
from parsers.html import extract_html, table_grid

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "parsers"


def _parse(name: str, **kwargs: str) -> dict:
    return parse_document((FIXTURES / name).read_bytes(), source=name, **kwargs).to_dict()


def test_trs_2019_page_in_gbk_declared_utf8_reads_every_table() -> None:
    out = _parse("trs_2019_gbk_wrong_charset.html")
    assert out["title"] == "青山区市场监督管理局2019年政府信息公开工作年度报告"
    assert (out["agency"], out["year"], out["published_at"], out["layout"]) == (
        "青山区市场监督管理局", 2019, "2020-01-21", "2019",
    )
    ad = out["active_disclosure"]
    assert ad["licensing"] == {"previous_count": 120, "change": -3, "decisions": 4521}
    assert ad["fees"] == {"previous_count": 6, "change": -1}
    assert ad["procurement"] == {"projects": 45, "amount": 1234.5, "unit": "万元"}
    req = out["requests"]
    assert req["new"] == {"natural_person": 40, "commercial": 5, "research": 1, "public_interest": 0,
                          "legal_services": 2, "other_org": 1, "total": 49}  # full-width digits
    assert req["other_handling"]["total"] == 1
    assert req["total_handled"]["total"] == 48 and req["carried_out"]["total"] == 4
    assert "other_misc" not in req
    assert out["review_litigation"]["suit_direct"] == {"upheld": 1, "corrected": 0, "other": 1, "pending": 0, "total": 2}
    assert all(c["ok"] for c in out["checks"]) and len(out["checks"]) == 5
    assert out["warnings"] == []


def test_hanweb_2021_page_with_typo_traditional_label_and_null_cell() -> None:
    out = _parse("hanweb_2021_gb2312_typos.html")
    assert (out["agency"], out["year"], out["layout"]) == ("白沙镇", 2023, "2021")
    assert out["published_at"] == "2024-01-29"  # from the 发布日期 line, no meta tag
    ad = out["active_disclosure"]
    assert ad["regulations"] == {"issued": 0, "repealed": 1, "in_force": 3}  # 規章, 本年度止件数
    assert ad["normative_documents"] == {"issued": 7, "repealed": 2, "in_force": 41}
    assert ad["licensing"] == {"decisions": 1203}  # "1 203"
    assert ad["coercion"] == {"decisions": None}  # "/" is null, not zero
    assert ad["fees"] == {"amount_10k_yuan": 12.35}
    req = out["requests"]
    assert req["other_no_fee"]["commercial"] == 1 and req["other_misc"]["total"] == 3
    assert "other_handling" not in req
    failed = [c for c in out["checks"] if not c["ok"]]
    assert [c["rule"] for c in failed] == ["text_vs_table"]
    assert "50" in failed[0]["detail"] and "53" in failed[0]["detail"]


def test_document_keeps_links_meta_and_drops_scripts_and_chrome() -> None:
    doc = extract_document((FIXTURES / "trs_2019_gbk_wrong_charset.html").read_bytes())
    assert doc.kind == "html" and doc.encoding == "gb18030"
    assert ("./P020240125.pdf", "青山区市场监督管理局2019年政府信息公开工作年度报告.pdf") in doc.links
    assert doc.meta["PubDate"] == "2020-01-21 09:30"
    assert "2099" not in doc.text  # script text
    assert "备案号" not in doc.text and "互动交流" not in doc.text  # footer and navigation
    assert len(doc.tables) == 3


def test_rowspan_and_colspan_become_a_true_grid() -> None:
    import lxml.html

    table = lxml.html.fragment_fromstring(
        "<table><tr><td rowspan=2>A</td><td colspan=2>B</td></tr><tr><td>1</td><td>2</td></tr>"
        "<tr><td colspan=999999>C</td><td>3</td></tr></table>"
    )
    assert table_grid(table) == [["A", "B", "B"], ["A", "1", "2"], ["C", "3", ""]]


def test_utf8_page_declared_gb2312_and_title_from_title_tag() -> None:
    page = (
        '<html><head><meta charset="gb2312"><title>城关镇2022年政府信息公开工作年度报告_某县人民政府</title>'
        "</head><body><div>城关镇2022年度报告正文</div></body></html>"
    ).encode()
    doc = extract_html(page)
    assert doc.encoding == "utf-8"
    assert doc.title == "城关镇2022年政府信息公开工作年度报告"


def test_published_date_falls_back_to_the_url() -> None:
    page = "<html><body><p>某某局2023年政府信息公开工作年度报告</p></body></html>".encode()
    out = parse_document(page, url="http://127.0.0.1:8000/zfxxgk/nb/202402/t20240125_123.html").to_dict()
    assert out["published_at"] == "2024-01-25"
    out = parse_document(page, url="http://127.0.0.1:8000/art/2024/2/3/art_12_345.html").to_dict()
    assert out["published_at"] == "2024-02-03"


def test_headings_without_tables_say_the_tables_are_absent() -> None:
    page = (
        "<html><body><h1>某某镇2023年政府信息公开工作年度报告</h1><p>一、总体情况</p><p>2023年，某某镇……</p>"
        '<p>二、主动公开政府信息情况</p><p><img src="table1.png"></p>'
        '<p>三、收到和处理政府信息公开申请情况</p><p><img src="table2.png"></p></body></html>'
    ).encode()
    out = parse_document(page).to_dict()
    assert out["active_disclosure"] is None and out["requests"] is None and out["review_litigation"] is None
    assert out["layout"] is None and out["checks"] == []
    assert any("tables are absent" in w for w in out["warnings"])
    assert out["agency"] == "某某镇" and out["year"] == 2023
