"""HTML report pages → Document.

Portal pages wrap the report in site chrome (navigation, related links, footers, sometimes layout
tables). The article body is found by text weight: starting at <body>, descend into the child that
holds most of the non-link text until no child dominates. Statutory tables become true grids
(rowspan/colspan repeated into every position they cover); only innermost tables are grids, outer
layout tables are read as ordinary blocks.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache, partial
from itertools import repeat

from lxml import etree

from parsers.document import Document, Grid, TableGrid
from parsers.text import decode_text

try:
    from parsers import html_walks as _walks_in_c
except ImportError:  # built without a C compiler: the Python walks below give the same, slower
    _walks_in_c = None

MAX_HTML_BYTES = 8_000_000  # beyond this the page is cut (a report page is well under 1 MB)
MAX_SPAN = 60  # rowspan/colspan above this are treated as 1 (hostile or broken markup)
MAX_GRID_CELLS = 40_000
MAX_LINKS = 5000

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
_CT_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_\-]+)", re.I)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*>", re.I)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# In these encodings a control character is a byte of its own and no other character contains
# such a byte, so bytes free of them decode to text free of them (checked in C on the bytes).
_CONTROL_FREE_ENCODINGS = frozenset({"utf-8", "gb18030"})
_CONTROL_BYTES = bytes(range(0x00, 0x09)) + b"\x0b\x0c" + bytes(range(0x0E, 0x20)) + b"\x7f"
_SPACES = re.compile(r"[ \t\r\f\v\u3000\xa0]+")
# Spaces other than the plain one, each made a plain space before runs are collapsed: str.replace
# finds them in C where a character class is tested at every position of the text.
_OTHER_SPACES = ("\r", "\f", "\v", "\u3000", "\xa0")
_SPACE_RUNS = re.compile("  +")  # a literal prefix the engine skips to in C
_BLANK_LINES = re.compile(r"\n\n\n+")
_DATE_VALUE = r"(\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?)"
# Publication labels first: an information block also gives the date the document was written
# (成文日期), which is not when it was published.
_DATE_LABELS = (
    re.compile(r"(?:发布时间|发布日期|公开日期|发布于)\s*[:：]?\s*" + _DATE_VALUE),
    re.compile(r"(?:发文日期|成文日期|日期)\s*[:：]?\s*" + _DATE_VALUE),
)
# The publishing body as the page's information block names it (gkmlpt, TRS and Hanweb templates).
_PUBLISHER_LABEL = re.compile(r"(?:发布机构|发文机关|信息来源|来源)\s*[:：]\s*([\u4e00-\u9fff（）()]{3,30})")
_TITLE_SPLIT = re.compile(r"\s*(?:[-_|｜—]+|&gt;)\s*")

_SKIP = {"script", "style", "noscript", "template", "iframe", "object", "select", "option", "button", "head"}
_BLOCK = {
    "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table", "section",
    "article", "header", "footer", "blockquote", "pre", "dd", "dt", "dl", "center", "form", "hr",
    "caption", "tbody", "thead", "tfoot", "main", "nav", "aside", "title",
}  # fmt: skip
# Some CMS templates write the publication time in a tag of their own (<publishtime>…</publishtime>).
_DATE_TAGS = ("publishtime", "pubtime", "publishdate", "pubdate")
MAX_SRCDOC_CHARS = 2_000_000
_CHROME_TAGS = ("a", "script", "style", "noscript", "select", "button", "template")
MIN_MARKED_ARTICLE = 20  # characters of readable text
# Names content-management systems give the article's container (id or class).
_ARTICLE_MARK = re.compile(
    r"zoom|trs_editor|article|content|detail|wzcon|con_?text|text_?con|custom_unionstyle|main_?text|xxgk_?con",
    re.I,
)
# ...and names that mark a part of the page around it ("detail-title", "content-nav").
_FURNITURE_MARK = re.compile(r"tit|nav|menu|foot|head|crumb|share|list|tool|side|bar|link|page", re.I)
# ...and the frame of every page: never the article, however much text it holds.
_FRAME_MARK = re.compile(r"foot|bottom|copyright|crumb|friend|^\s*(?:header|top|nav)\b", re.I)
_TITLE_META = ("ArticleTitle", "articletitle", "title", "og:title", "dc.title", "DC.title")


def declared_charset(data: bytes, content_type: str | None) -> str | None:
    if content_type:
        m = _CT_CHARSET.search(content_type)
        if m:
            return m.group(1)
    m = _META_CHARSET.search(data[:8192])
    return m.group(1).decode("ascii", "ignore") if m else None


_PARSER = etree.HTMLParser(remove_comments=True, remove_pis=True, no_network=True)


_text: Callable[[etree._Element], str] = partial(etree.tostring, method="text", encoding="unicode", with_tail=False)


def _own_text(el: etree._Element) -> str:
    """The text of ``el`` and its descendants; an element without children holds one text node,
    and reading it beats serialising (most links, scripts and cells have no children)."""
    return (el.text or "") if len(el) == 0 else _text(el)


def _clean(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def _cell_text(el: etree._Element) -> str:
    return _clean(_text(el).replace("\n", " "))


# A page's merged cells span a few distinct values ("2", "3"): each is read once.
@lru_cache(maxsize=256)
def _span(value: str | None) -> int:
    if value is None:
        return 1
    try:
        n = int(str(value).strip() or 1)
    except ValueError:
        return 1
    return n if 1 <= n <= MAX_SPAN else 1


def table_grid(table: etree._Element, leaf: bool | None = None) -> TableGrid:
    """A <table> as a true grid; merged cells repeated into every position they cover, the
    positions a cell covers to the right of its own noted as copies. ``leaf`` says, when the
    caller knows, whether the table holds no other table (finding out walks all of it)."""
    if _walks_in_c is None:
        return python_table_grid(table, leaf)
    return _finished_grid(*_walks_in_c.table_rows(table, MAX_GRID_CELLS, _span))


def python_table_grid(table: etree._Element, leaf: bool | None = None) -> TableGrid:
    """``table_grid`` cell by cell in Python: where the C walks are not built, and their reference."""
    if _is_leaf_table(table) if leaf is None else leaf:
        rows = list(table.iter("tr"))
    else:
        rows = [tr for tr in table.iter("tr") if _nearest_table(tr) is table]
    n_rows = len(rows)
    grid: list[list[str | None]] = [[] for _ in rows]
    cells_made = 0
    merged = False
    copies: list[tuple[int, int]] = []  # positions a cell merged across from the left covers
    for r, tr in enumerate(rows):
        row = grid[r]
        c = 0
        for cell in tr.iterchildren("td", "th"):
            # A cell without child elements holds one text node: reading it beats serialising.
            text = (cell.text or "") if not len(cell) else _text(cell)
            if not text.isdecimal():
                # str.split() collapses every kind of whitespace (NBSP, ideographic space) in C.
                text = " ".join(text.split())
            names = cell.keys()  # one call answers both span questions for most cells
            if "rowspan" not in names and "colspan" not in names:
                cells_made += 1
                if cells_made > MAX_GRID_CELLS:
                    break
                if c == len(row):  # nothing above reaches this far: the common case
                    row.append(text)
                    c += 1
                    continue
                while c < len(row) and row[c] is not None:
                    c += 1
                if c < len(row):
                    row[c] = text
                else:
                    row.append(text)
                c += 1
                continue
            while c < len(row) and row[c] is not None:
                c += 1
            rowspan, colspan = cell.get("rowspan"), cell.get("colspan")
            rs = 1 if rowspan is None else min(_span(rowspan), n_rows - r)
            cs = 1 if colspan is None else _span(colspan)
            cells_made += rs * cs
            if cells_made > MAX_GRID_CELLS:
                break
            merged = True
            for dr in range(rs):
                target = grid[r + dr]
                if len(target) < c + cs:
                    target.extend([None] * (c + cs - len(target)))
                target[c : c + cs] = [text] * cs
                if cs > 1:
                    copies.extend(zip(repeat(r + dr), range(c + 1, c + cs)))
            c += cs
    return _finished_grid(grid, merged, copies)


def _finished_grid(grid: list[list[str | None]], merged: bool, copies: list[tuple[int, int]]) -> TableGrid:
    """Placed cells as a grid: rows without cells dropped, the rest padded to one width (a position
    no cell reaches is empty), the copies' rows renumbered to match."""
    width = max((len(r) for r in grid), default=0)
    out = TableGrid()
    kept: dict[int, int] = {}  # row index in ``grid`` → row index in ``out``
    for r, row in enumerate(grid):
        if not row:
            continue
        if merged and None in row:
            row = [x if x is not None else "" for x in row]
        if len(row) < width:
            row = row + [""] * (width - len(row))
        kept[r] = len(out)
        out.append(row)  # type: ignore[arg-type]
    if copies:
        out.copies = frozenset((kept[r], c) for r, c in copies if r in kept)
    return out


