"""Legacy Word (.doc, and RTF saved as .doc) → Document.

The text comes from the file's own piece table (``parsers.word97``): exact, tables as one cell
per line. antiword then runs on a temporary file under a timeout for its tables (``|a|b|`` lines
become grids), used only when its output is complete: it silently drops tables whose merged cells
it cannot follow. Files the piece-table reader cannot follow (Word 6/95, RTF) fall back to
antiword's and then catdoc's text.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile

from parsers.document import Document, Grid
from parsers.word97 import Word97Error, word97_text

MAX_BYTES = 32 * 1024 * 1024
TIMEOUT_SECONDS = 30
MAX_OUTPUT_CHARS = 4 * 1024 * 1024

_WORD_CHARS = re.compile(r"[\u4e00-\u9fff0-9]")
_ROW = re.compile(r"^\s*\|(.*)\|\s*$")


def extract_doc(data: bytes) -> Document:
    """Text (and antiword's tables) of a legacy Word file; problems become warnings."""
    document = Document(kind="doc", text="")
    if len(data) > MAX_BYTES:
        document.warnings.append(f"DOC is {len(data)} bytes, over the {MAX_BYTES}-byte limit; not read")
        return document
    exact: str | None = None
    try:
        exact = word97_text(data)
    except Word97Error as error:
        document.warnings.append(f"Word 97 reader: {error}; trying antiword/catdoc")
    except Exception as error:  # a damaged compound file can fail in many ways
        document.warnings.append(f"Word 97 reader failed ({type(error).__name__}); trying antiword/catdoc")
    antiword_text, catdoc_text = _run_tools(data, document, need_fallback=exact is None)
    if exact is not None:
        document.text = exact.strip()
        if antiword_text and _weight(antiword_text) >= 0.95 * _weight(exact):
            document.tables = antiword_tables(antiword_text)
    else:
        chosen = _choose(antiword_text, catdoc_text, document)
        if chosen is None:
            document.warnings.append("DOC could not be read")
            return document
        text, from_antiword = chosen
        document.text = (_strip_table_rules(text) if from_antiword else text)[:MAX_OUTPUT_CHARS].strip()
        if from_antiword:
            document.tables = antiword_tables(text)
    if not document.text:
        document.warnings.append("DOC has no text")
    return document


def _run_tools(data: bytes, document: Document, *, need_fallback: bool) -> tuple[str | None, str | None]:
    antiword, catdoc = shutil.which("antiword"), shutil.which("catdoc")
    if need_fallback and antiword is None and catdoc is None:
        document.warnings.append("cannot read this file: neither antiword nor catdoc is installed")
        return None, None
    with tempfile.TemporaryDirectory(prefix="nianbao-doc-") as work:
        path = os.path.join(work, "input.doc")
        with open(path, "wb") as handle:
            handle.write(data)
        quiet = Document(kind="doc", text="")  # tool failures matter only when their text is needed
        log = document if need_fallback else quiet
        antiword_text = _run([antiword, "-m", "UTF-8.txt", "-w", "0", path], log) if antiword else None
        catdoc_text = _run([catdoc, "-w", "-d", "utf-8", path], log) if need_fallback and catdoc else None
    return antiword_text, catdoc_text


def _weight(text: str) -> int:
    return len(_WORD_CHARS.findall(text))


def _run(command: list[str], document: Document) -> str | None:
    tool = os.path.basename(command[0])
    environment = dict(os.environ, LC_ALL="C.UTF-8", LANG="C.UTF-8")
    try:
        done = subprocess.run(
            command, capture_output=True, timeout=TIMEOUT_SECONDS, check=False, env=environment
        )
    except subprocess.TimeoutExpired:
        document.warnings.append(f"{tool} took longer than {TIMEOUT_SECONDS} s; stopped")
        return None
    except OSError as error:
        document.warnings.append(f"{tool} could not run: {error}")
        return None
    output = done.stdout.decode("utf-8", "replace")
    if done.returncode != 0 or not output.strip():
        reason = done.stderr.decode("utf-8", "replace").strip().splitlines()
        document.warnings.append(f"{tool} failed: {reason[0] if reason else f'exit {done.returncode}'}")
        return None
    return output


def _choose(primary: str | None, fallback: str | None, document: Document) -> tuple[str, bool] | None:
    """antiword's text unless catdoc's carries a good deal more of the document's words and numbers."""
    if primary is None:
        return (fallback, False) if fallback is not None else None
    if fallback is None:
        return primary, True
    if _weight(fallback) > _weight(primary) * 1.15:
        document.warnings.append("antiword lost part of the document (tables?); using catdoc's text")
        return fallback, False
    return primary, True


def _strip_table_rules(text: str) -> str:
    """Table lines as TAB-separated cells, the way the text reader expects rows."""
    lines = []
    for line in text.splitlines():
        match = _ROW.match(line)
        lines.append("\t".join(cell.strip() for cell in match.group(1).split("|")) if match else line)
    return "\n".join(lines)


def antiword_tables(text: str) -> list[Grid]:
    """Runs of ``|a|b|`` lines as grids; a line that only continues wrapped cell text is folded up."""
    tables: list[Grid] = []
    current: Grid = []
    for line in text.splitlines():
        match = _ROW.match(line)
        if match is None:
            if current:
                tables.append(current)
                current = []
            continue
        cells = [cell.strip() for cell in match.group(1).split("|")]
        if current and _continues(current[-1], cells):
            current[-1] = [above + below for above, below in zip(current[-1], cells, strict=True)]
        else:
            current.append(cells)
    if current:
        tables.append(current)
    return [_rectangular(grid) for grid in tables]


def _continues(previous: list[str], cells: list[str]) -> bool:
    """A wrapped line: same cells, some empty, no numbers, text only where the row above has text."""
    if len(previous) != len(cells) or all(cells) or not any(cells):
        return False
    for above, below in zip(previous, cells, strict=True):
        if below and (not above or re.fullmatch(r"[-\d.,，]+", below)):
            return False
    return True


def _rectangular(grid: Grid) -> Grid:
    width = max(len(row) for row in grid)
    return [row + [""] * (width - len(row)) for row in grid]
