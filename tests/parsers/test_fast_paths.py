"""The fast paths give exactly what the straightforward forms give.

PDF table pages are read from PDFium's characters and ruling paths instead of pdfminer's; the
scanning patterns lead with a character set instead of a lookbehind; pdfplumber's cell search, page
text and cell text are replaced by faster equivalents. Each is compared here with the form it
replaces, on real files and on generated input.
"""

from __future__ import annotations

import io
import random
import re
from pathlib import Path
from typing import Any

import pdfplumber
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from pdfplumber.table import TableFinder
from pdfplumber.utils import chars_to_textmap, extract_text

from nianbao.demo.documents import random_content, render_pdf
from parsers import pdf_text, segment
from parsers.folding import close_cjk_gaps, drop_pinyin, fold
from parsers.html import _tidy_lines, extract_html
from parsers.pdf import _TABLE_SETTINGS, _is_table_page, _page_tables, extract_pdf
from parsers.pdf_cells import cell_text, find_tables, table_cells
from parsers.pdfium_pages import read_pages
from parsers.tables import row_line, tables_text

SAMPLE_PDF = Path(__file__).resolve().parents[3] / "shared" / "samples" / "huaian-city-2024.pdf"


def _pdfs() -> list[bytes]:
    rng = random.Random(5)
    rendered = [
        render_pdf(random_content(rng, f"某县第{i}镇人民政府", 2021 + i % 3, ("2019", "2021")[i % 2], zero=i == 2))
        for i in range(4)
    ]
    return [SAMPLE_PDF.read_bytes(), *rendered]


PDFS = _pdfs()


# --- PDF: PDFium layout against pdfminer's -------------------------------------------------------


@pytest.mark.parametrize("index", range(len(PDFS)))
def test_pdfium_characters_have_pdfminers_text_and_geometry(index: int) -> None:
    data = PDFS[index]
    fast = read_pages(data, 200, _is_table_page)
    assert fast is not None
    laid_out = [(number, page.layout) for number, page in enumerate(fast.pages) if page.layout is not None]
    assert laid_out, "every sample prints its tables on some page"
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for number, layout in laid_out:
            reference = pdf.pages[number].chars
            assert [c["text"] for c in layout.chars] == [c["text"] for c in reference]
            for mine, theirs in zip(layout.chars, reference, strict=True):
                assert abs(mine["x0"] - theirs["x0"]) < 0.01
                assert abs(mine["top"] - theirs["top"]) < 0.01
                assert abs(mine["bottom"] - theirs["bottom"]) < 0.01
                # The right edge is PDFium's loose box: within a point of pdfminer's advance, far
                # below the 3-point gap that separates words.
                assert abs(mine["x1"] - theirs["x1"]) < 1.0
                assert mine["upright"] == theirs["upright"]


@pytest.mark.parametrize("index", range(len(PDFS)))
def test_pdfium_layout_gives_pdfminers_tables_and_page_text(index: int) -> None:
    data = PDFS[index]
    fast = read_pages(data, 200, _is_table_page)
    assert fast is not None
    grids = 0
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for number, page in enumerate(fast.pages):
            if page.layout is None:
                continue
            reference = pdf.pages[number]
            mine = [t.grid for t in _page_tables(page.layout, number + 1)]
            assert mine == [t.grid for t in _page_tables(reference, number + 1)]
            assert page.layout.extract_text() == reference.extract_text()
            grids += len(mine)
    assert grids >= 2


def test_real_sample_reads_the_same_through_either_path() -> None:
    document = extract_pdf(SAMPLE_PDF.read_bytes())
    assert document.warnings == []
    assert [(len(g), len(g[0])) for g in document.tables] == [(14, 4), (28, 10), (4, 15)]


def test_rotated_table_page_is_left_to_pdfminer() -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4)
    page.setPageRotation(90)
    page.setFont("Helvetica", 10)
    for i, x in enumerate((100, 200, 300)):
        page.line(x, 500, x, 600)
        page.line(100, 500 + 50 * i, 300, 500 + 50 * i)
    page.drawString(110, 570, "Ben nian xin shou 12")  # no CJK font needed: the page words decide
    page.showPage()
    page.save()
    data = buffer.getvalue()
    fast = read_pages(data, 200, lambda text: True)
    assert fast is not None and fast.pages[0].layout is None  # rotated: no PDFium layout
    unrotated = data.replace(b"/Rotate 90", b"/Rotate 0")
    fast = read_pages(unrotated, 200, lambda text: True)
    assert fast is not None and fast.pages[0].layout is not None
    assert [e["orientation"] for e in fast.pages[0].layout.edges].count("v") == 3


