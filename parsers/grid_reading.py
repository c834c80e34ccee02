"""The statutory tables read straight from grids whose rows say which statutory row they are.

A grid keeps what text loses: where a row ends and which cells are its values. When every
statutory row is printed once, in the law's order, with its label cells first and then one plain
value per column, nothing needs searching: each row's label names it and its cells are its values.
``read_grids`` reads such grids row by row, with the reading ``segment.read_sections`` gives their
row lines (``tables.tables_text``), at a fraction of the cost. It returns None whenever the grids
are not that clean — a row missing, repeated or out of order, a label naming two rows, a figure
or a null mark inside a label, a cell that is not one plain value, a footer or pinyin in the
table — and the grids are then read as text, which handles all of that.

Every condition below stands for a way the text reading could see the grids differently: the row
lines it reads are the labels (joined where both neighbours are CJK, as ``segment.normalise``
joins them) followed by the values, so only the labels can move a row's search, and only values
become cells.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import groupby

from parsers.document import Grid
from parsers.folding import _PINYIN
from parsers.labels import (
    LAYOUT_2019,
    LAYOUT_2021,
    OLD_STATISTICS_MARKERS,
    REQ_2021_ROWS,
    REVIEW_COLUMNS,
    REVIEW_GROUPS,
    RowSpec,
    ad_rows,
    request_rows,
)
from parsers.segment import (
    _AD_HEADER,
    _AD_START,
    _CHANGE_WORDS,
    _CJK,
    _GLUED_ENUMERATOR,
    _H2,
    _H3,
    _H5,
    _LABEL_GAP,
    _NULL_MARKERS,
    _REVIEW_HEADER,
    _REVIEW_START,
    _SUBTABLE_HEADER,
    _TITLE_FOOTER_WORD,
    _UNIT_AFTER,
    _UNIT_HEADER,
    NULL_TOKEN,
    REVIEW_WIDTH,
    VALUE_RE,
    Cell,
    SectionReading,
    Table,
    TextReading,
    _first_match,
    fit_cells,
    layout_votes,
    to_number,
)
from parsers.tables import _NULLISH, _tidy, grid_rows

# A value cell this reading takes as it stands; anything else (1,203 · 12件 · +3 · a spaced
# number) is left to the text reading.
_PLAIN_VALUE = re.compile(r"-?\d+(?:\.\d+)?")
_AMOUNT = re.compile(r"(\d+(?:\.\d+)?)(万元|元)")
_SEP = "\x1f"
# Label texts up to this length are judged once and remembered; a longer one (a hostile page's
# cell) is judged each time, so the caches stay small whatever the pages hold.
_CACHED_TEXT = 400
# Section 三's rows both layouts print first (本年新收 … 要求行政机关确认或重新出具已获取信息).
_SHARED_REQUEST_ROWS = len(REQ_2021_ROWS) - 5
_DIGITS_AND_SEP = "0123456789" + _SEP  # str.rstrip strips these from a row line


@dataclass(slots=True)
class _Row:
    labels: str  # the label cells as the row line writes them
    cells: list[Cell] | None  # None: a row without values (a header, a heading)
    unit: str | None = None  # 元 / 万元 printed after a value


def _value(cell: str) -> tuple[Cell, str | None] | None:
    if cell.isdecimal():
        return (int(cell), cell), None
    if cell in _NULLISH:
        return (None, NULL_TOKEN), None
    if _PLAIN_VALUE.fullmatch(cell):
        return (to_number(cell), cell), None
    m = _AMOUNT.fullmatch(cell)
    if m:
        return (to_number(m.group(1)), m.group(1)), m.group(2)
    return None


@lru_cache(maxsize=4096)
def _label(cell: str) -> str:
    """A label cell as the row line writes it (labels recur in every report: tidied once)."""
    if "\n" in cell or "\t" in cell or cell != cell.strip():
        return _tidy(cell)
    return cell


def _split(row: list[str]) -> _Row | None:
    """A row of ``grid_rows`` (no cell holds \x1f) as labels and values; None when the text
    reading could read it otherwise.

    Most rows are labels, then bare digits: the digits are found, split and converted in C, and
    the labels, which recur in every report of a template, are judged once. Any other row is
    read cell by cell (``_split_cells``, which this equals).
    """
    line = _SEP.join(row)
    label_part = line.rstrip(_DIGITS_AND_SEP)
    run = line[len(label_part) :]
    if run and label_part and run[0] != _SEP:  # the run began inside a label (属于1): past it
        at = run.find(_SEP)
        label_part, run = (line, "") if at < 0 else (label_part + run[:at], run[at:])
    if not label_part:
        return _split_cells(row)
    tail = run[1:].split(_SEP) if run else []
    if "" in tail:
        if any(tail):
            return _split_cells(row)
        tail = []  # empty cells closing a row without figures
    labels = _labelled(label_part) if len(label_part) <= _CACHED_TEXT else _labelled.__wrapped__(label_part)
    if labels is None:
        return _split_cells(row)
    if not tail:
        return _Row(labels, None)
    return _Row(labels, list(zip(map(int, tail), tail, strict=True)))


@lru_cache(maxsize=4096)
def _labelled(label_part: str) -> str | None:
    """The label text of a row's cells before its digits; None when the last of them is a value."""
    cells = label_part.split(_SEP)
    return None if _value(cells[-1]) is not None else _labels(cells)


