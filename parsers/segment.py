"""Statutory tables from text whose cell boundaries may be lost.

The law fixes the rows of every table and their order, so rows are found by their label phrases
(``labels.RowSpec.anchors``) searched in order, and a row's cells are the values printed between
its label and the next row's label. That one rule reads every shape real documents take: one row
per line with TABs or spaces, one cell per line with or without ``|``, blank lines between cells,
labels broken over lines, PDF text with page footers inside a table, and archiver text where
label and digits run together (``行政许可3960181``). Two shapes need more:

- *column order* (PDF extraction that walks a table column by column): several row labels with no
  values, then all their values at once. The block is reshaped; row totals decide row- vs
  column-major when they can.
- *run-together digits* (``0000000``): split only when the split is unique (each cell one digit,
  or the only split whose last number is the sum of the others); otherwise null plus a warning.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise

from rapidfuzz import fuzz

from parsers.digit_runs import MAX_SPLITS_PER_ROW, resolve_runs
from parsers.folding import drop_pinyin, fold
from parsers.labels import RowSpec
from parsers.prose_figures import split_by_prose

Number = int | float
# A cell as read: (value, raw text). Value None means present-but-null (/, —, 无, empty cell).
Cell = tuple[Number | None, str]

NULL_TOKEN = "~"

# Page footers: a page number in one of its printed forms, or the report's own title repeated.
_PAGE_NUMBER = (
    r"[-—–]+[ \t]*\d{1,3}[ \t]*[-—–]+|第[ \t]*\d{1,3}[ \t]*页(?:[ \t]*[,/]?[ \t]*共[ \t]*\d{1,3}[ \t]*页)?"
    r"|共[ \t]*\d{1,3}[ \t]*页[ \t]*第[ \t]*\d{1,3}[ \t]*页|\d{1,3}[ \t]*/[ \t]*\d{1,3}|page[ \t]*\d+(?:[ \t]*of[ \t]*\d+)?"
)
_TITLE_FOOTER_WORD = "工作年度报告"
_TITLE_FOOTER = r"[^\n\d]{0,40}\d{4}[ \t]*年度?[^\n\d]{0,20}工作年度报告"
_LINE_END = r"[ \t]*(?=\n|\Z)"
_FOOTER = rf"[ \t]*(?:{_PAGE_NUMBER}|{_TITLE_FOOTER}){_LINE_END}"
# Footer lines are found from the newline before them (a literal the engine skips to in C); the
# first line of a text has none and is matched on its own. A footer is a whole line, so removing
# page numbers and repeated titles in two passes removes the same lines as one pass does; the
# title pass scans up to 40 characters after every newline and runs only when its words occur.
_PAGE_NUMBER_LINES = re.compile(rf"\n[ \t]*(?:{_PAGE_NUMBER}){_LINE_END}", re.I)
_TITLE_FOOTER_LINES = re.compile(rf"\n[ \t]*(?:{_TITLE_FOOTER}){_LINE_END}", re.I)
_FOOTER_FIRST_LINE = re.compile(_FOOTER, re.I)
# The patterns below that scan whole texts start by consuming one character of a set, checking
# what precedes it only afterwards: a leading character set lets the regex engine skip to the
# candidates in C, where a leading lookbehind is tried at every position of the text.

# A null marker standing alone between separators: 1-3 dashes or slashes, or 无 / 空 / ×.
_NULL_MARKERS = re.compile(r"[-—–/无空×](?<![^\s|].)(?:(?<=[-—–/])[-—–/]{0,2})?(?![^\s|])", re.S)
# Whitespace inside a label (both neighbours non-ASCII): labels broken over lines or cells.
_LABEL_GAP = re.compile(r"[ \t\n\u3000](?<=[^\x00-\x7f][ \t\n\u3000])[ \t\n\u3000]*(?=[^\x00-\x7f])")
# A row enumerator glued to the digits before it (archiver text: ``00000002.其他法律``): a space
# goes before the enumerator's digit. The pattern leads with the enumerator's mark, rarer than
# digits, and looks back for the digits.
_GLUED_ENUMERATOR = re.compile(r"[.、](?<=\d[1-9][.、])(?!\d)")
# A value: a lone ~ (null), a negative number, or a number not preceded by a digit, a point, an
# opening bracket, a slash or 第; never followed by a unit of counting, a date or a bracket — but
# for the next row's enumerator, which archiver text glues to the digits (``710000071（二）部分公开``).
# Households and people (救助13781户31696人次) are counted in sentences, never in a statutory cell.
# A cell that ends in 件, 个 or 项 (``201件``, ``6项``) keeps the unit in its text: one written
# number, never a run of digits to split into a row's cells (2 | 0 | 1). 项 only ends a cell: inside
# a sentence (公开3项信息, 事项43项。) it is no value. A cell may name its figure's source in a
# bracket closing it (``90(信用中国青海西宁) |``): a short note without digits, then the cell's bar.
VALUE_RE = re.compile(
    r"[-~\d]"
    r"(?:(?<=~)(?<![^\s|]~)(?![^\s|])"
    r"|(?:(?<=-)\d|(?<=\d)(?<![\d.(（/第]\d))[\d,]*(?:\.\d+)?(?:[件个项](?=[\s|]|$))?"
    r"(?![\d)）%年月日号页条项户人]|[(（](?![一二三四五六七八九十]{1,2}[)）]|[^\d()（）|\n]{2,30}[)）][ \t]*\|)|[.、](?!\d)))"
)


# 2019 layout 本年增/减 written as words: 减少3 and 减3 are -3, 增加3 and 增3 are 3. A word opening its
# cell only: after a character or a slash it is a header's (增/减) or prose's (同比增3).
# (The word's first character opens the pattern, the lookbehinds follow it: a scan, not a lookbehind
# at every position.)
_CHANGE_WORDS = re.compile(
    r"([减增])(?<![\u4e00-\u9fff/]减)(?<![\u4e00-\u9fff/]增)(?:(?<=减)少|(?<=增)加)?[ \t]*(?=\d)"
)


def _signed(match: re.Match[str]) -> str:
    return "-" if match.group(1)[0] == "减" else ""


def normalise(text: str, folded: bool = False) -> str:
    """Text ready for anchor search: folded, footers removed, nulls marked, labels rejoined.
    ``folded``: the text is made of fold()'s output (grid row lines), which needs only drop_pinyin()."""
    text = drop_pinyin(text) if folded else fold(text)
    if "减" in text or "增" in text:
        text = _CHANGE_WORDS.sub(_signed, text)
    first = _FOOTER_FIRST_LINE.match(text)
    if first is not None:
        text = text[first.end() :]
    text = _PAGE_NUMBER_LINES.sub("\n", text)
    if _TITLE_FOOTER_WORD in text:
        text = _TITLE_FOOTER_LINES.sub("\n", text)
    text = _NULL_MARKERS.sub(NULL_TOKEN, text)
    text = _LABEL_GAP.sub("", text)
    return unglue_enumerators(text)