# PDFium started with the given font folders only, as on a machine with those fonts installed.
_WITH_FONT_FOLDER = """
import ctypes, json, random, sys
import pypdfium2.raw as pdfium_c
pdfium_c.FPDF_DestroyLibrary()
config = pdfium_c.FPDF_LIBRARY_CONFIG()
config.version = 2
folder = ctypes.POINTER(ctypes.c_char)
folders = (folder * 2)(ctypes.cast(ctypes.c_char_p(sys.argv[1].encode()), folder), None)
config.m_pUserFontPaths = folders
pdfium_c.FPDF_InitLibraryWithConfig(ctypes.byref(config))
from nianbao.demo.documents import random_content, render_pdf
from parsers import parse_document
from parsers.pdf import _is_table_page
from parsers.pdfium_pages import read_pages
data = render_pdf(random_content(random.Random(1), "某县第1镇人民政府", 2022, "2021"))
report = parse_document(data).to_dict()
print(json.dumps({"unreliable": [p.unreliable for p in read_pages(data, 200, _is_table_page).pages],
                  "report": {k: report[k] for k in ("requests", "review_litigation", "warnings")}}))
"""


def test_pages_whose_fonts_are_neither_embedded_nor_installed_are_left_to_pdfminer(tmp_path: Path) -> None:
    """The demo PDFs name STSong-Light without embedding it. Where no CJK font is installed PDFium
    has no glyph boxes for the text and drops characters (a wrapped 开 of （三）不予公开): those pages
    are read by pdfminer, and the report is the one a machine with the fonts reads."""
    import json
    import subprocess
    import sys

    def run(folder: Path) -> dict[str, Any]:
        done = subprocess.run(
            [sys.executable, "-c", _WITH_FONT_FOLDER, str(folder)],
            capture_output=True, text=True, timeout=120, check=True, cwd=Path(__file__).resolve().parents[2],
        )
        return json.loads(done.stdout)  # type: ignore[no-any-return]

    without_fonts = run(tmp_path)
    assert without_fonts["unreliable"][:2] == [True, True]  # the pages with CJK text
    rng = random.Random(1)
    expected = extract_pdf(render_pdf(random_content(rng, "某县第1镇人民政府", 2022, "2021")))
    assert expected.warnings == []
    assert without_fonts["report"]["warnings"] == []
    from parsers import parse_document

    rng = random.Random(1)
    report = parse_document(render_pdf(random_content(rng, "某县第1镇人民政府", 2022, "2021"))).to_dict()
    assert without_fonts["report"]["requests"] == report["requests"]
    assert without_fonts["report"]["review_litigation"] == report["review_litigation"]


# --- pdfplumber's table search and cell text ------------------------------------------------------


@pytest.mark.parametrize("index", range(len(PDFS)))
def test_cell_search_and_cell_text_equal_pdfplumbers(index: int) -> None:
    with pdfplumber.open(io.BytesIO(PDFS[index])) as pdf:
        compared = 0
        for page in pdf.pages:
            theirs = TableFinder(page, _TABLE_SETTINGS).tables
            mine = find_tables(page, _TABLE_SETTINGS)
            assert [t.cells for t in mine] == [t.cells for t in theirs]
            for table in mine:
                texts, boxes = table_cells(table)
                assert texts == table.extract()
                assert boxes == [row.cells for row in table.rows]
                compared += 1
        assert compared >= 1


@st.composite
def _rules(draw: Any) -> list[dict[str, Any]]:
    """Ruling edges on a coarse lattice, so rules cross, touch, stop short and coincide."""
    edges = []
    for _ in range(draw(st.integers(0, 24))):
        if draw(st.booleans()):
            x, top = draw(st.sampled_from([10.0, 20.0, 30.0, 41.5, 60.0])), draw(st.sampled_from([0.0, 5.0, 10.0, 20.0]))
            bottom = top + draw(st.sampled_from([0.0, 5.0, 10.0, 20.0, 40.0]))
            edges.append({"x0": x, "x1": x, "top": top, "bottom": bottom, "orientation": "v"})
        else:
            y, x0 = draw(st.sampled_from([0.0, 5.0, 10.0, 12.0, 20.0, 30.0])), draw(st.sampled_from([0.0, 10.0, 20.0]))
            x1 = x0 + draw(st.sampled_from([0.0, 10.0, 20.0, 60.0]))
            edges.append({"x0": x0, "x1": x1, "top": y, "bottom": y, "orientation": "h"})
    return edges


