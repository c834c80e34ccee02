"""Ruled tables of a PDF page and the text of their cells, as pdfplumber finds them, faster.

pdfplumber's table finder tests every vertical rule against every horizontal one, compares every
pair of intersections through sets it rebuilds on each comparison, regroups cells into tables
with a corner count per cell per sweep, and its cell extraction tests every character of the
page against every row. The functions here give the same tables and the same cell text: each
vertical rule meets only the horizontals near its span, the rule sets of each crossing are built
once, and characters are looked up by their middles in sorted indexes. Edge merging and the text
layout of a cell follow pdfplumber's own steps and arithmetic.

``page`` is anything with pdfplumber's page attributes ``chars``, ``edges`` and ``bbox``: a
pdfplumber page or a PDFium layout (``pdfium_pages.PageLayout``).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from dataclasses import dataclass
from itertools import groupby
from operator import itemgetter
from typing import Any

from parsers.pdf_text import cluster_index

Bbox = tuple[float, float, float, float]
Point = tuple[float, float]


def find_tables(page: Any, settings: dict[str, Any]) -> list[Any]:
    """pdfplumber ``Table`` objects of the page, for these table settings."""
    from pdfplumber.table import Table, TableFinder, TableSettings

    resolved = TableSettings.resolve(settings)
    if resolved.vertical_strategy == resolved.horizontal_strategy == "lines" and not (
        resolved.explicit_vertical_lines or resolved.explicit_horizontal_lines
    ):
        edges = ruling_edges(page.edges, resolved)
    else:
        finder = TableFinder.__new__(TableFinder)  # its constructor would also run the slow cell search
        finder.page = page
        finder.settings = resolved
        edges = finder.get_edges()
    crossings = rule_crossings(edges, resolved.intersection_x_tolerance, resolved.intersection_y_tolerance)
    return [Table(page, group) for group in cells_to_tables(crossings_to_cells(crossings))]


def ruling_edges(edges: list[dict[str, Any]], settings: Any) -> list[dict[str, Any]]:
    """``TableFinder.get_edges`` for the lines strategy: the page's rules long enough, snapped to
    the mean position of rules within the snap tolerance, joined along their line where they
    touch within the join tolerance, and kept when long enough.

    pdfplumber's own steps and arithmetic (cluster means summed in the same order, positions
    moved by the mean's offset), with fewer intermediate objects.
    """
    vertical = [e for e in edges if e["orientation"] == "v" and e["height"] >= settings.edge_min_length_prefilter]
    horizontal = [e for e in edges if e["orientation"] == "h" and e["width"] >= settings.edge_min_length_prefilter]
    if settings.snap_x_tolerance > 0 or settings.snap_y_tolerance > 0:
        vertical = _snapped(vertical, "x0", settings.snap_x_tolerance)
        horizontal = _snapped(horizontal, "top", settings.snap_y_tolerance)
    merged = sorted(vertical + horizontal, key=_line_of)
    joined: list[dict[str, Any]] = []
    for (orientation, _), group in groupby(merged, _line_of):
        if orientation == "h":
            joined.extend(_joined(list(group), "x0", "x1", settings.join_x_tolerance))
        else:
            joined.extend(_joined(list(group), "top", "bottom", settings.join_y_tolerance))
    minimum = settings.edge_min_length
    return [e for e in joined if e["height" if e["orientation"] == "v" else "width"] >= minimum]


def _line_of(edge: dict[str, Any]) -> tuple[str, float]:
    return ("h", edge["top"]) if edge["orientation"] == "h" else ("v", edge["x0"])


def _snapped(edges: list[dict[str, Any]], key: str, tolerance: float) -> list[dict[str, Any]]:
    """``pdfplumber.utils.snap_objects``: edges clustered on ``key``, each moved to its
    cluster's mean, clusters in order."""
    index = cluster_index([e[key] for e in edges], tolerance)
    clusters: dict[int, list[dict[str, Any]]] = {}
    for edge in edges:
        clusters.setdefault(index[edge[key]], []).append(edge)
    moved: list[dict[str, Any]] = []
    for number in sorted(clusters):
        cluster = clusters[number]
        mean = sum(map(itemgetter(key), cluster)) / len(cluster)
        moved.extend(_moved(edge, key, mean - edge[key]) for edge in cluster)
    return moved


