"""PDF pages read with PDFium: page text, and for table pages the characters and ruling edges.

pdfminer interprets content streams in Python, which is most of the cost of reading a PDF; PDFium
does it in C. For a page that prints tables this module hands over the page's characters and the
edges of its ruling lines as the dicts pdfplumber's table finder and text layout take (``x0``,
``x1``, ``top``, ``bottom`` in points from the page's top-left), so tables are found and cell text
is laid out by the same rules as on pdfminer's objects. A character carries only what those rules
read (``text``, its box and ``upright``): building a dict is a good part of a character's cost,
and pdfminer's other keys (``doctop``, ``width``, ``height``) are never read from these pages.

Paths are classified as pdfminer does: one segment is a line, a closed axis-aligned four-corner
path a rectangle (four edges), anything else a curve (an edge per segment). Pages PDFium cannot
place in pdfplumber's frame (rotated, or with a media box not at the origin) get no layout, and
the caller reads them with pdfminer.
"""

from __future__ import annotations

import ctypes
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

Obj = dict[str, Any]

_MAX_FORM_DEPTH = 8
# The only characters PDFium generates (between words and at line ends): space, CR, LF.
_GENERATED_CODES = frozenset({0x20, 0x0D, 0x0A})


@dataclass
class PageLayout:
    """What pdfplumber's table finder and text layout read from a page."""

    width: float
    height: float
    doctop: float
    chars: list[Obj] = field(default_factory=list)
    edges: list[Obj] = field(default_factory=list)

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        return (0.0, 0.0, self.width, self.height)

    def extract_text(self) -> str:
        """The page text pdfplumber's ``extract_text`` gives for these characters."""
        from parsers.pdf_text import page_text

        return page_text(self.chars)


@dataclass
class PdfiumPage:
    text: str
    layout: PageLayout | None  # None: not a table page, or one PDFium cannot place
    unreliable: bool = False  # PDFium may have lost characters of the page (``_lacks_glyphs``)


@dataclass
class PdfiumDocument:
    page_count: int
    pages: list[PdfiumPage]


def read_pages(data: bytes, max_pages: int, wants_layout: Callable[[str], bool]) -> PdfiumDocument | None:
    """Text of each page (at most ``max_pages``), with a layout for pages where ``wants_layout(text)``.

    None when PDFium is missing or cannot open the file (damaged or encrypted: pdfminer says why).
    """
    try:
        import pypdfium2 as pdfium
    except ImportError:
        return None
    try:
        pdf = pdfium.PdfDocument(data)
    except Exception:  # noqa: BLE001 - pdfminer reports the reason on the slow path
        return None
    try:
        count = len(pdf)
        pages: list[PdfiumPage] = []
        doctop = 0.0
        for index in range(min(count, max_pages)):
            page = pdf[index]
            try:
                textpage = page.get_textpage()
                try:
                    text = textpage.get_text_bounded().replace("\r\n", "\n").replace("\r", "\n")
                    layout = None
                    height = page.get_height()
                    drawings: list[Any] = []  # the page's paths and forms, for its rules
                    if _lacks_glyphs(page, textpage, drawings):
                        # PDFium's text of such a page may have lost characters: pdfminer reads it.
                        pages.append(PdfiumPage(text, None, unreliable=True))
                        doctop += height
                        continue
                    if wants_layout(text) and _in_plumber_frame(page):
                        layout = PageLayout(page.get_width(), height, doctop)
                        layout.chars = _chars(textpage, height)
                        layout.edges = _edges(drawings, height)
                    pages.append(PdfiumPage(text, layout))
                    doctop += height
                finally:
                    textpage.close()
            finally:
                page.close()
        return PdfiumDocument(count, pages)
    except Exception:  # noqa: BLE001 - any PDFium failure: the caller reads the file with pdfminer
        return None
    finally:
        pdf.close()


@dataclass(frozen=True)
class _Calls:
    """PDFium's per-character, per-object and per-segment functions, called without ctypes'
    argument conversion.

    Converting arguments through ``argtypes`` is half of each call's cost, and a page costs a
    few calls per character, object and path segment; these prototypes take the handles and
    ``byref`` results as they are (an index is a C int either way). The text object and font
    of a character come back as bare addresses: telling objects apart per character by casting
    the typed pointer cost more than the call itself.
    """

    char_unicode: Any
    char_is_generated: Any
    char_loose_box: Any
    char_object: Any  # address
    char_origin: Any
    char_matrix: Any
    char_font_size: Any
    object_font: Any  # address, from the object's address
    font_descent: Any
    glyph_width: Any
    page_object: Any
    form_object: Any
    object_type: Any
    object_bounds: Any
    object_matrix: Any
    path_draw_mode: Any
    segment_count: Any
    segment: Any
    segment_type: Any
    segment_point: Any
    segment_close: Any


