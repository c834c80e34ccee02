"""Run-together document rows of section 二 settled by the figures the report's prose states."""

from __future__ import annotations

from parsers import parse_document
from parsers.prose_figures import split_by_prose

COLUMNS_2021 = ("issued", "repealed", "in_force")
PROSE = "一是做好规范性文件公开。集中公开现行有效行政规范性文件698件，动态更新本年度制发的规范性文件88件。"


def test_two_stated_columns_fix_the_third() -> None:
    assert split_by_prose(PROSE, "normative_documents", COLUMNS_2021, "8855698") == [88, 55, 698]


def test_one_stated_column_is_not_enough() -> None:
    prose = "集中公开现行有效行政规范性文件698件。"
    assert split_by_prose(prose, "normative_documents", COLUMNS_2021, "8855698") is None


def test_prose_that_disagrees_with_every_split_settles_nothing() -> None:
    prose = "集中发布现行有效行政规范性文件393件，本年度制发规范性文件77件。"
    assert split_by_prose(prose, "normative_documents", COLUMNS_2021, "77132470") is None


def test_two_splits_agreeing_with_the_prose_settle_nothing() -> None:
    # 制发 1 or 12, 废止 2 or 3: 1 | 2 | 34 and 12 | 3 | 4 both agree.
    prose = "制发规范性文件1件，后又制发规范性文件12件；废止规范性文件2件，另废止规范性文件3件。"
    assert split_by_prose(prose, "normative_documents", COLUMNS_2021, "1234") is None


def test_figures_of_another_row_or_unit_are_not_taken() -> None:
    # 制发 counts 规章 here, and 698 is a count of visits (次), not documents.
    prose = "本年制发规章88件。规范性文件库访问量现行有效698次。"
    assert split_by_prose(prose, "normative_documents", COLUMNS_2021, "8855698") is None
    assert split_by_prose(PROSE, "licensing", ("decisions",), "8855698") is None


def test_archived_report_row_is_settled_end_to_end() -> None:
    text = (
        "某县2022年度政府信息公开工作年度报告\n"
        "一、总体情况 2022年全县共主动公开政府信息4571条。" + PROSE +
        " 二、主动公开政府信息情况第二十条第（一）项 信息内容 本年制发件数 本年废止件数 现行有效件数 "
        "规章000行政规范性文件8855698第二十条第（五）项信息内容本年处理决定数量行政许可10690"
        "第二十条第（六）项信息内容本年处理决定数量行政处罚21行政强制3第二十条第（八）项信息内容"
        "本年收费金额（单位：万元）行政事业性收费0 三、收到和处理政府信息公开申请情况\n"
    )
    out = parse_document(text.encode()).to_dict()
    assert out["active_disclosure"]["normative_documents"] == {"issued": 88, "repealed": 55, "in_force": 698}
    assert out["active_disclosure"]["regulations"] == {"issued": 0, "repealed": 0, "in_force": 0}
    assert out["active_disclosure"]["licensing"] == {"decisions": 10690}
    assert "active_disclosure.normative_documents: digits '8855698' run together, split as the report's text states them" in out["warnings"]