def unglue_enumerators(text: str) -> str:
    """A space before a row enumerator glued to the digits before it (``02.其他`` → ``0 2.其他``)."""
    parts: list[str] = []
    pos = 0
    for m in _GLUED_ENUMERATOR.finditer(text):
        cut = m.start() - 1  # before the enumerator's digit
        parts.append(text[pos:cut])
        parts.append(" ")
        pos = cut
    if not parts:
        return text
    parts.append(text[pos:])
    return "".join(parts)


def to_number(raw: str) -> Number | None:
    if raw.isdigit():
        return int(raw)
    cleaned = raw.replace(",", "").lstrip("+").rstrip("件个项")
    try:
        if "." in cleaned:
            value = float(cleaned)
            return int(value) if value.is_integer() and not cleaned.endswith(".0") else value
        return int(cleaned)
    except ValueError:
        return None


def value_tokens(text: str) -> list[Cell]:
    # Bare digit runs, most tokens, become ints without a call to to_number.
    return [
        (int(raw), raw) if raw.isdigit() else (None, raw) if raw == NULL_TOKEN else (to_number(raw), raw)
        for raw in VALUE_RE.findall(text)
    ]


# ---------------------------------------------------------------------------------------------
# Finding rows
# ---------------------------------------------------------------------------------------------

# An anchor that is a plain word is found with str.find, several times faster than a regex search.
_COMPILED: dict[str, re.Pattern[str] | None] = {}


def _pattern(anchor: str) -> re.Pattern[str] | None:
    """The compiled anchor, or None when it is a plain word."""
    try:
        return _COMPILED[anchor]
    except KeyError:
        pattern = _COMPILED[anchor] = None if re.escape(anchor) == anchor else re.compile(anchor)
        return pattern


def _first_match(spec: RowSpec, text: str, pos: int, end: int) -> tuple[int, int] | None:
    """Where the first of the row's anchors that occurs in ``text[pos:end]`` first occurs."""
    for anchor in spec.anchors:
        pattern = _pattern(anchor)
        if pattern is None:
            found = text.find(anchor, pos, end)
            if found >= 0:
                return found, found + len(anchor)
        else:
            m = pattern.search(text, pos, end)
            if m:
                return m.span()
    return None


_FUZZY_MIN_LABEL = 4
_FUZZY_WINDOW = 4000  # characters searched for one missing label
_FUZZY_LOOKAHEAD = 4  # later rows whose exact labels bound the search


def _fuzzy_cutoff(length: int) -> float:
    """One wrong character in a short label, one in five in a long one (Indel similarity)."""
    if length <= 6:
        return 100.0 * (length - 1) / length - 0.5
    return 79.5


def _before_next_row(later: Sequence[RowSpec], text: str, pos: int, end: int) -> int:
    """Where a search for a row not found exactly stops: the next rows' exact labels bound it."""
    stop = min(end, pos + _FUZZY_WINDOW)
    for nxt in later[:_FUZZY_LOOKAHEAD]:
        n = _first_match(nxt, text, pos, stop)
        if n is not None:
            stop = n[0]
    return stop


def _fuzzy_match(
    spec: RowSpec, later: Sequence[RowSpec], text: str, pos: int, end: int
) -> tuple[int, int] | None:
    """Where a label with a typo or an unfolded variant character sits, between its neighbours.

    Only the text before the next row found exactly is searched, so a similar label further on
    (重复申请 / 反复申请) can never be taken for this one.
    """
    label = fold(spec.fuzzy)
    if len(label) < _FUZZY_MIN_LABEL:
        return None
    stop = _before_next_row(later, text, pos, end)
    if stop - pos < len(label) - 1:
        return None
    window = text[pos:stop]
    found = fuzz.partial_ratio_alignment(label, window, score_cutoff=_fuzzy_cutoff(len(label)))
    if found is None:
        return None
    matched = window[found.dest_start : found.dest_end]
    # A label never holds digits: a match taking them would eat the row's values.
    if any(ch.isdigit() for ch in matched) or len(matched) < len(label) - 1:
        return None
    start = pos + found.dest_start
    if matched[0] in ".、":  # the alignment began inside the enumerator (3|.要求提供公开出版)
        while start > pos and text[start - 1].isdigit():
            start -= 1
    return start, pos + found.dest_end


@dataclass
class RowHit:
    spec: RowSpec
    start: int
    end: int
    cells: list[Cell] = field(default_factory=list)


# A row's values printed between two lines of its label: in a PDF table without ruling lines the
# values sit at the middle of a label cell two or three lines high (``…确认或重\n0 1 0 1\n新出具…``).
_VALUES_IN_LABEL = re.compile(r"(?<=[^\x00-\x7f])[ \t]*(?:\n[ \t]*)?(?:[\d~-][\d,.]*[ \t]+)*[\d~-][\d,.]*[ \t]*\n[ \t]*(?=[^\x00-\x7f])")


def _interrupted_match(
    spec: RowSpec, later: Sequence[RowSpec], text: str, pos: int, end: int
) -> tuple[int, int] | None:
    """Where a label broken by its own values starts, and where those values start.

    The label is searched with such value runs taken out, only before the next row found exactly;
    the match counts only when a run sat inside it.
    """
    window = text[pos : _before_next_row(later, text, pos, end)]
    runs = [m.span() for m in _VALUES_IN_LABEL.finditer(window)]
    if not runs:
        return None
    pieces, cuts, at = [], [], 0  # cuts: (position in the view, run start, run end) in the window
    for run_start, run_end in runs:
        pieces.append(window[at:run_start])
        cuts.append((sum(map(len, pieces)), run_start, run_end))
        at = run_end
    pieces.append(window[at:])
    view = "".join(pieces)
    found = _first_match(spec, view, 0, len(view))
    if found is None:
        return None
    first, last = found
    inside = [run_start for cut, run_start, _ in cuts if first < cut < last]
    if not inside:
        return None
    removed = sum(run_end - run_start for cut, run_start, run_end in cuts if cut <= first)
    return pos + first + removed, pos + inside[0]


