# cython: language_level=3, boundscheck=False, wraparound=False
"""Walks over lxml's tree in C for the HTML extractor: a table's cells, text lengths, links.

Each function gives exactly what its Python reference in ``parsers.html`` gives (the tests compare
them on every fixture and on generated markup); it reads libxml2's nodes through lxml's element
instead of making a Python proxy per cell, link and text, which is most of the extractor's time
on a portal page. Only the structs are read: no libxml2 function is called, so nothing links
against the libxml2 inside lxml.
"""

from cpython.unicode cimport PyUnicode_DecodeUTF8
from libc.stdlib cimport free, realloc
from libc.string cimport memcpy, strcmp, strlen
from libc.stdlib cimport malloc
from lxml.includes.etreepublic cimport _Element, elementFactory, import_lxml__etree
from lxml.includes.tree cimport xmlAttr, xmlNode

import_lxml__etree()  # lxml's C API: elementFactory makes the proxy of the node an answer names

cdef enum:
    ELEMENT_NODE = 1
    TEXT_NODE = 3
    CDATA_NODE = 4


cdef inline bint _named(xmlNode* node, const char* name) noexcept:
    return node.type == ELEMENT_NODE and strcmp(<const char*>node.name, name) == 0


cdef inline xmlNode* _next_in(xmlNode* c, xmlNode* top, bint descend) noexcept:
    """The node after ``c`` in document order inside ``top``, or NULL; ``descend`` False skips
    ``c``'s subtree. Only elements are entered: an entity reference's children are its definition."""
    if descend and c.type == ELEMENT_NODE and c.children is not NULL:
        return c.children
    while c.next is NULL:
        c = c.parent
        if c is NULL or c is top:
            return NULL
    return c.next


cdef struct Buffer:
    char* data
    size_t length
    size_t size


cdef int _append(Buffer* buf, const char* text, size_t n) except -1:
    cdef size_t size
    cdef char* grown
    if buf.length + n > buf.size:
        size = max(2 * buf.size, buf.length + n, 256)
        grown = <char*>realloc(buf.data, size)
        if grown is NULL:
            raise MemoryError()
        buf.data, buf.size = grown, size
    memcpy(buf.data + buf.length, text, n)
    buf.length += n
    return 0


cdef inline bint _is_text(xmlNode* node) noexcept:
    return (node.type == TEXT_NODE or node.type == CDATA_NODE) and node.content is not NULL


cdef str _node_text(xmlNode* node):
    """Every text under ``node`` joined, as ``etree.tostring(node, method="text")`` without the tail."""
    cdef xmlNode* c = node.children
    cdef Buffer buf
    if c is NULL:
        return ""
    if c.next is NULL and _is_text(c):  # one text node: the common cell
        return PyUnicode_DecodeUTF8(<const char*>c.content, strlen(<const char*>c.content), NULL)
    buf.data, buf.length, buf.size = NULL, 0, 0
    try:
        while c is not NULL:
            if _is_text(c):
                _append(&buf, <const char*>c.content, strlen(<const char*>c.content))
            c = _next_in(c, node, True)
        return PyUnicode_DecodeUTF8(buf.data, buf.length, NULL) if buf.length else ""
    finally:
        free(buf.data)


cdef Py_ssize_t _utf8_length(const unsigned char* s) noexcept:
    """Characters in a UTF-8 string: every byte but the continuation bytes starts one."""
    cdef Py_ssize_t n = 0
    while s[0]:
        if (s[0] & 0xC0) != 0x80:
            n += 1
        s += 1
    return n


cdef Py_ssize_t _text_length(xmlNode* node) noexcept:
    cdef xmlNode* c = node.children
    cdef Py_ssize_t n = 0
    while c is not NULL:
        if _is_text(c):
            n += _utf8_length(c.content)
        c = _next_in(c, node, True)
    return n


def text_length(_Element el) -> int:
    """``len(etree.tostring(el, method="text", encoding="unicode", with_tail=False))``."""
    return _text_length(el._c_node)