def _bare(function: Any, restype: Any) -> Any:
    prototype = ctypes.CFUNCTYPE(restype)(ctypes.cast(function, ctypes.c_void_p).value)
    prototype.argtypes = None
    return prototype


_CALLS: list[_Calls] = []


def _calls() -> _Calls:
    import pypdfium2.raw as pdfium_c

    if not _CALLS:
        c_int = ctypes.c_int
        _CALLS.append(
            _Calls(
                char_unicode=_bare(pdfium_c.FPDFText_GetUnicode, ctypes.c_uint),
                char_is_generated=_bare(pdfium_c.FPDFText_IsGenerated, c_int),
                char_loose_box=_bare(pdfium_c.FPDFText_GetLooseCharBox, c_int),
                char_object=_bare(pdfium_c.FPDFText_GetTextObject, ctypes.c_void_p),
                char_origin=_bare(pdfium_c.FPDFText_GetCharOrigin, c_int),
                char_matrix=_bare(pdfium_c.FPDFText_GetMatrix, c_int),
                char_font_size=_bare(pdfium_c.FPDFText_GetFontSize, ctypes.c_double),
                object_font=_bare(pdfium_c.FPDFTextObj_GetFont, ctypes.c_void_p),
                font_descent=_bare(pdfium_c.FPDFFont_GetDescent, c_int),
                glyph_width=_bare(pdfium_c.FPDFFont_GetGlyphWidth, c_int),
                page_object=_bare(pdfium_c.FPDFPage_GetObject, pdfium_c.FPDFPage_GetObject.restype),
                form_object=_bare(pdfium_c.FPDFFormObj_GetObject, pdfium_c.FPDFFormObj_GetObject.restype),
                object_type=_bare(pdfium_c.FPDFPageObj_GetType, c_int),
                object_bounds=_bare(pdfium_c.FPDFPageObj_GetBounds, c_int),
                object_matrix=_bare(pdfium_c.FPDFPageObj_GetMatrix, c_int),
                path_draw_mode=_bare(pdfium_c.FPDFPath_GetDrawMode, c_int),
                segment_count=_bare(pdfium_c.FPDFPath_CountSegments, c_int),
                segment=_bare(pdfium_c.FPDFPath_GetPathSegment, pdfium_c.FPDFPath_GetPathSegment.restype),
                segment_type=_bare(pdfium_c.FPDFPathSegment_GetType, c_int),
                segment_point=_bare(pdfium_c.FPDFPathSegment_GetPoint, c_int),
                segment_close=_bare(pdfium_c.FPDFPathSegment_GetClose, c_int),
            )
        )
    return _CALLS[0]


def _lacks_glyphs(page: Any, textpage: Any, drawings: list[Any]) -> bool:
    """Whether the page draws characters PDFium has no glyphs for: a text object that is not all
    spaces has an empty box.

    A CJK report whose fonts are not embedded, read on a machine without CJK fonts: PDFium takes
    a one-character object with no box for a copy of a nearby one with the same character (its
    guard against fake-bold overprinting) and drops it — the wrapped 开 of （三）不予公开 was lost
    from its cell. pdfminer reads such pages. (The object dropped has a twin with no box that was
    kept, so looking at the objects PDFium kept is enough.)

    The page's path and form objects seen on the way are added to ``drawings``: the ruling edges
    are read from them without walking the page's (mostly text) objects again.
    """
    import pypdfium2.raw as pdfium_c

    calls = _calls()
    page_object, object_type, object_bounds = calls.page_object, calls.object_type, calls.object_bounds
    raw = page.raw
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    bounds = [ctypes.byref(value) for value in (left, bottom, right, top)]
    text = pdfium_c.FPDF_PAGEOBJ_TEXT
    drawing = (pdfium_c.FPDF_PAGEOBJ_PATH, pdfium_c.FPDF_PAGEOBJ_FORM)
    for i in range(pdfium_c.FPDFPage_CountObjects(raw)):
        obj = page_object(raw, i)
        if not obj:
            continue
        kind = object_type(obj)
        if kind != text:
            if kind in drawing:
                drawings.append(obj)
            continue
        if object_bounds(obj, *bounds) and right.value > left.value and top.value > bottom.value:
            continue
        if _first_character(obj, textpage.raw) is not None:
            return True
    return False