def locate_rows(
    text: str, specs: Sequence[RowSpec], start: int = 0, end: int | None = None, with_cells: bool = True
) -> list[RowHit]:
    """Rows found in order; a row whose label would lie beyond the next row's label is missing."""
    end = len(text) if end is None else end
    hits: list[RowHit] = []
    pos = start
    for i, spec in enumerate(specs):
        m = _first_match(spec, text, pos, end) or _interrupted_match(spec, specs[i + 1 :], text, pos, end)
        if m is None:
            approximate = _fuzzy_match(spec, specs[i + 1 :], text, pos, end)
            if approximate is not None:
                hits.append(RowHit(spec, *approximate))
                pos = approximate[1]
            continue
        # Do not let a missing label pull in a later row's text: the next two rows, if found
        # before this match, mean this row is absent.
        skipped = False
        for nxt in specs[i + 1 : i + 3]:
            n = _first_match(nxt, text, pos, m[0])
            if n is not None and not _overlaps(spec, nxt):
                skipped = True
                break
        if skipped:
            continue
        m = _label_start_before_values(spec, text, pos, m)
        label_end = _past_label_note(text, m[1], end)
        hits.append(RowHit(spec, m[0], label_end))
        pos = label_end
    if not with_cells:
        return hits
    for i, hit in enumerate(hits):
        hit.cells = value_tokens(text[hit.end : cells_end(text, hit, hits[i + 1].start if i + 1 < len(hits) else end)])
    return hits


def _label_start_before_values(spec: RowSpec, text: str, pos: int, m: tuple[int, int]) -> tuple[int, int]:
    """The row's label where it starts, when its values sit between that and the anchor found.

    A label wrapping around its values (``2.没有现成信息需要 / 0 1 0 / 提供 另行制作``, a group
    label's line between) is found by a later word of it; the values belong after its first word.
    """
    if len(spec.anchors) == 1:  # the one anchor's first occurrence is the match itself
        return m
    for anchor in spec.anchors:
        pattern = _pattern(anchor)
        if pattern is None:
            found = text.find(anchor, pos, m[0])
            span = (found, found + len(anchor)) if found >= 0 else None
        else:
            hit = pattern.search(text, pos, m[0])
            span = hit.span() if hit else None
        if span is not None and span[1] <= m[0] and _VALUES_IN_LABEL.search(text, span[1] - 1, m[0] + 1):
            return span
    return m


# A label's own explanation in brackets, as one province's template prints it:
# 其他对外管理服务事项(指行政许可以外的政务服务事项,含行政确认、…、行政处罚、行政强制…). The later
# rows' labels it names must not be found there, nor its years taken for values.
_LABEL_NOTE = re.compile(r"[^\d\n|()（）]{0,12}[(（][^()（）|]{2,300}?[)）]")
_VALUE_LINE = re.compile(r"\n[ \t]*[\d-][\d,. \t-]*(?:\n|$)")


def _past_label_note(text: str, pos: int, end: int) -> int:
    """Where a row label ends once a bracketed explanation right after it is taken in."""
    note = _LABEL_NOTE.match(text, pos, end)
    if note is None or _VALUE_LINE.search(note.group()):
        return pos
    return note.end()


# The header of the next sub-table of section 二 (第二十条第(五)项 | 信息内容 | 上一年项目数量 …): a row's
# values never lie beyond it, and its notes hold figures that are no cells (减用负值表示,如-8).
_SUBTABLE_HEADER = re.compile(r"第二十条|信息内容")


def cells_end(text: str, hit: RowHit, stop: int) -> int:
    """Where a row's cells end: the next row's label, or a sub-table header before it."""
    m = _SUBTABLE_HEADER.search(text, hit.end, stop)
    return m.start() if m else stop


def _overlaps(a: RowSpec, b: RowSpec) -> bool:
    """Rows whose anchors can match inside each other's labels (e.g. 规章 / 规范性文件)."""
    return any(x in y or y in x for x in a.anchors for y in b.anchors)


# ---------------------------------------------------------------------------------------------
# Fitting cells to columns
# ---------------------------------------------------------------------------------------------


def split_digits(
    digits: str, sizes: Sequence[int], sum_last: bool, limit: int = 2, cuts: frozenset[int] = frozenset()
) -> list[list[int]]:
    """Splits of a digit run into groups of ``sizes`` cells, at most ``limit`` of them (two tell
    unique from ambiguous; more let the table's arithmetic choose between them).

    With ``sum_last`` each group's last cell must equal the sum of the others (a row total).
    ``cuts`` are positions in ``digits`` where a cell must end (spaces archiver text left between
    cells: ``230 000023`` is 23 | 0 … or 2 | 30 …, never 23 | 00 …).
    """
    if not sum_last:
        if len(digits) == sum(sizes):
            return [[int(d) for d in digits]]
        return []
    solutions: list[list[int]] = []
    if len(digits) > 80:
        return solutions
    whole = len(digits)

    def crosses(start: int, length: int) -> bool:
        return any(start < cut < start + length for cut in cuts)

    def group(rest: str, gi: int, acc: list[int]) -> None:
        if len(solutions) >= limit:
            return
        if gi == len(sizes):
            if not rest:
                solutions.append(list(acc))
            return
        n = sizes[gi]
        # choose the split of the addends, then the total must follow immediately
        def addends(s: str, k: int, so_far: list[int]) -> None:
            if len(solutions) >= limit or len(str(sum(so_far))) > len(s):
                return
            if k == 0:
                total = sum(so_far)
                t = str(total)
                if s.startswith(t) and not (cuts and crosses(whole - len(s), len(t))):
                    group(s[len(t) :], gi + 1, acc + so_far + [total])
                return
            for ln in range(1, min(len(s), 7) + 1):
                piece = s[:ln]
                if len(piece) > 1 and piece[0] == "0":
                    break
                if cuts and crosses(whole - len(s), ln):
                    break  # a longer piece crosses the cut too
                addends(s[ln:], k - 1, so_far + [int(piece)])

        addends(rest, n - 1, [])

    group(digits, 0, [])
    return solutions


