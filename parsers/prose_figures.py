"""Figures the report's prose states for section 二's document rows, to settle digits run together.

Archived text runs a row's cells together (行政规范性文件8855698). Where the digits split several
ways, the report's own sentences often state the same figures (本年度制发的规范性文件88件, 现行有效
行政规范性文件698件). A split is taken only when every column but one is stated in prose and
exactly one split agrees with all that is stated: the digits then fix the remaining column.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

# The words that name each column of the document rows in prose, both layouts.
_COLUMN_WORDS: dict[str, str] = {
    "issued": r"制发|印发|出台",
    "repealed": r"废止|宣布失效",
    "in_force": r"现行有效",
    "made": r"新制作|制作|制发",
    "published": r"新公开|公开发布",
    "total_public": r"对外公开总数|累计公开",
}
_ROW_WORDS: dict[str, str] = {"regulations": "规章", "normative_documents": "规范性文件"}
_SENTENCE_END = re.compile(r"[。；;\n]")
_MAX_GAP = 14  # characters between a column's word and its figure, within one clause
MAX_DIGITS = 12


def _stated(text: str, row_word: str, column: str) -> set[int]:
    """Figures the prose gives for one column of one row: "<word> … <n>件" in a sentence naming the row."""
    pattern = re.compile(rf"(?:{_COLUMN_WORDS[column]})[^\d，,。；;]{{0,{_MAX_GAP}}}?(\d+)\s*[件个部条]")
    found: set[int] = set()
    for sentence in _SENTENCE_END.split(text):
        if row_word not in sentence:
            continue
        for clause in re.split(r"[，,]", sentence):
            if row_word in clause or len(clause) < 30:
                found.update(int(m.group(1)) for m in pattern.finditer(clause))
    return found


def _splits(digits: str, n: int) -> list[list[int]]:
    """Every way to cut ``digits`` into ``n`` numbers without leading zeros."""
    if n == 1:
        return [[int(digits)]] if digits and (digits == "0" or digits[0] != "0") else []
    out: list[list[int]] = []
    for cut in range(1, len(digits) - n + 2):
        head = digits[:cut]
        if len(head) > 1 and head[0] == "0":
            break
        out.extend([int(head), *rest] for rest in _splits(digits[cut:], n - 1))
    return out


def split_by_prose(prose: str, row: str, columns: Sequence[str], digits: str) -> list[int] | None:
    """The one split of ``digits`` over ``columns`` the prose confirms, or None."""
    row_word = _ROW_WORDS.get(row)
    if row_word is None or not digits.isdigit() or len(digits) > MAX_DIGITS or len(columns) < 2:
        return None
    if any(c not in _COLUMN_WORDS for c in columns):
        return None
    stated = [_stated(prose, row_word, c) for c in columns]
    if sum(1 for s in stated if s) < len(columns) - 1:
        return None
    fitting = [
        split for split in _splits(digits, len(columns))
        if all(not s or v in s for v, s in zip(split, stated, strict=True))
    ]
    return fitting[0] if len(fitting) == 1 else None
