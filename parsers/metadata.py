"""Agency, report year and publication date of a report.

Sources, strongest first. Agency: the title, else the signature (落款: the body's name on the
line above the closing date), else a name right after a year in the body (2023年召都巴镇…);
generic self-references (我镇, 全市) never count. Year: the title, the statistics period
(统计期限自2024年1月1日…), the year the body names most, the publication date minus one.
Publication date: page meta tags, a 发布时间/发布日期 label, a date in the URL, else the date the
report is signed with (its last line, 2024年1月20日 or 二〇二四年一月二十日).
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from functools import lru_cache

from parsers.folding import arabic_years, close_cjk_gaps, fold, printed_form
from parsers.titles import SELF_REFERENCE, title_agency, title_year

_NAME_SUFFIXES = (
    "人民政府办公室", "人民政府", "管理委员会", "管委会", "办事处", "委员会", "办公室", "街道", "政府",
    "苏木", "中心", "镇", "乡", "局", "委", "办", "厅", "署", "院", "县", "区", "市", "旗",
)  # fmt: skip
# Words that open a clause after the body's name, never part of one (2025年某街道积极推动街道…).
_NAME_CUT = re.compile(r"政府信息|政务|信息公开|政府网站|工作|坚持|认真|深入|紧紧|在|按照|根据|围绕|以来|积极|推动|加强|持续|扎实|不断|大力|全力|高度")
# A self-reference (titles.SELF_REFERENCE), or a bare 县政府 / 区委 standing for the body.
_GENERIC = re.compile(rf"^(?:{SELF_REFERENCE}|[市县区镇乡省街](?:人民)?(?:政府|委|局|办)?$)")
# A run that opens with a preposition or names money, figures or a channel is a clause, not a body
# (2023年,通过政府门户网站… · 2022年三公经费预算情况和政府工作报告).
_PROSE_RUN = re.compile(r"^(?:通过|经过|按照|根据|依据|依照|由于|现将)|情况|经费|预算|預算|决算|报告|门户|网站|和政府")
# Sentences that state the body's name: 现将某镇2022年度…报告如下 · 由某镇人民政府党政办公室编制 ·
# 某镇人民政府严格按照… (the subject before an adverb opening the sentence). Traditional forms
# the folding leaves alone are listed with their simplified ones.
_REPORT_NAMED = re.compile(r"现[将將]\s*([\u4e00-\u9fff]{2,30}?)\s*(?:20\d{2}|二[〇○零一二三四五六七八九]{3})\s*年")
# A line opening with the body's name and the report's year, however its title's words ran on
# (某镇2023年政府信息公开 工作告年度报, a title a template scrambled).
_NAME_YEAR_LINE = re.compile(r"^[ \t]*([\u4e00-\u9fff]{2,30}?)[ \t]*20\d{2}[ \t]*年度?[ \t]*政府信息公开", re.M)
# 现公布某局2023年政府信息公开工作年度报告 · 编制某乡2024年政府信息公开… · 发布《某局2023年…》: the
# report published or compiled is named with its body (matched in folded text: 編製 is 編制 there);
# 编制完成《…》 and 发布了… too.
_REPORT_PUBLISHED = re.compile(
    r"(?:公布|公开|[编編]制|发布)(?:完成|了)?\s*《?\s*([\u4e00-\u9fff]{2,30}?)\s*(?:20\d{2}|二[〇○零一二三四五六七八九]{3})\s*年度?\s*(?:政府|政务)?信息公开"
)
# 由某镇人民政府结合有关统计数据编制 · 由某局根据《条例》…要求编制而成: what the body compiled from
# may stand between its name and 编制, within the sentence.
_COMPILED_BY = re.compile(
    r"由\s*([\u4e00-\u9fff]{2,30}?)\s*(?:负责|(?:结合|根据|依据|按照)[^。；;\n]{0,160}?)?编制"
)
_SUBJECT_OPENING = re.compile(r"(?:^|[,，、。；;:：])\s*([\u4e00-\u9fff]{2,30}?)(?:认真|[严嚴]格|深入|全面|始[终終]|切实|[坚堅]持)", re.M)
# 某市人民政府根据…要求,编制本报告: the subject opening a sentence that ends compiling the report.
_SUBJECT_COMPILES = re.compile(
    r"(?:^|[,，、。；;:：])\s*([\u4e00-\u9fff]{2,30}?)(?:根据|依据|按照)[^。；;\n]{0,160}?编制(?:了)?本(?:年度)?报告",
    re.M,
)
# The office that compiles a body's report is not the body (两城镇人民政府党政办公室 → 两城镇人民政府,
# 某省地震局办公室 → 某省地震局).
_OFFICE_OF_BODY = re.compile(r"(.+?(?:人民政府|办事处|管委会|管理委员会|委员会|局|厅|委))(?:党政|综合|政务)?办(?:公室)?")
# 如对本报告有疑问，请与某镇政府综合督考办公室联系: the body whose office answers for the report, the
# name before the office (its kind kept: 某镇政府, 某街道办事处, 某局). The last source in the body: an
# office may answer for another body's report, so any other sentence naming a body wins.
_CONTACT = re.compile(r"请与\s*([\u4e00-\u9fff]{3,40}?)\s*(?:联系|联络)")
_CONTACT_BODY = re.compile(
    r"(.+(?:人民政府|政府|办事处|管委会|管理委员会|委员会|街道|苏木|镇|乡|局))(?:[\u4e00-\u9fff]{0,8}?(?:办公室|办|室|科|股))?"
)
_CJK_GAP_IN_LINE = re.compile(r"[^\S\n](?<=[\u4e00-\u9fff][^\S\n])[^\S\n]*(?=[\u4e00-\u9fff])")
_YEAR_THEN_NAME = re.compile(r"20\d{2}\s*年度?\s*[,，、]?\s*([\u4e00-\u9fff]{2,24})")
_PERIOD = re.compile(r"统计期限[^。\n]{0,12}?(20\d{2})\s*年|(20\d{2})\s*年\s*1\s*月\s*1\s*日\s*(?:起)?\s*(?:至|到|-|—)\s*(20\d{2})\s*年\s*12\s*月\s*31\s*日")
_BODY_YEAR = re.compile(r"(20\d{2})\s*年")
_DATE = re.compile(r"(20\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
_DATE_COMPACT = re.compile(r"^(20\d{2})(\d{2})(\d{2})")
# A bare 时间： is the article's date on many portals (来源：… 时间：2018-01-23 08:51); 统计时间 and
# 截止时间 name the statistics period.
_DATE_LABEL = re.compile(
    r"(?:发布时间|发布日期|公开日期|发文日期|(?<![计止])时间(?=\s*[:：]))\s*[:：]?\s*(20\d{2}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2})"
)
_URL_DATES = (
    re.compile(r"/t(20\d{2})(\d{2})(\d{2})_"),
    re.compile(r"/art/(20\d{2})/(\d{1,2})/(\d{1,2})/"),
    re.compile(r"/(20\d{2})-(\d{1,2})-(\d{1,2})/"),
    re.compile(r"/(20\d{2})(\d{2})/(\d{2})/"),
    re.compile(r"/(20\d{2})/(\d{2})(\d{2})/"),
    re.compile(r"[/_](20\d{2})(\d{2})(\d{2})(?:\d{0,6})[_./]"),
)
_META_DATE_KEYS = (
    "pubdate", "publishdate", "publish_date", "firstpublishedtime", "articlepubdate", "publishtime",
    "发布时间", "article:published_time", "dc.date", "dc.date.issued", "dcterms.issued", "date",
)  # fmt: skip
# Not "created"/"modified": a file's own timestamps say when someone saved it (often a template's
# date), not when the body published it.


# The signature: a date alone on its line near the end, the body's name on the line above it (or
# before it on the same line). Dates in Chinese numerals are usual in signed documents.
_CN_DIGITS = {"〇": 0, "○": 0, "零": 0, "Ｏ": 0, "O": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_YEAR = "[〇○零ＯO一二三四五六七八九]"
_CN_SMALL = "[一二三四五六七八九十]"
_SIGNED_DATE = re.compile(
    rf"(?:(20\d{{2}})\s*年\s*(\d{{1,2}})\s*月\s*(\d{{1,2}})\s*日|(二{_CN_YEAR}{{3}})\s*年\s*({_CN_SMALL}{{1,2}})\s*月\s*({_CN_SMALL}{{1,3}})\s*日)[ \t]*$"
)
_SIGNATURE_LINES = 12  # the last non-empty lines searched for the closing date
_CLOSING_CHARS = 3000
_NAME_LINE = re.compile(r"^[\u4e00-\u9fff（）()]{3,40}$")


def _cn_number(text: str) -> int:
    """一 … 三十一 (month and day numbers written in Chinese numerals)."""
    if "十" not in text:
        return _CN_DIGITS[text]
    tens, _, units = text.partition("十")
    return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[units] if units else 0)


def _signed_date(match: re.Match[str]) -> date | None:
    y, m, d, cy, cm, cd = match.groups()
    if y:
        return _valid_date(y, m, d)
    try:
        year = int("".join(str(_CN_DIGITS[ch]) for ch in cy))
        return _valid_date(str(year), str(_cn_number(cm)), str(_cn_number(cd)))
    except KeyError:
        return None


def _closing_lines(text: str) -> list[str]:
    """The last non-empty lines of the text's last 3,000 characters, folded and stripped (a text
    that short is its own slice, whose folding the other readings share)."""
    return [line.strip() for line in fold(text[-_CLOSING_CHARS:]).split("\n") if line.strip()][-_SIGNATURE_LINES:]


@lru_cache(maxsize=8)  # asked for the agency and again for the date, of the same text
def signature(text: str) -> tuple[str | None, date | None]:
    """The body's name and the date the report is signed with, from its closing lines."""
    lines = _closing_lines(text)
    for i in range(len(lines) - 1, -1, -1):
        line = lines[i]
        if len(line) > 60:
            continue
        m = _SIGNED_DATE.search(line)
        if m is None:
            continue
        before = line[: m.start()].strip()
        if before and not _NAME_LINE.match(before):
            continue  # a sentence that ends with a date, not a signature
        signed = _signed_date(m)
        if signed is None:
            continue
        above = re.sub(r"\s+", "", before or (lines[i - 1] if i else ""))
        name = _name_from_run(above) if _NAME_LINE.match(above) else None
        return (name if name == above else None), signed
    return None, None