cdef enum:
    MAX_TAGS = 64


cdef struct TagSet:
    const char* names[MAX_TAGS]
    Py_ssize_t count


cdef int _tag_set(tuple tags, TagSet* out) except -1:
    """The tags as C strings for the walk (the tuple keeps them alive for the call)."""
    if len(tags) > MAX_TAGS:
        raise ValueError(f"at most {MAX_TAGS} tags")
    out.count = 0
    for tag in tags:
        out.names[out.count] = <const char*>(<bytes>tag)
        out.count += 1
    return 0


cdef inline bint _tag_in(xmlNode* node, TagSet* tags) noexcept:
    """Whether ``node`` is an element with one of the tags."""
    cdef Py_ssize_t i
    cdef const char* name
    if node.type != ELEMENT_NODE:
        return False
    name = <const char*>node.name
    for i in range(tags.count):
        if tags.names[i][0] == name[0] and strcmp(tags.names[i], name) == 0:
            return True
    return False


def chrome_length(_Element el, tuple tags) -> int:
    """``sum(len(text of x) for x in el.iter(*tags))``: a text inside nested chrome counts once per
    chrome element around it, as in the sum. ``tags`` are ASCII bytes."""
    cdef TagSet chrome
    _tag_set(tags, &chrome)
    cdef xmlNode* top = el._c_node
    cdef xmlNode* c = top.children
    cdef Py_ssize_t depth = 1 if _tag_in(top, &chrome) else 0
    cdef Py_ssize_t n = 0
    while c is not NULL:
        if _is_text(c):
            if depth:
                n += depth * _utf8_length(c.content)
        elif c.type == ELEMENT_NODE and c.children is not NULL:
            if _tag_in(c, &chrome):
                depth += 1
            c = c.children
            continue
        # Leaving c and every ancestor that has no next sibling: each chrome one lowers the depth.
        while c.next is NULL:
            c = c.parent
            if c is NULL or c is top:
                return n
            if _tag_in(c, &chrome):
                depth -= 1
        c = c.next
    return n


cdef str _attribute(xmlNode* node, const char* name):
    """The value of the first attribute called ``name``, "" for one without a value, None if absent."""
    cdef xmlAttr* attr = node.properties
    cdef xmlNode* part
    cdef Buffer buf
    while attr is not NULL:
        if strcmp(<const char*>attr.name, name) == 0:
            part = attr.children
            if part is NULL:
                return ""
            if part.next is NULL and part.content is not NULL:
                return PyUnicode_DecodeUTF8(<const char*>part.content, strlen(<const char*>part.content), NULL)
            buf.data, buf.length, buf.size = NULL, 0, 0
            try:
                while part is not NULL:
                    if part.content is not NULL:
                        _append(&buf, <const char*>part.content, strlen(<const char*>part.content))
                    part = part.next
                return PyUnicode_DecodeUTF8(buf.data, buf.length, NULL) if buf.length else ""
            finally:
                free(buf.data)
        attr = attr.next
    return None


def links(_Element root, Py_ssize_t limit) -> list:
    """(href, text) of the first ``limit`` <a> elements at or under ``root`` whose href is not
    empty, in document order, both as the tree holds them."""
    cdef list found = []
    cdef xmlNode* top = root._c_node
    cdef xmlNode* c = top
    cdef str href
    while c is not NULL and len(found) < limit:
        if _named(c, b"a"):
            href = _attribute(c, b"href")
            if href:
                found.append((href, _node_text(c)))
        c = _next_in(c, top, True)
    return found


