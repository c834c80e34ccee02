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


cdef inline bint _pinyin_letter(Py_UCS4 ch) noexcept:
    return (0x61 <= ch <= 0x7A) or ch == 0xFC  # a-z, ü


cdef Py_ssize_t _pinyin_end(str text, Py_ssize_t i, Py_ssize_t n, str toned):
    """The index after the pinyin annotation whose opening bracket is at ``i``, or -1: up to five
    letters, one toned vowel, up to five letters, a closing bracket (no letter is a toned vowel,
    so the parts are where they are)."""
    cdef Py_ssize_t j = i + 1, letters = 0
    cdef Py_UCS4 ch
    while j < n and _pinyin_letter(text[j]):
        j += 1
        letters += 1
    if letters > 5 or j >= n or text[j] not in toned:
        return -1
    j += 1
    letters = 0
    while j < n and _pinyin_letter(text[j]):
        j += 1
        letters += 1
    if letters > 5 or j >= n:
        return -1
    ch = text[j]
    return j + 1 if ch == 0x29 or ch == 0xFF09 else -1  # ) or ）


def drop_pinyin(str text, str toned) -> str:
    """``text`` without each pinyin annotation right after a CJK character (U+3400-U+9FFF): an
    opening bracket, up to five letters a-z or ü, one of ``toned``, up to five such letters, a
    closing bracket."""
    cdef Py_ssize_t n = len(text), i, end, start = 0
    cdef Py_UCS4 ch, before
    cdef list pieces = None
    i = 1
    while i < n:
        ch = text[i]
        if ch == 0x28 or ch == 0xFF08:  # ( or （
            before = text[i - 1]
            if 0x3400 <= before <= 0x9FFF:
                end = _pinyin_end(text, i, n, toned)
                if end >= 0:
                    if pieces is None:
                        pieces = []
                    pieces.append(text[start:i])
                    start = i = end
                    continue
        i += 1
    if pieces is None:
        return text
    pieces.append(text[start:])
    return "".join(pieces)
