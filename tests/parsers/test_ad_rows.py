"""Section 二 rows found in the table, not in the words around it."""

from __future__ import annotations

from typing import Any

from parsers import parse_document


def _ad(text: str) -> dict[str, Any]:
    out: dict[str, Any] = parse_document(text.encode("utf-8")).to_dict()
    return out["active_disclosure"]


# Traditional characters with pinyin printed after some of them (規(guī)章): the pinyin splits labels.
PINYIN_ANNOTATED = """某鎮(zhèn)2021年政府信息公開工作年度報告
二、主動(dòng)公開政府信息情況
第二十條第(一)項(xiàng) | |||
信息內(nèi)容 | 本年制發(fā)件數(shù) | 本年廢止件數(shù) | 現(xiàn)行有效件數(shù) |
規(guī)章 | 2 | 0 | 9 |
行政規(guī)範(fàn)性文件 | 5 | 1 | 13 |
第二十條第(五)項(xiàng) | |||
信息內(nèi)容 | 本年處理決定數(shù)量 |
行政許可 | 41 |
行政處罰 | 6 |
行政強(qiáng)制 | 0 |
第二十條第(八)項(xiàng) | |||
信息內(nèi)容 | 本年收費(fèi)金額(單位:萬元) |
行政事業(yè)性收費(fèi) | 2.5 |
"""


def test_pinyin_after_characters_does_not_hide_row_labels() -> None:
    ad = _ad(PINYIN_ANNOTATED)
    assert ad["regulations"] == {"issued": 2, "repealed": 0, "in_force": 9}
    assert ad["normative_documents"] == {"issued": 5, "repealed": 1, "in_force": 13}
    assert ad["licensing"] == {"decisions": 41}
    assert ad["fees"] == {"amount_10k_yuan": 2.5}


# A sentence before the table names every row: the rows are the table's, and no fee is invented.
PROSE_NAMES_ROWS = """某站2023年政府信息公开工作年度报告

二、主动公开政府信息情况

2023年无公开的规章、行政规范性文件、行政许可、行政处罚、行政强制、行政事业性收费情况。

第二十条第(一)项

信息内容

本年制发件数

本年废止件数

现行有效件数

规章

0

0

0

行政规范性文件

0

0

0

第二十条第(五)项

信息内容

本年处理决
"""


def test_prose_naming_the_rows_before_the_table_is_not_read_as_rows() -> None:
    ad = _ad(PROSE_NAMES_ROWS)
    assert ad["regulations"] == {"issued": 0, "repealed": 0, "in_force": 0}
    assert ad["normative_documents"] == {"issued": 0, "repealed": 0, "in_force": 0}
    assert ad["fees"] == {"amount_10k_yuan": None}


# 2019 layout, one cell per line: the next sub-table's header notes hold figures (如-8) that are
# no cells of the row before it.
HEADER_NOTE_FIGURE = """某所2020年政府信息公开工作年度报告

二、主动公开政府信息情况

第二十条第(一)项

信息内容

本年新制作数量

本年新公开数量

对外公开总数量

规章

0

0

0

规范性文件

3

3

12

第二十条第(五)项

信息内容

上一年项目数量(指2019年事项数

本年增/减(指2020年增加或减少的事项数,减用负值表示,如-8

处理决定数量

行政许可

15

2

230
"""


def test_figures_in_a_sub_table_header_note_are_not_cells() -> None:
    ad = _ad(HEADER_NOTE_FIGURE)
    assert ad["normative_documents"] == {"made": 3, "published": 3, "total_public": 12}
    assert ad["licensing"] == {"previous_count": 15, "change": 2, "decisions": 230}


# The first row's label cell printed blank (a line of spaces where 规章 stands): the values
# between the column headers and 行政规范性文件 can only be that row's.
BLANK_FIRST_LABEL = """某街道2024年政府信息公开工作年度报告

二、主动公开政府信息情况

第二十条第

信息内容

本年制发件数

本年废止件数

现行有效件数

<spaces>

1

0

4

行政规范性文件

2

1

6

第二十条第

信息内容

本年处理决定数量

行政许可

57
""".replace("<spaces>", "  ")


