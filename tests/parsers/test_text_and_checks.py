"""Text shapes read from real extractions, digit splitting, and the consistency rules."""

from __future__ import annotations

from pathlib import Path

from parsers import carry_over, parse_document
from parsers.segment import split_digits

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "parsers"


def test_real_pdf_extraction_text_with_footers_and_split_labels() -> None:
    """淮安市 2024: pdfplumber text, labels broken over lines, page footers inside the tables."""
    out = parse_document((FIXTURES / "huaian-city-2024-pdftext.txt").read_bytes()).to_dict()
    assert (out["agency"], out["year"], out["layout"]) == ("淮安市人民政府", 2024, "2021")
    ad = out["active_disclosure"]
    assert ad["regulations"] == {"issued": 1, "repealed": 0, "in_force": 11}
    assert ad["licensing"] == {"decisions": 447228}
    assert ad["punishment"] == {"decisions": 3985758}
    assert ad["fees"] == {"amount_10k_yuan": 96171.6}
    req = out["requests"]
    assert req["new"] == {"natural_person": 3001, "commercial": 53, "research": 0, "public_interest": 0,
                          "legal_services": 61, "other_org": 4, "total": 3119}
    assert req["other_no_correction"]["total"] == 71 and req["other_no_fee"]["total"] == 6
    assert req["other_misc"]["total"] == 110 and req["carried_out"]["total"] == 103
    assert out["review_litigation"]["review"] == {"upheld": 72, "corrected": 64, "other": 178, "pending": 37, "total": 351}
    assert out["review_litigation"]["suit_after_review"]["total"] == 20
    assert all(c["ok"] for c in out["checks"])
    assert {c["rule"] for c in out["checks"]} >= {"requests.balance", "text_vs_table"}
    assert out["warnings"] == []


AD_COLUMN_ORDER = """某某局2023年政府信息公开工作年度报告
二、主动公开政府信息情况
第二十条第（一）项
信息内容
本年制发件数
本年废止件数
现行有效件数
规章
行政规范性文件
4
11

— 3 —

2
0
17
52
第二十条第（五）项
信息内容
本年处理决定数量
行政许可
88
"""


def test_column_order_block_with_a_page_footer_inside() -> None:
    out = parse_document(AD_COLUMN_ORDER.encode("gb18030")).to_dict()
    ad = out["active_disclosure"]
    assert ad["regulations"] == {"issued": 4, "repealed": 2, "in_force": 17}
    assert ad["normative_documents"] == {"issued": 11, "repealed": 0, "in_force": 52}
    assert ad["licensing"] == {"decisions": 88}
    assert ad["punishment"] == {"decisions": None}
    assert "active_disclosure.punishment: row not found" in out["warnings"]


def test_run_together_digits_split_only_when_unique() -> None:
    assert split_digits("3210006", [7], True) == [[3, 2, 1, 0, 0, 0, 6]]
    assert split_digits("000", [3], False) == [[0, 0, 0]]
    assert split_digits("3135", [3], False) == []
    assert len(split_digits("72641783735113481261211620", [5, 5, 5], True)) == 2  # ambiguous
    assert split_digits("1" * 200, [7], True) == []


def _tab_report(new_total: int, carried_out_total: int, review_total: int, prose: str = "") -> bytes:
    rows = [
        ("一、本年新收政府信息公开申请数量", [5, 1, 0, 0, 0, 0, new_total]),
        ("二、上年结转政府信息公开申请数量", [1, 0, 0, 0, 0, 0, 1]),
        ("（一）予以公开", [4, 1, 0, 0, 0, 0, 5]),
        ("（六）其他处理", [0, 0, 0, 0, 0, 0, 0]),
        ("（七）总计", [4, 1, 0, 0, 0, 0, 5]),
        ("四、结转下年度继续办理", [2, 0, 0, 0, 0, 0, carried_out_total]),
    ]
    lines = ["某某街道办事处2020年政府信息公开工作年度报告", "一、总体情况", prose, "三、收到和处理政府信息公开申请情况"]
    lines += ["\t".join([label, *map(str, values)]) for label, values in rows]
    lines += ["四、政府信息公开行政复议、行政诉讼情况", "结果维持\t结果纠正\t其他结果\t尚未审结\t总计"]
    lines += ["\t".join(map(str, [1, 0, 0, 0, review_total, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]))]
    return "\n".join(lines).encode("utf-8")


