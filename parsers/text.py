"""Plain text: decode bytes of unknown encoding, and fold the character variants reports use.

Encodings seen on portals: UTF-8 (with or without BOM), GBK/GB2312/GB18030, UTF-16 with a BOM.
Decoding never raises: the last resort is GB18030 with replacement characters, and a warning.
"""

from __future__ import annotations

import codecs
import re
from functools import lru_cache

from parsers.document import Document

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# Full-width digits and the punctuation that appears inside numbers and table separators.
_FULLWIDTH = {ord("０") + i: ord("0") + i for i in range(10)}
_FULLWIDTH.update(
    {
        ord("．"): ".",
        ord("，"): ",",
        ord("－"): "-",
        ord("−"): "-",
        ord("／"): "/",
        ord("｜"): "|",
        ord("　"): " ",
        ord("\u00a0"): " ",
        ord("\u200b"): None,
        ord("\ufeff"): None,
        ord("\r"): None,
    }
)
# Traditional forms of the characters in the statutory labels and headings (reports from
# Hong Kong-style CMS templates and OCR output use them).
_TRADITIONAL = str.maketrans(
    "規範許處罰強費開請數結轉總計複議訴訟維審糾關機國際構組織務調權益類資訊報進處統與經門財產稱證應當現發廢",
    "规范许处罚强费开请数结转总计复议诉讼维审纠关机国际构组织务调权益类资讯报进处统与经门财产称证应当现发废",
)


_FOLD = {**_TRADITIONAL, **_FULLWIDTH}


@lru_cache(maxsize=32)
def fold(text: str) -> str:
    """Full-width digits and separators to ASCII, traditional label characters to simplified."""
    return text.translate(_FOLD)


def _looks_like_utf16(data: bytes) -> str | None:
    """UTF-16 without a BOM: every other byte is NUL for the ASCII parts of the text."""
    sample = data[:4000]
    if len(sample) < 4:
        return None
    even_nul = sample[0::2].count(0)
    odd_nul = sample[1::2].count(0)
    half = len(sample) / 2
    if odd_nul > 0.3 * half and even_nul < 0.05 * half:
        return "utf-16-le"
    if even_nul > 0.3 * half and odd_nul < 0.05 * half:
        return "utf-16-be"
    return None


def decode_text(data: bytes, declared: str | None = None) -> tuple[str, str, list[str]]:
    """Decode ``data``; returns (text, encoding used, warnings).

    A declared charset is tried first but not trusted: portals often declare gb2312 for UTF-8
    pages and the reverse, so a strict decode must succeed before it is accepted.
    """
    warnings: list[str] = []
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(name), name.replace("-sig", ""), warnings
            except UnicodeDecodeError:
                break
    utf16 = _looks_like_utf16(data)
    if utf16:
        try:
            return data.decode(utf16), utf16, warnings
        except UnicodeDecodeError:
            pass
    # Strict UTF-8 almost never succeeds on GBK bytes, so it goes first whatever is declared.
    candidates: list[str] = ["utf-8"]
    if declared:
        name = declared.strip().lower()
        # GB2312 and GBK pages routinely contain characters only GB18030 covers.
        if name in {"gb2312", "gbk", "gb_2312-80", "x-gbk", "euc-cn", "hz-gb-2312"}:
            name = "gb18030"
        try:
            if codecs.lookup(name).name not in {"utf-8", "gb18030"}:
                candidates.append(name)
        except LookupError:
            warnings.append(f"unknown declared charset {declared!r} ignored")
    candidates.append("gb18030")
    for name in candidates:
        try:
            text = data.decode(name)
        except (UnicodeDecodeError, LookupError):
            continue
        return text, name, warnings
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data[:200_000]).best()
        if best is not None and best.encoding:
            return data.decode(best.encoding, errors="replace"), best.encoding, warnings
    except Exception:  # noqa: BLE001 - a detector failure must not lose the document
        pass
    warnings.append("text encoding not recognised; undecodable bytes replaced")
    return data.decode("gb18030", errors="replace"), "gb18030", warnings


def extract_text(data: bytes) -> Document:
    """A plain-text file as a Document; the first line that names a report is its title."""
    text, encoding, warnings = decode_text(data)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return Document(kind="text", text=text, title=first_title_line(text), encoding=encoding, warnings=warnings)


def first_title_line(text: str) -> str | None:
    """The first short line near the top that calls itself a report, if any."""
    previous = ""
    for line in text[:3000].split("\n")[:12]:
        line = line.strip()
        if not line:
            continue
        if len(line) <= 80 and ("报告" in line or "年报" in line):
            # A title set on two lines: the body's name alone above "2024年…年度报告".
            if previous and len(previous) <= 30 and line[:1].isdigit() and re.fullmatch(r"[\u4e00-\u9fff]+", previous):
                return f"{previous} {line}"
            return line
        if line.startswith(("一、", "一.")):
            return None
        previous = line
    return None