def _digit_tokens(cells: list[Cell], width: int) -> tuple[str, frozenset[int]] | None:
    """A row read as fewer cells than it has, every one bare digits: the digits run together and
    the places where one token ended (a cell ends there too). None for any other row."""
    if not cells or len(cells) >= width or not all(raw.isdigit() for _, raw in cells):
        return None
    digits = "".join(raw for _, raw in cells)
    if len(digits) < width:
        return None
    cuts: list[int] = []
    for _, raw in cells[:-1]:
        cuts.append((cuts[-1] if cuts else 0) + len(raw))
    return digits, frozenset(cuts)


def fit_cells(
    cells: list[Cell], columns: Sequence[str], label: str, warnings: list[str], sum_last: bool = False
) -> dict[str, Cell | None]:
    """Assign a row's cells to its columns, or nulls plus a warning when that would be a guess."""
    n = len(columns)
    # Leading empty cells beyond the row's width are label cells merged across columns.
    while len(cells) > n and cells[0][0] is None:
        cells = cells[1:]
    if len(cells) > n:
        # A value cell merged across columns is repeated in the grid: collapse the copies when
        # that leaves exactly one cell per column.
        collapsed = [c for i, c in enumerate(cells) if i == 0 or c[0] != cells[i - 1][0]]
        if len(collapsed) == n:
            return dict(zip(columns, collapsed, strict=True))
    if len(cells) >= n:
        extra = [c for c in cells[n:] if c[0] is not None and c[0] != cells[n - 1][0]]
        if extra:
            warnings.append(f"{label}: {len(cells) - n} extra cell(s) ignored")
        return dict(zip(columns, cells[:n], strict=True))
    run = _digit_tokens(cells, n) if n > 1 and (sum_last or len(cells) == 1) else None
    if run is not None:
        # Several tokens only where a row total checks the split: a blank cell leaves no trace in
        # run-together text, so "12 5" in a row of three could as well be 12, blank, 5.
        found = split_digits(run[0], [n], sum_last, cuts=run[1])
        if len(found) == 1:
            return {c: (v, str(v)) for c, v in zip(columns, found[0], strict=True)}
        shown = " ".join(raw for _, raw in cells)
        warnings.append(f"{label}: digits {shown!r} run together and cannot be split with certainty")
        return dict.fromkeys(columns)
    if cells:
        warnings.append(f"{label}: found {len(cells)} of {n} cells; row left unread")
    else:
        warnings.append(f"{label}: no values found")
    return dict.fromkeys(columns)


def reshape_column_blocks(hits: list[RowHit], row_ok: Callable[[list[Cell]], bool] | None = None) -> None:
    """Rows printed label-first then values column by column (PDF column order): redistribute."""
    i = 0
    while i < len(hits):
        j = i
        while j < len(hits) and not hits[j].cells:
            j += 1
        k = j - i + 1
        width = len(hits[j].spec.columns) if j < len(hits) else 0
        same_width = all(len(h.spec.columns) == width for h in hits[i : j + 1])
        if j < len(hits) and k > 1 and same_width and len(hits[j].cells) == k * width:
            block = hits[j].cells
            col_major = [[block[c * k + r] for c in range(width)] for r in range(k)]
            row_major = [block[r * width : (r + 1) * width] for r in range(k)]
            chosen = col_major
            if row_ok is not None and not all(row_ok(r) for r in col_major) and all(row_ok(r) for r in row_major):
                chosen = row_major
            for r in range(k):
                hits[i + r].cells = chosen[r]
        i = j + 1


# ---------------------------------------------------------------------------------------------
# Sections
# ---------------------------------------------------------------------------------------------



@dataclass(frozen=True)
class _Gated:
    """A pattern and the words one of which every match contains: without them, no scan at all."""

    pattern: re.Pattern[str]
    words: tuple[str, ...]

    def search(self, text: str, pos: int = 0) -> re.Match[str] | None:
        if any(text.find(word, pos) >= 0 for word in self.words):
            return self.pattern.search(text, pos)
        return None


# Headings are numbered 二、 / 二. / 2. / (二) or not at all.
_H2 = _Gated(re.compile(r"(?:二\s*[、.:]?|(?m:^)[ \t]*[(（]?2[)）.、]?)\s*主动公开政府信息|二\s*[、.]\s*主动公开"), ("主动公开",))
# Reports before 2019 head section 三 政府信息依申请公开情况: it still ends section 二.
_H3 = _Gated(
    re.compile(r"三\s*[、.]\s*收到和处理|收到和处理政府信息公开申请|三\s*[、.]\s*(?:政府信息)?依申请公开"),
    ("收到和处理", "依申请公开"),
)
_H4 = _Gated(re.compile(r"(?:四|(?m:^)[ \t]*[(（]?4[)）.、]?)\s*[、.]?[^\n]{0,16}?复议"), ("复议",))
_H5 = _Gated(
    re.compile(r"(?:五|(?m:^)[ \t]*[(（]?5[)）.、]?)\s*[、.]?\s*(?:存在|主要问题)|存在的?主要问题及|存在问题及"),
    ("存在", "主要问题"),
)
_AD_START = re.compile(r"第二十条|信息内容|第[(（]?[一二三四五六七八九][)）]?项")
_REVIEW_START = re.compile(r"行政复议")
_UNIT_AFTER = re.compile(r"\d\s*(万元|元)")
_UNIT_HEADER = re.compile(r"采购总金额[^\n\d]{0,6}?(万元|元)")
_CJK = re.compile(r"[\u4e00-\u9fff]")
REVIEW_WIDTH = 15
MIN_REQUEST_ROWS = 3  # distinct section 三 row labels that make a table, heading or not
# Column headers every printed table has; without them the figures are prose (作出行政许可决定35件),
# which is never read as a table.
_AD_HEADER = re.compile(r"信息内容|处理决定数|制发件数|新制作数|新公开数|上一年项目|收费金额|第二十条|对外公开总数|增/减|采购项目数")
# The table's header words. PDF text that prints the column headers a character a line keeps only
# the group headers whole (未经复议直接起诉 · 复议后起诉).
_REVIEW_HEADER = re.compile(r"结果维持|结果纠正|尚未审结|维持|纠正|直接起诉|复议后起诉")
_REVIEW_TABLE_HEADER = re.compile(r"结果维持.{0,40}结果纠正|尚未审结", re.S)
# A word of the table's column headers, or its last character where PDF text prints them a
# character a line (结/果/维/持 stacked, run together once the gaps are closed).
_REVIEW_COLUMN_WORD = re.compile(r"维持|纠正|结果|审结|总计|起诉|[计结]")

Table = dict[str, dict[str, Cell | None]]


