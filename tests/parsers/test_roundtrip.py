"""parse(render(values)) == values for every form the demo renderers produce, with random values."""

from __future__ import annotations

import random
from typing import Any

import pytest

from nianbao.demo import documents as demo
from parsers import parse_document

AGENCY = "测试县青山镇人民政府"
SEEDS = range(6)


def _content(seed: int, **kwargs: Any) -> demo.ReportContent:
    rng = random.Random(seed)
    layout = ("2019", "2021")[seed % 2]
    return demo.random_content(rng, AGENCY, 2022 + seed % 2, layout, **kwargs)


def _assert_round_trip(content: demo.ReportContent, data: bytes) -> dict[str, Any]:
    out = parse_document(data).to_dict()
    expected = demo.expected_sections(content)
    for section, table in expected.items():
        assert out[section] == table, section
    assert out["layout"] == content.layout
    assert out["year"] == content.year
    assert out["agency"] == AGENCY
    return out


@pytest.mark.parametrize("style", demo.HTML_STYLES)
@pytest.mark.parametrize("seed", SEEDS)
def test_html_styles_round_trip(style: str, seed: int) -> None:
    content = _content(seed)
    out = _assert_round_trip(content, demo.render_html_page(content, style).encode("utf-8"))
    assert out["published_at"] == content.published_at.isoformat()
    assert all(c["ok"] for c in out["checks"])


@pytest.mark.parametrize("form", [f for f in demo.TEXT_FORMS if f != "run_together"])
@pytest.mark.parametrize("seed", SEEDS)
def test_text_forms_round_trip(form: str, seed: int) -> None:
    content = _content(seed)
    _assert_round_trip(content, demo.render_text(content, form).encode("utf-8"))


@pytest.mark.parametrize("seed", SEEDS)
def test_run_together_text_reads_what_is_certain_and_flags_the_rest(seed: int) -> None:
    """Digits run together are split only when the split is unique; nothing read is wrong."""
    content = _content(seed)
    out = parse_document(demo.render_text(content, "run_together").encode("utf-8")).to_dict()
    expected = demo.expected_sections(content)
    unread = 0
    for section, table in expected.items():
        for row, cells in table.items():
            for col, value in cells.items():
                got = out[section][row][col]
                if got is None and value is not None:
                    unread += 1
                else:
                    assert got == value, (section, row, col)
    assert out["review_litigation"] == expected["review_litigation"]
    if unread:
        assert any("run together" in w for w in out["warnings"])


@pytest.mark.parametrize("seed", [0, 1])
def test_docx_and_pdf_round_trip(seed: int) -> None:
    content = _content(seed)
    _assert_round_trip(content, demo.render_docx(content))
    _assert_round_trip(content, demo.render_pdf(content))


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-16", "utf-8-sig"])
def test_text_encodings_round_trip(encoding: str) -> None:
    content = _content(3)
    _assert_round_trip(content, demo.render_text(content, "tab").encode(encoding))


def test_inconsistent_reports_fail_the_broken_rules_and_keep_the_numbers() -> None:
    for seed in range(8):
        content = _content(seed, consistent=False)
        out = _assert_round_trip(content, demo.render_html_page(content, "template").encode("utf-8"))
        failed = {c["rule"] for c in out["checks"] if not c["ok"]}
        assert set(content.broken_rules) <= failed, (content.broken_rules, out["checks"])


def test_image_only_pdf_has_no_tables_and_says_so() -> None:
    content = _content(1)
    out = parse_document(demo.render_image_only_pdf(content)).to_dict()
    assert out["active_disclosure"] is None and out["requests"] is None and out["review_litigation"] is None
    assert out["layout"] is None
    assert any("absent" in w or "no statutory tables" in w for w in out["warnings"])