def test_values_of_a_first_row_printed_without_its_label_are_that_rows() -> None:
    out: dict[str, Any] = parse_document(BLANK_FIRST_LABEL.encode("utf-8")).to_dict()
    ad = out["active_disclosure"]
    assert ad["regulations"] == {"issued": 1, "repealed": 0, "in_force": 4}
    assert ad["normative_documents"] == {"issued": 2, "repealed": 1, "in_force": 6}
    assert ad["licensing"] == {"decisions": 57}
    assert any("label cell blank" in w for w in out["warnings"])


_AD_2019_ROWS = """某中心2021年政府信息公开工作年度报告
一、总体情况
本中心依法公开政府信息。
二、主动公开政府信息情况
第二十条第(一)项 | |||
信息内容 | 本年新制作数量 | 本年新公开数量 | 对外公开总数量 |
规章 | 0 | 0 | 0 |
规范性文件 | 2 | 2 | 9 |
第二十条第(五)项 | |||
信息内容 | 上一年项目数量 | 本年增/减 | 处理决定数量 |
行政许可 | 3 | 1 | 40 |
其他对外管理服务事项 | 0 | 0 | 0 |
第二十条第(六)项 | |||
信息内容 | 上一年项目数量 | 本年增/减 | 处理决定数量 |
行政处罚 | 5 | 0 | 12 |
行政强制 | 0 | 0 | 0 |
第二十条第(八)项 | |||
信息内容 | 上一年项目数量 | 本年增/减 | |
行政事业性收费 | 0 | 0 | |
第二十条第(九)项 | |||
信息内容 | 采购项目数量 | 采购总金额 | |
{procurement}
三、收到和处理政府信息公开申请情况
本年度未收到政府信息公开申请。
"""


def test_procurement_printed_as_item_rows_is_not_a_count_and_total() -> None:
    items = (
        "政府集中采购 | 某区公务用车10辆 | 1530000元 |\n"
        "政府集中采购 | 某区办公区物业管理服务项目 | 350000元 |\n"
        "政府集中采购 | 机关大院2021年度后勤服务社会化服务项目 | 621007.6元 |"
    )
    out = parse_document(_AD_2019_ROWS.format(procurement=items).encode()).to_dict()
    assert out["active_disclosure"]["procurement"] == {"projects": None, "amount": None, "unit": None}
    assert "active_disclosure.procurement: printed as 3 item rows, not a count and a total: read as null" in out["warnings"]
    assert out["active_disclosure"]["licensing"] == {"previous_count": 3, "change": 1, "decisions": 40}
    # The same table as an HTML page: one grid row per item.
    rows = "".join(
        f"<tr><td>{'</td><td>'.join(c.strip() for c in line.strip(' |').split('|'))}</td></tr>"
        for line in _AD_2019_ROWS.format(procurement=items).splitlines()[5:26]
    )
    page = f"<html><body><h1>某中心2021年政府信息公开工作年度报告</h1><p>二、主动公开政府信息情况</p><table>{rows}</table><p>三、收到和处理政府信息公开申请情况</p><p>本年度未收到政府信息公开申请。</p></body></html>"
    html = parse_document(page.encode(), filename="r.html").to_dict()
    assert html["active_disclosure"]["procurement"] == {"projects": None, "amount": None, "unit": None}
    assert html["active_disclosure"]["normative_documents"] == {"made": 2, "published": 2, "total_public": 9}
    # One count and one total are read as ever.
    one = parse_document(_AD_2019_ROWS.format(procurement="政府集中采购 | 3 | 120.5万元 |").encode()).to_dict()
    assert one["active_disclosure"]["procurement"] == {"projects": 3, "amount": 120.5, "unit": "万元"}