@dataclass
class SectionReading:
    """What one text yields for one section: cells by row and column, and what went wrong."""

    table: Table | None = None
    warnings: list[str] = field(default_factory=list)
    unit: str | None = None  # procurement amount unit (2019 layout)

    @property
    def score(self) -> int:
        if not self.table:
            return 0
        return sum(1 for row in self.table.values() for cell in row.values() if cell and cell[0] is not None)


@dataclass
class Regions:
    ad: tuple[int, int] | None = None
    requests: tuple[int, int] | None = None
    review: tuple[int, int] | None = None


_HEADING_NUMBER = re.compile(r"(?:^|\n)[ \t]*[(（]?\d{1,2}[)）]?[ \t.、]*$")


def _heading_start(text: str, pos: int) -> int:
    """Where a heading begins, its Arabic number included ("3 收到…": the 3 is no table cell)."""
    m = _HEADING_NUMBER.search(text, max(0, pos - 8), pos)
    return m.start() if m else pos


def find_regions(text: str, request_specs: Sequence[RowSpec]) -> Regions:
    regions = Regions()
    h2 = _H2.search(text)
    ad_start = h2.end() if h2 else None
    if ad_start is None:
        m = _AD_START.search(text)
        ad_start = m.start() if m else None
    req_from = ad_start or 0
    req_hits = locate_rows(text, request_specs, req_from, with_cells=False)
    if len({hit.spec.key for hit in req_hits}) < MIN_REQUEST_ROWS:
        # A row label or two in prose is no table, even with numbers after it: on a page that only
        # points to its attachment, "予以公开" is followed by the footer's telephone and filing numbers.
        req_hits = []
    req_start: int | None = None
    h3 = _H3.search(text, req_from)
    if req_hits:
        req_start = min(req_hits[0].start, h3.end()) if h3 and h3.end() <= req_hits[0].start else req_hits[0].start
    if ad_start is not None:
        ad_end = _heading_start(text, h3.start()) if h3 else (req_start if req_start is not None else len(text))
        if req_start is not None:
            ad_end = min(ad_end, req_start)
        if ad_end > ad_start:
            regions.ad = (ad_start, ad_end)
    after_requests = req_hits[-1].end if req_hits else (h3.end() if h3 else 0)
    h4 = _H4.search(text, after_requests)
    m = _REVIEW_START.search(text, h4.start() if h4 else after_requests)
    review_start = m.start() if m else None
    if req_start is not None:
        regions.requests = (req_start, review_start if review_start is not None else len(text))
    if review_start is not None:
        h5 = _H5.search(text, review_start)
        regions.review = (review_start, h5.start() if h5 else len(text))
    return regions


def table_start(text: str, region: tuple[int, int], specs: Sequence[RowSpec]) -> int:
    """Where section 二's rows are searched from: its table's header, when the text before it only
    names rows in prose (2022年无公开的规章、行政规范性文件…) — labels followed by no value.

    A header that comes after labels with values is no table start (the first sub-table printed
    without its header): the search starts at the section's heading then.
    """
    m = _AD_START.search(text, *region)
    if m is None:
        return region[0]
    named = [hit[0] for spec in specs if (hit := _first_match(spec, text, region[0], m.start())) is not None]
    if named and value_tokens(text[min(named) : m.start()]):
        return region[0]
    return m.start()


# Section 三's table opens with its header: the 勾稽关系 note or 申请人情况 above the applicant columns.
_REQUESTS_HEADER = re.compile(r"勾稽关系|申请人情况")


def requests_table_start(text: str, region: tuple[int, int], specs: Sequence[RowSpec]) -> int:
    """Where section 三's rows are searched from: its table's header, when prose before it names
    later rows with their counts (予以公开2件,部分公开2件…) and the first row's label comes after
    the header. Those mentions, read as the rows, would make the table's own rows look absent."""
    m = _REQUESTS_HEADER.search(text, *region)
    if m is None:
        return region[0]
    first = _first_match(specs[0], text, region[0], region[1])
    if first is None or first[0] < m.start():
        return region[0]
    if not any(_first_match(spec, text, region[0], m.start()) for spec in specs[1:]):
        return region[0]
    return m.start()


def layout_votes(ad_text: str, requests_text: str) -> tuple[str | None, str | None]:
    """The layout section 二's column words and section 三's rows each vote for (None: no vote)."""
    from parsers.labels import AD_MARKERS_2019, AD_MARKERS_2021, LAYOUT_2019, LAYOUT_2021, REQ_MARKERS_2021

    new = sum(ad_text.count(m) for m in AD_MARKERS_2021)
    old = sum(ad_text.count(m) for m in AD_MARKERS_2019)
    ad_vote = None if new == old else LAYOUT_2021 if new > old else LAYOUT_2019
    if any(m in requests_text for m in REQ_MARKERS_2021):
        return ad_vote, LAYOUT_2021
    return ad_vote, LAYOUT_2019 if "其他处理" in requests_text else None


def detect_layout(text: str, regions: Regions) -> tuple[str | None, list[str]]:
    """Layout from the table itself: section 二's column words, section 三's 其他处理 rows."""
    ad_vote, req_vote = layout_votes(
        text[regions.ad[0] : regions.ad[1]] if regions.ad else "",
        text[regions.requests[0] : regions.requests[1]] if regions.requests else "",
    )
    votes = [v for v in (ad_vote, req_vote) if v is not None]
    if not votes:
        return None, []
    if len(set(votes)) > 1:
        return votes[-1], [f"section 二 has the {votes[0]} layout but section 三 the {votes[-1]} layout"]
    return votes[0], []


def _requests_row_ok(cells: list[Cell]) -> bool:
    values = [c[0] for c in cells]
    if any(v is None for v in values):
        return False
    return sum(values[:-1]) == values[-1]  # type: ignore[arg-type]


