"""A cell merged across columns holds one value, however the header above it is merged.

Real tables merge their header cells and their value cells over different grid columns (本年新公开数量
over two columns; the values of 上一年项目数量 over two). Copies of a merged value cell are dropped
before a row is read, so neighbouring equal values (4, 4, 131) are never taken for one cell's copies.
"""

from __future__ import annotations

import io

from docx import Document as WordDocument
from lxml import etree

from parsers import parse_document
from parsers.html import table_grid
from parsers.tables import grid_text


def _html_table(rows: str) -> etree._Element:
    return etree.fromstring(f"<table>{rows}</table>", etree.HTMLParser()).find(".//table")


def test_html_grid_marks_the_positions_a_cell_covers_to_its_right() -> None:
    grid = table_grid(_html_table(
        '<tr><td>信息内容</td><td>本年新制作数量</td><td colspan="2">本年新公开数量</td><td>对外公开总数量</td></tr>'
        '<tr><td>规章</td><td>4</td><td colspan="2">4</td><td>131</td></tr>'
        '<tr><td rowspan="2">x</td><td colspan="3">5</td><td>6</td></tr>'
        '<tr><td>7</td><td>8</td><td>9</td><td>10</td></tr>'
    ))
    assert grid[1] == ["规章", "4", "4", "4", "131"]  # the grid is still what a reader sees
    assert grid.copies == frozenset({(0, 3), (1, 3), (2, 2), (2, 3)})
    assert grid_text(grid).splitlines()[1] == "规章\t4\t4\t131"


def test_value_rows_merged_unlike_their_header_read_one_value_per_cell() -> None:
    page = (
        "<html><body><p>二、主动公开政府信息情况</p><table>"
        '<tr><td colspan="5">第二十条第（一）项</td></tr>'
        '<tr><td>信息内容</td><td>本年新制作数量</td><td colspan="2">本年新公开数量</td><td>对外公开总数量</td></tr>'
        '<tr><td>规章</td><td>4</td><td colspan="2">4</td><td>131</td></tr>'
        '<tr><td>规范性文件</td><td>27</td><td colspan="2">27</td><td>27</td></tr>'
        '<tr><td colspan="5">第二十条第（五）项</td></tr>'
        '<tr><td>信息内容</td><td>上一年项目数量</td><td colspan="2">本年增/减</td><td>处理决定数量</td></tr>'
        '<tr><td>行政许可</td><td colspan="2">12</td><td>12</td><td>3407</td></tr>'
        "</table></body></html>"
    ).encode()
    report = parse_document(page)
    assert report.layout == "2019"
    assert report.active_disclosure is not None
    assert report.active_disclosure["regulations"] == {"made": 4, "published": 4, "total_public": 131}
    assert report.active_disclosure["normative_documents"] == {"made": 27, "published": 27, "total_public": 27}
    assert report.active_disclosure["licensing"] == {"previous_count": 12, "change": 12, "decisions": 3407}
    assert not [w for w in report.warnings if "extra cell" in w]


def test_docx_grid_span_is_one_value() -> None:
    word = WordDocument()
    word.add_paragraph("二、主动公开政府信息情况")
    table = word.add_table(rows=3, cols=5)
    header = ["信息内容", "本年新制作数量", "本年新公开数量", "本年新公开数量", "对外公开总数量"]
    for i, text in enumerate(header):
        table.cell(0, i).text = text
    table.cell(0, 2).merge(table.cell(0, 3))
    for r, (label, made, published, total) in enumerate((("规章", "4", "4", "131"), ("规范性文件", "9", "9", "60")), start=1):
        table.cell(r, 0).text = label
        table.cell(r, 1).text = made
        merged = table.cell(r, 2).merge(table.cell(r, 3))
        merged.text = published
        table.cell(r, 4).text = total
    buffer = io.BytesIO()
    word.save(buffer)
    report = parse_document(buffer.getvalue())
    assert report.active_disclosure is not None
    assert report.active_disclosure["regulations"] == {"made": 4, "published": 4, "total_public": 131}
    assert report.active_disclosure["normative_documents"] == {"made": 9, "published": 9, "total_public": 60}
