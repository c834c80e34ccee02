"""The format-neutral intermediate every extractor produces.

Each input format (HTML, text, PDF, DOCX, DOC) has its own extractor that turns bytes into a
``Document``; the report builder only ever sees a ``Document``. A table is a true grid: merged
cells are repeated into every position they cover, so ``tables[i][r][c]`` is the text a reader
sees at row ``r``, column ``c``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

Grid = list[list[str]]


class TableGrid(list[list[str]]):
    """A grid that also knows which of its positions are copies of a cell merged across from the
    left (HTML colspan, DOCX gridSpan).

    A value cell merged across two columns holds one value, not two equal ones: a table whose
    header and value rows merge their columns differently (本年新公开数量 over two columns, the
    values under it in one) lines up only when those copies are dropped.
    """

    copies: frozenset[tuple[int, int]] = frozenset()


@dataclass
class Document:
    """Text and tables extracted from one file, before any report semantics."""

    kind: str  # "html" | "text" | "pdf" | "docx" | "doc"
    text: str  # the readable body text, paragraphs separated by newlines (tables included as text)
    tables: list[Grid] = field(default_factory=list)
    title: str | None = None  # the document's own title (HTML <title>/ArticleTitle/h1, PDF metadata)
    meta: dict[str, str] = field(default_factory=dict)  # e.g. {"PubDate": "2024-01-25 10:00"}
    encoding: str | None = None  # the text encoding actually used to decode the bytes
    links: list[tuple[str, str]] = field(default_factory=list)  # (href as written, link text), HTML only
    images: int = 0  # pictures in the article body (HTML): where tables may have been pasted as images
    warnings: list[str] = field(default_factory=list)