cdef inline Py_ssize_t _space_length(const unsigned char* s) noexcept:
    """Bytes of the whitespace character (``str.isspace``) ``s`` starts with, 0 for any other
    character: one of 0x09-0x0D, 0x1C-0x20, U+0085, U+00A0, U+1680, U+2000-U+200A, U+2028,
    U+2029, U+202F, U+205F, U+3000 in UTF-8."""
    cdef unsigned char b = s[0]
    if b < 0x80:
        return 1 if (0x09 <= b <= 0x0D or 0x1C <= b <= 0x20) else 0
    if b == 0xC2:
        return 2 if s[1] == 0x85 or s[1] == 0xA0 else 0
    if b == 0xE1:
        return 3 if s[1] == 0x9A and s[2] == 0x80 else 0
    if b == 0xE2:
        if s[1] == 0x80:
            return 3 if (0x80 <= s[2] <= 0x8A or s[2] == 0xA8 or s[2] == 0xA9 or s[2] == 0xAF) else 0
        return 3 if s[1] == 0x81 and s[2] == 0x9F else 0
    if b == 0xE3:
        return 3 if s[1] == 0x80 and s[2] == 0x80 else 0
    return 0


cdef int _append_collapsed(Buffer* buf, const unsigned char* s, bint* pending) except -1:
    """``s`` added with every run of whitespace made one space, none at the start; a run at the
    end is left pending for the next text (``" ".join(text.split())`` over the texts joined)."""
    cdef Py_ssize_t n, start
    while s[0]:
        n = _space_length(s)
        if n:
            pending[0] = True
            s += n
            continue
        start = 0
        while s[start] and not _space_length(s + start):
            start += 1
        if pending[0] and buf.length:
            _append(buf, b" ", 1)
        pending[0] = False
        _append(buf, <const char*>s, start)
        s += start
    return 0


cdef str _cell_text(xmlNode* cell, Buffer* buf):
    """The cell's text with its whitespace collapsed as ``" ".join(text.split())`` does."""
    cdef xmlNode* c = cell.children
    cdef bint pending = False
    buf.length = 0
    while c is not NULL:
        if _is_text(c):
            _append_collapsed(buf, c.content, &pending)
        c = _next_in(c, cell, True)
    return PyUnicode_DecodeUTF8(buf.data, buf.length, NULL) if buf.length else ""


def table_rows(_Element table, Py_ssize_t max_cells, object span):
    """The table's cells placed as ``parsers.html.python_table_grid`` places them: (rows, merged,
    copies), one list per <tr> with merged cells repeated into the positions they cover (None where
    nothing reaches), whether any cell is merged, and the (row, column) positions a cell merged
    across from the left covers; ``parsers.html._finished_grid`` makes the grid. Rows of tables
    nested inside are not the table's; ``span`` reads a rowspan/colspan value."""
    cdef list trs = []
    cdef xmlNode* top = table._c_node
    cdef xmlNode* c = top.children
    while c is not NULL:
        if c.type == ELEMENT_NODE and strcmp(<const char*>c.name, b"table") == 0:
            c = _next_in(c, top, False)
            continue
        if _named(c, b"tr"):
            trs.append(<Py_ssize_t>c)
        c = _next_in(c, top, True)
    cdef Py_ssize_t n_rows = len(trs)
    cdef list grid = [[] for _ in range(n_rows)]
    cdef Py_ssize_t cells_made = 0, r, col, rs, cs, dr, k, width
    cdef bint merged = False
    cdef list copies = []
    cdef list row, target
    cdef xmlNode* tr
    cdef xmlNode* cell
    cdef xmlAttr* attr
    cdef bint spanned
    cdef str text, rowspan, colspan
    cdef Buffer buf
    buf.data, buf.length, buf.size = NULL, 0, 0
    try:
        for r in range(n_rows):
            tr = <xmlNode*><Py_ssize_t>trs[r]
            row = grid[r]
            col = 0
            cell = tr.children
            while cell is not NULL:
                if not (_named(cell, b"td") or _named(cell, b"th")):
                    cell = cell.next
                    continue
                # (A decimal text holds no whitespace: collapsing it changes nothing.)
                text = _cell_text(cell, &buf)
                spanned = False
                attr = cell.properties
                while attr is not NULL:
                    if strcmp(<const char*>attr.name, b"rowspan") == 0 or strcmp(<const char*>attr.name, b"colspan") == 0:
                        spanned = True
                        break
                    attr = attr.next
                if not spanned:
                    cells_made += 1
                    if cells_made > max_cells:
                        break
                    while col < len(row) and row[col] is not None:
                        col += 1
                    if col < len(row):
                        row[col] = text
                    else:
                        row.append(text)
                    col += 1
                    cell = cell.next
                    continue
                while col < len(row) and row[col] is not None:
                    col += 1
                rowspan = _attribute(cell, b"rowspan")
                colspan = _attribute(cell, b"colspan")
                rs = 1 if rowspan is None else min(<Py_ssize_t>span(rowspan), n_rows - r)
                cs = 1 if colspan is None else <Py_ssize_t>span(colspan)
                cells_made += rs * cs
                if cells_made > max_cells:
                    break
                merged = True
                for dr in range(rs):
                    target = grid[r + dr]
                    if len(target) < col + cs:
                        target.extend([None] * (col + cs - len(target)))
                    for k in range(cs):
                        target[col + k] = text
                    for k in range(1, cs):
                        copies.append((r + dr, col + k))
                col += cs
                cell = cell.next
    finally:
        free(buf.data)
    return grid, merged, copies


