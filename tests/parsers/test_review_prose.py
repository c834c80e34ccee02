"""Section 四 read from its table, not from the sentences printed around it."""

from __future__ import annotations

from parsers import parse_document

_HEADER = (
    "行政复议 行政诉讼\n"
    "结果维持 结果纠正 其他结果 尚未审结 总计 未经复议直接起诉 复议后起诉\n"
    "结果维持 结果纠正 其他结果 尚未审结 总计 结果维持 结果纠正 其他结果 尚未审结 总计\n"
)


def _review(sentence: str, row: str) -> dict:
    text = (
        "某县档案局2023年政府信息公开工作年度报告\n四、政府信息公开行政复议、行政诉讼情况\n"
        f"{sentence}\n{_HEADER}{row}\n五、存在的主要问题及改进情况\n"
    )
    return parse_document(text.encode()).to_dict()["review_litigation"]


def test_a_count_in_the_sentence_before_the_table_is_not_its_first_cell() -> None:
    review = _review("本年度因政府信息公开工作被申请行政复议2件,均维持原决定。", "2 0 0 0 2 0 0 0 0 0 0 0 0 0 0")
    assert review["review"] == {"upheld": 2, "corrected": 0, "other": 0, "pending": 0, "total": 2}
    assert review["suit_direct"] == dict.fromkeys(("upheld", "corrected", "other", "pending", "total"), 0)


def test_a_year_pdf_text_spaces_out_before_the_table_is_not_a_cell() -> None:
    review = _review("2020 年,我单位未出现申请行政复议、提起行政诉讼的情况。", " ".join(["0"] * 15))
    assert review["review"] == dict.fromkeys(("upheld", "corrected", "other", "pending", "total"), 0)


def test_pdf_text_with_the_column_headers_printed_a_character_a_line() -> None:
    stacked = (
        "行政复议 行政诉讼\n未经复议直接起诉 复议后起诉\n结 结 其 尚\n结 结 其 尚 结 结 其 尚\n果 果 他 未\n"
        "总计 果 果 他 未 总 果 果 他 未 总\n维 纠 结 审\n维 纠 结 审 计 维 纠 结 审 计\n持 正 果 结\n持 正 果 结 持 正 果 结\n"
    )
    text = (
        "某县档案局2020年政府信息公开工作年度报告\n四、政府信息公开行政复议、行政诉讼情况\n"
        f"{stacked}1 0 0 0 1 0 0 0 0 0 0 0 0 1 1\n五、存在的主要问题及改进情况\n"
    )
    review = parse_document(text.encode()).to_dict()["review_litigation"]
    assert review["review"] == {"upheld": 1, "corrected": 0, "other": 0, "pending": 0, "total": 1}
    assert review["suit_after_review"] == {"upheld": 0, "corrected": 0, "other": 0, "pending": 1, "total": 1}
