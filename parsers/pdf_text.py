"""pdfplumber's text of a run of characters (default settings), without its per-word objects.

pdfplumber lays text out by grouping characters into lines and words through generators that
build a dict per word and call a method per character pair; on a table page that is most of the
cost of its text. The functions here follow the same steps on the character dicts themselves:
runs of equal ``upright``, lines clustered by ``top`` (``x0`` for rotated characters) with the
3-point tolerance, characters ordered along the line, words split at whitespace and at gaps
wider than the tolerance, and lines of words clustered again by the words' tops.

``page_text`` is ``pdfplumber.utils.chars_to_textmap(chars).as_string`` (a page's
``extract_text``, the characters in page order); ``text`` is ``pdfplumber.utils.extract_text``.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import groupby
from operator import itemgetter
from typing import Any

from pdfplumber.utils.text import DEFAULT_X_TOLERANCE, DEFAULT_Y_TOLERANCE, LIGATURES

Obj = dict[str, Any]
Word = tuple[str, float]  # text with ligatures expanded, and top

_upright = itemgetter("upright")
_along_x = itemgetter("x0")  # pdfplumber's left-to-right key is (x0, x0): the same order
_along_y = itemgetter("top", "bottom")


def page_text(chars: list[Obj]) -> str:
    """The text pdfplumber's text map gives: word lines in the words' order, a space before a
    word only once the line has letters."""
    found = words(chars)
    tops = cluster_index([top for _, top in found], DEFAULT_Y_TOLERANCE)
    lines: list[list[str]] = []
    current: int | None = None
    for word, top in found:
        index = tops[top]
        if index != current:
            lines.append([])
            current = index
        lines[-1].append(word)
    return "\n".join(" ".join(_from_first_letter(line)) for line in lines)


def _from_first_letter(line: list[str]) -> list[str]:
    """The line's words from the first with letters: words of empty characters before it get no
    space (the text map counts the line's letters)."""
    start = 0
    while start < len(line) and not line[start]:
        start += 1
    return line[start:] if start else line


def text(chars: list[Obj]) -> str:
    """The text pdfplumber's ``extract_text`` gives: words clustered into lines by their tops,
    lines in cluster order, words joined by one space."""
    found = words(chars)
    tops = cluster_index((top for _, top in found), DEFAULT_Y_TOLERANCE)
    lines: dict[int, list[str]] = {}
    for word, top in found:
        lines.setdefault(tops[top], []).append(word)
    return "\n".join(" ".join(lines[index]) for index in sorted(lines))


def words(chars: list[Obj]) -> list[Word]:
    """pdfplumber's words of the characters, in its order."""
    found: list[Word] = []
    for _, run in groupby(chars, _upright):
        group = list(run)
        upright = bool(group[0]["upright"])
        for line in _lines(group, "top" if upright else "x0"):
            # Upright text runs left to right; rotated text top to bottom.
            line.sort(key=_along_x if upright else _along_y)
            _line_words(line, upright, found)
    return found


def _lines(chars: list[Obj], key: str) -> list[list[Obj]]:
    """Characters clustered on ``key``, clusters in order, each keeping the characters' order."""
    index = cluster_index((char[key] for char in chars), DEFAULT_Y_TOLERANCE)
    lines: dict[int, list[Obj]] = {}
    for char in chars:
        lines.setdefault(index[char[key]], []).append(char)
    return [lines[i] for i in sorted(lines)]


def _line_words(line: list[Obj], upright: bool, found: list[Word]) -> None:
    """Split a line into words: at whitespace (dropped), around an empty character (a word of its
    own), and where a character starts before the previous one, past the tolerance after its
    end, or off its line."""
    along, end, across = ("x0", "x1", "top") if upright else ("top", "bottom", "x0")
    word: list[Obj] = []
    previous: Obj | None = None  # the word's last character
    for char in line:
        value = char["text"]
        if value.isspace():
            _close(word, found)
            word, previous = [], None
        elif value == "":
            _close(word, found)
            _close([char], found)
            word, previous = [], None
        elif previous is not None and (
            char[along] < previous[along]
            or char[along] > previous[end] + DEFAULT_X_TOLERANCE
            or abs(char[across] - previous[across]) > DEFAULT_Y_TOLERANCE
        ):
            _close(word, found)
            word, previous = [char], char
        else:
            word.append(char)
            previous = char
    _close(word, found)


def _close(word: list[Obj], found: list[Word]) -> None:
    if len(word) == 1:
        value = word[0]["text"]
        found.append((LIGATURES.get(value, value), word[0]["top"]))
    elif word:
        found.append(("".join([LIGATURES.get(c["text"], c["text"]) for c in word]), min([c["top"] for c in word])))


def cluster_index(values: Iterable[float], tolerance: float) -> dict[float, int]:
    """Each distinct value's cluster: sorted values chain while each is within ``tolerance`` of
    the one before (pdfplumber's ``cluster_list``)."""
    index: dict[float, int] = {}
    cluster = -1
    last: float | None = None
    for value in sorted(set(values)):
        if last is None or value > last + tolerance:
            cluster += 1
        index[value] = cluster
        last = value
    return index