@settings(max_examples=400, deadline=None)
@given(_rules())
def test_crossings_cells_and_tables_equal_pdfplumbers(edges: list[dict[str, Any]]) -> None:
    from pdfplumber.table import cells_to_tables, edges_to_intersections, intersections_to_cells

    from parsers.pdf_cells import cells_to_tables as tables_here
    from parsers.pdf_cells import crossings_to_cells, rule_crossings

    intersections = edges_to_intersections(edges, 3, 3)
    crossings = rule_crossings(edges, 3, 3)
    assert sorted(crossings.vertical) == sorted(intersections)
    cells = intersections_to_cells(intersections)
    assert crossings_to_cells(crossings) == cells
    assert tables_here(cells) == cells_to_tables(cells)
    assert tables_here(cells[::-1]) == cells_to_tables(cells[::-1])


@st.composite
def _page_rules(draw: Any) -> list[dict[str, Any]]:
    """Rules as a page gives them: near-coincident positions to snap, touching pieces to join,
    short bits to drop, now and then a curve's edge with no orientation."""
    edges: list[dict[str, Any]] = []
    for _ in range(draw(st.integers(0, 16))):
        offset = draw(st.sampled_from([0.0, 0.1, 0.3333, 2.9]))
        if draw(st.booleans()):
            x, top = draw(st.sampled_from([10.0, 12.9, 20.0, 22.0])) + offset, draw(st.sampled_from([0.0, 5.0, 20.0]))
            bottom = top + draw(st.sampled_from([0.0, 0.5, 2.0, 10.0, 40.0]))
            edges.append({"x0": x, "x1": x, "top": top, "bottom": bottom, "width": 0.0, "height": bottom - top,
                          "orientation": "v", "object_type": "line"})
        else:
            y, x0 = draw(st.sampled_from([0.0, 2.5, 10.0])) + offset, draw(st.sampled_from([0.0, 3.0, 20.0]))
            x1 = x0 + draw(st.sampled_from([0.0, 1.0, 2.0, 20.0]))
            edges.append({"x0": x0, "x1": x1, "top": y, "bottom": y, "width": x1 - x0, "height": 0.0,
                          "orientation": draw(st.sampled_from(["h", "h", None])), "object_type": "rect_edge"})
    return edges


@settings(max_examples=400, deadline=None)
@given(_page_rules())
def test_ruling_edges_equal_pdfplumbers(edges: list[dict[str, Any]]) -> None:
    from pdfplumber.table import TableSettings

    from parsers.pdf_cells import ruling_edges

    resolved = TableSettings.resolve(_TABLE_SETTINGS)
    finder = TableFinder.__new__(TableFinder)
    finder.page, finder.settings = type("Page", (), {"edges": edges, "bbox": (0, 0, 600, 800)})(), resolved
    theirs = finder.get_edges()
    mine = ruling_edges(edges, resolved)
    assert mine == theirs
    assert [list(edge) for edge in mine] == [list(edge) for edge in theirs]


_CHAR_TEXTS = st.sampled_from(["a", "1", "中", " ", "ﬁ", "2", "、"])


@st.composite
def _cell_chars(draw: Any) -> list[dict[str, Any]]:
    chars = []
    x = draw(st.floats(0, 50))
    for _ in range(draw(st.integers(1, 7))):
        width = draw(st.sampled_from([3.0, 7.5, 9.0]))
        top = draw(st.sampled_from([10.0, 10.0, 10.0, 12.0, 14.5]))
        chars.append(
            {"text": draw(_CHAR_TEXTS), "x0": x, "x1": x + width, "top": top, "bottom": top + 9,
             "doctop": top + 100, "upright": draw(st.sampled_from([True, True, True, False]))}
        )
        x += width + draw(st.sampled_from([0.0, 0.5, 2.9, 3.0, 3.1, 6.0, -1.0]))
    return draw(st.permutations(chars))


@settings(max_examples=400, deadline=None)
@given(_cell_chars())
def test_one_line_cell_text_equals_pdfplumbers(chars: list[dict[str, Any]]) -> None:
    assert cell_text(chars) == extract_text(chars)