cdef struct Measured:
    xmlNode* node
    Py_ssize_t end  # the index after the element's last descendant element
    Py_ssize_t text  # text_length
    Py_ssize_t chrome  # chrome_length


def heaviest_descent(_Element el, tuple chrome_tags, tuple skip_tags, object is_frame, object stops_at):
    """``parsers.html.python_heaviest_descent``: down from ``el`` while one child holds most of
    the readable text. Every element under ``el`` is measured in one walk (text and chrome length,
    summed from the children up), then the descent reads the measures; ``is_frame`` (a child is
    page furniture) and ``stops_at`` (a chosen child is inside a statutory table) are asked of the
    few children the lengths leave in the running."""
    cdef TagSet chrome, skip
    _tag_set(chrome_tags, &chrome)
    _tag_set(skip_tags, &skip)
    cdef Py_ssize_t size = 64, count = 0, depth = 0, i, j, best, level
    cdef Measured* nodes = <Measured*>malloc(size * sizeof(Measured))
    cdef Py_ssize_t* open_ = <Py_ssize_t*>malloc(size * sizeof(Py_ssize_t))  # open elements' indices
    cdef Measured* grown
    cdef Py_ssize_t* grown_open
    cdef xmlNode* top = el._c_node
    cdef xmlNode* c = top
    cdef Py_ssize_t total, best_weight, length, weight
    cdef double share
    if nodes is NULL or open_ is NULL:
        free(nodes)
        free(open_)
        raise MemoryError()
    try:
        # Pre-order walk of the elements; text goes to the innermost open element, and a closing
        # element's sums go to its parent.
        while True:
            if c.type == ELEMENT_NODE:
                if count == size:
                    size *= 2
                    grown = <Measured*>realloc(nodes, size * sizeof(Measured))
                    if grown is NULL:
                        raise MemoryError()
                    nodes = grown
                    grown_open = <Py_ssize_t*>realloc(open_, size * sizeof(Py_ssize_t))
                    if grown_open is NULL:
                        raise MemoryError()
                    open_ = grown_open
                nodes[count].node, nodes[count].end, nodes[count].text, nodes[count].chrome = c, 0, 0, 0
                open_[depth] = count
                depth += 1
                count += 1
                if c.children is not NULL:
                    c = c.children
                    continue
            elif _is_text(c) and depth:
                nodes[open_[depth - 1]].text += _utf8_length(c.content)
            # Close the elements this step leaves: c itself if it is one, then each ancestor whose
            # last child c was.
            while True:
                if c.type == ELEMENT_NODE:
                    depth -= 1
                    i = open_[depth]
                    nodes[i].end = count
                    if _tag_in(c, &chrome):
                        nodes[i].chrome += nodes[i].text
                    if depth:
                        nodes[open_[depth - 1]].text += nodes[i].text
                        nodes[open_[depth - 1]].chrome += nodes[i].chrome
                if c is top or c.next is not NULL:
                    break
                c = c.parent
            if c is top:
                break
            c = c.next
        i = 0
        total = nodes[0].text - nodes[0].chrome
        for level in range(200):
            if total == 0:
                break
            share = 0.6 * total
            best, best_weight = -1, -1
            j = i + 1
            while j < nodes[i].end:
                length = nodes[j].text
                if not (_tag_in(nodes[j].node, &skip) or length <= best_weight or length < share):
                    if not is_frame(elementFactory(el._doc, nodes[j].node)):
                        weight = length - nodes[j].chrome
                        if weight > best_weight:
                            best, best_weight = j, weight
                j = nodes[j].end
            if best < 0 or best_weight < share or strcmp(<const char*>nodes[best].node.name, b"p") == 0:
                break
            if stops_at(elementFactory(el._doc, nodes[best].node)):
                break
            i, total = best, best_weight
        return elementFactory(el._doc, nodes[i].node)
    finally:
        free(nodes)
        free(open_)