def _moved(edge: dict[str, Any], key: str, offset: float) -> dict[str, Any]:
    """``pdfplumber.utils.move_object`` along the axis ``key`` (x0: across, top: down)."""
    if key == "x0":
        return {**edge, "x0": edge["x0"] + offset, "x1": edge["x1"] + offset}
    moved = {**edge, "top": edge["top"] + offset, "bottom": edge["bottom"] + offset}
    if "doctop" in edge:
        moved["doctop"] = edge["doctop"] + offset
    if "y0" in edge:
        moved["y0"], moved["y1"] = edge["y0"] - offset, edge["y1"] - offset
    return moved


def _joined(edges: list[dict[str, Any]], start: str, end: str, tolerance: float) -> list[dict[str, Any]]:
    """``pdfplumber.table.join_edge_group``: edges on one line, in order of their start, each
    extending the previous one it reaches within the tolerance."""
    ordered = sorted(edges, key=itemgetter(start))
    joined = [ordered[0]]
    for edge in ordered[1:]:
        last = joined[-1]
        if edge[start] <= last[end] + tolerance:
            if edge[end] > last[end]:
                joined[-1] = _extended(last, end, edge[end])
        else:
            joined.append(edge)
    return joined


def _extended(edge: dict[str, Any], end: str, value: float) -> dict[str, Any]:
    """``pdfplumber.utils.resize_object`` of an edge's far end (x1 or bottom)."""
    if end == "x1":
        assert value >= edge["x0"]  # noqa: S101 - pdfplumber's own check, kept so failures match
        return {**edge, "x1": value, "width": value - edge["x0"]}
    assert value >= edge["top"]  # noqa: S101 - as above
    diff = value - edge["bottom"]
    extended = {**edge, "bottom": value, "height": edge["height"] + diff}
    if "y0" in edge:
        extended["y0"] = edge["y0"] - diff
    return extended


@dataclass(frozen=True)
class Crossings:
    """The points where a vertical and a horizontal rule meet, and the rules through each point
    (a rule is its box: edges with equal boxes are one rule, as in pdfplumber's comparison)."""

    vertical: dict[Point, set[int]]
    horizontal: dict[Point, set[int]]


def rule_crossings(edges: list[dict[str, Any]], x_tolerance: float, y_tolerance: float) -> Crossings:
    """``pdfplumber.table.edges_to_intersections``: a vertical rule meets a horizontal one when
    it spans the horizontal's height and the horizontal reaches its x, within the tolerances.

    Each vertical rule is tested only against the horizontals whose height is near its span
    (found by bisection, with a point of margin against rounding), with pdfplumber's own test.
    """
    ids: dict[Bbox, int] = {}
    vertical: dict[Point, set[int]] = {}
    horizontal: dict[Point, set[int]] = {}
    verticals = sorted((e for e in edges if e["orientation"] == "v"), key=itemgetter("x0", "top"))
    horizontals = sorted((e for e in edges if e["orientation"] == "h"), key=itemgetter("top", "x0"))
    tops = [h["top"] for h in horizontals]
    for v in verticals:
        v_id = ids.setdefault(_box(v), len(ids))
        v_top, v_bottom, v_x = v["top"], v["bottom"], v["x0"]
        start = bisect_left(tops, v_top - y_tolerance - 1.0)
        end = bisect_right(tops, v_bottom + y_tolerance + 1.0)
        for h in horizontals[start:end]:
            h_top = h["top"]
            if (
                v_top <= h_top + y_tolerance
                and v_bottom >= h_top - y_tolerance
                and v_x >= h["x0"] - x_tolerance
                and v_x <= h["x1"] + x_tolerance
            ):
                vertex = (v_x, h_top)
                if vertex not in vertical:
                    vertical[vertex], horizontal[vertex] = set(), set()
                vertical[vertex].add(v_id)
                horizontal[vertex].add(ids.setdefault(_box(h), len(ids)))
    return Crossings(vertical, horizontal)


def _box(edge: dict[str, Any]) -> Bbox:
    return (edge["x0"], edge["top"], edge["x1"], edge["bottom"])