def _labels(cells: list[str]) -> str:
    """Label cells as the row line writes them: tidied, empty ones dropped, a label merged
    across columns written once."""
    cells = [_label(c) if len(c) <= _CACHED_TEXT else _label.__wrapped__(c) for c in cells]
    if "" in cells or len(set(cells)) < len(cells):
        cells = [label for label, _ in groupby(c for c in cells if c)]
    return "\t".join(cells)


def _split_cells(row: list[str]) -> _Row | None:
    """``_split`` cell by cell: values taken from the row's end while they are values."""
    end = len(row)
    values: list[Cell] = []
    unit = None
    while end and (read := _value(row[end - 1])) is not None:
        values.append(read[0])
        unit = read[1] or unit
        end -= 1
    values.reverse()
    labels = _labels(row[:end])
    if all(v is None for v, _ in values):
        # No figure in the row: the text reading writes its non-empty cells as labels, and a
        # null mark among them would be a cell (of whichever row it fell to).
        if any(raw != "" for raw in row[end:]):
            return None
        return _Row(labels, None)
    return _Row(labels, values, unit)


def _joined(lines: list[str]) -> str:
    return _LABEL_GAP.sub("", "\n".join(lines))


def _label_runs(rows: list[_Row]) -> tuple[list[tuple[str, _Row]], str, str] | None:
    """Each row with values and the label text before its values (rows without values since the
    previous one, then its own labels, joined as the text reading sees them); all of it; and the
    text after the last values."""
    # The texts depend on the labels alone, which a template prints the same in every report.
    shape = tuple((row.labels, row.cells is None) for row in rows)
    cached = sum(len(labels) for labels, _ in shape) <= _CACHED_SHAPE_TEXT
    found = (_label_texts if cached else _label_texts.__wrapped__)(shape)
    if found is None:
        return None
    texts, everything, tail = found
    return list(zip(texts, [row for row in rows if row.cells is not None], strict=True)), everything, tail


# The label texts of a whole set of grids are judged once up to this length (a statutory set of
# tables holds about 4,000 characters of labels).
_CACHED_SHAPE_TEXT = 20_000


@lru_cache(maxsize=256)
def _label_texts(shape: tuple[tuple[str, bool], ...]) -> tuple[tuple[str, ...], str, str] | None:
    """``_label_runs`` of rows given as (labels, without values): the run texts, all of them, the
    tail; None when the text reading could read the labels otherwise."""
    runs: list[str] = []
    pending: list[str] = []
    for labels, without_values in shape:
        if labels:
            pending.append(labels)
        if not without_values:
            runs.append(_joined(pending))
            pending = []
    tail = _joined(pending)
    everything = "\n".join([*runs, tail])
    # What the text reading does to the labels before it closes the gaps between them (a null
    # mark standing alone becomes a cell, pinyin and page footers go, 增加3 is a value) and after.
    # (A row's values stand for one figure after its labels: 减 closing a label signs it.)
    raw = "\n".join(labels if without_values else labels + "\t0" for labels, without_values in shape)
    if (
        _NULL_MARKERS.search(raw)
        or _PINYIN.search(raw)
        or (("减" in raw or "增" in raw) and _CHANGE_WORDS.search(raw))
        or _TITLE_FOOTER_WORD in raw
        or VALUE_RE.search(everything)
        or _GLUED_ENUMERATOR.search(everything)
        or sum(1 for marker in OLD_STATISTICS_MARKERS if marker in everything) >= 2
    ):
        return None
    return tuple(runs), everything, tail


def _cells_in_order(rows: list[_Row], specs: tuple[RowSpec, ...], requests: bool) -> Table | None:
    """The section's rows, when row ``k`` is its row ``k`` with a value for every column: more
    values only where the text reading's fitting takes them without a word (a value merged across
    columns, repeated in each). That each row's labels name its row is the text plan's part."""
    table: Table = {}
    for spec, row in zip(specs, rows, strict=True):
        cells = row.cells
        if cells is None or len(cells) < len(spec.columns):
            return None
        if len(cells) == len(spec.columns):
            table[spec.key] = dict(zip(spec.columns, cells, strict=True))
            continue
        complaints: list[str] = []
        table[spec.key] = fit_cells(cells, spec.columns, spec.key, complaints, requests)
        if complaints:
            return None
    return table