@st.composite
def _page_chars(draw: Any) -> list[dict[str, Any]]:
    """Characters over a few close lines, some rotated or empty, in any order."""
    chars = []
    for _ in range(draw(st.integers(1, 12))):
        x = draw(st.sampled_from([0.0, 1.0, 2.5, 3.0, 3.1, 6.0, 9.0, 20.0]))
        top = draw(st.sampled_from([10.0, 10.0, 12.0, 13.0, 13.5, 14.5, 20.0]))
        chars.append(
            {"text": draw(st.sampled_from(["a", "中", " ", "ﬁ", "", "\n", "、"])), "x0": x,
             "x1": x + draw(st.sampled_from([3.0, 9.0, -1.0])), "top": top,
             "bottom": top + draw(st.sampled_from([9.0, 2.0])), "doctop": top + 100,
             "upright": draw(st.sampled_from([True, True, False]))}
        )
    return chars


@settings(max_examples=600, deadline=None)
@given(_page_chars())
def test_page_and_cell_text_equal_pdfplumbers(chars: list[dict[str, Any]]) -> None:
    assert pdf_text.text(chars) == extract_text(chars)
    assert pdf_text.page_text(chars) == chars_to_textmap(chars).as_string


# --- Scanning patterns: the fast form against the plain lookbehind form --------------------------

_REFERENCE = {
    "null": (re.compile(r"(?<![^\s|])(?:[-—–/]{1,3}|无|空|×)(?![^\s|])"), segment._NULL_MARKERS, "~"),
    "gap": (re.compile(r"(?<=[^\x00-\x7f])[ \t\n\u3000]+(?=[^\x00-\x7f])"), segment._LABEL_GAP, ""),
    "change": (
        re.compile(r"(?<![\u4e00-\u9fff/])(减少|增加|减|增)[ \t]*(?=\d)"),
        segment._CHANGE_WORDS,
        None,
    ),
}
_TEXT = st.text(alphabet="0123456789 \t\n|~-—–/无空×.,、(（)）%年月日号页第字规章减少增加二十\u3000a", max_size=40)


@settings(max_examples=600, deadline=None)
@given(_TEXT)
def test_fast_scanning_patterns_match_their_reference_forms(text: str) -> None:
    for reference, fast, replacement in _REFERENCE.values():
        if replacement is None:
            assert fast.sub(segment._signed, text) == reference.sub(segment._signed, text)
        else:
            assert fast.sub(replacement, text) == reference.sub(replacement, text)
    glued = re.compile(r"(?<=\d)(?=[1-9][.、](?!\d))")
    assert segment.unglue_enumerators(text) == glued.sub(" ", text)
    cjk_gap = re.compile(r"(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])")
    assert close_cjk_gaps(text) == cjk_gap.sub("", text)


_VALUE_REFERENCE = re.compile(
    r"(?P<null>(?<![^\s|])~(?![^\s|]))"
    r"|(?P<num>(?:-(?=\d)|(?<![\d.(（/第]))\d[\d,]*(?:\.\d+)?)"
    r"(?![\d)）%年月日号页条项]|[(（](?![一二三四五六七八九十]{1,2}[)）])|[.、](?!\d))"
)


@settings(max_examples=600, deadline=None)
@given(_TEXT)
def test_value_tokens_match_the_reference_pattern(text: str) -> None:
    expected = [
        (None, m.group(0)) if m.group("null") else (segment.to_number(m.group("num")), m.group("num"))
        for m in _VALUE_REFERENCE.finditer(text)
    ]
    assert segment.value_tokens(text) == expected


_FOOTER_REFERENCE = re.compile(
    r"^[ \t]*(?:[-—–]+[ \t]*\d{1,3}[ \t]*[-—–]+|第[ \t]*\d{1,3}[ \t]*页(?:[ \t]*[,/]?[ \t]*共[ \t]*\d{1,3}[ \t]*页)?"
    r"|共[ \t]*\d{1,3}[ \t]*页[ \t]*第[ \t]*\d{1,3}[ \t]*页|\d{1,3}[ \t]*/[ \t]*\d{1,3}|page[ \t]*\d+(?:[ \t]*of[ \t]*\d+)?"
    r"|[^\n\d]{0,40}\d{4}[ \t]*年度?[^\n\d]{0,20}工作年度报告[ \t]*)[ \t]*$",
    re.M | re.I,
)
_FOOTER_LINES = st.lists(
    st.sampled_from(["- 3 -", "第2页", "共3页第1页", "12/30", "page 3 of 4", " 2023年度某镇工作年度报告 ",
                     "规章\t1\t2", "", "第 2 页 / 共 3 页", "—12—", "2023年", "PAGE 2", "第2页 2023年工作年度报告",
                     "3/4工作年度报告", "12.其他", "002.其他法律"]),
    max_size=6,
).map("\n".join)


