"""Tell what kind of document some bytes are, from the bytes first.

Portals mislabel files all the time: HTML error pages served as ``application/pdf``, PDFs named
``.doc``, RTF or HTML saved with a ``.doc`` extension. The magic numbers decide; the file name and
the Content-Type only break the tie between HTML and plain text, which share no magic number.
"""

from __future__ import annotations

import codecs
import io
import re
import zipfile

KINDS: tuple[str, ...] = ("html", "text", "pdf", "docx", "doc", "unknown")

_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_WORD_STREAM = "WordDocument".encode("utf-16-le")
_BINARY_MAGICS: tuple[bytes, ...] = (
    b"\x89PNG",
    b"\xff\xd8\xff",  # JPEG
    b"GIF87a",
    b"GIF89a",
    b"II*\x00",  # TIFF
    b"MM\x00*",
    b"RIFF",  # WebP, AVI, WAV
    b"\x1f\x8b",  # gzip
    b"Rar!",
    b"7z\xbc\xaf",
    b"\x00\x00\x01\x00",  # ICO
    b"%!PS",
    b"\x7fELF",
)
_HTML_MARKERS = re.compile(
    rb"<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]|<meta[\s/]|<title[\s>]|<div[\s>]|<table[\s>]|<p[\s>]|<br\s*/?>|<span[\s>]|<a\s+href",
    re.IGNORECASE,
)
_SNIFF_PREFIX = 8192
_TEXT_EXTENSIONS = (".txt", ".text", ".csv")
_HTML_EXTENSIONS = (".html", ".htm", ".shtml", ".xhtml", ".jsp", ".asp", ".aspx", ".php")


def sniff_kind(data: bytes, filename: str | None = None, content_type: str | None = None) -> str:
    """One of ``KINDS`` for these bytes; ``filename``/``content_type`` are hints only."""
    if not data or not data.strip():
        return "unknown"
    head = data[:_SNIFF_PREFIX]
    if head.startswith(b"%PDF-") or b"%PDF-" in data[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return "docx" if _is_word_zip(data) else "unknown"
    if head.startswith(_OLE2_MAGIC):
        return "doc" if _WORD_STREAM in data else "unknown"
    if head.lstrip().startswith(b"{\\rtf"):
        return "doc"  # RTF saved with a .doc name; the legacy-Word extractor reads it
    if any(head.startswith(magic) for magic in _BINARY_MAGICS):
        return "unknown"
    if (
        b"\x00" not in head
        and not head.startswith((b"\xff\xfe", b"\xfe\xff"))
        and b"<?xml" not in head
        and _HTML_MARKERS.search(head)
    ):
        # Such a prefix is read as UTF-8 or GB18030, which keep every ASCII byte as that character
        # (invalid bytes too are replaced one by one), so the tags are found without decoding it.
        return "html"
    decoded = _decode_prefix(head)
    if decoded is None:
        return "unknown"
    if _looks_like_html(decoded):
        return "html"
    if not _looks_like_text(decoded):
        return "unknown"
    return "html" if _hints_html(filename, content_type) else "text"


_MAGIC_NAMES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF8", "GIF image"),
    (b"II*\x00", "TIFF image"),
    (b"MM\x00*", "TIFF image"),
    (b"BM", "BMP image"),
    (b"\x1f\x8b", "gzip archive"),
    (b"Rar!", "RAR archive"),
    (b"7z\xbc\xaf", "7z archive"),
    (b"\x00\x00\x01\x00", "icon image"),
    (b"%!PS", "PostScript file"),
    (b"\x7fELF", "executable"),
    (b"MZ", "executable"),
    (b"ID3", "audio"),
    (b"\x00\x00\x00", "video or binary data"),
)
_ZIP_MEMBERS: tuple[tuple[str, str], ...] = (
    ("xl/", "xlsx spreadsheet"),
    ("ppt/", "pptx presentation"),
    ("content.xml", "OpenDocument file"),
    ("Contents/", "OFD document"),
    ("Doc_0/", "OFD document"),
)


def non_report_kind(data: bytes) -> str | None:
    """A name for bytes that are positively some other kind of file (image, spreadsheet, archive).

    ``None`` when nothing identifies them: such bytes are then read as text rather than dropped.
    """
    head = data[:_SNIFF_PREFIX]
    if not data.strip():
        return "empty file"
    if head.startswith(b"RIFF"):
        return "WebP image" if head[8:12] == b"WEBP" else "audio or video (RIFF)"
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        names = _zip_names(data)
        for prefix, name in _ZIP_MEMBERS:
            if any(n.startswith(prefix) for n in names):
                return name
        return "zip archive"
    if head.startswith(_OLE2_MAGIC):
        if "Workbook".encode("utf-16-le") in data or "Book".encode("utf-16-le") in data[:65536]:
            return "xls spreadsheet"
        if "PowerPoint".encode("utf-16-le") in data:
            return "ppt presentation"
        return "OLE compound file (not Word)"
    for magic, name in _MAGIC_NAMES:
        if head.startswith(magic):
            return name
    if _decode_prefix(head) is None:
        return "binary data"
    return None


def _zip_names(data: bytes) -> list[str]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return archive.namelist()[:2000]
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        return [m.decode("utf-8", "replace") for m in re.findall(rb"PK\x03\x04.{26}([^\x00-\x1f]{1,200}?)(?=[\x00-\x1f]|PK)", data[:65536], re.S)]


def _is_word_zip(data: bytes) -> bool:
    """A zip whose members include word/document.xml (reading only the directory, never members)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "word/document.xml" in archive.namelist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        # A truncated or damaged archive: local file headers still carry the member names.
        return b"word/document.xml" in data


def _decode_prefix(head: bytes) -> str | None:
    """The prefix as text, or None when it is binary in every encoding we accept."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return head[2 : len(head) - (len(head) % 2)].decode(
            "utf-16-le" if head[0] == 0xFF else "utf-16-be", "replace"
        )
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    if b"\x00" in head:
        # UTF-16 without a byte-order mark: the high bytes of ASCII characters are NULs.
        even = head[: len(head) - (len(head) % 2)]
        for encoding in ("utf-16-le", "utf-16-be"):
            decoded = even.decode(encoding, "replace")
            if _looks_like_text(decoded):
                return decoded
        return None
    complete = len(head) < _SNIFF_PREFIX
    for encoding in ("utf-8", "gb18030"):
        try:
            # The prefix may end inside a multi-byte character: an incremental decoder keeps it
            # pending instead of failing, so a page cut there is still text.
            return codecs.getincrementaldecoder(encoding)().decode(head, final=complete)
        except UnicodeDecodeError:
            continue
    return head.decode("gb18030", "replace")


def _looks_like_html(text: str) -> bool:
    stripped = text.lstrip("\ufeff \t\r\n")
    if stripped.startswith("<?xml"):
        return bool(re.search(r"<html[\s>]", stripped[:2000], re.IGNORECASE))
    return bool(_HTML_MARKERS.search(stripped.encode("utf-8", "replace")))


def _looks_like_text(text: str) -> bool:
    if not text:
        return False
    controls = sum(1 for ch in text if (ord(ch) < 32 and ch not in "\t\n\r\f\v") or ch == "\ufffd")
    return controls <= max(1, len(text) // 100)


def _hints_html(filename: str | None, content_type: str | None) -> bool:
    if content_type and "html" in content_type.lower():
        return True
    if filename:
        name = filename.lower().split("?", 1)[0]
        if name.endswith(_TEXT_EXTENSIONS):
            return False
        return name.endswith(_HTML_EXTENSIONS)
    return False