def _nearest_table(el: etree._Element) -> etree._Element | None:
    parent = el.getparent()
    while parent is not None and parent.tag != "table":
        parent = parent.getparent()
    return parent


def _is_leaf_table(table: etree._Element) -> bool:
    return all(t is table for t in table.iter("table"))


def _inside_leaf_table(el: etree._Element) -> bool:
    """A statutory table and its rows are read whole, never chosen as the article itself."""
    if el.tag in ("tr", "td", "th", "tbody", "thead"):
        table = _nearest_table(el)
        return table is not None and _is_leaf_table(table)
    return el.tag == "table" and _is_leaf_table(el)


def _text_weight(el: etree._Element) -> int:
    """Length of the readable non-link text under ``el`` (link lists and scripts are chrome)."""
    if _walks_in_c is None:
        return python_text_length(el) - python_chrome_length(el)
    return _walks_in_c.text_length(el) - _walks_in_c.chrome_length(el, _CHROME_TAG_BYTES)  # type: ignore[no-any-return]


def python_text_length(el: etree._Element) -> int:
    return len(_own_text(el))


def python_chrome_length(el: etree._Element) -> int:
    # Select boxes (friendly-link menus of every other government's site) and buttons are chrome
    # too: counted as text, a footer of link selects outweighs a short "see the attachment" article.
    return sum(len(_own_text(node)) for node in el.iter(*_CHROME_TAGS))


