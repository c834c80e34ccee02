"""Clean grids read row by row give exactly what reading their row lines as text gives.

``grid_reading.read_grids`` is the fast way through tables whose rows name their statutory rows;
for anything else it must decline (None) and leave the grids to ``segment.read_sections``. Both
are run here on rendered reports of every form and on grids mangled at random.
"""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nianbao.demo.documents import random_content, render_docx, render_html_page, render_pdf
from parsers.api import extract_document
from parsers.document import Grid, TableGrid
from parsers.grid_reading import read_grids
from parsers.segment import TextReading, read_sections
from parsers.tables import tables_text

# Every form the demo renders is clean enough to be read row by row (PDF grids repeat a value
# merged across columns in each and hanweb's label cells span a blank column, which the fitting of
# cells takes as the text reading does).
CLEAN_FORMS = ("docx", "pdf", "template", "four_tables", "trs_word", "split_labels", "hanweb")


def _render(form: str, seed: int, layout: str) -> list[Grid]:
    rng = random.Random(seed)
    content = random_content(
        rng, f"某县第{seed}镇人民政府", 2020 + seed % 5, layout, zero=seed % 7 == 3, consistent=seed % 5 != 4
    )
    if form == "docx":
        data = render_docx(content)
    elif form == "pdf":
        data = render_pdf(content)
    else:
        data = render_html_page(content, form).encode("utf-8")
    return extract_document(data).tables


def _as_text(grids: list[Grid]) -> TextReading:
    return read_sections(tables_text(grids), grids=True)


CASES = [(form, seed, layout) for form in CLEAN_FORMS for seed in range(4) for layout in ("2019", "2021")]


@pytest.mark.parametrize(("form", "seed", "layout"), CASES)
def test_clean_tables_are_read_row_by_row_as_the_text_reading_reads_them(
    form: str, seed: int, layout: str
) -> None:
    grids = _render(form, seed, layout)
    fast = read_grids(grids)
    assert fast is not None, "a clean rendering is read row by row"
    assert fast == _as_text(grids)
    assert fast.layout == layout and not fast.warnings


def _rows(grids: list[Grid]) -> list[list[str]]:
    return [list(row) for row in grids[0]]


def _clean() -> list[Grid]:
    return _render("template", 2, "2021")


def test_a_missing_row_or_a_figure_in_a_label_declines() -> None:
    grids = _clean()
    assert read_grids(grids) is not None
    without_a_row = [TableGrid([row for row in grids[0] if row[0] != "行政许可"]), *grids[1:]]
    assert read_grids(without_a_row) is None
    figure_in_label = [
        TableGrid([[c.replace("行政处罚", "行政处罚3") for c in row] for row in grids[0]]),
        *grids[1:],
    ]
    assert read_grids(figure_in_label) is None
    # A label naming the row after it: the text reading would find that row there.
    two_names = [
        TableGrid([[c.replace("行政处罚", "行政处罚及行政强制") for c in row] for row in grids[0]]),
        *grids[1:],
    ]
    assert read_grids(two_names) is None
    # 减 closing the labels signs the row's figure for the text reading (行政处罚 | 减 | 5 is -5).
    signed = [
        TableGrid([[*row[:1], "减", *row[1:]] if row[0] == "行政处罚" else row for row in grids[0]]),
        *grids[1:],
    ]
    assert _as_text(signed).active_disclosure.table["punishment"]["decisions"][0] < 0  # type: ignore[index]
    assert read_grids(signed) is None


BASES = [
    _render(form, seed, layout)
    for form in ("template", "docx", "four_tables")
    for seed in (1, 2)
    for layout in ("2019", "2021")
]

_CELL_TEXTS = st.sampled_from(
    [
        "",
        "/",
        "-",
        "无",
        "——",
        "1,203",
        "12件",
        "+3",
        " 7",
        "7 ",
        "1 2",
        "3.5",
        "-4",
        "12元",
        "8万元",
        "0",
        "99",
        "合计",
        "其他",
        "规章",
        "予以公开",
        "部分公开",
        "总计",
        "行政复议",
        "维持",
        "第二十条",
        "信息内容",
        "1.",
        "2023年",
        "第3页",
        "區(qū)",
        "增加3",
        "减",
        "减少",
        "增",
        "减3",
        "増1",
        "减少2",
        "年度工作年度报告",
        "属于国家秘密1",
        "a\nb",
        "x\ty",
        "国家秘密",
        "本年新收",
        "三、收到和处理政府信息公开申请情况",
        "二、主动公开政府信息情况",
        "五、存在的主要问题",
        "申请办结数",
        "申请答复数",
        "采购总金额（万元）",
        "其他处理",
        "逾期不补正",
        "信访",
        "10.其他",
        "~",
        "序号",
        "自然人",
        "总计 ",
    ]
)


