"""The C walks over lxml's tree (parsers/html_walks.pyx) give exactly what the Python walks give.

The installed package is built with them (``pip install`` compiles the extension); the extractor
uses the Python walks only where no C compiler was found. Both are compared on the demo's report
pages in every site style, inside a portal's page chrome, on the HTML fixtures and on generated
markup with the shapes real pages have: nested tables, rows inside cells, merged cells with odd
span values, chrome inside chrome, entities, scripts and attributes without values.
"""

from __future__ import annotations

import random
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from nianbao.demo import chrome
from nianbao.demo import documents as demo
from parsers import html
from parsers.html import _CHROME_TAG_BYTES, _PARSER, _SKIP_TAG_BYTES, MAX_GRID_CELLS, MAX_LINKS, _span
from parsers.text import decode_text

walks = html._walks_in_c
FIXTURES = Path(__file__).resolve().parents[1]


def test_the_package_is_built_with_the_c_walks() -> None:
    from parsers import html_walks

    assert walks is html_walks


def _assert_same_walks(root: etree._Element) -> None:
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        assert walks.text_length(el) == html.python_text_length(el), el.tag
        assert walks.chrome_length(el, _CHROME_TAG_BYTES) == html.python_chrome_length(el), el.tag
        assert walks.heaviest_descent(
            el, _CHROME_TAG_BYTES, _SKIP_TAG_BYTES, html._is_page_frame, html._inside_leaf_table
        ) is html.python_heaviest_descent(el), el.tag
        out: list[str] = []
        grids: list[list[list[str]]] = []
        html.python_render(el, out, grids)
        pieces, tables = walks.render(el, _SKIP_TAG_BYTES, html._BLOCK_TAG_BYTES, MAX_GRID_CELLS, _span, html._finished_grid)
        assert "".join(pieces) == "".join(out), el.tag
        assert tables == grids
        assert [t.copies for t in tables] == [g.copies for g in grids]
        if el.tag == "table":
            ours, theirs = html.table_grid(el), html.python_table_grid(el)
            assert ours == theirs
            assert ours.copies == theirs.copies
    for limit in (0, 1, 3, MAX_LINKS):
        assert walks.links(root, limit) == html.python_links(root, limit)


def _pages() -> list[str]:
    rng = random.Random(7)
    pages = []
    for i, style in enumerate(demo.HTML_STYLES * 2):
        content = demo.random_content(rng, f"测试县第{i}镇人民政府", 2023, ("2019", "2021")[i % 2])
        body = demo.render_html_page(content, style)
        pages.append(body)
        pages.append(chrome.page(site="测试县人民政府", title="年度报告", body=body,
                                 nav=[("/", "首页"), ("/zwgk/", "政务公开")], crumbs=[("/", "首页")]))
    return pages


def test_the_walks_agree_on_every_demo_style_with_and_without_page_chrome() -> None:
    pages = _pages()
    assert len(pages) == 4 * len(demo.HTML_STYLES)
    tables = 0
    for page in pages:
        root = etree.fromstring(page, _PARSER)
        tables += sum(1 for _ in root.iter("table"))
        _assert_same_walks(root)
    assert tables >= 3 * len(pages)  # the statutory tables are there to compare


def test_the_walks_agree_on_the_html_fixtures() -> None:
    files = [f for f in FIXTURES.rglob("*") if f.suffix in (".html", ".htm")]
    assert len(files) >= 6
    for f in files:
        root = etree.fromstring(decode_text(f.read_bytes(), None)[0], _PARSER)
        _assert_same_walks(root)


_TEXT = st.sampled_from([
    "", "12", " 3 ", "规章", "行政\u3000许可", "a\xa0b", "&amp;", "&#26412;年", "\t\n", "１２", "<br>", "x&nbsp;y",
])
_ATTRS = st.sampled_from([
    "", ' rowspan="2"', ' colspan="3"', ' rowspan="2" colspan="2"', ' rowspan="x"', ' colspan="99"',
    ' rowspan', ' colspan=""', ' rowspan="2" rowspan="3"', ' ROWSPAN="2"', ' colspan=" 2 "', ' rowspan="1_0"',
    ' href="/a"', ' href=""', ' href', ' href="/x&amp;y"', ' style="a"',
])