_CHROME_TAG_BYTES = tuple(tag.encode() for tag in _CHROME_TAGS)
_SKIP_TAG_BYTES = tuple(tag.encode() for tag in sorted(_SKIP))
_BLOCK_TAG_BYTES = tuple(tag.encode() for tag in sorted(_BLOCK))


def python_child_measures(el: etree._Element) -> list[tuple[int, int]]:
    """(text length, chrome length) of each child of ``el``; (0, 0) for a comment or the like."""
    return [
        (python_text_length(child), python_chrome_length(child)) if isinstance(child.tag, str) else (0, 0)
        for child in el
    ]


def _first_descendant(root: etree._Element, tag: str) -> etree._Element | None:
    """``root.find(".//" + tag)``, searched child by child: lxml's iterator looks one match ahead,
    so taking the first match of a tag the page holds once walks the rest of the tree; here that
    walk ends with the child's subtree (the <head> before <body>)."""
    for child in root:
        if child.tag == tag:
            return child
        found = next(child.iter(tag), None)
        if found is not None:
            return found
    return None


def find_body(root: etree._Element) -> etree._Element:
    body = _first_descendant(root, "body")
    start = body if body is not None else root
    node = _heaviest_descent(start)
    if node is start:
        marked = _marked_article(start)
        return start if marked is None else marked
    return node


def _marked_article(node: etree._Element) -> etree._Element | None:
    """The article by its container's name, when no block outweighs the page furniture.

    A page that only points to its attachment has a sentence or two of article among a menu, a
    toolbar and a footer, and no block holds most of the text. Content-management systems name the
    article's container (id="zoom", class="TRS_Editor", "article-content"...): the heaviest named
    block holding a sentence or more is taken, narrowed to a named block inside it that holds
    nearly all of its text.
    """
    total = _text_weight(node)
    if total == 0:
        return None
    marked = [
        (el, _text_weight(el))
        for el in node.iter()
        if el is not node and isinstance(el.tag, str) and el.tag not in _SKIP
        and _is_marked_article(f"{el.get('id') or ''} {el.get('class') or ''}")
        and not _inside_leaf_table(el)
    ]
    tables = [t for t in node.iter("table") if _is_leaf_table(t)]
    # A named block that leaves a table out is not the whole article.
    marked = [(el, w) for el, w in marked if all(_is_descendant(t, el) for t in tables)]
    if not marked:
        return None
    best, best_weight = max(marked, key=lambda pair: pair[1])
    if best_weight < max(MIN_MARKED_ARTICLE, 0.1 * total):
        return None  # an empty or one-word container: a name alone is not an article
    for el, weight in marked:  # document order: a container's named descendants follow it
        if weight >= 0.8 * best_weight and weight < best_weight and _is_descendant(el, best):
            best, best_weight = el, weight
    return best


def _is_marked_article(names: str) -> bool:
    return bool(_ARTICLE_MARK.search(names)) and not _FURNITURE_MARK.search(names)


def _is_page_frame(el: etree._Element) -> bool:
    """The page's header, footer or navigation, by tag or by name."""
    if el.tag in ("header", "footer", "nav", "aside"):
        return True
    return bool(_FRAME_MARK.search(f"{el.get('id') or ''} {el.get('class') or ''}"))


