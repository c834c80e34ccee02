"""No input makes the parser raise, and huge pages stay bounded."""

from __future__ import annotations

import json
import random
import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nianbao.demo import documents as demo
from parsers import parse_document

_CONTENT = demo.random_content(random.Random(7), "某某县某某镇", 2023, "2021")
_HTML = demo.render_html_page(_CONTENT, "template").encode("utf-8")
_TEXT = demo.render_text(_CONTENT, "tab").encode("utf-8")


def _well_formed(data: bytes, **kwargs: str) -> dict:
    out = parse_document(data, **kwargs).to_dict()
    json.dumps(out, ensure_ascii=False)  # serialisable
    assert set(out) >= {"source", "title", "agency", "year", "published_at", "layout", "checks", "warnings"}
    return out


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=4000))
def test_arbitrary_bytes_never_raise(data: bytes) -> None:
    _well_formed(data)
    _well_formed(b"<html><body><table><tr><td>" + data, filename="x.html", content_type="text/html")
    _well_formed(b"%PDF-1.4\n" + data)
    _well_formed(b"PK\x03\x04" + data)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_mangled_reports_never_raise(data: st.DataObject) -> None:
    source = data.draw(st.sampled_from([_HTML, _TEXT]))
    start = data.draw(st.integers(0, len(source)))
    end = data.draw(st.integers(start, min(len(source), start + 3000)))
    junk = data.draw(st.binary(max_size=200))
    mangled = source[:start] + junk + source[end:]
    out = _well_formed(mangled)
    for section in ("active_disclosure", "requests", "review_litigation"):
        table = out[section]
        if table is not None:
            for cells in table.values():
                assert all(v is None or isinstance(v, (int, float, str)) for v in cells.values())


def test_hostile_markup_is_bounded() -> None:
    nested = b"<div>" * 20000 + "二、主动公开政府信息情况".encode() + b"</div>" * 20000
    _well_formed(nested)
    spans = b"<table>" + b'<tr><td rowspan="99999999" colspan="99999999">x</td></tr>' * 2000 + b"</table>"
    _well_formed(spans)


def test_fifty_megabyte_page_is_cut_and_warned_quickly() -> None:
    filler = ("<p>" + "政府信息公开" * 50 + "</p>\n").encode("utf-8") * 56_000
    page = _HTML.replace(b"</body>", filler + b"</body>")
    assert len(page) > 50_000_000
    started = time.process_time()  # the work done, whatever else the machine runs
    out = _well_formed(page)
    assert time.process_time() - started < 60
    assert any("cut" in w for w in out["warnings"])
    assert out["requests"] == _CONTENT.requests  # the report before the filler is still read


def test_a_grid_cell_holding_the_writers_separator_characters_keeps_the_grid() -> None:
    # A broken PDF's text may hold any character, the ones grid_text joins rows and cells with too.
    from parsers.document import TableGrid
    from parsers.tables import grid_text

    grid = TableGrid([["规\x1e章", "0", "0"], ["行政\x1f许可", "5", "5"]])
    grid.copies = frozenset({(0, 2)})
    assert grid_text(grid) == "规章\t0\n行政许可\t5\t5"