def _markup(depth: int) -> st.SearchStrategy[str]:
    leaf = st.builds(lambda t: t, _TEXT)
    if depth == 0:
        return leaf
    inner = st.lists(_markup(depth - 1), max_size=3).map("".join)
    tag = st.sampled_from(["td", "th", "tr", "table", "a", "span", "script", "button", "select", "div", "p", "b"])
    element = st.builds(lambda t, a, body, close: f"<{t}{a}>{body}" + (f"</{t}>" if close else ""),
                        tag, _ATTRS, inner, st.booleans())
    comment = st.builds(lambda body: f"<!-- {body} -->", _TEXT)
    return st.one_of(leaf, element, comment)


@settings(max_examples=600, deadline=None)
@given(_markup(4))
def test_the_walks_agree_on_generated_markup(body: str) -> None:
    root = etree.fromstring(f"<html><body>{body}</body></html>", _PARSER)
    _assert_same_walks(root)


def test_a_table_over_the_cell_limit_is_cut_the_same_way() -> None:
    rows = "".join("<tr>" + "<td>1</td>" * 300 + "</tr>" for _ in range(150))
    merged = '<tr><td rowspan="3" colspan="40">9</td></tr>' * 400
    for table_html in (rows, merged + rows):
        table = etree.fromstring(f"<html><body><table>{table_html}</table></body></html>", _PARSER).find(".//table")
        ours, theirs = html.table_grid(table), html.python_table_grid(table)
        assert ours == theirs
        assert sum(map(len, ours)) >= MAX_GRID_CELLS // 2  # cut at the limit, not dropped
        assert sum(x != "" for row in ours for x in row) <= MAX_GRID_CELLS + 40 * 3


def test_a_span_value_is_read_by_the_shared_rule() -> None:
    table = etree.fromstring('<html><body><table><tr><td colspan="２">a</td><td>b</td></tr></table></body></html>',
                             _PARSER).find(".//table")
    # int() reads a full-width 2: both walks read span values with the one function.
    assert _span("２") == 2
    assert html.table_grid(table) == [["a", "a", "b"]] == html.python_table_grid(table)


def test_a_cells_whitespace_is_collapsed_as_str_split_does_for_every_space_character() -> None:
    spaces = [chr(c) for c in range(0x110000) if chr(c).isspace()]
    near_misses = ["\u200b", "\u2010", "\u180e", "\ufeff", "\u3001", "\xa1", "\u2030", "\u205e", "\u1681"]
    cells = "".join(
        f"<td>{ch}a{ch}{ch}b&#x{ord(ch):x};{ch}</td>" for ch in spaces + near_misses if ch not in "\r\x0c"
    )
    table = etree.fromstring(f"<html><body><table><tr>{cells}</tr></table></body></html>", _PARSER).find(".//table")
    ours = html.table_grid(table)
    assert ours == html.python_table_grid(table)
    assert ours[0][0] == "a b"  # a tab
    assert sum(cell == "a b" for cell in ours[0]) >= len(spaces) - 4


def test_the_extractor_reads_every_page_the_same_without_the_c_walks(monkeypatch) -> None:
    pages = [p.encode() for p in _pages()]
    pages += [f.read_bytes() for f in FIXTURES.rglob("*") if f.suffix in (".html", ".htm")]
    pages.append(b"<html><body><div id='zoom'><p>" + "见附件。".encode() + b"</p></div>"
                 + b"<div class='footer'>" + "版权所有 某某县人民政府办公室 地址电话".encode() * 5 + b"</div></body></html>")
    with_c = [html.extract_html(p) for p in pages]
    monkeypatch.setattr(html, "_walks_in_c", None)
    without = [html.extract_html(p) for p in pages]
    assert without == with_c
    assert [[t.copies for t in d.tables] for d in without] == [[t.copies for t in d.tables] for d in with_c]
    assert sum(len(d.tables) for d in with_c) >= 3 * len(_pages())
