"""DOCX → Document with python-docx: paragraphs and tables in document order, merges as true grids.

The archive is vetted before python-docx sees it: python-docx reads every part into memory, so a
zip bomb (a few KB that inflate to gigabytes) is refused from the sizes the zip directory declares,
which also bound what ``zipfile`` will ever inflate.
"""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any

from parsers.document import Document, Grid, TableGrid

MAX_BYTES = 64 * 1024 * 1024
MAX_MEMBERS = 5000
MAX_UNCOMPRESSED = 256 * 1024 * 1024
MAX_DOCUMENT_XML = 64 * 1024 * 1024
MAX_RATIO = 200  # deflate rarely beats 1:100 on real XML; bombs reach 1:1000 and more
_RATIO_FLOOR = 1024 * 1024  # small members may compress as well as they like

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")


def extract_docx(data: bytes) -> Document:
    """Text and tables of a Word 2007+ document; problems become warnings, never exceptions."""
    document = Document(kind="docx", text="")
    problem = vet_archive(data)
    if problem:
        document.warnings.append(problem)
        return document
    try:
        import docx  # python-docx

        word = docx.Document(io.BytesIO(data))
    except Exception as error:
        document.warnings.append(f"DOCX could not be opened: {type(error).__name__}: {str(error)[:200]}")
        return document
    try:
        lines: list[str] = []
        _walk(word.element.body, lines, document.tables)
        document.text = "\n".join(lines).strip()
        _read_properties(word, document)
    except Exception as error:  # malformed XML inside a valid zip
        document.warnings.append(
            f"DOCX content could not be read: {type(error).__name__}: {str(error)[:200]}"
        )
    if not document.text and not document.tables:
        document.warnings.append("DOCX has no text")
    return document


def vet_archive(data: bytes) -> str | None:
    """Why this zip must not be opened, or None when its declared sizes are safe."""
    if len(data) > MAX_BYTES:
        return f"DOCX is {len(data)} bytes, over the {MAX_BYTES}-byte limit; not read"
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError) as error:
        return f"DOCX is not a readable zip archive: {error}"
    if len(members) > MAX_MEMBERS:
        return f"DOCX has {len(members)} archive members (limit {MAX_MEMBERS}); not read"
    total = sum(member.file_size for member in members)
    if total > MAX_UNCOMPRESSED:
        return f"DOCX would inflate to {total} bytes (limit {MAX_UNCOMPRESSED}); not read (zip bomb?)"
    names = {member.filename for member in members}
    if "word/document.xml" not in names:
        return "DOCX has no word/document.xml; not a Word document"
    for member in members:
        if member.filename == "word/document.xml" and member.file_size > MAX_DOCUMENT_XML:
            return f"DOCX body is {member.file_size} bytes (limit {MAX_DOCUMENT_XML}); not read"
        if member.file_size > _RATIO_FLOOR and member.file_size > MAX_RATIO * max(member.compress_size, 1):
            return (
                f"DOCX member {member.filename} inflates {member.compress_size} → {member.file_size} bytes "
                f"(ratio over {MAX_RATIO}); not read (zip bomb?)"
            )
    return None


def _walk(container: Any, lines: list[str], tables: list[Grid]) -> None:
    """Block-level content in document order; content controls (w:sdt) are looked into."""
    for element in container.iterchildren():
        tag = element.tag
        if tag == f"{_W}p":
            lines.append(_paragraph_text(element))
        elif tag == f"{_W}tbl":
            grid = table_grid(element)
            if grid:
                tables.append(grid)
                lines.extend("\t".join(row) for row in grid)
        elif tag == f"{_W}sdt":
            content = element.find(f"{_W}sdtContent")
            if content is not None:
                _walk(content, lines, tables)


def _paragraph_text(paragraph: Any) -> str:
    parts: list[str] = []
    for node in paragraph.iter(f"{_W}t", f"{_W}tab", f"{_W}br", f"{_W}cr"):
        if node.tag == f"{_W}t":
            parts.append(node.text or "")
        elif node.tag == f"{_W}tab":
            parts.append("\t")
        else:
            parts.append("\n")
    return "".join(parts)


def _cell_text(cell: Any) -> str:
    """A cell's paragraphs joined; a line wrap inside Chinese text joins without a space."""
    text = ""
    for paragraph in cell.iter(f"{_W}p"):
        piece = _paragraph_text(paragraph).strip()
        if not piece:
            continue
        if text and not (_CJK.match(text[-1]) or _CJK.match(piece[0])):
            text += " "
        text += piece
    return text.replace("\n", "")


def _int_attribute(element: Any, path: str, default: int) -> int:
    node = element.find(path)
    if node is None:
        return default
    try:
        return max(int(node.get(f"{_W}val", default)), 1)
    except ValueError:
        return default


def table_grid(table: Any) -> TableGrid:
    """The true grid of a w:tbl: gridSpan repeated across, vMerge continued down, gridBefore skipped."""
    rows: list[list[str]] = []
    copies: list[tuple[int, int]] = []  # positions a cell spanning grid columns covers to its right
    vertical_origin: dict[int, str] = {}  # column → text of the vMerge cell open above
    for tr in table.iterchildren(f"{_W}tr"):
        row: list[str] = []
        before = _int_attribute(tr, f"{_W}trPr/{_W}gridBefore", 0) if tr.find(f"{_W}trPr") is not None else 0
        row.extend([""] * before)
        for tc in _row_cells(tr):
            properties = tc.find(f"{_W}tcPr")
            span = 1
            merge = None
            if properties is not None:
                span = _int_attribute(properties, f"{_W}gridSpan", 1)
                merge_node = properties.find(f"{_W}vMerge")
                if merge_node is not None:
                    merge = merge_node.get(f"{_W}val", "continue")
            column = len(row)
            if merge == "continue":
                text = vertical_origin.get(column, "")
            else:
                text = _cell_text(tc)
                if merge == "restart":
                    for offset in range(span):
                        vertical_origin[column + offset] = text
                else:
                    for offset in range(span):
                        vertical_origin.pop(column + offset, None)
            if span > 1:
                copies.extend((len(rows), column + offset) for offset in range(1, span))
            row.extend([text] * span)
        rows.append(row)
    width = max((len(row) for row in rows), default=0)
    grid = TableGrid(row + [""] * (width - len(row)) for row in rows) if width else TableGrid()
    if copies and width:
        grid.copies = frozenset(copies)
    return grid


def _row_cells(tr: Any) -> list[Any]:
    """The w:tc of a row, including those wrapped in cell-level content controls."""
    cells = []
    for child in tr.iterchildren():
        if child.tag == f"{_W}tc":
            cells.append(child)
        elif child.tag == f"{_W}sdt":
            content = child.find(f"{_W}sdtContent")
            if content is not None:
                cells.extend(content.iterchildren(f"{_W}tc"))
    return cells


def _read_properties(word: Any, document: Document) -> None:
    properties = word.core_properties
    title = (properties.title or "").strip()
    if title and not re.fullmatch(r"[\w\-. ]+\.(docx?|wps)", title, re.IGNORECASE):
        document.title = title
    for key, value in (("created", properties.created), ("modified", properties.modified)):
        if value is not None:
            document.meta[key] = value.strftime("%Y-%m-%d %H:%M:%S")