_TRIMMED_2019 = """某县应急管理局2020年政府信息公开工作年度报告
二、主动公开政府信息情况
第二十条第(五)项 | ||||
信息内容 | 上一年项目数量 | 本年增/减 | 处理决定数量 | |
行政许可 | 4 | 0 | 142件 | |
第二十条第(六)项 | ||||
信息内容 | 上一年项目数量 | 本年增/减 | 处理决定数量 | |
行政处罚 | 201件 | |||
行政强制 | 0 | 0 | 0 | |
第二十条第(八)项 |
"""


def test_a_count_written_with_its_unit_is_one_value_never_a_run_of_digits() -> None:
    ad = _ad(_TRIMMED_2019)
    assert ad["licensing"] == {"previous_count": 4, "change": 0, "decisions": 142}
    # 201件 alone in a row of three: one number, not 2 | 0 | 1; which column is not shown.
    assert ad["punishment"] == {"previous_count": None, "change": None, "decisions": None}
    assert ad["coercion"] == {"previous_count": 0, "change": 0, "decisions": 0}


def test_households_and_people_counted_in_a_cell_of_prose_are_no_cells() -> None:
    text = _TRIMMED_2019.replace(
        "第二十条第(六)项 | ||||",
        "其他对外管理服务事项 | 3 | 其中救助资金给付项目全年救助1378户3169人次,发放资金总计104万元。 | ||\n第二十条第(六)项 | ||||",
    )
    ad = _ad(text)
    # 3 and 104 are two cells of three: left unread; 1378 and 3169 are never cells.
    assert ad["other_services"] == {"previous_count": None, "change": None, "decisions": None}
    assert ad["licensing"] == {"previous_count": 4, "change": 0, "decisions": 142}


def test_a_count_of_items_ending_its_cell_is_read_and_one_inside_a_sentence_is_not() -> None:
    text = """某县应急管理局2022年政府信息公开工作年度报告
二、主动公开政府信息情况
本年度公开行政执法事项43项。
第二十条第(一)项 | |||
信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |
规章 | 0 | 0 | 0 |
行政规范性文件 | 1 | 0 | 4 |
第二十条第(五)项 | |||
信息内容 | 本年处理决定数量 |
行政许可 | 12项 |
第二十条第(六)项 | |||
信息内容 | 本年处理决定数量 |
行政处罚 | 201件 |
行政强制 | 6项 |
第二十条第(八)项 | |||
信息内容 | 本年收费金额(单位:万元) |
行政事业性收费 | 0 |
"""
    ad = _ad(text)
    assert ad["licensing"] == {"decisions": 12}
    assert ad["punishment"] == {"decisions": 201}
    assert ad["coercion"] == {"decisions": 6}
    assert ad["regulations"] == {"issued": 0, "repealed": 0, "in_force": 0}


_COLUMNS_LEFT_OUT = """某县应急管理局2020年政府信息公开工作年度报告
二、主动公开政府信息情况
第二十条第(一)项 | ||||
信息内容 | 本年新制作数量 | 对外公开总数量 | ||
规范性文件 | 无 | 无 | ||
第二十条第(五)项 | ||||
信息内容 | 项目数量 | 处理决定数量 | ||
行政许可 | 4 | 142 | ||
其他对外管理服务事项 | 3 | 其中救助资金全年发放总计104万元。 | ||
第二十条第(六)项 | ||||
信息内容 | 处理决定数量 | |||
行政处罚 | 201件 | |||
行政强制 | 6项 | |||
第二十条第(八)项 | ||||
"""


def test_a_sub_table_that_leaves_columns_out_is_read_by_its_header() -> None:
    ad = _ad(_COLUMNS_LEFT_OUT)
    assert ad["licensing"] == {"previous_count": 4, "change": None, "decisions": 142}
    assert ad["punishment"] == {"previous_count": None, "change": None, "decisions": 201}
    assert ad["coercion"] == {"previous_count": None, "change": None, "decisions": 6}
    assert ad["normative_documents"] == {"made": None, "published": None, "total_public": None}
    # A cell of prose between the values: still left unread, 104 is not its decisions.
    assert ad["other_services"] == {"previous_count": None, "change": None, "decisions": None}