def test_failed_rules_are_reported_and_numbers_kept() -> None:
    out = parse_document(_tab_report(7, 4, 2, "本年度共受理政府信息公开申请9件。")).to_dict()
    checks = {c["rule"]: c for c in out["checks"]}
    assert out["layout"] == "2019"
    assert not checks["requests.row_totals"]["ok"] and "new" in checks["requests.row_totals"]["detail"]
    assert not checks["requests.balance"]["ok"]
    assert not checks["review_litigation.totals"]["ok"]
    assert not checks["text_vs_table"]["ok"]
    assert out["requests"]["new"]["total"] == 7 and out["requests"]["carried_out"]["total"] == 4
    # rows the table does not print stay null, and the outcomes rule is then not evaluated
    assert out["requests"]["denied_state_secret"]["total"] is None
    assert "requests.outcomes_sum" not in checks


def test_carry_over_between_two_years() -> None:
    before = parse_document(_tab_report(6, 2, 1))
    after_ok = parse_document(_tab_report(6, 2, 1).replace(b"\t1\t0\t0\t0\t0\t0\t1\n", b"\t2\t0\t0\t0\t0\t0\t2\n", 1))
    check = carry_over(before, after_ok)
    assert check.rule == "carry_over" and check.ok, check.detail
    check = carry_over(before, before)
    assert not check.ok and "natural_person" in check.detail
    empty = parse_document(b"nothing here")
    assert not carry_over(empty, before).ok


def test_spaces_left_between_run_together_cells_are_cell_ends() -> None:
    from parsers.segment import split_digits

    # 230 000023: the space ends a cell, so 2 | 30 … is ruled out by the cut, 23 | 0 … remains.
    assert split_digits("230000023", [7], True, limit=5, cuts=frozenset({3})) == [[23, 0, 0, 0, 0, 0, 23]]
    # Without the cut the row total alone rules out 2 | 30 …:
    assert split_digits("230000023", [7], True, limit=5) == [[23, 0, 0, 0, 0, 0, 23]]
    # 500000 5: six digits for six cells before the cut, the total after it.
    assert split_digits("5000005", [7], True, limit=5, cuts=frozenset({6})) == [[5, 0, 0, 0, 0, 0, 5]]
    # A cut no split can honour leaves the row unread, never a guess.
    assert split_digits("1200012", [7], True, limit=5, cuts=frozenset({1})) == []


def test_row_digits_glued_to_the_next_rows_enumerator_are_read() -> None:
    from parsers.segment import value_tokens

    assert [raw for _, raw in value_tokens("710000071（二）部分公开")] == ["710000071"]
    assert [raw for _, raw in value_tokens("共3（含上年结转）件")] == []
    assert [raw for _, raw in value_tokens("12(一)")] == ["12"]


def test_prose_counts_of_reviews_and_suits_tied_to_disclosure_are_compared() -> None:
    from parsers.checks import text_vs_table

    review = {
        "review": {"upheld": 30, "corrected": 2, "other": 3, "pending": 1, "total": 36},
        "suit_direct": {"upheld": 5, "corrected": 0, "other": 1, "pending": 0, "total": 6},
        "suit_after_review": {"upheld": 3, "corrected": 0, "other": 0, "pending": 0, "total": 3},
    }
    agreeing = text_vs_table("全年办理因政府信息公开申请引发的行政复议36起，行政诉讼9起。", None, review)
    assert agreeing is not None and agreeing.ok and agreeing.detail.startswith("2 statement(s)")
    wrong = text_vs_table("全年办理因政府信息公开申请引发的行政复议35起，行政诉讼8起。", None, review)
    assert wrong is not None and not wrong.ok
    assert "35" in wrong.detail and "8" in wrong.detail
    # Reviews of every kind the county counts are not the disclosure reviews of the table.
    assert text_vs_table("全县共办理行政复议案件120件，行政诉讼45件。", None, review) is None


def test_a_number_among_cells_shown_blank_is_never_split_into_digits() -> None:
    """One cell per line with empty cells as lines of spaces: `` 148`` is one value, not 1, 4, 8."""
    from parsers import parse_document

    cells = ["第二十条第（五）项", "信息内容", "上一年项目数量", "本年增/减", "处理决定数量",
             "行政许可", " 148", " ", " ", "其他对外管理服务事项", " 257", " ", " 3",
             "第二十条第（六）项", "信息内容", "上一年项目数量", "本年增/减", "处理决定数量",
             "行政处罚", " 12", " ", " "]
    text = "某镇人民政府2020年政府信息公开工作年度报告\n\n二、主动公开政府信息情况\n\n" + "\n\n".join(cells) + "\n\n三、收到和处理政府信息公开申请情况\n"
    report = parse_document(text.encode("utf-8"), filename="report.txt")
    assert report.active_disclosure["licensing"] == {"previous_count": 148, "change": None, "decisions": None}
    assert report.active_disclosure["other_services"] == {"previous_count": 257, "change": None, "decisions": 3}
    assert report.active_disclosure["punishment"] == {"previous_count": 12, "change": None, "decisions": None}


