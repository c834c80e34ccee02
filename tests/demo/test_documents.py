"""The report renderers produce what they claim: rule-abiding numbers, real merges, every value."""

from __future__ import annotations

import io
import random
import re

import pytest
from bs4 import BeautifulSoup

from nianbao.demo.documents import (
    APPLICANT_KEYS,
    CONSISTENCY_RULES,
    HTML_STYLES,
    REVIEW_GROUPS,
    TEXT_FORMS,
    ReportContent,
    active_table,
    expected_sections,
    outcome_keys,
    random_content,
    render_html_body,
    render_html_page,
    render_text,
    request_row_keys,
    requests_table,
    review_table,
    to_grid,
)

LAYOUTS = ("2019", "2021")


def failed_rules(content: ReportContent) -> set[str]:
    """An independent arithmetic check of the four table rules."""
    req = content.requests
    failed: set[str] = set()
    for column in (*APPLICANT_KEYS, "total"):
        if (
            req["new"][column] + req["carried_in"][column]
            != req["total_handled"][column] + req["carried_out"][column]
        ):
            failed.add("requests.balance")
        if req["total_handled"][column] != sum(req[row][column] for row in outcome_keys(content.layout)):
            failed.add("requests.outcomes_sum")
    for row in request_row_keys(content.layout):
        if req[row]["total"] != sum(req[row][column] for column in APPLICANT_KEYS):
            failed.add("requests.row_totals")
    for group in REVIEW_GROUPS:
        values = content.review_litigation[group]
        if values["total"] != values["upheld"] + values["corrected"] + values["other"] + values["pending"]:
            failed.add("review_litigation.totals")
    return failed


def contents(count: int = 12) -> list[ReportContent]:
    rng = random.Random(20240131)
    return [random_content(rng, "新密市岳村镇", 2019 + i % 5, LAYOUTS[i % 2]) for i in range(count)]


@pytest.mark.parametrize("layout", LAYOUTS)
def test_consistent_content_satisfies_every_rule_and_is_not_zero(layout: str) -> None:
    rng = random.Random(7)
    for _ in range(60):
        content = random_content(rng, "招远市金岭镇人民政府", 2022, layout)
        assert failed_rules(content) == set()
        assert content.broken_rules == []
        assert content.requests["new"]["total"] > 0
        assert set(content.requests) == set(request_row_keys(layout))
        assert all(value >= 0 for row in content.requests.values() for value in row.values())


@pytest.mark.parametrize("layout", LAYOUTS)
def test_inconsistent_content_breaks_exactly_the_rules_it_names(layout: str) -> None:
    rng = random.Random(11)
    seen: set[str] = set()
    for _ in range(80):
        content = random_content(rng, "朱口镇人民政府", 2024, layout, consistent=False)
        assert content.broken_rules, "an inconsistent report must break at least one rule"
        assert failed_rules(content) == set(content.broken_rules)
        seen.update(content.broken_rules)
    assert seen == set(CONSISTENCY_RULES)


def test_zero_content_is_all_zero_and_consistent() -> None:
    content = random_content(random.Random(3), "官元镇", 2021, "2021", zero=True)
    assert failed_rules(content) == set()
    assert all(v == 0 for row in content.requests.values() for v in row.values())
    assert all(v == 0 for group in content.review_litigation.values() for v in group.values())
    assert "未收到政府信息公开申请" in "".join(content.intro)


def test_layout_specific_keys() -> None:
    rng = random.Random(5)
    old = random_content(rng, "某县", 2020, "2019")
    new = random_content(rng, "某县", 2022, "2021")
    assert "other_handling" in old.requests and "other_misc" not in old.requests
    assert {"other_no_correction", "other_no_fee", "other_misc"} <= set(new.requests)
    assert set(old.active_disclosure["procurement"]) == {"projects", "amount", "unit"}
    assert set(old.active_disclosure["fees"]) == {"previous_count", "change"}
    assert "other_services" in old.active_disclosure and "other_services" not in new.active_disclosure
    assert set(new.active_disclosure["regulations"]) == {"issued", "repealed", "in_force"}
    with pytest.raises(ValueError):
        random_content(rng, "某县", 2022, "2020")


def test_intro_agrees_with_the_table() -> None:
    for content in contents():
        prose = "".join(content.intro)
        total = content.requests["new"]["total"]
        assert f"收到政府信息公开申请{total}件" in prose
        assert f"办结{content.requests['total_handled']['total']}件" in prose


def test_expected_sections_is_a_copy_in_the_parser_shape() -> None:
    content = contents(1)[0]
    sections = expected_sections(content)
    assert set(sections) == {"active_disclosure", "requests", "review_litigation"}
    sections["requests"]["new"]["total"] = -1
    assert content.requests["new"]["total"] != -1
    assert set(sections["review_litigation"]) == set(REVIEW_GROUPS)


def test_requests_grid_matches_the_template_shape() -> None:
    for layout, height in (("2019", 3 + 2 + 20 + 1), ("2021", 3 + 2 + 22 + 1)):
        content = random_content(random.Random(1), "某镇", 2021, layout)
        grid = to_grid(requests_table(content))
        assert len(grid) == height
        assert all(len(row) == 10 for row in grid)
        # The merged 三、本年度办理结果 label is repeated down its whole block.
        assert [row[0] for row in grid].count("三、本年度办理结果") == height - 3 - 3
        assert grid[3][:3] == ["一、本年新收政府信息公开申请数量"] * 3
        assert grid[3][3:] == [str(content.requests["new"][c]) for c in (*APPLICANT_KEYS, "total")]
    review = to_grid(review_table(content))
    assert len(review[-1]) == 15 and review[0][:5] == ["行政复议"] * 5 and review[0][5:] == ["行政诉讼"] * 10
    assert review[2][0] == "结果维持" and review[1][0] == "结果维持"


