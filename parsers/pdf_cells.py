"""Ruled tables of a PDF page and the text of their cells, as pdfplumber finds them, faster.

pdfplumber's table finder compares every pair of intersections through sets it rebuilds on each
comparison, and its cell extraction tests every character of the page against every row. The
functions here give the same cells and the same cell text: the edge sets of each intersection
are built once, and characters are looked up by their vertical middle in a sorted index. Edge
merging, the intersection points, the grouping of cells into tables and the text layout of a
cell are pdfplumber's own.

``page`` is anything with pdfplumber's page attributes ``chars``, ``edges`` and ``bbox``: a
pdfplumber page or a PDFium layout (``pdfium_pages.PageLayout``).
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

Bbox = tuple[float, float, float, float]
Point = tuple[float, float]


def find_tables(page: Any, settings: dict[str, Any]) -> list[Any]:
    """pdfplumber ``Table`` objects of the page, for these table settings."""
    from pdfplumber.table import Table, TableFinder, TableSettings, cells_to_tables, edges_to_intersections

    resolved = TableSettings.resolve(settings)
    finder = TableFinder.__new__(TableFinder)  # its constructor would also run the slow cell search
    finder.page = page
    finder.settings = resolved
    edges = finder.get_edges()
    intersections = edges_to_intersections(
        edges, resolved.intersection_x_tolerance, resolved.intersection_y_tolerance
    )
    cells = intersections_to_cells(intersections)
    return [Table(page, group) for group in cells_to_tables(cells)]


def intersections_to_cells(intersections: dict[Point, dict[str, list[dict[str, Any]]]]) -> list[Bbox]:
    """The smallest ruled rectangle starting at each intersection, in pdfplumber's search order."""
    from pdfplumber.utils import obj_to_bbox

    vertical = {point: {obj_to_bbox(e) for e in found["v"]} for point, found in intersections.items()}
    horizontal = {point: {obj_to_bbox(e) for e in found["h"]} for point, found in intersections.items()}

    def connects(p: Point, q: Point) -> bool:
        if p[0] == q[0] and not vertical[p].isdisjoint(vertical[q]):
            return True
        return p[1] == q[1] and not horizontal[p].isdisjoint(horizontal[q])

    points = sorted(intersections)
    # Points sharing an x (a column of intersections) and sharing a y, each in sorted order.
    by_x: dict[float, list[int]] = defaultdict(list)
    by_y: dict[float, list[int]] = defaultdict(list)
    for i, (x, y) in enumerate(points):
        by_x[x].append(i)
        by_y[y].append(i)
    cells: list[Bbox] = []
    for i, point in enumerate(points[:-1]):
        below = [points[j] for j in by_x[point[0]] if j > i]
        right = [points[j] for j in by_y[point[1]] if j > i]
        cell = _smallest_cell(point, below, right, intersections, connects)
        if cell is not None:
            cells.append(cell)
    return cells


def _smallest_cell(point: Point, below: list[Point], right: list[Point], intersections: Any, connects: Any) -> Bbox | None:
    for below_point in below:
        if not connects(point, below_point):
            continue
        for right_point in right:
            if not connects(point, right_point):
                continue
            corner = (right_point[0], below_point[1])
            if corner in intersections and connects(corner, right_point) and connects(corner, below_point):
                return (point[0], point[1], corner[0], corner[1])
    return None


@dataclass(frozen=True)
class CharIndex:
    """A page's characters by vertical middle, built once for all its tables."""

    chars: list[dict[str, Any]]
    order: list[int]  # character positions, by vertical middle
    middles: list[float]  # vertical middles, ascending
    centres: list[float]  # horizontal middles, in the same order


def char_index(chars: list[dict[str, Any]]) -> CharIndex:
    middles = [(c["top"] + c["bottom"]) / 2 for c in chars]
    order = sorted(range(len(chars)), key=middles.__getitem__)
    return CharIndex(
        chars, order, [middles[k] for k in order], [(chars[k]["x0"] + chars[k]["x1"]) / 2 for k in order]
    )


def table_cells(table: Any, index: CharIndex | None = None) -> tuple[list[list[str | None]], list[list[Bbox | None]]]:
    """Text and box of every position of the table's rows (None where a merged cell covers it).

    A character belongs to a cell when its middle lies inside, left and top edges included (as in
    ``pdfplumber.table.Table.extract``); a cell's characters keep the page's order. ``index`` is
    the page's ``char_index``, when the caller has it.
    """
    if index is None:
        index = char_index(table.page.chars)
    chars = index.chars
    # The characters of a row's band (cells of a row share a top, mostly a bottom too) sorted by
    # horizontal middle: a cell's characters are one slice of its band.
    bands: dict[tuple[float, float], tuple[list[float], list[int]]] = {}
    texts: list[list[str | None]] = []
    boxes: list[list[Bbox | None]] = []
    for row in table.rows:
        row_texts: list[str | None] = []
        for cell in row.cells:
            if cell is None:
                row_texts.append(None)
                continue
            x0, top, x1, bottom = cell
            band = bands.get((top, bottom))
            if band is None:
                band = bands[(top, bottom)] = _band(index, top, bottom)
            centres, members = band
            picked = members[bisect_left(centres, x0) : bisect_left(centres, x1)]
            if len(picked) > 1:
                picked = sorted(picked)
            row_texts.append(cell_text([chars[k] for k in picked]) if picked else "")
        texts.append(row_texts)
        boxes.append(list(row.cells))
    return texts, boxes


def _band(index: CharIndex, top: float, bottom: float) -> tuple[list[float], list[int]]:
    """Horizontal middles (ascending) and positions of the characters whose vertical middle lies
    in [top, bottom)."""
    start, end = bisect_left(index.middles, top), bisect_left(index.middles, bottom)
    pairs = sorted(zip(index.centres[start:end], index.order[start:end], strict=True))
    return [centre for centre, _ in pairs], [k for _, k in pairs]


def cell_text(chars: list[dict[str, Any]]) -> str:
    """``pdfplumber.utils.extract_text`` of a cell's characters (default settings).

    Most cells hold one run of upright characters on one baseline with no gap wider than the
    word tolerance: that is one word on one line, its characters in left-to-right order. Any
    other cell goes through pdfplumber's word and line clustering (``pdf_text.text``).
    """
    from pdfplumber.utils.text import DEFAULT_X_TOLERANCE, LIGATURES

    from parsers.pdf_text import text

    if len(chars) == 1:  # a number cell, mostly: one character is one word
        only = chars[0]
        if only["upright"] and only["text"] and not only["text"].isspace():
            return str(LIGATURES.get(only["text"], only["text"]))
    top = chars[0]["top"]
    if all(c["upright"] and c["top"] == top and c["text"] and not c["text"].isspace() for c in chars):
        ordered = sorted(chars, key=lambda c: c["x0"])
        if all(b["x0"] <= a["x1"] + DEFAULT_X_TOLERANCE for a, b in zip(ordered, ordered[1:], strict=False)):
            return "".join(LIGATURES.get(c["text"], c["text"]) for c in ordered)
    return text(chars)