def _specs(layout: str, section: str) -> tuple[RowSpec, ...]:
    return ad_rows(layout) if section == "active_disclosure" else request_rows(layout)


# Templates print the same labels in every report: a label text is judged once.
@lru_cache(maxsize=4096)
def _names_row(layout: str, section: str, k: int, text: str) -> bool:
    """Whether a row's label text names row ``k`` and none of the next three (which the text
    reading would find there first, or take as a sign of row ``k`` missing), with no sub-table
    header after the name (where the text reading would end the row's cells)."""
    specs = _specs(layout, section)
    found = _first_match(specs[k], text, 0, len(text))
    if found is None or _SUBTABLE_HEADER.search(text, found[1]):
        return False
    # The text before the name ends the row before; cut there, an enumerator's digit (10.其他 named
    # at 0.其他) would be a value of that row.
    if VALUE_RE.search(text, 0, found[0]) or VALUE_RE.search(text, found[1]):
        return False
    if specs[k].key == "procurement" and _CJK.search(text, found[1]):
        return False  # words after the name: the text reading looks there for purchases listed a row each
    return not any(_first_match(later, text, 0, len(text)) for later in specs[k + 1 : k + 4])


def _any_anchor(specs: Sequence[RowSpec], text: str) -> bool:
    return any(_first_match(spec, text, 0, len(text)) for spec in specs)


def read_grids(grids: list[Grid]) -> TextReading | None:
    """Sections 二, 三 and 四 from clean grids, or None (read the grids as text)."""
    rows: list[_Row] = []
    for grid in grids:
        for cells in grid_rows(grid):
            row = _split(cells)
            if row is None:
                return None
            rows.append(row)
    found = _label_runs(rows)
    if found is None:
        return None
    runs, everything, tail = found
    labelled = [run for run in runs if run[1].labels]
    if len(runs) != len(labelled) + 1 or runs[-1][1].labels:
        return None  # one row of values alone, the last: section 四's
    for layout in (LAYOUT_2021, LAYOUT_2019):
        reading = _read_layout(layout, labelled, runs[-1], everything, tail)
        if reading is not None:
            return reading
    return None


@dataclass(frozen=True)
class _TextPlan:
    """What the label texts alone decide of a layout's reading (they recur in every report of a
    template): that they can be read so, and the procurement unit the labels print."""

    unit_in_labels: str | None
    headings: bool


def _read_layout(
    layout: str, labelled: list[tuple[str, _Row]], review: tuple[str, _Row], everything: str, tail: str
) -> TextReading | None:
    ad_specs, req_specs = ad_rows(layout), request_rows(layout)
    if len(labelled) != len(ad_specs) + len(req_specs):
        return None
    texts = tuple(text for text, _ in labelled)
    review_text, review_row = review
    length = len(everything) + len(review_text)  # everything holds every run's text and the tail
    plan = (_text_plan if length <= _CACHED_SHAPE_TEXT else _text_plan.__wrapped__)(
        layout, texts, review_text, everything, tail
    )
    if plan is None:
        return None
    rows = [row for _, row in labelled]
    ad_value_rows, req_value_rows = rows[: len(ad_specs)], rows[len(ad_specs) :]
    ad_cells = _cells_in_order(ad_value_rows, ad_specs, False)
    req_cells = _cells_in_order(req_value_rows, req_specs, True) if ad_cells is not None else None
    if ad_cells is None or req_cells is None:
        return None
    if review_row.cells is None or len(review_row.cells) != REVIEW_WIDTH:
        return None
    # 元 / 万元 after a value: only the procurement amount may print it (a unit of the reading).
    procurement = ad_specs[-1].key == "procurement"
    others = ad_value_rows[:-1] if procurement else ad_value_rows
    if any(row.unit for row in others) or any(row.unit for row in req_value_rows) or review_row.unit:
        return None
    ad = SectionReading(table=ad_cells)
    if procurement:
        # As the text reading finds it: after the row's values, else in the labels (the plan's).
        unit = ad_value_rows[-1].unit
        ad.unit = plan.unit_in_labels if unit is None else unit
    req = SectionReading(table=req_cells)
    cells = review_row.cells
    width = len(REVIEW_COLUMNS)
    review_table: Table = {
        group: {col: cells[g * width + c] for c, col in enumerate(REVIEW_COLUMNS)}
        for g, group in enumerate(REVIEW_GROUPS)
    }
    return TextReading(layout, ad, req, SectionReading(table=review_table), [], plan.headings, False)


