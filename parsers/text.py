"""Plain text: decode bytes of unknown encoding, and fold the character variants reports use.

Encodings seen on portals: UTF-8 (with or without BOM), GBK/GB2312/GB18030, UTF-16 with a BOM.
Decoding never raises: the last resort is GB18030 with replacement characters, and a warning.
"""

from __future__ import annotations

import codecs
import re

from parsers.document import Document
from parsers.folding import fold as fold  # re-exported: callers outside the package use it

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

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


_TITLE_LINES = 14
_TITLE_STOP = re.compile(r"^(?:一\s*[、.．]|[(（]一[)）])")
_SENTENCE = re.compile(r"[。；;]|[，,].*[，,]")
_TITLE_PART = re.compile(r"[\u4e00-\u9fff（）()\d\s]{2,40}")
# A saved page's header block labels its fields (标题: …, 发布时间: …): the label is not the title.
# 标题 is set spaced out to the width of the other labels, or as a table's first cell, with no
# colon (标      题 某局2025年… · | 標 題 | 某委2023年… | ||).
_FIELD_LABEL = re.compile(r"^(?:文章)?(?:标题|题目|名称)\s*[:：]\s*|^\|?\s*[标標]\s*[题題](?:\s*[:：|]|\s)\s*")
# Its other fields name the column, the publisher, the link: never the title (栏目: 政府信息公开年报).
_OTHER_FIELD = re.compile(
    r"^(?:所属)?(?:栏目|发布机构|文号|原文链接|本地目录|来源|信息来源|发布时间|发布日期|索引号|主题分类|关键词|页面链接)\s*[:：]"
)
# A page's reading controls (点击收听年报语音朗读, 语音播报, 朗读全文): a button's words, never the title.
_PAGE_CONTROL = re.compile(r"^(?:点击|點擊)?(?:收听|收聽|朗读|朗讀|播放)|语音(?:朗读|播报|播放)|語音(?:朗讀|播報)")
# A page saved as one run of text keeps its title as one space-delimited token.
_TITLE_TOKEN = re.compile(r"[\u4e00-\u9fff（）()\d]{6,60}")
_LONG_LINE = 80
_BREADCRUMB = re.compile(r"(?:当前位置|当前所在位置|[当當]前[页頁]面|您的位置|您现在的位置|所在位置)\s*[:：]")
_YEAR_REPORT = re.compile(r"(?:\d{4}|[〇○零一二三四五六七八九]{4})年.*(?:报告|年报)")
# A portal may print the article's date after the title on its line (…年度报告 2025-01-22), or a table
# row's closing bar (…年度报告 |): neither is part of the title.
_TITLE_TAIL = re.compile(
    r"(?:\s+20\d{2}[-/.]\d{1,2}[-/.]\d{1,2}(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?|\s*\|[\s|]*)$"
)


def title_candidates(text: str) -> list[str]:
    """Lines near the top that may be the title, alone or rejoined when a title is set on 2-3 lines."""
    lines: list[str] = []
    for line in text[:4000].split("\n"):
        line = _TITLE_TAIL.sub("", line.strip())
        label = _FIELD_LABEL.match(line)
        if label:
            # The row's further cells (| ||) are the block's layout, never part of the title.
            line = line[label.end() :].lstrip(" \t|").split("|")[0].strip()
        if _PAGE_CONTROL.search(line):  # the button's words go, a title beside them stays
            line = " ".join(t for t in line.split() if not _PAGE_CONTROL.search(t))
        if not line or _OTHER_FIELD.match(line):
            continue
        if _TITLE_STOP.match(line) or len(lines) >= _TITLE_LINES:
            break
        # Accessibility links may come first on the breadcrumb's line (关怀版 无障碍 您当前所在位置:…).
        if len(line) > _LONG_LINE or _BREADCRUMB.search(line):
            lines.extend(t for t in line.split() if _TITLE_TOKEN.fullmatch(t) and _YEAR_REPORT.search(t))
            continue
        # A sentence (本报告根据《条例》编制…。) is prose, never a title nor part of one.
        lines.append("" if _SENTENCE.search(line) else line)
    found: list[str] = []
    for i, line in enumerate(lines):
        # Traditional script (政府信息公開工作2021年度報告) names a report as well.
        folded = fold(line)
        if not line or len(line) > _LONG_LINE or not ("报告" in folded or "年报" in folded or "公开工作" in folded):
            continue
        found.append(line)
        before = lines[i - 1] if i else ""
        after = lines[i + 1] if i + 1 < len(lines) else ""
        if before and len(before) <= 40 and _TITLE_PART.fullmatch(before):
            # The body's name alone above "2024年…年度报告" keeps a space, as the page shows it.
            found.append(f"{before} {line}" if line[:1].isdigit() else before + line)
        if after and len(after) <= 20 and _TITLE_PART.fullmatch(after) and ("报告" in fold(after) or "年报" in fold(after)):
            found.append(line + after)
            if found[-2] != line:
                found.append(found[-2] + after)
    return found


def first_title_line(text: str, links: frozenset[str] = frozenset()) -> str | None:
    """The line (or rejoined lines) near the top that best names a report, its body and year.

    A line holding the text of one of the page's ``links`` names another page (a list entry, a
    related report), never this one.
    """
    from parsers.titles import title_score

    best: str | None = None
    best_score = -1
    for candidate in title_candidates(text):
        if links and any(link in candidate for link in links):
            continue
        score = title_score(candidate)
        if score > best_score:
            best, best_score = candidate, score
    return best
