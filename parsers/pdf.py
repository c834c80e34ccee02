"""PDF → Document with pdfplumber: ruled tables as true grids, text of every page.

Pages are read with PDFium first (``pdfium_pages``): its text for pages without the statutory
tables, its characters and ruling paths for pages with them, laid out and gridded by pdfplumber's
rules (``pdf_cells``). pdfminer reads only what PDFium cannot: files it cannot open, pages it
cannot place, files without a text layer (to tell scanned images from empty pages). Its document
info dictionary supplies the title and dates either way.

Limits keep one hostile file from stalling a crawl: at most ``MAX_PAGES`` pages are read (the
statutory report is a handful of pages; a longer file gets a warning), and any failure inside
pdfminer becomes a warning on an otherwise empty Document, never an exception.
"""

from __future__ import annotations

import io
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from datetime import datetime
from itertools import islice
from typing import Any

from parsers.document import Document, Grid, TableGrid
from parsers.folding import fold
from parsers.pdf_cells import CharIndex, char_index, find_tables, table_cells
from parsers.pdfium_pages import read_pages
from parsers.titles import is_readable_title

MAX_PAGES = 200
MAX_BYTES = 64 * 1024 * 1024
_TABLE_SETTINGS = {"vertical_strategy": "lines", "horizontal_strategy": "lines"}
_JOIN_TOLERANCE = 2.0  # points: cell edges closer than this are the same grid line
_PAGE_DRIFT = 5.0  # points: the same table's rules may sit this far apart on consecutive pages


def extract_pdf(data: bytes) -> Document:
    """Text and ruled tables of a PDF; problems become warnings, never exceptions."""
    document = Document(kind="pdf", text="")
    if len(data) > MAX_BYTES:
        document.warnings.append(f"PDF is {len(data)} bytes, over the {MAX_BYTES}-byte limit; not read")
        return document
    try:
        _read(data, document)
    except Exception as error:  # pdfminer raises a wide variety of errors on damaged files
        document.warnings.append(f"PDF could not be read: {_describe(error)}")
    return document


def _describe(error: Exception) -> str:
    name = type(error).__name__
    if "Password" in name or "Encrypt" in name:
        return f"encrypted ({name})"
    text = str(error).strip()
    return f"{name}: {text[:200]}" if text else name


# Words printed only inside the statutory tables (header and row labels of sections 二, 三, 四).
_TABLE_PAGE = re.compile(
    r"信息内容|本年制发|制发件数|现行有效|处理决定数量|收费金额|新制作数量|上一年项目|采购总金额|"
    r"本年新收|上年结转|予以公开|部分公开|不予公开|无法提供|不予处理|其他处理|结转下年|"
    r"商业企业|科研机构|法律服务机构|结果维持|结果纠正|尚未审结|复议后起诉"
)


def _is_table_page(text: str) -> bool:
    return _TABLE_PAGE.search(fold(re.sub(r"\s+", "", text))) is not None


def _read(data: bytes, document: Document) -> None:
    import pdfplumber
    from pdfminer.pdfpage import PDFPage
    from pdfplumber.page import Page

    fast = read_pages(data, MAX_PAGES, _is_table_page)
    if fast is not None and not any(page.text.strip() for page in fast.pages):
        fast = None  # no text layer: the slow path tells scanned images from empty pages
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        total = fast.page_count if fast is not None else _declared_page_count(pdf)
        if total is not None and total > MAX_PAGES:
            document.warnings.append(f"PDF has {total} pages; only the first {MAX_PAGES} were read")
        info = _raw_info(pdf)
        document.title = _title(info)
        document.meta.update(_dates(info))
        texts: list[str] = []
        tables: list[_PageTable] = []
        doctop = 0.0
        chars_seen = 0
        images_seen = 0
        pages_read = 0
        for number, page_object in enumerate(islice(PDFPage.create_pages(pdf.doc), MAX_PAGES), start=1):
            page = Page(pdf, page_object, page_number=number, initial_doctop=doctop)
            doctop += page.height
            pages_read += 1
            quick = fast.pages[number - 1] if fast is not None and number <= len(fast.pages) else None
            if quick is not None and quick.unreliable:
                quick = None
            try:
                if quick is not None and quick.layout is not None:
                    # A table page PDFium could lay out: the same table rules, without pdfminer.
                    chars_seen += len(quick.layout.chars)
                    texts.append(quick.layout.extract_text())
                    tables.extend(_page_tables(quick.layout, number))
                    continue
                if quick is not None and not _is_table_page(quick.text):
                    chars_seen += len(quick.text.strip())
                    texts.append(quick.text)
                    continue
                chars_seen += len(page.chars)
                images_seen += len(page.images)
                texts.append(page.extract_text() or "")
                tables.extend(_page_tables(page, number))
            except Exception as error:
                document.warnings.append(f"page {number} could not be read: {_describe(error)}")
            finally:
                page.close()
        if total is None and pages_read == MAX_PAGES:
            document.warnings.append(
                f"PDF may have more than {MAX_PAGES} pages; only the first {MAX_PAGES} were read"
            )
        document.text = "\n".join(texts).strip()
        document.tables = _join_continued(tables)
        if pages_read == 0:
            document.warnings.append("PDF has no pages")
        elif chars_seen == 0:
            hint = " (scanned images, no text layer)" if images_seen else ""
            document.warnings.append(f"PDF has no extractable text{hint}")


