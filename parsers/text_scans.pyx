# cython: language_level=3, boundscheck=False, wraparound=False
"""Character scans of ``parsers.folding`` in C: the folding of single characters and the closing
of whitespace between CJK characters.

Each gives exactly what its regular expression in ``parsers.folding`` gives (the tests compare
them on generated text); the expressions test a character class at every position of a report's
text, these a bit of a table or two comparisons.
"""


def translate_chars(str text, bytes bitmap, dict table) -> str:
    """``text`` with each character whose code point is set in ``bitmap`` (one bit per code point
    of the Basic Multilingual Plane) replaced by ``table[code point]`` (a string, maybe empty)."""
    cdef const unsigned char* bits = bitmap
    cdef Py_ssize_t n = len(text), i, start = 0
    cdef Py_UCS4 ch
    cdef unsigned long code
    cdef list pieces = None
    if len(bitmap) != 8192:
        raise ValueError("the bitmap holds one bit per code point below 0x10000")
    for i in range(n):
        ch = text[i]
        code = <unsigned long>ch
        if code < 0x10000 and bits[code >> 3] & (1 << (code & 7)):
            if pieces is None:
                pieces = []
            pieces.append(text[start:i])
            pieces.append(table[code])
            start = i + 1
    if pieces is None:
        return text
    pieces.append(text[start:])
    return "".join(pieces)


cdef inline bint _space(Py_UCS4 ch) noexcept:
    """``ch.isspace()``, without a call for the characters report text is made of (ASCII and CJK,
    below the first non-ASCII space beyond U+00A0 or in the ideographs' block)."""
    if ch < 0x80:
        return 0x09 <= ch <= 0x0D or 0x1C <= ch <= 0x20
    if ch < 0x1680:
        return ch == 0x85 or ch == 0xA0
    if 0x4E00 <= ch <= 0x9FFF:
        return False
    return ch.isspace()


cdef inline bint _cjk(Py_UCS4 ch) noexcept:
    return 0x4E00 <= ch <= 0x9FFF


def close_cjk_gaps(str text) -> str:
    """``text`` without each run of whitespace (``str.isspace``) that has a CJK character
    (U+4E00-U+9FFF) on both sides."""
    cdef Py_ssize_t n = len(text), i = 0, run, start = 0
    cdef Py_UCS4 ch
    cdef list pieces = None
    while i < n:
        ch = text[i]
        if not _space(ch):
            i += 1
            continue
        run = i
        i += 1
        while i < n:
            ch = text[i]
            if not _space(ch):
                break
            i += 1
        if run > 0 and i < n and _cjk(text[run - 1]) and _cjk(text[i]):
            if pieces is None:
                pieces = []
            pieces.append(text[start:run])
            start = i
    if pieces is None:
        return text
    pieces.append(text[start:])
    return "".join(pieces)
