"""Character folding: the variants reports write the same statutory words and numbers in.

Full-width digits and separators become ASCII; traditional forms of the characters used in the
statutory labels and headings become simplified (reports from Hong Kong-style CMS templates and
OCR output use them). Zero-width characters, byte-order marks and carriage returns are dropped.
"""

from __future__ import annotations

import re
from functools import lru_cache

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
_TRADITIONAL_CHARS = "規範許處罰強費開請數結轉總計複議訴訟維審糾關機國際構組織務調權益類資訊報進統與經門財產稱證應當現發廢繼續辦據實並對認確製廳區縣鎮鄉項這個條萬額號會員單書錄護險為無屬獲補後內過執詢訪舉業廣連網頁從歸檔諮償時間畫專欄幹獨決該說標準則電話郵編參領導負責設層級聯繫監問題屆稅價營銷衛環濟優質體顯軍隊戶復祕穩繳納採購減況動態線聞佈"
_SIMPLIFIED_CHARS = "规范许处罚强费开请数结转总计复议诉讼维审纠关机国际构组织务调权益类资讯报进统与经门财产称证应当现发废继续办据实并对认确制厅区县镇乡项这个条万额号会员单书录护险为无属获补后内过执询访举业广连网页从归档咨偿时间画专栏干独决该说标准则电话邮编参领导负责设层级联系监问题届税价营销卫环济优质体显军队户复秘稳缴纳采购减况动态线闻布"
_TRADITIONAL = str.maketrans(_TRADITIONAL_CHARS, _SIMPLIFIED_CHARS)
_FOLD = {**_TRADITIONAL, **_FULLWIDTH}
_REPLACEMENT = {chr(k): chr(v) if isinstance(v, int) else (v or "") for k, v in _FOLD.items()}
# A regex scan finds the few characters to replace several times faster than str.translate with
# a dict walks every character (most report text needs no folding at all).
_TO_FOLD = re.compile("[" + "".join(re.escape(ch) for ch in _REPLACEMENT) + "]")


def _replace(match: re.Match[str]) -> str:
    return _REPLACEMENT[match.group()]


# Pinyin some sites print after a character in brackets (規(guī)章, 收費(fèi)): it splits the statutory
# labels, so it goes. Only a syllable with a tone mark right after a CJK character is pinyin, never
# an English word or code in brackets (微信(app)). The pattern leads with the bracket, which the
# engine skips to in C, and looks back for the character.
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
_PINYIN = re.compile(rf"[(（](?<=[\u3400-\u9fff][(（])[a-zü]{{0,5}}[{_TONED}][a-zü]{{0,5}}[)）]")


def python_fold_chars(text: str) -> str:
    """The characters of ``_REPLACEMENT`` replaced, by the regular expression: where the C scans
    are not built, and their reference."""
    return _TO_FOLD.sub(_replace, text)


def python_close_cjk_gaps(text: str) -> str:
    return _CJK_GAP.sub("", text)


try:
    from parsers import text_scans as _scans_in_c
except ImportError:  # built without a C compiler: the regular expressions serve
    _scans_in_c = None

# One bit per code point below 0x10000 for the C scan, with what each character folds to.
_FOLD_BITMAP = bytearray(8192)
for _ch in _REPLACEMENT:
    assert ord(_ch) < 0x10000  # the folded characters are all in the Basic Multilingual Plane
    _FOLD_BITMAP[ord(_ch) >> 3] |= 1 << (ord(_ch) & 7)
_FOLD_BITMAP_BYTES = bytes(_FOLD_BITMAP)
_FOLD_TABLE = {ord(k): v for k, v in _REPLACEMENT.items()}


def fold_chars(text: str) -> str:
    if _scans_in_c is None:
        return python_fold_chars(text)
    return _scans_in_c.translate_chars(text, _FOLD_BITMAP_BYTES, _FOLD_TABLE)  # type: ignore[no-any-return]


@lru_cache(maxsize=32)  # a document's text is folded by several readings (checks, agency, dates)
def fold(text: str) -> str:
    """Full-width digits and separators to ASCII, traditional label characters to simplified,
    pinyin annotations after characters removed."""
    return fold_chars(drop_pinyin(text))


def drop_pinyin(text: str) -> str:
    """The text without the pinyin annotations a mirror prints after its characters (區(qū) → 區).

    It is also fold() of a text made of fold()'s output (joined, reordered, characters taken
    out): its characters are folded already (no output of the table folds again), so only a
    pinyin annotation that a removed character or line break hid from the first pass can be left.
    """
    if _scans_in_c is None:
        return python_drop_pinyin(text)
    return _scans_in_c.drop_pinyin(text, _TONED)  # type: ignore[no-any-return]


def python_drop_pinyin(text: str) -> str:
    return _PINYIN.sub("", text)


# Whitespace between two CJK characters (a line or cell break inside a phrase). The pattern leads
# with the whitespace and looks back for the CJK character: a leading lookbehind would be tried at
# every position of the text, a leading class lets the engine skip to the candidates in C.
_CJK_GAP = re.compile(r"\s(?<=[\u4e00-\u9fff]\s)\s*(?=[\u4e00-\u9fff])")


def close_cjk_gaps(text: str) -> str:
    """The text without whitespace between two CJK characters."""
    if _scans_in_c is None:
        return python_close_cjk_gaps(text)
    return _scans_in_c.close_cjk_gaps(text)  # type: ignore[no-any-return]


_CN_YEAR_DIGITS = str.maketrans("〇○零ＯO一二三四五六七八九", "00000123456789")
_CN_YEAR = re.compile(r"二[〇○零ＯO一二三四五六七八九]{3}(?=\s*年)")


def arabic_years(text: str) -> str:
    """Years written in Chinese numerals (二〇二三年) as digits (2023年)."""
    if "二" not in text:
        return text
    return _CN_YEAR.sub(lambda m: m.group().translate(_CN_YEAR_DIGITS), text)


# Each simplified character the folding produces, with the forms it folds from (复: 複, 復).
_PRINTED_FORMS: dict[str, str] = {}
for _traditional, _simplified in zip(_TRADITIONAL_CHARS, _SIMPLIFIED_CHARS, strict=True):
    _PRINTED_FORMS[_simplified] = _PRINTED_FORMS.get(_simplified, _simplified) + _traditional


def printed_form(name: str, *sources: str | None) -> str:
    """``name``, read from folded text, in the characters the first source holding it prints it
    in (北坡鎮, not the folded 北坡镇): a body's name is given as the document writes it, never
    half converted (fold turns only the statutory words' characters). ``name`` itself when no
    source holds it, a line or cell break inside it allowed."""
    if not any(ch in _PRINTED_FORMS for ch in name):
        return name
    # Between two characters: a line break, or the pinyin some mirrors print (新榮區(qū)交通).
    between = rf"(?:\s|{_PINYIN.pattern})*"
    pattern = re.compile(
        between.join(f"[{_PRINTED_FORMS[ch]}]" if ch in _PRINTED_FORMS else re.escape(ch) for ch in name)
    )
    for source in sources:
        found = pattern.search(source) if source else None
        if found:
            return "".join(drop_pinyin(found.group()).split())
    return name