def _is_descendant(el: etree._Element, ancestor: etree._Element) -> bool:
    parent = el.getparent()
    while parent is not None:
        if parent is ancestor:
            return True
        parent = parent.getparent()
    return False


def _heaviest_descent(node: etree._Element) -> etree._Element:
    """Down from ``node`` while one child holds most of the readable text."""
    if _walks_in_c is None:
        return python_heaviest_descent(node)
    return _walks_in_c.heaviest_descent(node, _CHROME_TAG_BYTES, _SKIP_TAG_BYTES, _is_page_frame, _inside_leaf_table)


def python_heaviest_descent(node: etree._Element) -> etree._Element:
    """``_heaviest_descent`` in Python: where the C walks are not built, and their reference."""
    total = python_text_length(node) - python_chrome_length(node)
    for _ in range(200):
        if total == 0:
            return node
        share = 0.6 * total
        best, best_weight = None, -1
        # Each level's children are measured in one walk of the level (text and chrome together).
        for child, (length, chrome) in zip(node, python_child_measures(node), strict=True):
            if not isinstance(child.tag, str) or child.tag in _SKIP:
                continue
            # A child's whole text bounds its weight: one that can neither beat the best so far nor
            # reach the share that makes it the article is passed over.
            if length <= best_weight or length < share:
                continue
            if _is_page_frame(child):
                continue  # a footer of addresses and filing numbers can outweigh a short article
            weight = length - chrome
            if weight > best_weight:
                best, best_weight = child, weight
        if best is None or best_weight < share or best.tag == "p" or _inside_leaf_table(best):
            return node
        node, total = best, best_weight
    return node


def _inline_frames(root: etree._Element, warnings: list[str]) -> None:
    """An <iframe srcdoc> holds its page inline: its body takes the frame's place, once."""
    for frame in list(root.iter("iframe")):
        srcdoc = frame.get("srcdoc")
        if not srcdoc or not srcdoc.strip():
            continue
        if len(srcdoc) > MAX_SRCDOC_CHARS:
            warnings.append(f"inline frame of {len(srcdoc)} characters not read")
            continue
        try:
            inner = etree.fromstring(srcdoc, _PARSER)
        except (etree.ParserError, etree.XMLSyntaxError, ValueError):
            inner = None
        if inner is None:
            warnings.append("inline frame content unreadable")
            continue
        body = inner.find(".//body")
        holder = etree.Element("div")
        holder.text = (body if body is not None else inner).text
        for child in list(body if body is not None else inner):
            if isinstance(child.tag, str) and child.tag in ("iframe", "head"):
                continue  # one level only: a frame inside a frame stays unread
            holder.append(child)
        holder.tail = frame.tail
        parent = frame.getparent()
        if parent is not None:
            parent.replace(frame, holder)


def _render(body: etree._Element, warnings: list[str]) -> tuple[list[str], list[Grid]]:
    """The pieces of ``body``'s text (blocks on lines of their own, a tab after each cell, each
    table holding no other table written as its grid's rows) and those grids."""
    if _walks_in_c is not None:
        return _walks_in_c.render(body, _SKIP_TAG_BYTES, _BLOCK_TAG_BYTES, MAX_GRID_CELLS, _span, _finished_grid)  # type: ignore[no-any-return]
    out: list[str] = []
    tables: list[Grid] = []
    try:
        python_render(body, out, tables)
    except RecursionError:  # the C walk has no such limit
        warnings.append("page nested too deeply; read as plain text")
        out = [_text(body)]
    return out, tables


def python_render(el: etree._Element, out: list[str], tables: list[Grid]) -> None:
    """``_render`` in Python, element by element: where the C walks are not built, and their reference."""
    tag = el.tag if isinstance(el.tag, str) else ""
    if tag in _SKIP or not tag:
        if el.tail:
            out.append(el.tail)
        return
    if tag == "table" and _is_leaf_table(el):
        grid = table_grid(el, leaf=True)
        if grid:
            tables.append(grid)
            out.append("\n" + "\n".join(map("\t".join, grid)) + "\n")
        if el.tail:
            out.append(el.tail)
        return
    if tag in _BLOCK:
        out.append("\n")
    if el.text:
        out.append(el.text)
    for child in el:
        python_render(child, out, tables)
    if tag in ("td", "th"):
        out.append("\t")
    elif tag in _BLOCK:
        out.append("\n")
    if el.tail:
        out.append(el.tail)