def _valid_date(y: str, m: str, d: str) -> date | None:
    try:
        value = date(int(y), int(m), int(d))
    except ValueError:
        return None
    return value if 2000 <= value.year <= 2100 else None


def parse_date(text: str) -> date | None:
    text = fold(text)
    m = _DATE.search(text)
    if m:
        return _valid_date(*m.groups())
    m = _DATE_COMPACT.match(text.strip())
    return _valid_date(*m.groups()) if m else None


def published_date(meta: dict[str, str], text: str, url: str | None) -> date | None:
    """The date the page declares: meta tags, a date label, the URL, else the signature's date."""
    lowered = {k.lower(): v for k, v in meta.items()}
    for key in _META_DATE_KEYS:
        value = lowered.get(key.lower())
        if value:
            found = parse_date(value)
            if found:
                return found
    m = _DATE_LABEL.search(fold(text[:20000]))
    if m:
        found = parse_date(m.group(1))
        if found:
            return found
    if url:
        for pattern in _URL_DATES:
            m = pattern.search(url)
            if m:
                found = _valid_date(*m.groups())
                if found:
                    return found
    return signature(text)[1]


def _name_from_run(run: str) -> str | None:
    cut = _NAME_CUT.search(run)
    if cut:
        run = run[: cut.start()]
    for end in range(len(run), 1, -1):
        if run[:end].endswith(_NAME_SUFFIXES):
            name = run[:end]
            if len(name) >= 3 and not _GENERIC.match(name) and not _PROSE_RUN.search(name):
                return name
            return None
    return None