@settings(max_examples=400, deadline=None)
@given(_FOOTER_LINES)
def test_footer_lines_removed_as_the_line_anchored_pattern_removes_them(text: str) -> None:
    expected = _FOOTER_REFERENCE.sub("", text)
    first = segment._FOOTER_FIRST_LINE.match(text)
    fast = text[first.end() :] if first else text
    fast = segment._PAGE_NUMBER_LINES.sub("\n", fast)
    if segment._TITLE_FOOTER_WORD in fast:
        fast = segment._TITLE_FOOTER_LINES.sub("\n", fast)
    assert fast == expected


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=" \r\u3000\xa0\n\ta\f\v", max_size=16))
def test_body_lines_tidied_as_line_by_line(text: str) -> None:
    by_line = "\n".join(re.sub(r"[ \r\f\v\u3000\xa0]+", " ", line).strip(" ") for line in text.split("\n"))
    assert _tidy_lines(text) == re.sub(r"\n{3,}", "\n\n", by_line).strip()


# --- Grid rows and HTML cells ---------------------------------------------------------------------

_NULLISH = {"", "/", "-", "—", "——", "–", "无", "空", "×"}
_NUMERIC = re.compile(r"^[-+]?\d[\d,]*(?:\.\d+)?\s*(?:万?元|件|个|项)?$")


def _reference_row_line(row: list[str]) -> str:
    cells = [c.replace("\n", "").replace("\t", " ").strip() for c in row]
    cells = [c.replace(" ", "") if " " in c and re.match(r"^[-+]?\d[\d ,]*(?:\.\d+)?$", c) else c for c in cells]
    numeric = [_NUMERIC.match(c) is not None for c in cells]
    last_label = max((i for i, c in enumerate(cells) if not numeric[i] and c not in _NULLISH), default=-1)
    out: list[str] = []
    for i, c in enumerate(cells):
        if i > last_label and any(numeric):
            out.append(c if c not in _NULLISH else "~")
        elif c and not (out and out[-1] == c and not numeric[i]):
            out.append(c)
    return "\t".join(out)


_FOLDABLE_CELL = st.text(alphabet="規费(（)）guīzhāng\u200b\ufeff\r\n\t ５，１２－／　\xa0x序号总计自然人", max_size=8)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.lists(_FOLDABLE_CELL, min_size=1, max_size=4), min_size=1, max_size=4))
def test_grid_lines_are_folded_but_for_pinyin_a_removed_character_hid(grid: list[list[str]]) -> None:
    width = max(len(row) for row in grid)
    text = tables_text([[*row, *[""] * (width - len(row))] for row in grid])
    assert drop_pinyin(text) == fold(text)


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(["", "/", "-", "无", "12", "3", "1,234", "12.5", "3 4", " 5 ", "规章", "规章",
                                 "\n7", "x\ty", "²", "５", "12件", "-3", "—", "1.属于国家秘密", "1 属于", "+x",
                                 " ", "第二十条"]), max_size=9))
def test_row_line_fast_path_matches_the_cell_by_cell_rule(row: list[str]) -> None:
    assert row_line(row) == _reference_row_line(row)


def test_html_cells_with_and_without_child_elements_read_alike() -> None:
    page = (
        "<html><body><div><p>2023年某镇政府信息公开工作年度报告</p><table>"
        "<tr><td>信息内容</td><td><p><span>本年</span><span>制发件数</span></p></td></tr>"
        "<tr><td>规章</td><td> 1\u3000</td></tr><tr><td><b>行政\xa0规范性文件</b></td><td><span>12</span></td></tr>"
        "</table></div></body></html>"
    ).encode()
    assert extract_html(page).tables == [[["信息内容", "本年制发件数"], ["规章", "1"], ["行政 规范性文件", "12"]]]