def _tidy_lines(text: str) -> str:
    """Runs of spaces (tabs, the cell separator, kept) made one space, lines stripped of it, and
    no more than one blank line in a row."""
    for space in _OTHER_SPACES:
        if space in text:
            text = text.replace(space, " ")
    # Runs of spaces become one space, so each line has at most one to strip at either end.
    text = _SPACE_RUNS.sub(" ", text).replace(" \n", "\n").replace("\n ", "\n")
    return _BLANK_LINES.sub("\n\n", text).strip()


def _title(root: etree._Element, metas: dict[str, str], body_text: str) -> str | None:
    for name in _TITLE_META:
        if metas.get(name):
            return _clean(metas[name])
    for h in root.iter("h1", "h2"):
        text = _clean(_text(h))
        if 4 <= len(text) <= 100 and ("报告" in text or "年报" in text):
            return text
    node = _first_descendant(root, "title")
    if node is not None and _text(node).strip():
        parts = [p for p in _TITLE_SPLIT.split(_clean(_text(node))) if p]
        for p in parts:
            if "报告" in p or "年报" in p:
                return p
        return parts[0] if parts else None
    return None


def python_links(root: etree._Element, limit: int) -> list[tuple[str, str]]:
    """(href, text) of the first ``limit`` links that have an address, as the tree holds them."""
    return [(href, _own_text(a)) for a in root.iter("a") if (href := a.get("href"))][:limit]


def _links(root: etree._Element) -> list[tuple[str, str]]:
    """(href, text) of every link that has an address, the first 5000."""
    anchors = python_links(root, MAX_LINKS) if _walks_in_c is None else _walks_in_c.links(root, MAX_LINKS)
    if not anchors:
        return []
    # The texts are cleaned as one string: NUL, which no lxml text holds, parts them.
    texts = _SPACES.sub(" ", "\0".join([text for _, text in anchors])).split("\0")
    return [(href.strip(), text.strip()) for (href, _), text in zip(anchors, texts, strict=True)]


def extract_html(data: bytes, content_type: str | None = None) -> Document:
    warnings: list[str] = []
    if len(data) > MAX_HTML_BYTES:
        warnings.append(f"page of {len(data)} bytes cut to the first {MAX_HTML_BYTES} bytes")
        data = data[:MAX_HTML_BYTES]
    text, encoding, decode_warnings = decode_text(data, declared_charset(data, content_type))
    warnings.extend(decode_warnings)
    text = _XML_DECL.sub("", text)
    if encoding not in _CONTROL_FREE_ENCODINGS or len(data.translate(None, _CONTROL_BYTES)) != len(data):
        text = _CONTROL.sub("", text)
    if not text.strip():
        return Document(kind="html", text="", encoding=encoding, warnings=[*warnings, "empty page"])
    try:
        root = etree.fromstring(text, _PARSER)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as exc:
        root = None
        reason = str(exc)
    else:
        reason = "no document element"
    if root is None:
        return Document(kind="html", text="", encoding=encoding, warnings=[*warnings, f"unreadable HTML: {reason}"])
    if any(entry.type_name == "ERR_RESOURCE_LIMIT" for entry in _PARSER.error_log):
        # libxml2 stops at its depth limit (256 elements): what follows is not in the tree.
        warnings.append("page nested deeper than the HTML parser reads (256 elements): the rest of the page is not read")
    metas: dict[str, str] = {}
    for meta in root.iter("meta"):
        name = meta.get("name") or meta.get("property") or meta.get("http-equiv")
        content = meta.get("content")
        if name and content and len(metas) < 80:
            metas.setdefault(name.strip(), content.strip())
    for tag in _DATE_TAGS:
        for el in root.iter(tag):
            if _text(el).strip():
                metas.setdefault(tag, _clean(_text(el)))
                break
    _inline_frames(root, warnings)
    links = _links(root)
    page_text = _text(root)[:200_000]
    for label in _DATE_LABELS:
        page_date = label.search(page_text)
        if page_date:
            metas.setdefault("发布时间", _clean(page_date.group(1)))
            break
    publisher = _PUBLISHER_LABEL.search(page_text)
    if publisher:
        metas.setdefault("发布机构", publisher.group(1))
    body = find_body(root)
    out, tables = _render(body, warnings)
    body_text = _tidy_lines("".join(out))
    images = sum(1 for img in body.iter("img") if img.get("src"))
    return Document(
        kind="html",
        images=images,
        text=body_text,
        tables=tables,
        title=_title(root, metas, body_text),
        meta=metas,
        encoding=encoding,
        links=links,
        warnings=warnings,
    )