def _stated_name(run: str) -> str | None:
    """The body a naming sentence states: the whole run must be a name, else it is a clause."""
    name = _name_from_run(run)
    return name if name == run else None


def _body_of_office(run: str) -> str:
    """The body whose office compiles the report (两城镇人民政府党政办公室 → 两城镇人民政府)."""
    office = _OFFICE_OF_BODY.fullmatch(run)
    return office.group(1) if office else run


def _contact_body(folded: str) -> str | None:
    """The body named in the report's contact sentence, when its whole run is that body and office."""
    for m in _CONTACT.finditer(folded):
        body = _CONTACT_BODY.fullmatch(m.group(1))
        name = _stated_name(body.group(1)) if body else None
        if name:
            return name
    return None


def body_agency(text: str) -> str | None:
    cleaned = fold(text[:60000])
    folded = close_cjk_gaps(cleaned)
    # A sentence's subject opens its line: that pattern reads lines closed only within themselves.
    folded_lines = _CJK_GAP_IN_LINE.sub("", cleaned)
    runs = [m.group(1) for m in _REPORT_NAMED.finditer(folded)]
    runs += [m.group(1) for m in _REPORT_PUBLISHED.finditer(folded)]
    runs += [_body_of_office(m.group(1)) for m in _COMPILED_BY.finditer(folded)]
    runs += [m.group(1) for m in _SUBJECT_OPENING.finditer(folded_lines)]
    runs += [m.group(1) for m in _SUBJECT_COMPILES.finditer(folded_lines)]
    runs += [m.group(1) for m in _NAME_YEAR_LINE.finditer(folded_lines)]
    stated = [n for run in runs if (n := _stated_name(run))]
    names = stated or [n for m in _YEAR_THEN_NAME.finditer(folded) if (n := _name_from_run(m.group(1)))]
    if not names:
        return _contact_body(folded)
    counts = Counter(names)
    return max(names, key=lambda n: (counts[n], -names.index(n)))