@pytest.mark.parametrize(("encoding", "declared"), [("utf-8", "utf-8"), ("gb18030", "gbk"), ("utf-16", "utf-16")])
def test_control_characters_dropped_in_every_encoding(encoding: str, declared: str) -> None:
    page = f'<html><head><meta charset="{declared}"></head><body><p>规章\x01\x07 报告\x1b</p></body></html>'
    doc = extract_html(page.encode(encoding))
    assert doc.text == "规章 报告"


def _reference_grid(table: Any) -> list[list[str]]:
    """Merged cells repeated into the positions they cover, the position found cell by cell."""
    from parsers.html import _nearest_table, _span

    rows = [tr for tr in table.iter("tr") if _nearest_table(tr) is table]
    grid: list[list[str | None]] = [[] for _ in rows]
    for r, tr in enumerate(rows):
        c = 0
        for cell in tr.iterchildren("td", "th"):
            while c < len(grid[r]) and grid[r][c] is not None:
                c += 1
            text = " ".join(etree.tostring(cell, method="text", encoding="unicode", with_tail=False).split())
            rs = min(_span(cell.get("rowspan")), len(rows) - r)
            cs = _span(cell.get("colspan"))
            for dr in range(rs):
                target = grid[r + dr]
                target.extend([None] * max(0, c + cs - len(target)))
                for dc in range(cs):
                    target[c + dc] = text
            c += cs
    width = max((len(row) for row in grid), default=0)
    return [[x or "" for x in row] + [""] * (width - len(row)) for row in grid if row]


_CELL = st.tuples(
    st.sampled_from(["12", "规章", "", " 3 ", "<b>行政</b>许可", "<p><span>1</span>0</p>", "a\xa0b"]),
    st.sampled_from(["", ' rowspan="2"', ' colspan="3"', ' rowspan="2" colspan="2"', ' rowspan="x"',
                     ' colspan="99"', ' style="a"', ' rowspan="9" style="b"', ' ROWSPAN="2"']),
    st.sampled_from(["td", "th"]),
)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.lists(_CELL, max_size=5), min_size=1, max_size=6))
def test_table_grid_matches_the_cell_by_cell_reference(rows: list[list[tuple[str, str, str]]]) -> None:
    from parsers.html import _PARSER, table_grid

    html = "<html><body><table>" + "".join(
        "<tr>" + "".join(f"<{tag}{attrs}>{text}</{tag}>" for text, attrs, tag in row) + "</tr>" for row in rows
    ) + "</table></body></html>"
    table = etree.fromstring(html, _PARSER).find(".//table")
    assert table_grid(table) == _reference_grid(table)



@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(["", " ", "\u3000", "\u200b", "\r", "\xa0", "某县人民政府", "２０２４年１月", "區（qū）",
                                 "（", "qū）", "。", "\t", "2024年1月30日"]), max_size=40).map("".join),
       st.integers(0, 30))
def test_closing_lines_are_the_folded_texts_last_lines(chunk: str, breaks: int) -> None:
    from parsers.folding import fold
    from parsers.metadata import _SIGNATURE_LINES, _closing_lines

    text = "\n".join([chunk] * (breaks + 1)) + chunk * (breaks % 3)
    text = text * (1 + 3000 // max(len(text), 1)) if breaks % 2 else text  # past the window, or within
    expected = [line.strip() for line in fold(text[-3000:]).split("\n") if line.strip()][-_SIGNATURE_LINES:]
    assert _closing_lines(text) == expected


@settings(max_examples=800, deadline=None)
@given(st.lists(st.sampled_from([b"<p>", b"<P >", b"<a  href", b"<br/>", b"\xd6\xd0", b"\x81", b"\x81\x30", b"\xff",
                                 b"\xe4\xb8\xad", b"\xe4\xb8", b"<?xml", b"<html>", b"<?x", b"ml", b" ", b"\n", b"<",
                                 b"p", b"\xef\xbb\xbf", b"abc", b"\x84\x31\x95\x33"]), max_size=30).map(b"".join))
def test_html_is_sniffed_from_the_bytes_as_from_the_decoded_prefix(data: bytes) -> None:
    from parsers import sniff

    head = data[: sniff._SNIFF_PREFIX]
    decoded = sniff._decode_prefix(head)
    by_text = bool(data.strip()) and decoded is not None and sniff._looks_like_html(decoded)
    assert (sniff.sniff_kind(data) == "html") == by_text