@st.composite
def _mangled(draw: st.DrawFn) -> list[Grid]:
    base = BASES[draw(st.integers(0, len(BASES) - 1))]
    grids = [[list(row) for row in grid] for grid in base]
    for _ in range(draw(st.integers(1, 4))):
        t = draw(st.integers(0, len(grids) - 1))
        rows = grids[t]
        if not rows:
            continue
        r = draw(st.integers(0, len(rows) - 1))
        action = draw(st.sampled_from(("cell", "cell", "cell", "drop", "repeat", "swap", "insert", "merge")))
        if action == "merge" and rows[r]:  # a cell repeated into the column after it, as PDF grids do
            c = draw(st.integers(0, len(rows[r]) - 1))
            rows[r].insert(c, rows[r][c])
        elif action == "cell" and rows[r]:
            rows[r][draw(st.integers(0, len(rows[r]) - 1))] = draw(_CELL_TEXTS)
        elif action == "drop":
            del rows[r]
        elif action == "repeat":
            rows.insert(r, list(rows[r]))
        elif action == "swap":
            s = draw(st.integers(0, len(rows) - 1))
            rows[r], rows[s] = rows[s], rows[r]
        elif action == "insert":
            width = len(rows[r])
            rows.insert(r, [draw(_CELL_TEXTS) for _ in range(width)])
    out = []
    for grid, original in zip(grids, base, strict=True):
        table = TableGrid(grid)
        table.copies = getattr(original, "copies", frozenset())
        out.append(table)
    return out


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_mangled())
def test_mangled_tables_are_read_as_the_text_reading_reads_them_or_left_to_it(grids: list[Grid]) -> None:
    fast = read_grids(grids)
    if fast is not None:
        assert fast == _as_text(grids)


_ROW_CELLS = st.one_of(
    _CELL_TEXTS,
    st.text(alphabet="0123456789", min_size=1, max_size=4),
    st.text(alphabet="0123456789-.,元万 \n\u3000１٣属于规章/", max_size=6),
)
# (No cell holds the \x1f that _split joins cells with: grid_rows takes it out of every cell.)


@settings(max_examples=1000, deadline=None)
@given(st.lists(_ROW_CELLS, max_size=9))
def test_a_row_is_split_as_cell_by_cell_splitting_splits_it(row: list[str]) -> None:
    from parsers.grid_reading import _split, _split_cells

    assert _split(row) == _split_cells(row)


def test_long_label_texts_are_not_remembered() -> None:
    from parsers.grid_reading import _label, _labelled, _names_row

    grids = _clean()
    long_label = "说明" * 300
    first = TableGrid([[long_label, *row[1:]] if row[0] == "规章" else row for row in grids[0]])
    first.copies = getattr(grids[0], "copies", frozenset())
    padded = [first, *grids[1:]]
    read_grids(grids)  # the template's own labels are remembered
    sizes = [f.cache_info().currsize for f in (_label, _labelled, _names_row)]
    read_grids(padded)
    read_grids([TableGrid([[long_label + "甲", "1"], [long_label + "乙", "2"]])])
    assert [f.cache_info().currsize for f in (_label, _labelled, _names_row)] == sizes


def test_a_set_of_grids_with_labels_beyond_the_bound_is_not_remembered() -> None:
    from parsers.grid_reading import _CACHED_SHAPE_TEXT, _label_texts, _text_plan

    grids = _clean()
    first = read_grids(grids)
    size = _label_texts.cache_info().currsize
    plans = _text_plan.cache_info()
    assert read_grids(grids) == first  # read from the remembered label texts: the same reading
    assert _label_texts.cache_info().currsize == size
    assert _text_plan.cache_info().currsize == plans.currsize
    assert _text_plan.cache_info().hits > plans.hits
    notes = [[f"注{i}：" + "说明文字" * 100] for i in range(_CACHED_SHAPE_TEXT // 400 + 2)]
    assert read_grids([*grids, TableGrid(notes)]) is None  # labels after section 四: read as text
    assert _label_texts.cache_info().currsize == size