def test_a_label_explained_in_brackets_naming_later_rows_keeps_every_row_in_place() -> None:
    """其他对外管理服务事项(…含行政处罚、行政强制…): those rows are found at their own labels."""
    from parsers import parse_document

    lines = [
        "某县水利局2020年政府信息公开工作年度报告",
        "二、主动公开政府信息情况",
        "第二十条第（五）项 |",
        "信息内容 | 上一年项目数量 | 本年增/减 | 处理决定数量 |",
        "行政许可 | 14 | 2 | 61 |",
        "其他对外管理服务事项（指行政许可以外的事项，含行政确认、行政处罚、行政强制、行政征收，"
        "以及2019年起承接的公共服务事项） | 36 | -1 | 208 |",
        "第二十条第（六）项 |",
        "信息内容 | 上一年项目数量 | 本年增/减 | 处理决定数量 |",
        "行政处罚 | 53 | 3 | 19 |",
        "行政强制 | 7 | 0 | 5 |",
        "三、收到和处理政府信息公开申请情况",
    ]
    report = parse_document("\n".join(lines).encode("utf-8"), filename="report.txt")
    ad = report.active_disclosure
    assert ad["other_services"] == {"previous_count": 36, "change": -1, "decisions": 208}
    assert ad["punishment"] == {"previous_count": 53, "change": 3, "decisions": 19}
    assert ad["coercion"] == {"previous_count": 7, "change": 0, "decisions": 5}


def test_a_mirror_copy_writing_wenjian_as_dangan_keeps_the_normative_documents_row() -> None:
    """Mirror sites converting to Taiwan usage write 文件 as 檔案: 規範性檔案 is still the row."""
    from parsers import parse_document

    lines = [
        "某區商務局2020年政府資訊公開工作年度報告",
        "二、主動公開政府資訊情況",
        "第二十條第(一)項 |",
        "資訊內容 | 本年新製作數量 | 本年新公開數量 | 對外公開總數量 |",
        "規章 | 0 | 0 | 0 |",
        "規範性檔案(本機關制發的規範性檔案) | 3 | 3 | 27 |",
        "第二十條第(五)項 |",
        "資訊內容 | 上一年項目數量 | 本年增/減 | 處理決定數量 |",
        "行政許可 | 11 | 1 | 140 |",
        "三、收到和處理政府資訊公開申請情況",
    ]
    report = parse_document("\n".join(lines).encode("utf-8"), filename="report.txt")
    assert report.active_disclosure["normative_documents"] == {"made": 3, "published": 3, "total_public": 27}
    assert report.active_disclosure["licensing"] == {"previous_count": 11, "change": 1, "decisions": 140}


_REQUEST_HEADER = [
    "三、收到和处理政府信息公开申请情况",
    "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
    "申请人情况", "自然人", "法人或其他组织", "总计",
    "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他",
]


def _sparse_request_report(body: str):  # noqa: ANN202 - a Report
    text = "某街道办事处2021年政府信息公开工作年度报告\n" + body + "\n四、政府信息公开行政复议、行政诉讼情况\n"
    return parse_document(text.encode("utf-8"), filename="report.txt")


def _sparse(*cells: int | None) -> dict[str, int | None]:
    keys = ["natural_person", "commercial", "research", "public_interest", "legal_services", "other_org", "total"]
    return dict(zip(keys, cells, strict=True))


def test_a_request_row_with_its_empty_cells_as_bare_bar_lines_is_read_in_order() -> None:
    """``label | 14 |`` then a ``|`` line per empty cell, ``| 14 |`` last: the pieces between bars
    are the row's seven cells in order, empty ones null; the bar opening ``| 14 |`` closes the
    empty cell before it."""
    lines = [" | ".join(_REQUEST_HEADER[:3]) + " |", " | ".join(_REQUEST_HEADER[3:6]) + " |",
             " | ".join(_REQUEST_HEADER[6:]) + " |",
             "一、本年新收政府信息公开申请数量 | 14 |", "|", "|", "|", "|", "| 14 |",
             "二、上年结转政府信息公开申请数量 |", "|", "|", "|", "| 2 |",
             "三、本年度办理结果 | （一）予以公开 | 9 |", "|", "|", "|", "| 1", "| 10 |"]
    report = _sparse_request_report("\n".join(lines))
    assert report.requests["new"] == _sparse(14, None, None, None, None, None, 14)
    assert report.requests["granted"] == _sparse(9, None, None, None, None, 1, 10)
    # Four empty cells and a value make five cells of seven: left unread, never guessed.
    assert report.requests["carried_in"] == _sparse(None, None, None, None, None, None, None)
    assert any(w.startswith("requests.carried_in: found 1 value(s) and blank cells") for w in report.warnings)