def read_rows(
    text: str,
    region: tuple[int, int],
    specs: Sequence[RowSpec],
    section: str,
    sum_last: bool,
    grids: bool = False,
    beside_old_statistics: bool = False,
) -> SectionReading:
    reading = SectionReading()
    hits = locate_rows(text, specs, region[0], region[1])
    if not hits:
        return reading
    blank_label = _blank_first_label(text, region, specs, hits)
    if blank_label is not None:
        hits.insert(0, blank_label)
        reading.warnings.append(f"{section}.{specs[0].key}: label cell blank, the values before {specs[1].fuzzy} read as its row")
    if not grids:  # a grid row holds its own cells: a blank row is blank, not the start of a column block
        reshape_column_blocks(hits, _requests_row_ok if sum_last else None)
    found = {h.spec.key: h for h in hits}
    ends = {h.spec.key: cells_end(text, h, hits[i + 1].start if i + 1 < len(hits) else region[1]) for i, h in enumerate(hits)}
    if beside_old_statistics and len(found) * 2 < len(specs):
        # A statutory table prints every row label; a few of them beside the statistics table of
        # the years before 2019 are that table's rows (同意部分公开答复数) or its report's prose.
        return reading
    table: Table = {}
    runs: dict[str, list[list[int]]] = {}
    blank: list[str] = []  # grid rows whose every cell is blank
    for spec in specs:
        hit = found.get(spec.key)
        label = f"{section}.{spec.key}"
        if hit is None:
            reading.warnings.append(f"{label}: row not found")
            table[spec.key] = dict.fromkeys(spec.columns)
            continue
        if grids and not hit.cells:
            # A grid row keeps its cells beside its label: none written means every one is blank
            # (read as null), not values lost somewhere else.
            blank.append(spec.key)
            table[spec.key] = dict.fromkeys(spec.columns)
            continue
        splits = _run_splits(hit.cells, len(spec.columns)) if sum_last else None
        if splits is not None and len(splits) > 1:
            runs[spec.key] = splits
            table[spec.key] = dict.fromkeys(spec.columns)
            continue
        if spec.key == "procurement":
            items = _purchase_rows(text[hit.end : ends[spec.key]], spec)
            if items:
                reading.warnings.append(f"{label}: printed as {items} item rows, not a count and a total: read as null")
                table[spec.key] = dict.fromkeys(spec.columns)
                continue
        if len(hit.cells) < len(spec.columns):
            segment = text[hit.end : ends[spec.key]]
            printed = _printed_columns(text, region[0], hit, hits, segment)
            if printed is not None:
                table[spec.key] = printed
                reading.warnings.append(f"{label}: the table prints {len(hit.cells)} of its {len(spec.columns)} columns; read by its header")
                continue
            segment = _without_next_row_opener(text, hit, segment)
            shown = _fit_with_blank_cells(segment, len(hit.cells), spec.columns, label, reading.warnings)
            if shown is not None:
                table[spec.key] = shown
                continue
        table[spec.key] = fit_cells(hit.cells, spec.columns, label, reading.warnings, sum_last)
        if not sum_last and len(hit.cells) == 1 and all(v is None for v in table[spec.key].values()):
            _settle_by_prose(table, spec, hit.cells[0][1], text[: region[0]] + "\n" + text[region[1] :], label, reading.warnings)
        if spec.key == "procurement":
            m = _UNIT_AFTER.search(text, hit.end, region[1]) or _UNIT_HEADER.search(text, region[0], region[1])
            reading.unit = m.group(1) if m else None
    if runs:
        _settle_runs(table, runs, specs, section, reading.warnings)
    if blank:
        reading.warnings.append(f"{section}: {len(blank)} row(s) printed with every cell blank, read as null: {', '.join(blank)}")
    if not any(c is not None for row in table.values() for c in row.values()):
        # The table is there (its header and most of its rows) but every cell is blank: the values
        # are absent, not the section — null cells, and a warning instead of a silent null section.
        reading.warnings = [f"{section}: table found but every value cell is empty"]
    reading.table = table
    return reading


# The last column header of section 二's first sub-table (本年制发件数 | 本年废止件数 | 现行有效件数, or
# the 2019 layout's … | 对外公开总数量): the first row starts after it.
_FIRST_SUBTABLE_LAST_HEADER = re.compile(r"现行有效件数?|对外公开总数量?")


def _blank_first_label(text: str, region: tuple[int, int], specs: Sequence[RowSpec], hits: list[RowHit]) -> RowHit | None:
    """Section 二's first row (规章) when its label cell is printed blank: exactly a row's width of
    values between the sub-table's column headers and the second row's label (行政规范性文件) can
    only be that row's. None when the first row was found or the values do not make its width."""
    if specs[0].key != "regulations" or hits[0].spec.key != specs[1].key:
        return None
    headers = list(_FIRST_SUBTABLE_LAST_HEADER.finditer(text, region[0], hits[0].start))
    if not headers:
        return None
    after = headers[-1].end()
    cells = value_tokens(text[after : hits[0].start])
    if len(cells) != len(specs[0].columns):
        return None
    return RowHit(specs[0], after, after, cells)


# The words of section 二's column headers (2019 layout), for a table that leaves some columns out
# (信息内容 | 项目数量 | 处理决定数量). 采购项目数量 is the procurement row's own column.
_COLUMN_WORDS = {
    "made": re.compile(r"新制作"),
    "published": re.compile(r"新公开"),
    "total_public": re.compile(r"公开总数"),
    "previous_count": re.compile(r"(?<!采购)项目数量?"),
    "change": re.compile(r"增\s*[/\\、]?\s*减"),
    "decisions": re.compile(r"决定数量?"),
}
_SUB_TABLE_HEADER = "信息内容"
# What such a header may hold besides separators. Any other word (本年新 cut from 本年新制作数量, a
# note in brackets) means the header is not one this reading can trust.
_HEADER_PHRASES = re.compile(
    r"信息内容|本年新制作数量?|本年新公开数量?|对外公开总数量?|(?:上一年)?项目数量?|本年增\s*[/\\、]?\s*减|(?:本年)?处理决定数量?"
    r"|第二十条第[(（][一二三四五六七八九十]+[)）]项"
)
# Between two values of a row: separators only — a sentence in a cell (救助…,发放…1040万元) is not.
_BETWEEN_VALUES = re.compile(r"[\s|]*")


def _printed_columns(
    text: str, start: int, hit: RowHit, hits: list[RowHit], segment: str
) -> dict[str, Cell | None] | None:
    """A row of a sub-table whose header prints fewer columns than the layout has, read by that
    header: its values, nothing but separators between them, one for each printed column (in the
    layout's order); the other columns null. None for any other row."""
    columns = hit.spec.columns
    if any(c not in _COLUMN_WORDS for c in columns):
        return None
    at = text.rfind(_SUB_TABLE_HEADER, start, hit.start)
    if at < 0:
        return None
    header_end = min((h.start for h in hits if h.start > at), default=hit.start)
    header = text[at:header_end]
    if _CJK.search(_HEADER_PHRASES.sub("", header)):
        return None
    printed = [c for c in columns if _COLUMN_WORDS[c].search(header)]
    if not printed or len(printed) == len(columns) or len(printed) != len(hit.cells):
        return None
    spans = [m.span() for m in VALUE_RE.finditer(segment)][: len(printed)]
    if any(not _BETWEEN_VALUES.fullmatch(segment[a[1] : b[0]]) for a, b in pairwise(spans)):
        return None
    row: dict[str, Cell | None] = dict.fromkeys(columns)
    for column, cell in zip(printed, hit.cells, strict=True):
        row[column] = cell if cell[0] is not None else None
    return row