@lru_cache(maxsize=256)
def _text_plan(layout: str, texts: tuple[str, ...], review_text: str, everything: str, tail: str) -> _TextPlan | None:
    """Whether the label texts of the runs (section 二's rows, then section 三's) and of section
    四's run read as ``layout`` row by row, as the text reading would read them."""
    ad_specs, req_specs = ad_rows(layout), request_rows(layout)
    ad_texts, req_texts = list(texts[: len(ad_specs)]), list(texts[len(ad_specs) :])
    # Section 二 begins at its heading, or else at the first sub-table header (第二十条 · 信息内容),
    # both before its first row; its rows are searched from the first sub-table header on.
    first = ad_texts[0]
    h2 = _H2.search(first)
    if _H2.search(everything, len(first)):
        return None
    begins = h2.end() if h2 else (m.start() if (m := _AD_START.search(first)) else None)
    if begins is None:
        return None
    header = _AD_START.search(first, begins)
    section_text = "\n".join([first[begins:], *ad_texts[1:]])
    ad_texts[0] = first[header.start() if header else begins :]
    if not _names_rows(layout, "active_disclosure", ad_texts) or not _names_rows(layout, "requests", req_texts):
        return None
    ad_text = "\n".join(ad_texts)
    req_text = "\n".join(req_texts)
    # It shows a column header; no section 三 row is named in it (section 三 would begin there),
    # nor section 三's heading.
    if not _AD_HEADER.search(section_text) or _any_anchor(REQ_2021_ROWS[:3], section_text):
        return None
    if _H3.search(section_text):
        return None
    # Section 四: its header words before its one row of values, in a run no heading of section 五 cuts.
    review_start = _REVIEW_START.search(review_text)
    if (
        review_start is None
        or not _REVIEW_HEADER.search(review_text, review_start.start())
        or _H5.search(review_text)
        or _REVIEW_START.search(req_text)
    ):
        return None
    # The labels between section 二's last row and section 三's first (its column headers).
    opening = req_texts[0]
    new_row = _first_match(req_specs[0], opening, 0, len(opening))
    before_requests = opening[: new_row[0]] if new_row else opening
    if before_requests.lstrip().startswith(("元", "万元")) or _H3.search(before_requests):
        return None
    if layout == LAYOUT_2019 and not _ends_where_2021_rows_end(req_texts, review_text, tail):
        return None
    ad_vote, req_vote = layout_votes(
        section_text + "\n" + before_requests, req_text + "\n" + review_text[: review_start.start()]
    )
    votes = {v for v in (ad_vote, req_vote) if v is not None}
    if votes != {layout}:
        return None
    unit = None
    if ad_specs[-1].key == "procurement":
        # A figure and 元 in the labels up to section 三, else the sub-table's header (采购总金额（万元）).
        m = _UNIT_AFTER.search(before_requests) or _UNIT_HEADER.search(ad_text + "\n" + before_requests)
        unit = m.group(1) if m else None
    return _TextPlan(unit, bool(_H2.search(everything) or _H3.search(everything)))


def _names_rows(layout: str, section: str, texts: list[str]) -> bool:
    """Whether text ``k`` names the section's row ``k``, for every row."""
    return all(
        (_names_row if len(text) <= _CACHED_TEXT else _names_row.__wrapped__)(layout, section, k, text)
        for k, text in enumerate(texts)
    )


def _ends_where_2021_rows_end(req_texts: list[str], review_text: str, tail: str) -> bool:
    """Whether section 三 of a 2019 table ends at its last row for the search by the 2021 rows
    too, which marks where the section ends. That search looks for the rows only the 2021 layout
    has (逾期不补正 · 收费通知 · 其他) after the last row both layouts share: one named before
    总计 is taken, and so is 逾期不补正 anywhere after; the other two after 总计 are taken for rows
    missing (the rows after them come first)."""
    only_2021 = REQ_2021_ROWS[_SHARED_REQUEST_ROWS:-2]
    other, total = req_texts[_SHARED_REQUEST_ROWS], req_texts[_SHARED_REQUEST_ROWS + 1]
    named = _first_match(REQ_2021_ROWS[-2], total, 0, len(total))
    before_total = other + "\n" + total[: named[0] if named else len(total)]
    if _any_anchor(only_2021, before_total):
        return False
    after = "\n".join([total, *req_texts[_SHARED_REQUEST_ROWS + 2 :], review_text, tail])
    return not _any_anchor(only_2021[:1], after)
