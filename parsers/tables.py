"""Table grids → the line text the row reader (``segment``) understands.

A grid keeps positions, which text loses: an empty cell among a row's values is a null cell, not
a missing one. So in every row that holds a number, empty cells after the row's last label are
written as the null token; header rows drop their empty cells. Merged label cells repeated
across a row (colspan copies) are written once.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from parsers.document import Grid
from parsers.folding import fold
from parsers.segment import NULL_TOKEN

_NUMERIC = re.compile(r"^[-+]?\d[\d,]*(?:\.\d+)?\s*(?:万?元|件|个|项)?$")
_NULLISH = {"", "/", "-", "—", "——", "–", "无", "空", "×"}


_SPACED_NUMBER = re.compile(r"^[-+]?\d[\d ,]*(?:\.\d+)?$")


def _one_value(cell: str) -> str:
    """A grid cell holds one value, so spaces inside digits are separators, not cell breaks."""
    return cell.replace(" ", "") if " " in cell and _SPACED_NUMBER.match(cell) else cell


def _tidy(cell: str) -> str:
    if "\n" in cell or "\t" in cell:
        cell = cell.replace("\n", "").replace("\t", " ")
    return _one_value(cell.strip())


# The same statutory labels recur in every report: answered once, a label costs a cache lookup.
@lru_cache(maxsize=4096)
def _plain_label(cell: str) -> bool:
    """A cell tidying leaves as it is and that is neither a number nor a null mark."""
    if cell[0].isspace() or cell[-1].isspace() or "\n" in cell or "\t" in cell or cell in _NULLISH:
        return False
    if cell[0].isdecimal() or cell[0] in "+-":  # 1.属于国家秘密 is a label, 1,203 is not
        return " " not in cell and _NUMERIC.match(cell) is None
    return True


def _simple_row_line(row: list[str]) -> str | None:
    """The line of the common rows: plain labels (empty cells among them), then bare digits or
    nothing. None for any other row.

    Every digit cell is a value and every plain label a label, so the line is the labels with
    merged copies written once, then the digits.
    """
    end = len(row)
    while end and row[end - 1].isdecimal():
        end -= 1
    if end < len(row) and (not end or not row[end - 1] or not _plain_label(row[end - 1])):
        return None  # a null or empty cell before the digits is a value: the general rule decides
    labels: list[str] = []
    for cell in row[:end]:
        if not cell or (labels and labels[-1] == cell):
            continue  # empty, or a merged copy of the label just checked
        if not _plain_label(cell):
            return None
        labels.append(cell)
    return "\t".join(labels + row[end:])


def row_line(row: list[str]) -> str:
    simple = _simple_row_line(row)
    if simple is not None:
        return simple
    cells: list[str] = []
    numeric: list[bool] = []
    for cell in row:
        # Most cells are bare digits, which need no tidying and are numbers (isdecimal is \d).
        if cell.isdecimal():
            cells.append(cell)
            numeric.append(True)
        else:
            cell = _tidy(cell)
            cells.append(cell)
            numeric.append(_NUMERIC.match(cell) is not None)
    has_number = True in numeric
    last_label = len(cells) - 1
    while last_label >= 0 and (numeric[last_label] or cells[last_label] in _NULLISH):
        last_label -= 1
    # Values: every cell after the last label when the row holds a number; the rest are labels,
    # merged copies written once.
    values_from = last_label + 1 if has_number else len(cells)
    out: list[str] = []
    for i in range(values_from):
        c = cells[i]
        if c and not (out and out[-1] == c and not numeric[i]):
            out.append(c)
    out += [c if c not in _NULLISH else NULL_TOKEN for c in cells[values_from:]]
    return "\t".join(out)


_CELL_SEP = "\x1f"
_ROW_SEP = "\x1e"


_HEADER_ROWS = 4  # the column headers sit in the first rows of a table


def _header_column(rows: list[list[str]], word: str) -> int | None:
    for row in rows[:_HEADER_ROWS]:
        for i, cell in enumerate(row):
            if cell.replace(" ", "") == word:
                return i
    return None


def _column_moves(rows: list[list[str]]) -> tuple[bool, int | None]:
    """How the columns reach the statutory order: (drop a leading 序号 column, move this 总计
    column printed before 自然人 to the end)."""
    # The header words' characters must occur in the header rows at all before cells are compared.
    header = "".join("".join(row) for row in rows[:_HEADER_ROWS])
    drop_serial = "序" in header and _header_column(rows, "序号") == 0
    if drop_serial:
        rows = [row[1:] for row in rows]
    if "总" not in header or "自" not in header:
        return drop_serial, None
    total = _header_column(rows, "总计")
    person = _header_column(rows, "自然人")
    return drop_serial, total if total is not None and person is not None and total < person else None


def _moved(rows: list[list[Any]], drop_serial: bool, total: int | None) -> list[list[Any]]:
    if drop_serial:
        rows = [row[1:] for row in rows]
    if total is not None:
        rows = [row[:total] + row[total + 1 :] + [row[total]] if len(row) > total else row for row in rows]
    return rows


def standard_columns(rows: list[list[str]]) -> list[list[str]]:
    """Columns in the statutory order: a 序号 column dropped, a 总计 column printed first moved last."""
    return _moved(rows, *_column_moves(rows))


def _without_copies(row: list[str], copy: list[bool]) -> list[str]:
    return [cell for cell, is_copy in zip(row, copy, strict=False) if not is_copy] if True in copy else row


def grid_text(grid: Grid) -> str:
    return "\n".join(filter(None, [row_line(r) for r in grid_rows(grid)]))


def grid_rows(grid: Grid) -> list[list[str]]:
    """The grid's rows as the statutory reading sees them: folded, columns in the statutory order,
    a cell merged across columns written once."""
    # Fold the whole grid in one pass (per-cell folding dominates the cost on large tables).
    try:
        joined = _ROW_SEP.join([_CELL_SEP.join(row) for row in grid])
    except TypeError:  # a grid with None cells
        joined = _ROW_SEP.join(_CELL_SEP.join(c or "" for c in row) for row in grid)
    if joined.count(_ROW_SEP) != len(grid) - 1 or joined.count(_CELL_SEP) != sum(len(r) - 1 for r in grid if r):
        # A cell holding a separator character (a hostile or broken PDF's text): without it, the
        # grid keeps its rows and cells.
        joined = _ROW_SEP.join(
            _CELL_SEP.join((c or "").replace(_ROW_SEP, "").replace(_CELL_SEP, "") for c in row) for row in grid
        )
    folded = fold(joined)
    rows = [r.split(_CELL_SEP) for r in folded.split(_ROW_SEP)]
    moves = _column_moves(rows)
    rows = _moved(rows, *moves)
    copies: frozenset[tuple[int, int]] = getattr(grid, "copies", frozenset())
    if copies:
        # A cell merged across columns is one cell: its copies go before the row is read. Only
        # the rows holding copies are looked at (about half of a statutory table's).
        by_row: dict[int, set[int]] = {}
        for r, c in copies:
            by_row.setdefault(r, set()).add(c)
        for r, columns in by_row.items():
            if r >= len(grid):
                continue
            if moves == (False, None) and len(rows[r]) == len(grid[r]):
                rows[r] = [cell for c, cell in enumerate(rows[r]) if c not in columns]
            else:
                mark = _moved([[c in columns for c in range(len(grid[r]))]], *moves)[0]
                rows[r] = _without_copies(rows[r], mark)
    return rows


def tables_text(tables: list[Grid]) -> str:
    """All grids of a document, in order, as one text (a table split over pages continues)."""
    return "\n".join(grid_text(g) for g in tables)
