"""The C character scans (parsers/text_scans.pyx) give exactly what folding's regular expressions give."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from parsers import folding

scans = folding._scans_in_c
_SPACES = [chr(c) for c in range(0x110000) if chr(c).isspace()]
_ALPHABET = st.one_of(
    st.sampled_from(sorted(folding._REPLACEMENT)),
    st.sampled_from(_SPACES),
    st.sampled_from(["中", "文", "\u4e00", "\u9fff", "\u3400", "\ua000", "1", "a", "（", "，", "。", "\U0002a6a5", "é"]),
    st.characters(),
)
_TEXT = st.lists(_ALPHABET, max_size=60).map("".join)


def test_the_package_is_built_with_the_c_scans() -> None:
    from parsers import text_scans

    assert scans is text_scans


@settings(max_examples=1500, deadline=None)
@given(_TEXT)
def test_characters_fold_as_the_regular_expression_folds_them(text: str) -> None:
    assert folding.fold_chars(text) == folding.python_fold_chars(text)


@settings(max_examples=1500, deadline=None)
@given(_TEXT)
def test_cjk_gaps_close_as_the_regular_expression_closes_them(text: str) -> None:
    assert folding.close_cjk_gaps(text) == folding.python_close_cjk_gaps(text)


def test_every_folded_character_and_every_space_between_cjk_characters() -> None:
    every = "".join(folding._REPLACEMENT)
    assert folding.fold_chars(every) == folding.python_fold_chars(every)
    assert folding.fold_chars(every) != every
    gaps = "".join(f"中{space}{space}文" for space in _SPACES) + "中 1 文 \u9fff\t\u4e00 x"
    assert folding.close_cjk_gaps(gaps) == folding.python_close_cjk_gaps(gaps)
    assert folding.close_cjk_gaps(gaps).startswith("中文中文")
    text = "没有要折叠的字"
    assert folding.fold_chars(text) is text  # nothing to fold: the text itself, not a copy


_PINYIN_TEXT = st.lists(
    st.sampled_from(["區", "规", "\u3400", "\u9fff", "a", "q", "ü", "ū", "ǖ", "é", "(", "（", ")", "）", "A", " ", "1"]),
    max_size=40,
).map("".join)


@settings(max_examples=3000, deadline=None)
@given(st.one_of(_PINYIN_TEXT, _TEXT))
def test_pinyin_drops_as_the_regular_expression_drops_it(text: str) -> None:
    assert folding.drop_pinyin(text) == folding.python_drop_pinyin(text)


def test_pinyin_annotations_of_every_length_go() -> None:
    for letters in range(7):
        for after in range(7):
            text = "收費(" + "f" * letters + "è" + "i" * after + ")章區（qū）"
            assert folding.drop_pinyin(text) == folding.python_drop_pinyin(text)
    assert folding.drop_pinyin("收費(fèi)規(guī)章") == "收費規章"
    assert folding.drop_pinyin("微信(app)") == "微信(app)"