# A line holding only spaces between cell lines: a cell the text shows as empty (one cell per line).
_BLANK_CELL_LINE = re.compile(r"\n[ \t\u3000\xa0]+(?=\n)")


# A bar alone on the line before a row's label: the row opens with it (``|`` then ``规章 |``, ``0 |``…).
# The label's first words may stand after it though the row's match starts later (行政 of 行政规范性文件).
_ROW_OPENER_BEFORE = re.compile(r"(?:^|\n)[ \t]*\|[ \t]*\n[ \t]*[\u4e00-\u9fff]*$")
_ROW_OPENER_AFTER = re.compile(r"\n[ \t]*\|[ \t]*\n[ \t]*[\u4e00-\u9fff]*\s*$")


def _without_next_row_opener(text: str, hit: RowHit, segment: str) -> str:
    """A row's text without the next row's opening bar, when every row opens with a bar line of its
    own: that bar closes no empty cell of this row (``0 |``, ``0 |``, ``|``, ``|`` is two values and
    one empty cell)."""
    if not _ROW_OPENER_BEFORE.search(text, max(0, hit.start - 40), hit.start):
        return segment
    return _ROW_OPENER_AFTER.sub("", segment)


def _fit_with_blank_cells(
    segment: str, values: int, columns: Sequence[str], label: str, warnings: list[str]
) -> dict[str, Cell | None] | None:
    """A row whose text shows its empty cells: values and blanks in order when they make the row's
    width, else nothing — its digits are never split into several values (`` 148`` is not 1, 4, 8).
    None when the row's text shows no empty cell."""
    if _BLANK_CELL_LINE.search(segment) is not None:
        cells = value_tokens(_BLANK_CELL_LINE.sub("\n" + NULL_TOKEN, segment))
    else:
        shown = _pipe_cells(segment) if "|" in segment else _paragraph_cells(segment)
        if shown is None:
            return None
        cells = shown
    if len(cells) == len(columns):
        return {c: (cell if cell[0] is not None else None) for c, cell in zip(columns, cells, strict=True)}
    warnings.append(f"{label}: found {values} value(s) and blank cells for {len(columns)} columns; row left unread")
    return dict.fromkeys(columns)


def _purchase_rows(segment: str, spec: RowSpec) -> int:
    """How many rows the procurement row's text lists purchases in (0: a count and a total): its
    label printed again, its first value inside words (政府集中采购 | 公务用车10辆 | 1530000元, a row
    per item)."""
    first = VALUE_RE.search(segment)
    if first is None or not _CJK.search(segment, 0, first.start()):
        return 0
    again = sum(segment.count(anchor) for anchor in spec.anchors)  # plain words, neither in the other
    return again + 1 if again else 0


def _one_value(piece: str) -> Cell | None:
    """The value a cell's text is, when it is nothing but one value."""
    tokens = value_tokens(piece)
    return tokens[0] if len(tokens) == 1 and tokens[0][1] == piece.strip() else None


def _shown_in_order(pieces: list[str], head: str) -> list[Cell] | None:
    """Cells of a row from its pieces of text (blank ones empty), past the label's own pieces and
    before the next label's. None when no empty cell is shown or a piece is neither blank nor one
    value: such a row is left to the other readings."""
    kinds = [None if not p.strip() else _one_value(p) for p in pieces]
    values = [i for i, k in enumerate(kinds) if k is not None]
    if not values or value_tokens(head) or any(value_tokens(p) for p in pieces[: values[0]]):
        return None
    # A text piece before the first value is the rest of a label written over several cells or
    # lines; one after the last value is the next row's (or group's) label.
    texts = [i for i in range(values[0]) if pieces[i].strip()]
    first = texts[-1] + 1 if texts else 0
    last = next((i for i in range(values[-1] + 1, len(pieces)) if pieces[i].strip()), len(pieces))
    cells = pieces[first:last]
    shown = kinds[first:last]
    if any(k is None and p.strip() for p, k in zip(cells, shown, strict=True)) or None not in shown:
        return None
    return [k if k is not None else (None, NULL_TOKEN) for k in shown]


# Lines of bars alone closing a row (``0 |`` then ``||``, before the next row's label): a merged
# cell's filler columns, written where a row has fewer cells than the widest one — no cell of this
# row's.
_FILLER_BAR_LINES = re.compile(r"(?:\n[ \t]*\|{2,}[ \t]*)+(?=\n[ \t]*[^|\s]|\s*$)")


def _pipe_cells(segment: str) -> list[Cell] | None:
    """A row written ``label | 25 |`` then ``|`` lines for its empty cells (``| 25 |`` last): the
    pieces between bars are the cells in order. The piece before the first bar is the label's
    rest; the piece after the last bar is a cell only when it is a value (no closing bar)."""
    pieces = _FILLER_BAR_LINES.sub("", segment).split("|")
    if len(pieces) < 3:
        return None
    body = pieces[1:] if _one_value(pieces[-1]) else pieces[1:-1]
    return _shown_in_order(body, pieces[0])


def _paragraph_cells(segment: str) -> list[Cell] | None:
    """A row written a cell a paragraph (each cell's line followed by a blank line) whose empty
    cells are each one more blank line: ``label``, seven blank lines, ``3`` is six empty cells then
    3. A value line not parted by a blank line from the line before means the text is not written
    that way; label lines (a label wrapped over lines) may follow each other."""
    lines = segment.split("\n")
    if len(lines) < 3:
        return None
    # The last line is the start of the next row's line (empty when the segment ends a line).
    lines, ending = lines[:-1], lines[-1]
    pieces: list[str] = []
    gap = 0
    after_text = True  # the segment opens on the rest of the row's label
    for line in lines[1:] + ([ending] if ending.strip() else []):
        if not line.strip():
            gap += 1
            continue
        value = _one_value(line) is not None
        if gap == 0 and (value or not after_text):
            return None
        pieces.extend([""] * (gap - 1))
        pieces.append(line)
        gap = 0
        if not value and len(pieces) > 1 and any(_one_value(p) for p in pieces[:-1]):
            return _shown_in_order(pieces, lines[0])  # the next label: the row ends before it
        after_text = not value
    # Blank lines after the last line (the segment ends the table's text): empty cells at the
    # row's end, but for the last cell's paragraph break.
    pieces.extend([""] * max(gap - 1, 0))
    return _shown_in_order(pieces, lines[0])