cdef bint _holds_table(xmlNode* table) noexcept:
    """Whether a table element holds another table (``parsers.html._is_leaf_table`` negated)."""
    cdef xmlNode* c = table.children
    while c is not NULL:
        if _named(c, b"table"):
            return True
        c = _next_in(c, table, True)
    return False


cdef int _flush(Buffer* buf, list out) except -1:
    if buf.length:
        out.append(PyUnicode_DecodeUTF8(buf.data, buf.length, NULL))
        buf.length = 0
    return 0


def render(_Element el, tuple skip_tags, tuple block_tags, Py_ssize_t max_cells, object span, object make_grid):
    """``parsers.html.python_render``: the text of ``el`` and its tail as pieces to join, a line
    break around each block, a tab after each cell, a table holding no other table written as its
    grid's rows (``make_grid`` of ``table_rows``' answer, the grid kept in ``tables``); skipped elements give
    only their tail. Returns (pieces, tables)."""
    cdef TagSet skip, block
    _tag_set(skip_tags, &skip)
    _tag_set(block_tags, &block)
    cdef list out = [], tables = []
    cdef Buffer buf
    cdef xmlNode* top = el._c_node
    cdef xmlNode* c = top
    cdef bint enter
    buf.data, buf.length, buf.size = NULL, 0, 0
    try:
        while True:
            enter = False
            if c.type == ELEMENT_NODE:
                if _tag_in(c, &skip):
                    pass
                elif strcmp(<const char*>c.name, b"table") == 0 and not _holds_table(c):
                    grid = make_grid(*table_rows(elementFactory(el._doc, c), max_cells, span))
                    if grid:
                        tables.append(grid)
                        _flush(&buf, out)
                        out.append("\n" + "\n".join(["\t".join(row) for row in grid]) + "\n")
                else:
                    if _tag_in(c, &block):
                        _append(&buf, b"\n", 1)
                    if c.children is not NULL:
                        c = c.children
                        continue
                    enter = True  # an empty element still closes
            elif _is_text(c):
                _append(&buf, <const char*>c.content, strlen(<const char*>c.content))
            # Leave c (closing it if it was entered), then each ancestor whose last child it was.
            while True:
                if enter:
                    if _named(c, b"td") or _named(c, b"th"):
                        _append(&buf, b"\t", 1)
                    elif _tag_in(c, &block):
                        _append(&buf, b"\n", 1)
                if c is top or c.next is not NULL:
                    break
                c = c.parent
                enter = True
            if c is top:
                break
            c = c.next
        # The tail: the texts after the element up to its next sibling of another kind.
        c = top.next
        while c is not NULL and (c.type == TEXT_NODE or c.type == CDATA_NODE):
            if c.content is not NULL:
                _append(&buf, <const char*>c.content, strlen(<const char*>c.content))
            c = c.next
        _flush(&buf, out)
        return out, tables
    finally:
        free(buf.data)