def _numbers(text: str) -> list[str]:
    text = re.sub(r"\d+\.(?=[\u4e00-\u9fff])", "", text)  # row numbering such as 1.属于国家秘密
    return re.findall(r"-?\d+(?:\.\d+)?", text)


def _table_values(content: ReportContent) -> list[str]:
    """Every value cell of the three tables, as written."""
    values: list[str] = []
    for table in (active_table(content), requests_table(content), review_table(content)):
        for row in table:
            values += [cell.text for cell in row if re.fullmatch(r"-?\d+(\.\d+)?(万元|元)?", cell.text)]
    return values


@pytest.mark.parametrize("style", HTML_STYLES)
def test_html_styles_keep_every_value_and_real_merges(style: str) -> None:
    for content in contents(6):
        body = render_html_body(content, style)
        soup = BeautifulSoup(body, "lxml")
        tables = soup.find_all("table")
        expected_tables = (4 if content.layout == "2021" else 5) + 2 if style == "four_tables" else 3
        assert len(tables) == expected_tables
        cells = [td.get_text().replace("\xa0", "").strip() for td in soup.find_all("td")]
        values = [v for v in cells if re.fullmatch(r"-?\d+(\.\d+)?(万元|元)?", v)]
        assert values == _table_values(content)
        spans = [td for td in soup.find_all("td") if td.get("rowspan") or td.get("colspan")]
        assert spans, "the tables must carry merged cells"
        for heading in ("一、总体情况", "四、政府信息公开行政复议、行政诉讼情况", "六、其他需要报告的事项"):
            assert heading in soup.get_text()


def test_trs_word_style_looks_like_word_html() -> None:
    body = render_html_body(contents(1)[0], "trs_word")
    assert "<o:p></o:p>" in body and "&nbsp;" in body and "mso-" in body and "MsoNormal" in body


def test_split_labels_style_splits_result_labels() -> None:
    soup = BeautifulSoup(render_html_body(contents(1)[0], "split_labels"), "lxml")
    review = soup.find_all("table")[-1]
    texts = [td.get_text() for td in review.find_all("td")]
    assert "结果" in texts and "维持" in texts and "结果维持" not in texts


def test_html_page_declares_title_and_date() -> None:
    content = contents(1)[0]
    page = render_html_page(content, "hanweb")
    soup = BeautifulSoup(page, "lxml")
    assert soup.title is not None and soup.title.get_text() == content.title
    assert content.published_at is not None
    assert soup.find("meta", attrs={"name": "PubDate"})["content"].startswith(
        content.published_at.isoformat()
    )


def test_unknown_style_or_form_is_a_clear_error() -> None:
    content = contents(1)[0]
    with pytest.raises(ValueError, match="style"):
        render_html_body(content, "fancy")
    with pytest.raises(ValueError, match="form"):
        render_text(content, "fancy")


@pytest.mark.parametrize("form", TEXT_FORMS)
def test_text_forms_keep_every_value_in_their_order(form: str) -> None:
    for content in contents(6):
        text = render_text(content, form)
        for heading in ("一、总体情况", "三、收到和处理政府信息公开申请情况", "五、存在的主要问题及改进情况"):
            assert heading in text
        if form == "run_together":
            # Values are glued to their label and to each other.
            row = content.requests["new"]
            glued = "".join(str(row[c]) for c in (*APPLICANT_KEYS, "total"))
            assert f"一、本年新收政府信息公开申请数量{glued}" in text
            continue
        table_part = text[text.index("二、主动公开政府信息情况") : text.index("五、存在的主要问题及改进情况")]
        table_part = re.sub(r"^— \d+ —$", "", table_part.replace("第二十条", ""), flags=re.M)
        found = _numbers(table_part)
        values = [re.sub(r"(万元|元)$", "", v) for v in _table_values(content)]
        if form == "pdf_columns":
            # Column order, not row order: the same values, differently arranged.
            assert sorted(found) == sorted(values)
        else:
            assert found == values


def test_tab_form_rows_are_tab_separated_grid_rows() -> None:
    content = contents(1)[0]
    lines = render_text(content, "tab").splitlines()
    new_row = next(line for line in lines if line.startswith("一、本年新收"))
    cells = new_row.split("\t")
    assert len(cells) == 10
    assert cells[3:] == [str(content.requests["new"][c]) for c in (*APPLICANT_KEYS, "total")]


def test_pdf_columns_form_has_a_page_footer_inside_the_requests_table() -> None:
    text = render_text(contents(1)[0], "pdf_columns")
    three = text[text.index("三、收到和处理") : text.index("四、政府信息公开行政复议")]
    assert re.search(r"^— \d+ —$", three, re.M)


def test_docx_has_real_merged_cells() -> None:
    import docx
    from docx.oxml.ns import qn

    content = contents(1)[0]
    document = docx.Document(io.BytesIO(render_docx_bytes(content)))
    assert len(document.tables) == 3
    xml = document.tables[1]._tbl.xml
    assert xml.count("w:gridSpan") >= 5 and "w:vMerge" in xml
    body = document.element.body
    assert body.find(qn("w:tbl")) is not None
    # python-docx reports the merged label in every covered cell.
    first_column = [row.cells[0].text for row in document.tables[1].rows]
    assert first_column.count("三、本年度办理结果") == (22 if content.layout == "2021" else 20)


def render_docx_bytes(content: ReportContent) -> bytes:
    from nianbao.demo.documents import render_docx

    return render_docx(content)