def crossings_to_cells(crossings: Crossings) -> list[Bbox]:
    """``pdfplumber.table.intersections_to_cells``: from each crossing in sorted order, the first
    crossing below it on a shared vertical rule and the first to its right on a shared horizontal
    rule whose far corner closes the rectangle on both rules."""
    vertical, horizontal = crossings.vertical, crossings.horizontal
    points = sorted(vertical)
    columns: dict[float, list[Point]] = defaultdict(list)
    rows: dict[float, list[Point]] = defaultdict(list)
    for point in points:
        columns[point[0]].append(point)
        rows[point[1]].append(point)
    # Each point's successors in its column and its row, in sorted order.
    below = {point: line[i + 1 :] for line in columns.values() for i, point in enumerate(line)}
    right = {point: line[i + 1 :] for line in rows.values() for i, point in enumerate(line)}
    cells: list[Bbox] = []
    for point in points[:-1]:
        cell = _smallest_cell(point, below[point], right[point], vertical, horizontal)
        if cell is not None:
            cells.append(cell)
    return cells


def _smallest_cell(
    point: Point, below: list[Point], right: list[Point], vertical: dict[Point, set[int]], horizontal: dict[Point, set[int]]
) -> Bbox | None:
    down, across = vertical[point], horizontal[point]
    # The right points on a rule through ``point``, found as far along the row as needed so far.
    reachable: list[Point] = []
    tested = 0
    for below_point in below:
        if down.isdisjoint(vertical[below_point]):
            continue
        floor, y = horizontal[below_point], below_point[1]
        k = 0
        while True:
            if k == len(reachable):
                if tested == len(right):
                    break
                candidate = right[tested]
                tested += 1
                if across.isdisjoint(horizontal[candidate]):
                    continue
                reachable.append(candidate)
            right_point = reachable[k]
            k += 1
            corner = (right_point[0], y)
            side = vertical.get(corner)
            if side is not None and not side.isdisjoint(vertical[right_point]) and not horizontal[corner].isdisjoint(floor):
                return (point[0], point[1], corner[0], y)
    return None


def cells_to_tables(cells: list[Bbox]) -> list[list[Bbox]]:
    """``pdfplumber.table.cells_to_tables``: cells grouped into tables by shared corners.

    pdfplumber sweeps the remaining cells in order, adding each that shares a corner with the
    table so far, until a sweep adds none; the next remaining cell starts the next table. The
    same sweeps, with each cell's corners built once and a sweep's leftovers kept in order.
    """
    remaining = [(cell, _corners(cell)) for cell in cells]
    corners: set[Point] = set()
    current: list[Bbox] = []
    tables: list[list[Bbox]] = []
    while remaining:
        added = len(current)
        left: list[tuple[Bbox, tuple[Point, Point, Point, Point]]] = []
        for cell, four in remaining:
            if not current or four[0] in corners or four[1] in corners or four[2] in corners or four[3] in corners:
                corners.update(four)
                current.append(cell)
            else:
                left.append((cell, four))
        remaining = left
        if len(current) == added:
            tables.append(current)
            corners, current = set(), []
    if current:
        tables.append(current)
    ordered = sorted(tables, key=lambda table: min((c[1], c[0]) for c in table))
    return [table for table in ordered if len(table) > 1]


def _corners(cell: Bbox) -> tuple[Point, Point, Point, Point]:
    x0, top, x1, bottom = cell
    return ((x0, top), (x0, bottom), (x1, top), (x1, bottom))


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
    for row in table_rows(table.cells):
        row_texts: list[str | None] = []
        for cell in row:
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
        boxes.append(row)
    return texts, boxes


def table_rows(cells: list[Bbox]) -> list[list[Bbox | None]]:
    """``pdfplumber.table.Table.rows`` as cell lists: cells grouped by top, each row one position
    per distinct left edge of the table (None where no cell of the row starts there). pdfplumber
    also builds each row's bounding box, which nothing here reads."""
    lefts = sorted({cell[0] for cell in cells})
    rows: list[list[Bbox | None]] = []
    for _, group in groupby(sorted(cells, key=itemgetter(1, 0)), itemgetter(1)):
        starts = {cell[0]: cell for cell in group}
        rows.append([starts.get(x) for x in lefts])
    return rows


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
        return text(chars)
    top = chars[0]["top"]
    for char in chars:
        value = char["text"]
        if not (char["upright"] and char["top"] == top and value and not value.isspace()):
            return text(chars)
    ordered = sorted(chars, key=_x0)
    end = ordered[0]["x1"]
    for char in ordered[1:]:
        if char["x0"] > end + DEFAULT_X_TOLERANCE:
            return text(chars)
        end = char["x1"]
    return "".join(LIGATURES.get(c["text"], c["text"]) for c in ordered)


_x0 = itemgetter("x0")