def _first_character(obj: Any, raw_textpage: Any) -> int | None:
    """The first character of a text object that is not a space (UTF-16 code unit)."""
    import pypdfium2.raw as pdfium_c

    size = pdfium_c.FPDFTextObj_GetText(obj, raw_textpage, None, 0)
    if size <= 2:
        return None
    data = (ctypes.c_ushort * (size // 2))()
    pdfium_c.FPDFTextObj_GetText(obj, raw_textpage, ctypes.cast(data, ctypes.POINTER(ctypes.c_ushort)), size)
    for unit in data:
        if unit == 0:
            break
        if not chr(unit).isspace() and not 0xD800 <= unit <= 0xDFFF:
            return int(unit)
    return None


def _in_plumber_frame(page: Any) -> bool:
    """Unrotated, media box at the origin and crop box equal to it: no coordinate shift to mirror."""
    mediabox = page.get_mediabox()
    return page.get_rotation() == 0 and mediabox[:2] == (0, 0) and page.get_cropbox() == mediabox


_ONE = ctypes.c_float(1.0)  # font size for declared widths: in units of the em


def _chars(textpage: Any, height: float) -> list[Obj]:
    """The page's characters with pdfminer's geometry.

    pdfminer's box runs from the origin to the advance horizontally and spans the font size from
    the font's descent below the baseline vertically; PDFium gives the origin, the size, the
    descent and the text matrix to rebuild it exactly. The right edge is the origin plus the width
    the PDF declares for the character (what pdfminer uses). PDFium's loose box is no substitute
    for a font the file does not embed: its right edge is the glyph of whatever system font stands
    in (a digit of STSong-Light drawn in DejaVu is 40 % wider), so cell text depended on the
    machine's fonts. The loose box is kept where no declared width is to be had or it is far off
    (half an em: a character code the font maps differently).
    """
    import pypdfium2.raw as pdfium_c

    calls = _calls()
    unicode, is_generated, loose_box, text_object_at, origin = (
        calls.char_unicode, calls.char_is_generated, calls.char_loose_box, calls.char_object, calls.char_origin
    )
    chars: list[Obj] = []
    raw = textpage.raw  # the bare handle: each call through the wrapper costs a Python property
    rect = pdfium_c.FS_RECTF()
    rect_ref = ctypes.byref(rect)
    geometry = _ObjectGeometry(calls, raw)
    x, y = ctypes.c_double(), ctypes.c_double()
    x_ref, y_ref = ctypes.byref(x), ctypes.byref(y)
    # Matrix, size and font belong to the text object, which consecutive characters share.
    object_address: int | None = None
    upright, vertical = False, None  # vertical: (size, descent, em) in page units, if unrotated
    widths: dict[int, float | None] = {}  # declared widths (in ems) of the object's font, by code
    fonts: dict[int | None, dict[int, float | None]] = {}
    count = pdfium_c.FPDFText_CountChars(raw)
    skip_next = False
    for i in range(count):
        if skip_next:
            skip_next = False
            continue
        code = unicode(raw, i)
        if code in _GENERATED_CODES and is_generated(raw, i) == 1:
            continue  # spaces and line breaks PDFium inserts; pdfminer has no such characters
        if 0xD800 <= code <= 0xDBFF and i + 1 < count:
            low = unicode(raw, i + 1)
            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
            skip_next = True
        if not loose_box(raw, i, rect_ref):
            continue
        address = text_object_at(raw, i)
        if address != object_address:
            object_address = address
            upright, vertical, font = geometry.read(i, address)
            widths = fonts.setdefault(font, {})
        x0, x1 = rect.left, rect.right
        top, bottom = height - rect.top, height - rect.bottom
        if vertical is not None and origin(raw, i, x_ref, y_ref):
            x0 = x.value
            bottom = height - (y.value + vertical[1])
            top = bottom - vertical[0]
            em = vertical[2]
            declared = widths[code] if code in widths else widths.setdefault(code, _declared_width(font, code))
            if declared is not None:
                advance = declared * em
                if advance > 0 and abs(x0 + advance - x1) < 0.5 * em:
                    x1 = x0 + advance
        chars.append(
            {
                "text": chr(code),
                "x0": x0,
                "x1": x1,
                "top": top,
                "bottom": bottom,
                "upright": upright,
            }
        )
    return chars


def _declared_width(font: int | None, code: int) -> float | None:
    """The width the font declares for a character, in ems; None when PDFium has none."""
    if not font:
        return None
    width = ctypes.c_float()
    if not _calls().glyph_width(ctypes.c_void_p(font), code, _ONE, ctypes.byref(width)):
        return None
    return width.value


@dataclass
class _ObjectGeometry:
    """What a text object's characters share, read once per object through the bare calls."""

    calls: _Calls
    raw: Any  # the text page
    matrix: Any = field(default_factory=lambda: _fs_matrix())
    descents: dict[tuple[int, float], float | None] = field(default_factory=dict)  # by font and size

    def read(self, index: int, address: int | None) -> tuple[bool, tuple[float, float, float] | None, int | None]:
        """Whether the object's characters are upright (pdfminer's test on the text matrix); for
        unrotated text the character height, the descent below the baseline and the em width, in
        page units; and the object's font (None for rotated text)."""
        matrix = self.matrix
        if not address or not self.calls.char_matrix(self.raw, index, ctypes.byref(matrix)):
            return False, None, None
        upright = matrix.a * matrix.d > 0 and matrix.b * matrix.c <= 0
        if matrix.b != 0 or matrix.c != 0 or matrix.d <= 0:
            return upright, None, None
        size = self.calls.char_font_size(self.raw, index)
        font = self.calls.object_font(ctypes.c_void_p(address))
        if not font:
            return upright, None, None
        key = (font, size)
        descent = self.descents[key] if key in self.descents else self.descents.setdefault(key, self._descent(font, size))
        if descent is None:
            return upright, None, None
        return upright, (size * matrix.d, descent * matrix.d, size * matrix.a), font

    def _descent(self, font: int, size: float) -> float | None:
        value = ctypes.c_float()
        if not self.calls.font_descent(ctypes.c_void_p(font), ctypes.c_float(size), ctypes.byref(value)):
            return None
        return value.value


def _fs_matrix() -> Any:
    import pypdfium2.raw as pdfium_c

    return pdfium_c.FS_MATRIX()


Matrix = tuple[float, float, float, float, float, float]
_IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def _compose(inner: Matrix, outer: Matrix) -> Matrix:
    """The matrix applying ``inner`` first, then ``outer`` (PDF row-vector convention)."""
    a, b, c, d, e, f = inner
    oa, ob, oc, od, oe, of = outer
    return (
        a * oa + b * oc,
        a * ob + b * od,
        c * oa + d * oc,
        c * ob + d * od,
        e * oa + f * oc + oe,
        e * ob + f * od + of,
    )


def _objects(drawings: list[Any]) -> Iterator[tuple[Any, Matrix]]:
    """Path objects among the page's ``drawings`` (its paths and forms, in order), Form XObjects
    entered, each with its matrix to page space."""
    import pypdfium2.raw as pdfium_c

    calls = _calls()
    object_type, object_matrix = calls.object_type, calls.object_matrix
    matrix = pdfium_c.FS_MATRIX()
    matrix_ref = ctypes.byref(matrix)

    def walk(count: int, get: Callable[[int], Any], outer: Matrix, depth: int) -> Iterator[tuple[Any, Matrix]]:
        for i in range(count):
            obj = get(i)
            if not obj:
                continue
            kind = object_type(obj)
            if kind not in (pdfium_c.FPDF_PAGEOBJ_PATH, pdfium_c.FPDF_PAGEOBJ_FORM):
                continue
            if not object_matrix(obj, matrix_ref):
                continue
            own = _compose((matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f), outer)
            if kind == pdfium_c.FPDF_PAGEOBJ_PATH:
                yield obj, own
            elif depth < _MAX_FORM_DEPTH:
                form = obj
                yield from walk(
                    pdfium_c.FPDFFormObj_CountObjects(form),
                    lambda j, form=form: calls.form_object(form, j),
                    own,
                    depth + 1,
                )

    yield from walk(len(drawings), drawings.__getitem__, _IDENTITY, 0)


def _subpaths(obj: Any, m: Matrix) -> Iterator[tuple[list[tuple[float, float]], bool, bool]]:
    """Each subpath as (point positions in page space, closed, has curves)."""
    import pypdfium2.raw as pdfium_c

    calls = _calls()
    segment_at, segment_type, segment_point, segment_close = (
        calls.segment, calls.segment_type, calls.segment_point, calls.segment_close
    )
    x, y = ctypes.c_float(), ctypes.c_float()
    x_ref, y_ref = ctypes.byref(x), ctypes.byref(y)
    points: list[tuple[float, float]] = []
    closed = curved = False
    pending_controls = 0
    for i in range(calls.segment_count(obj)):
        segment = segment_at(obj, i)
        kind = segment_type(segment)
        if kind == pdfium_c.FPDF_SEGMENT_MOVETO and points:
            yield points, closed, curved
            points, closed, curved = [], False, False
        if not segment_point(segment, x_ref, y_ref):
            continue
        if kind == pdfium_c.FPDF_SEGMENT_BEZIERTO:
            curved = True
            # A Bezier segment comes as two control points and an end point: only the end is a
            # point position (pdfminer's convention).
            pending_controls += 1
            if pending_controls < 3:
                continue
            pending_controls = 0
        px, py = x.value, y.value
        points.append((m[0] * px + m[2] * py + m[4], m[1] * px + m[3] * py + m[5]))
        if segment_close(segment):
            closed = True
    if points:
        yield points, closed, curved


def _edges(drawings: list[Any], height: float) -> list[Obj]:
    draw_mode = _calls().path_draw_mode
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    fill_ref, stroke_ref = ctypes.byref(fill), ctypes.byref(stroke)
    edges: list[Obj] = []
    for obj, matrix in _objects(drawings):
        if not draw_mode(obj, fill_ref, stroke_ref) or (fill.value == 0 and not stroke.value):
            continue  # an unpainted path draws nothing
        for points, closed, curved in _subpaths(obj, matrix):
            if closed and points[-1] != points[0]:
                points.append(points[0])
            edges.extend(_shape_edges(points, curved, height))
    return edges


def _shape_edges(points: list[tuple[float, float]], curved: bool, height: float) -> list[Obj]:
    if len(points) < 2:
        return []
    if not curved and (len(points) == 2 or (len(points) == 3 and points[2] == points[0])):
        return [_line_edge(points[0], points[1], height)]
    if not curved and len(points) == 5 and points[0] == points[4]:
        (x0, y0), (x1, y1), (x2, y2), (x3, y3), _ = points
        if (x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0) or (y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0):
            return _rect_edges(points[0], points[2], height)
    return [_segment_edge(p, q, height) for p, q in zip(points, points[1:], strict=False)]


def _edge_between(p: tuple[float, float], q: tuple[float, float], height: float, object_type: str,
                  orientation: str | None) -> Obj:
    """An edge from PDF point ``p`` to ``q`` in pdfminer's top-down geometry."""
    top, bottom = height - max(p[1], q[1]), height - min(p[1], q[1])
    x0, x1 = min(p[0], q[0]), max(p[0], q[0])
    return {
        "object_type": object_type,
        "x0": x0,
        "x1": x1,
        "top": top,
        "bottom": bottom,
        "width": x1 - x0,
        "height": bottom - top,
        "orientation": orientation,
    }


def _line_edge(p: tuple[float, float], q: tuple[float, float], height: float) -> Obj:
    edge = _edge_between(p, q, height, "line", None)
    edge["orientation"] = "h" if edge["top"] == edge["bottom"] else "v"  # as pdfminer decides it
    return edge


def _rect_edges(p: tuple[float, float], q: tuple[float, float], height: float) -> list[Obj]:
    x0, x1 = min(p[0], q[0]), max(p[0], q[0])
    top, bottom = height - max(p[1], q[1]), height - min(p[1], q[1])
    width = x1 - x0

    def edge(ex0: float, ex1: float, etop: float, ebottom: float, orientation: str) -> Obj:
        return {
            "object_type": "rect_edge",
            "x0": ex0,
            "x1": ex1,
            "top": etop,
            "bottom": ebottom,
            "width": ex1 - ex0,
            "height": ebottom - etop,
            "orientation": orientation,
        }

    return [
        edge(x0, x0 + width, top, top, "h"),
        edge(x0, x0 + width, bottom, bottom, "h"),
        edge(x0, x0, top, bottom, "v"),
        edge(x1, x1, top, bottom, "v"),
    ]


def _segment_edge(p: tuple[float, float], q: tuple[float, float], height: float) -> Obj:
    orientation = "v" if p[0] == q[0] else ("h" if p[1] == q[1] else None)
    return _edge_between(p, q, height, "curve_edge", orientation)