def _raw_info(pdf: Any) -> dict[str, Any]:
    """The document info dictionary with undecoded strings (pdfplumber's decoding loses UTF-16LE)."""
    from pdfminer.pdftypes import resolve1

    info: dict[str, Any] = {}
    for entry in pdf.doc.info:
        for key, value in entry.items():
            try:
                info[key] = resolve1(value)
            except Exception:
                continue
    return info


def _declared_page_count(pdf: Any) -> int | None:
    from pdfminer.pdftypes import resolve1

    try:
        pages = resolve1(pdf.doc.catalog.get("Pages"))
        count = resolve1(pages.get("Count")) if isinstance(pages, dict) else None
        return int(count) if isinstance(count, int) else None
    except Exception:
        return None


@dataclass
class _PageTable:
    page: int
    grid: Grid
    xs: list[float]  # x positions of the column rules, left to right
    first_on_page: bool
    last_on_page: bool


def _page_tables(page: Any, number: int) -> list[_PageTable]:
    found: list[_PageTable] = []
    tables = find_tables(page, _TABLE_SETTINGS)
    index = char_index(page.chars) if tables else None
    for table in tables:
        grid, xs = _filled_grid(table, index)
        if grid and len(grid[0]) > 1:  # a one-column "table" is a framed paragraph
            found.append(_PageTable(number, grid, xs, first_on_page=not found, last_on_page=False))
    if found:
        found[-1].last_on_page = True
    return found


def _filled_grid(table: Any, index: CharIndex | None = None) -> tuple[Grid, list[float]]:
    """pdfplumber leaves the positions a merged cell covers as None; repeat the cell's text there."""
    rows, bboxes = table_cells(table, index)
    if not rows:
        return [], []
    boxes = [bbox for row in bboxes for bbox in row if bbox]
    xs = _grid_lines([bbox[0] for bbox in boxes], [bbox[2] for bbox in boxes])
    ys = _grid_lines([bbox[1] for bbox in boxes], [bbox[3] for bbox in boxes])
    width = max(len(row) for row in rows)
    grid: list[list[str | None]] = [[None] * width for _ in rows]
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            bbox = bboxes[r][c] if c < len(bboxes[r]) else None
            if bbox is None:
                continue
            text = _clean_cell(value)
            col_span = _span(xs, bbox[0], bbox[2])
            row_span = _span(ys, bbox[1], bbox[3])
            for dr in range(max(row_span, 1)):
                for dc in range(max(col_span, 1)):
                    if r + dr < len(grid) and c + dc < width and grid[r + dr][c + dc] is None:
                        grid[r + dr][c + dc] = text
    return [[cell if cell is not None else "" for cell in row] for row in grid], xs


def _grid_lines(starts: list[float], ends: list[float], tolerance: float = _JOIN_TOLERANCE) -> list[float]:
    lines: list[float] = []
    for value in sorted(starts + ends):
        if not lines or value - lines[-1] > tolerance:
            lines.append(value)
    return lines


def _span(lines: list[float], start: float, end: float, tolerance: float = _JOIN_TOLERANCE) -> int:
    """How many grid intervals lie between ``start`` and ``end`` (``lines`` ascending)."""
    return max(bisect_left(lines, end - tolerance) - bisect_right(lines, start + tolerance), 0) + 1


def _clean_cell(value: str | None) -> str:
    """Cell text with the line wraps of a narrow column undone."""
    if not value:
        return ""
    if "\n" not in value:  # most cells: nothing to undo
        return value.strip()
    return re.sub(r"\s*\n\s*", "", value).strip()