def test_a_request_row_with_its_empty_cells_as_extra_blank_lines_is_read_in_order() -> None:
    """A cell a paragraph (its line, then a blank line), each empty cell one more blank line:
    the label, seven blank lines and ``6`` are six empty cells then a total of 6."""
    cells = "\n\n".join(_REQUEST_HEADER)
    rows = ("\n\n一、本年新收政府信息公开申请数量\n\n" + "\n" * 6 + "6"
            + "\n\n二、上年结转政府信息公开申请数量\n\n" + "\n" * 3 + " 2"
            + "\n\n三、本年度办理结果\n\n（一）予以公开\n\n4\n\n" + "\n" * 4 + "1\n\n5\n")
    report = _sparse_request_report(cells + rows)
    assert report.requests["new"] == _sparse(None, None, None, None, None, None, 6)
    assert report.requests["granted"] == _sparse(4, None, None, None, None, 1, 5)
    # Three empty cells and a value are four cells of seven: left unread with a warning.
    assert report.requests["carried_in"] == _sparse(None, None, None, None, None, None, None)
    assert any(w.startswith("requests.carried_in: found 1 value(s) and blank cells") for w in report.warnings)


def test_filler_bar_lines_closing_a_sparse_request_row_are_no_cells_of_it() -> None:
    """A cell a line (``label |``, a ``|`` line per empty cell, ``3 |``) where each row then closes
    with a line of bars alone (``||``, the filler of the widest row's merged cells): the filler is
    not two more empty cells, so the row still makes its seven cells — also before a group label
    (``三、本年度办理结果 |``) that opens the next row."""
    header = [cell + " |" for cell in _REQUEST_HEADER]
    rows = ["一、本年新收政府信息公开申请数量 |", "3 |", "|", "|", "|", "|", "|", "3 |", "||",
            "二、上年结转政府信息公开申请数量 |", "|", "|", "|", "|", "|", "|", "0 |", "||",
            "三、本年度办理结果 |", "（一）予以公开 |", "2 |", "|", "|", "|", "|", "|", "2 |", "||"]
    report = _sparse_request_report("\n".join(header + rows))
    assert report.requests["new"] == _sparse(3, None, None, None, None, None, 3)
    assert report.requests["carried_in"] == _sparse(None, None, None, None, None, None, 0)
    assert report.requests["granted"] == _sparse(2, None, None, None, None, None, 2)


def test_prose_naming_request_rows_with_counts_before_the_table_header_is_not_the_table() -> None:
    # 予以公开2件,部分公开1件 before the header were taken for those rows, so the table's first
    # rows, whose labels come after them, looked absent. Each cell is a line of its own here.
    rows = [
        ("一、本年新收政府信息公开申请数量", [3, 0, 0, 0, 0, 0, 3]),
        ("二、上年结转政府信息公开申请数量", [0, 0, 0, 0, 0, 0, 0]),
        ("三、本年度办理结果 |\n（一）予以公开", [2, 0, 0, 0, 0, 0, 2]),
        ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", [1, 0, 0, 0, 0, 0, 1]),
        ("（七）总计", [3, 0, 0, 0, 0, 0, 3]),
        ("四、结转下年度继续办理", [0, 0, 0, 0, 0, 0, 0]),
    ]
    lines = [
        "某区人民政府办公室2022年政府信息公开工作年度报告",
        "二、主动公开政府信息情况",
        "第二十条第（五）项 |", "信息内容 |", "本年处理决定数量 |", "行政许可 |", "0 |",
        "三、收到和处理政府信息公开申请情况",
        "2022年共收到3份政府信息公开申请，其中予以公开2件，部分公开1件，无下年度结转。",
        "|", "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和） |", "申请人情况 | |||||||",
        "|", "自然人 |", "法人或其他组织 |", "总计 | ||||||",
        "|", "商业企业 |", "科研机构 |", "社会公益组织 |", "法律服务机构 |", "其他 | |||||",
    ]
    for label, values in rows:
        lines += ["|", f"{label} |", *(f"{v} |" for v in values)]
    out = parse_document("\n".join(lines).encode()).to_dict()
    assert out["requests"]["new"]["total"] == 3 and out["requests"]["new"]["natural_person"] == 3
    assert out["requests"]["carried_in"]["total"] == 0
    assert out["requests"]["granted"]["total"] == 2 and out["requests"]["partly_granted"]["total"] == 1