def test_a_header_cut_short_is_not_taken_for_one_that_leaves_columns_out() -> None:
    # 本年新 | 本年新 | 对外公开总数量: the three columns are there, their names cut; a row of one
    # value is not the 对外公开总数量 column's.
    text = """某县档案局2020年政府信息公开工作年度报告
二、主动公开政府信息情况
第二十条第(一)项 | ||||
信息内容 | 本年新 | 本年新 | 对外公开总数量 |
规章 | 0 | 0 | 0 |
规范性文件 | 15 |
第二十条第(五)项 | ||||
"""
    assert _ad(text)["normative_documents"]["total_public"] is None


def test_a_row_opening_bar_line_is_not_an_empty_cell_of_the_row_before() -> None:
    # Every row opens with a bar alone on its line; the one before 行政规范性文件 is that row's, so
    # 规章's row is two values and one empty cell, not four cells.
    lines = ["某区人民政府办公室2022年政府信息公开工作年度报告", "二、主动公开政府信息情况", "|", "第二十条第(一)项 | |||", "|"]
    lines += ["信息内容 |", "本年制发件数 |", "本年废止件数 |", "现行有效件数 (历史累计) |"]
    lines += ["|", "规章 |", "0 |", "0 |", "|"]
    lines += ["|", "行政规范性文件 |", "5 |", "12 |", "8 |"]
    lines += ["|", "第二十条第(五)项 | |||", "|", "信息内容 |", "本年处理决定数量 | ||", "|", "行政许可 |", "3 | ||"]
    ad = _ad("\n".join(lines))
    assert ad["regulations"] == {"issued": 0, "repealed": 0, "in_force": None}
    assert ad["normative_documents"] == {"issued": 5, "repealed": 12, "in_force": 8}
    assert ad["licensing"]["decisions"] == 3


def test_a_value_whose_cell_names_its_source_in_a_closing_bracket_is_read() -> None:
    text = """某县卫生健康局2023年政府信息公开工作年度报告
二、主动公开政府信息情况
第二十条第(五)项 | |||
信息内容 | 本年处理决定数量 | ||
行政许可 | 90(信用中国某省某市) | ||
第二十条第(六)项 | |||
信息内容 | 本年处理决定数量 | ||
行政处罚 | 5 | ||
行政强制 | 0 | ||
"""
    ad = _ad(text)
    assert ad["licensing"]["decisions"] == 90
    assert ad["punishment"]["decisions"] == 5


# 本年增/减 cells written with one word and the figure (減2, 增1), traditional 減 included.
CHANGE_ONE_WORD = """某县2020年政府信息公开工作年度报告
二、主动公开政府信息情况
第二十条第(一)项 |
信息内容 | 本年新制作数量 | 本年新公开数量 | 对外公开总数量 |
规章 | 0 | 0 | 0 |
规范性文件 | 1 | 1 | 4 |
第二十条第(五)项 |
信息内容 | 上一年项目数量 | 本年增/减 | 处理决定数量 |
行政许可 | 12 | 減2 | 340 |
其他对外管理服务事项 | 5 | 增1 | 20 |
第二十条第(六)项 |
信息内容 | 上一年项目数量 | 本年增/减 | 处理决定数量 |
行政处罚 | 3 | 减 1 | 7 |
行政强制 | 0 | 0 | 0 |
"""


def test_a_change_cell_of_one_word_and_a_figure_is_signed() -> None:
    ad = _ad(CHANGE_ONE_WORD)
    assert ad["licensing"] == {"previous_count": 12, "change": -2, "decisions": 340}
    assert ad["other_services"] == {"previous_count": 5, "change": 1, "decisions": 20}
    assert ad["punishment"] == {"previous_count": 3, "change": -1, "decisions": 7}