def _join_continued(tables: list[_PageTable]) -> list[Grid]:
    """A table cut by a page break comes back as one grid.

    The parts must touch the break (last table of one page, first of the next) and share their
    outer rules. A part may lack inner rules the other has (on its page every row merged those
    columns): both are re-gridded onto the union of rules, repeating text across the split columns
    and noting the repeats as copies, so a value spread over two columns stays one value.
    """
    joined: list[_PageTable] = []
    for part in tables:
        previous = joined[-1] if joined else None
        if (
            previous is not None
            and part.page == previous.page + 1
            and previous.last_on_page
            and part.first_on_page
            and _same_edges(previous.xs, part.xs)
        ):
            if len(previous.grid[0]) == len(part.grid[0]):
                xs, above, below_part = previous.xs, previous.grid, part.grid
            else:
                # Rules on two pages drift by a point or two; cluster them more loosely here.
                xs = _grid_lines(previous.xs, part.xs, tolerance=_PAGE_DRIFT)
                above = _regrid(previous.grid, previous.xs, xs)
                below_part = _regrid(part.grid, part.xs, xs)
            below = _carry_labels_down(above[-1], below_part)
            grid = TableGrid(above + below)
            grid.copies = _copies(above) | {(r + len(above), c) for r, c in _copies(below_part)}
            joined[-1] = _PageTable(part.page, grid, xs, previous.first_on_page, part.last_on_page)
        else:
            joined.append(part)
    return [part.grid for part in joined]


def _copies(grid: Grid) -> frozenset[tuple[int, int]]:
    return getattr(grid, "copies", frozenset())


def _same_edges(left: list[float], right: list[float]) -> bool:
    return (
        len(left) >= 2
        and len(right) >= 2
        and abs(left[0] - right[0]) <= _PAGE_DRIFT
        and abs(left[-1] - right[-1]) <= _PAGE_DRIFT
    )


def _regrid(grid: Grid, xs: list[float], union: list[float]) -> Grid:
    """Spread each column over the union columns it covers; the positions after a column's first
    are copies (as are all positions of a column that was a copy already)."""
    if len(xs) - 1 != len(grid[0]):
        return grid
    repeats = [max(_span(union, xs[c], xs[c + 1], _PAGE_DRIFT), 1) for c in range(len(xs) - 1)]
    if all(count == 1 for count in repeats):
        return grid
    firsts = [sum(repeats[:c]) for c in range(len(repeats))]
    old = _copies(grid)
    spread = TableGrid([[text for text, count in zip(row, repeats, strict=True) for _ in range(count)] for row in grid])
    spread.copies = frozenset(
        (r, firsts[c] + k)
        for r in range(len(grid))
        for c, count in enumerate(repeats)
        for k in range(count)
        if k > 0 or (r, c) in old
    )
    return spread


def _carry_labels_down(previous_row: list[str], part: Grid) -> Grid:
    """A label cell merged across the page break arrives empty on the new page; repeat the label.

    Only text labels are carried: an empty number cell stays empty (the parser never invents values).
    """
    part = [list(row) for row in part]
    for c, label in enumerate(previous_row):
        if not label or _is_number(label):
            continue
        for row in part:
            if row[c] != "":
                break
            row[c] = label
    return part


def _is_number(text: str) -> bool:
    return bool(re.fullmatch(r"[-+]?[\d０-９,，.．\s]+(万元|元)?", text))


def _title(metadata: dict[str, Any]) -> str | None:
    raw = metadata.get("Title")
    title = _pdf_string(raw)
    if not title:
        return None
    title = re.sub(r"^Microsoft Word - ", "", title).strip()
    if re.fullmatch(r"[\w\-. ]+\.(docx?|wps|pdf)", title, re.IGNORECASE) or not title:
        return None  # a file name, not a title
    # A title stored in an encoding the producer mislabelled decodes to mojibake: drop it.
    return title if is_readable_title(title) else None


def _pdf_string(raw: Any) -> str | None:
    """A PDF text string: bytes, or a str that pdfminer decoded as Latin-1 despite a UTF-16 BOM."""
    if raw is None:
        return None
    if isinstance(raw, bytes):
        if raw.startswith((b"\xfe\xff", b"\xff\xfe")):
            return raw.decode("utf-16", "replace").strip("\x00 ")
        for encoding in ("utf-8", "gb18030"):
            try:
                return raw.decode(encoding).strip("\x00 ")
            except UnicodeDecodeError:
                continue
        return None
    text = str(raw)
    if text.startswith(("ÿþ", "þÿ")):
        try:
            return _pdf_string(text.encode("latin-1"))
        except UnicodeEncodeError:
            return None
    return text.strip("\x00 ")


def _dates(metadata: dict[str, Any]) -> dict[str, str]:
    found = {}
    for key in ("CreationDate", "ModDate"):
        value = _pdf_string(metadata.get(key))
        parsed = _pdf_date(value) if value else None
        if parsed:
            found[key] = parsed
    return found


def _pdf_date(value: str) -> str | None:
    """``D:20250225100250+08'00'`` → ``2025-02-25 10:02:50``."""
    match = re.match(r"D?:?(\d{4})(\d{2})(\d{2})(\d{2})?(\d{2})?(\d{2})?", value)
    if not match:
        return None
    year, month, day, hour, minute, second = (int(g) if g else 0 for g in match.groups())
    try:
        return datetime(year, month, day, hour, minute, second).strftime("%Y-%m-%d %H:%M:%S")
    except ValueError:
        return None