_PUBLISHER_KEYS = ("发布机构", "ContentSource", "contentsource", "source")


def page_publisher(meta: dict[str, str]) -> str | None:
    """The publishing body a page's meta tags or information block name (来源：…, 发布机构：…)."""
    for key in _PUBLISHER_KEYS:
        value = re.sub(r"\s+", "", fold(meta.get(key, "")))
        # Page text runs the information block's cells together (发布机构：某局成文日期：…).
        name = _name_from_run(value) if value else None
        if name:
            return name
    return None


def agency_of(title: str | None, text: str, meta: dict[str, str] | None = None) -> str | None:
    """The body's name, fullest form found, in the characters the document prints it in: names are
    read from folded text, which simplifies only the statutory words' characters (北坡鎮 would come
    out 北坡镇, 閻良區 half converted as 閻良区)."""
    name = _folded_agency(title, text, meta or {})
    return printed_form(name, title, text[:60000]) if name else None


def _folded_agency(title: str | None, text: str, meta: dict[str, str]) -> str | None:
    """The body's name as folded text gives it: the signature's when it extends the title's
    (城关镇 in the title, 某县城关镇人民政府 signing). The page's publisher comes last: a portal
    often names its own office there for every body's report."""
    signed = signature(text)[0]
    if title:
        name = title_agency(title)
        if name:
            if signed and name in signed and len(signed) > len(name):
                return signed
            if name[0] in "区县市" and len(name) > 3:
                # A district portal's title names its bodies relative to it (区教育局, 区某某中心);
                # the text's own naming sentence gives the place (福田区教育局).
                named = body_agency(text)
                if named and named.endswith(name) and len(named) > len(name):
                    return named
            return _completed_by_publisher(name, meta) or name
    return signed or body_agency(text) or page_publisher(meta)


# What a title may leave off its body's name and the page's meta tags still give
# (平潭综合实验区 in the title, Author 平潭综合实验区管委会).
_BODY_KIND = re.compile(r"(?:人民政府|管委会|管理委员会|街道办事处|办事处)")


def _completed_by_publisher(name: str, meta: dict[str, str]) -> str | None:
    """The page's publisher or author when it is the title's body with only its kind added: never
    an office (办公室) or another body, which portals put there for every page."""
    lowered = {k.lower(): v for k, v in meta.items()}
    for value in (page_publisher(meta), lowered.get("author")):
        full = re.sub(r"\s+", "", fold(value or ""))
        if full.startswith(name) and _BODY_KIND.fullmatch(full[len(name) :]):
            return full
    return None


def year_of(title: str | None, text: str, published: date | None) -> tuple[int | None, list[str]]:
    warnings: list[str] = []
    from_title = title_year(title) if title else None
    folded = arabic_years(fold(text[:60000]))
    m = _PERIOD.search(folded)
    from_period = int(next(g for g in m.groups() if g)) if m else None
    if from_title and from_period and from_title != from_period:
        warnings.append(f"title says {from_title} but the statistics period says {from_period}")
    if from_title:
        return from_title, warnings
    if from_period:
        return from_period, warnings
    years = [int(y) for y in _BODY_YEAR.findall(folded) if 2000 <= int(y) <= 2100]
    if years:
        counts = Counter(years)
        best = max(years, key=lambda y: (counts[y], -years.index(y)))
        if published and best not in (published.year - 1, published.year):
            warnings.append(f"body names {best} most but the page was published in {published.year}")
        return best, warnings
    if published:
        warnings.append("report year taken from the publication date")
        return published.year - 1, warnings
    warnings.append("report year not found")
    return None, warnings