def _settle_by_prose(table: Table, spec: RowSpec, digits: str, prose: str, label: str, warnings: list[str]) -> None:
    """A run-together document row the report's sentences settle (see ``prose_figures``)."""
    split = split_by_prose(prose, spec.key, spec.columns, digits)
    if split is None:
        return
    table[spec.key] = {c: (v, str(v)) for c, v in zip(spec.columns, split, strict=True)}
    cannot = f"{label}: digits {digits!r} run together and cannot be split with certainty"
    if cannot in warnings:
        warnings.remove(cannot)
    warnings.append(f"{label}: digits {digits!r} run together, split as the report's text states them")


def _run_splits(cells: list[Cell], width: int) -> list[list[int]] | None:
    """Every split of a row whose digits run together (None when they do not)."""
    run = _digit_tokens(cells, width) if width >= 2 else None
    if run is None:
        return None
    return split_digits(run[0], [width], True, limit=MAX_SPLITS_PER_ROW + 1, cuts=run[1])


def _settle_runs(
    table: Table, runs: dict[str, list[list[int]]], specs: Sequence[RowSpec], section: str, warnings: list[str]
) -> None:
    """Fill run-together rows the table's identities pin down; the rest stay null with a warning."""
    columns = specs[0].columns
    known = {key: [c[0] if c else None for c in row.values()] for key, row in table.items() if key not in runs}
    outcomes = [s.key for s in specs[2:-2]]
    settled = resolve_runs(known, runs, outcomes, len(columns))
    for key, splits in runs.items():
        split = settled.get(key)
        if split is not None:
            table[key] = {c: (v, str(v)) for c, v in zip(columns, split, strict=True)}
        else:
            warnings.append(f"{section}.{key}: digits run together and cannot be split with certainty ({len(splits)} splits fit)")


def _review_cells(text: str, region: tuple[int, int]) -> list[Cell]:
    """The section's values: all of them, or — when there are more than its one row holds — the
    row after the table's column headers. A sentence before the table (本年度被申请行政复议2件 ·
    2020 年,我单位…) holds numbers that are not cells and would shift every cell after them."""
    segment = text[region[0] : region[1]]
    cells = value_tokens(segment)
    if len(cells) <= REVIEW_WIDTH:
        return cells
    # Where each value starts: the values after a header word are counted by bisection, in one
    # pass over the section however many header words it holds.
    starts = [m.start() for m in VALUE_RE.finditer(segment)]
    row_from: int | None = None
    for m in _REVIEW_COLUMN_WORD.finditer(segment):
        first = bisect_left(starts, m.end())
        left = len(starts) - first
        if left < REVIEW_WIDTH:
            break
        if left == REVIEW_WIDTH:
            row_from = first
    return cells[row_from:] if row_from is not None else cells


def read_review(text: str, region: tuple[int, int]) -> SectionReading:
    from parsers.labels import REVIEW_COLUMNS, REVIEW_GROUPS

    reading = SectionReading()
    cells = _review_cells(text, region)
    if not cells:
        if _REVIEW_TABLE_HEADER.search(text, *region):
            # The table's own header is there but no cell holds a value: values absent, section present.
            reading.warnings.append("review_litigation: table found but every value cell is empty")
            reading.table = {g: dict.fromkeys(REVIEW_COLUMNS) for g in REVIEW_GROUPS}
        return reading
    if len(cells) < REVIEW_WIDTH:
        digits = "".join(c[1] for c in cells)
        found = split_digits(digits, [5, 5, 5], True) if all(c[1].isdigit() for c in cells) else []
        if len(found) == 1:
            cells = [(v, str(v)) for v in found[0]]
        else:
            reading.warnings.append(
                f"review_litigation: found {len(cells)} of {REVIEW_WIDTH} cells; section left unread"
            )
            reading.table = {g: dict.fromkeys(REVIEW_COLUMNS) for g in REVIEW_GROUPS}
            return reading
    table: Table = {}
    for gi, group in enumerate(REVIEW_GROUPS):
        table[group] = {
            col: cells[gi * len(REVIEW_COLUMNS) + ci] for ci, col in enumerate(REVIEW_COLUMNS)
        }
    reading.table = table
    return reading


@dataclass
class TextReading:
    layout: str | None
    active_disclosure: SectionReading
    requests: SectionReading
    review_litigation: SectionReading
    warnings: list[str]
    headings: bool  # the statutory section headings are present
    old_statistics: bool = False  # the statistics table of reports before 2019 is printed


def read_sections(raw_text: str, grids: bool = False) -> TextReading:
    """All three statutory tables from one text: a document body, or (``grids``) table grids
    written as row lines (``tables.tables_text``)."""
    from parsers.labels import LAYOUT_2021, OLD_STATISTICS_MARKERS, REQ_2021_ROWS, ad_rows, request_rows

    text = normalise(raw_text, folded=grids)  # tables_text folds each grid as it writes it
    regions = find_regions(text, REQ_2021_ROWS)
    layout, warnings = detect_layout(text, regions)
    effective = layout or LAYOUT_2021
    ad_region = regions.ad if regions.ad and _AD_HEADER.search(text, *regions.ad) else None
    old = sum(1 for marker in OLD_STATISTICS_MARKERS if marker in text) >= 2
    if ad_region:
        ad_region = (table_start(text, ad_region, ad_rows(effective)), ad_region[1])
    ad = (
        read_rows(text, ad_region, ad_rows(effective), "active_disclosure", False, grids, old)
        if ad_region
        else SectionReading()
    )
    req_region = regions.requests
    if req_region:
        req_region = (requests_table_start(text, req_region, request_rows(effective)), req_region[1])
    req = (
        read_rows(text, req_region, request_rows(effective), "requests", True, grids, old)
        if req_region
        else SectionReading()
    )
    review_region = regions.review if regions.review and _REVIEW_HEADER.search(text, *regions.review) else None
    rev = read_review(text, review_region) if review_region else SectionReading()
    headings = bool(_H2.search(text) or _H3.search(text))
    return TextReading(layout, ad, req, rev, warnings, headings, old)
