"""Is a page title an annual disclosure report, for which year and which body?

Real titles: XX局2023年度政府信息公开工作年度报告 · 2023年XX镇政府信息公开年报 ·
XX镇人民政府关于2023年政府信息公开工作的年度报告 · 2023年度政务公开工作年度报告 ·
某某县人民政府办公室（县政务公开办）2023年政府信息公开工作年度报告.
Lookalikes that must be rejected: guides (指南), work plans (工作要点), notices asking for the
reports (关于报送…的通知), website statistics (政府网站工作年度报表), rules (制度), readings and
infographics (解读, 一图读懂), correction notices (更正说明), and annual reports on other topics. A
report marked （更正） or （修订版） at its end is the corrected report itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from parsers.folding import arabic_years, drop_pinyin, fold

_SUBJECT = re.compile(r"政府信息公开|政务公开|信息公开|政务信息公开")
_REPORT = re.compile(r"年度报告|年报|工作报告|年度工作报告")
_REJECT = re.compile(
    r"通知|报送|指南|要点|制度|报表|目录|规定|办法|方案|意见|征集|督查|考核|评估|检查|通报|解读|图解|"
    r"印发|转发|网站|统计表|公示|目标|计划(?!生育)|总结会|培训|申请表|更正|说明|读懂|一图|图说|漫画|视频"
)
# A corrected or revised report says so in a closing bracket; it is still the report.
_REVISION = re.compile(r"[(（【\[]\s*(?:更正|修订|修正|更新)(?:版|稿|后)?\s*[)）】\]]$")
_YEAR = re.compile(r"(20\d{2})\s*年")
_YEAR_WORDS = re.compile(r"(?:关于)?\s*[(（【\[]?\s*20\d{2}\s*年度?\s*[)）】\]]?(?:的)?")
# A year written without 年 right before the subject (某厅2022政府信息公开工作年度报告) is no part of the name.
_BARE_YEAR_END = re.compile(r"(?<!\d)20\d{2}$")
_EDGE_PUNCT = re.compile(r"^[\s【】\[\]《》“”\"'：:，,、·—\-_]+|[\s【】\[\]《》“”\"'：:，,、·—\-_]+$")
_LEADING = re.compile(r"^(?:关于|转载|附件\d*|[(（]?[一二三四五六七八九十\d]+[)）.、])+")
_TRAILING = re.compile(r"(?:的|关于|发布|编制)+$")
# How a report opens when it speaks of itself or of its own kind of body (我镇, 本局, 全县, 该办, 上级);
# a place name may open with the same character (本溪市, 全州县, 上海市, 下关区), so 本, 全, 上 and 下
# count only with the words that make them a reference.
SELF_REFERENCE = r"我|该|各|今|本(?!溪)|全(?=[市县区镇乡省旗街局委办年体])|上(?=[级年一述半])|下(?=[级属辖一半])"
_GENERIC = re.compile(
    rf"^(?:{SELF_REFERENCE})|^[市县区镇乡省]?(?:人民)?政府$"
    r"|^(?:首页|(?:您)?当前(?:所在)?位置|当前页面|您(?:现在)?的位置|所在位置|网站首页)"
)
# A sentence taken for the title (按照某办《关于做好…的通知》要求,现将…报告如下) names a document or
# begins with a preposition: what stands before its subject is no body's name.
_PROSE_HEAD = re.compile(r"《|^(?:按照|根据|依据|依照|通过|现将)")
# Inside a bracket pair the agency may mention 政务公开 (县政务公开办) without it being the subject.
_BRACKETED = re.compile(r"[(（][^()（）]{0,20}[)）]")
_CJK = re.compile(r"[\u4e00-\u9fff]")
# A body's name opens with a Chinese character: Latin before it is a page's furniture (Page 8 - of a
# flip-book page, a mirror site's domain), not the name.
_LATIN_LEAD = re.compile(r"^[A-Za-z][\x00-\x7f]*?(?=[\u4e00-\u9fff])")
# Characters no Chinese report title contains: Latin-1 letters, Hangul, Yi, private use, controls,
# replacement characters. They betray a title decoded with the wrong codec (UTF-16 read as
# Latin-1, GBK read as Latin-1, UTF-16BE read as LE).
_GARBLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\xff\u0100-\u02ff\u0400-\u04ff\ua000-\ua4cf\uac00-\ud7af\ue000-\uf8ff\ufffd]")


@dataclass(frozen=True)
class TitleInfo:
    is_annual_report: bool
    year: int | None
    agency: str | None


def is_readable_title(text: str | None) -> bool:
    """Chinese text without the marks of a wrong decoding."""
    if not text or not text.strip():
        return False
    # A mirror's pinyin (西藏自治區(qū)) has toned Latin letters, yet the title under it reads.
    if _GARBLE.search(drop_pinyin(text)):
        return False
    cjk = len(_CJK.findall(text))
    # Byte-swapped UTF-16 lands in rare CJK blocks too; a real title uses common words.
    return cjk >= 2 and bool(re.search(r"[年报告公开政府信息局镇乡区县市办委会街道]", text))


def title_year(title: str) -> int | None:
    m = _YEAR.search(arabic_years(fold(title)))
    if not m:
        return None
    year = int(m.group(1))
    return year if 2000 <= year <= 2100 else None


def _subject_outside_brackets(text: str) -> re.Match[str] | None:
    masked = _BRACKETED.sub(lambda m: "\u3000" * len(m.group(0)), text)
    return _SUBJECT.search(masked)


def title_agency(title: str) -> str | None:
    """The body named before the report phrase, with years and connectives removed."""
    text = arabic_years(re.sub(r"\s+", "", fold(title)))
    m = _subject_outside_brackets(text)
    if not m:
        return None
    head = text[: m.start()]
    # A year between the body and the subject, or before the body; keep the body's own brackets.
    head = _BARE_YEAR_END.sub("", _YEAR_WORDS.sub("", head))
    head = _EDGE_PUNCT.sub("", head)
    head = _LEADING.sub("", _LATIN_LEAD.sub("", head))
    head = _TRAILING.sub("", head)
    head = _EDGE_PUNCT.sub("", head)
    if head.count("（") != head.count("）") or head.count("(") != head.count(")"):
        head = re.sub(r"[(（][^)）]*$", "", head)
    if len(head) < 2 or not _CJK.search(head) or _GENERIC.match(head) or _PROSE_HEAD.search(head):
        return None
    return head


# A portal's menus and related-link lists repeat the same link texts on every page, each
# classified by the report reader: the (immutable) answer is kept.
@lru_cache(maxsize=4096)
def classify_title(title: str) -> TitleInfo:
    text = fold(title or "").strip()
    compact = _REVISION.sub("", re.sub(r"\s+", "", text))
    is_report = bool(_SUBJECT.search(compact) and _REPORT.search(compact) and not _REJECT.search(compact))
    return TitleInfo(is_report, title_year(compact), title_agency(compact) if is_report else None)


def title_score(title: str | None) -> int:
    """How much a candidate title tells: names a report (1), a year (1), the body (2)."""
    if not title or not is_readable_title(title):
        return -1
    compact = re.sub(r"\s+", "", fold(title))
    score = 1 if ("报告" in compact or "年报" in compact) and _SUBJECT.search(compact) else 0
    if title_year(compact):
        score += 1
    if title_agency(compact):
        score += 2
    return score
