"""Format extraction on real files: grids with merged cells, limits, damaged and mislabelled input."""

from __future__ import annotations

import io
import json
import random
import resource
import time
import zipfile
from pathlib import Path

import pytest

from nianbao.demo.documents import (
    active_table,
    random_content,
    render_docx,
    render_html_page,
    render_image_only_pdf,
    render_pdf,
    render_text,
    requests_table,
    review_table,
    to_grid,
)
from parsers.doc import antiword_tables, extract_doc
from parsers.docx import extract_docx
from parsers.pdf import MAX_PAGES, extract_pdf
from parsers.sniff import sniff_kind
from tests.parsers.zips import zip_of

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "documents"
SHARED = ROOT.parent / "shared"
PAGE_FIXTURES = ROOT / "tests" / "parsers" / "fixtures"
HUAIAN_PDF = SHARED / "samples" / "huaian-city-2024.pdf"
TEMPLATE_DOCX = SHARED / "spec" / "2021_format_template.docx"


def content(layout: str = "2021", seed: int = 1, **options: object):
    return random_content(random.Random(seed), "新密市岳村镇", 2023, layout, **options)  # type: ignore[arg-type]


def many_page_pdf(pages: int) -> bytes:
    """A valid PDF of ``pages`` pages sharing one content stream, written by hand (fast at any size)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Count %d /Kids [%s] >>"
        % (pages, b" ".join(b"%d 0 R" % (5 + i) for i in range(pages))),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    stream = b"BT /F1 12 Tf 72 720 Td (page text) Tj ET"
    objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream))
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents 4 0 R >>"
    objects += [page] * pages
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


# --- sniffing -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "filename", "content_type", "kind"),
    [
        (b"%PDF-1.7\n...", "report.doc", "text/html", "pdf"),
        (b"\r\n%PDF-1.4\n", None, None, "pdf"),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64 + "WordDocument".encode("utf-16-le"),
            "a.pdf",
            None,
            "doc",
        ),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64 + "Workbook".encode("utf-16-le"),
            "a.xls",
            None,
            "unknown",
        ),
        (b"{\\rtf1\\ansi hello}", "report.doc", None, "doc"),
        (b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", "report.pdf", "application/pdf", "unknown"),
        (b"\xff\xd8\xff\xe0\0\x10JFIF", None, None, "unknown"),
        (b"GIF89a\x01\0", None, None, "unknown"),
        (b"", "a.txt", None, "unknown"),
        (b"   \n\t", "a.txt", None, "unknown"),
        (b"<!DOCTYPE html><html><body>x</body></html>", "report.pdf", "application/pdf", "html"),
        ("<html><head><meta charset=gbk><title>年度报告</title></head>".encode("gbk"), None, None, "html"),
        ('<div class="TRS_Editor"><p>一、总体情况</p></div>'.encode("gb18030"), "a.txt", None, "html"),
        ("\ufeff<html><body>报告</body></html>".encode("utf-16"), None, None, "html"),
        ("一、总体情况\n2023年，我镇……".encode("utf-16"), None, None, "text"),
        ("一、总体情况\n2023年，我镇……".encode("utf-16-le"), None, None, "text"),
        ("一、总体情况\n行政许可\t12\n".encode("gbk"), None, None, "text"),
        ("一、总体情况\n行政许可\t12\n".encode(), "report.txt", None, "text"),
        ("一、总体情况\n行政许可\t12\n".encode(), "page.shtml", None, "html"),
        ("一、总体情况".encode(), None, "text/html; charset=utf-8", "html"),
        (bytes(range(256)) * 4, "x.txt", None, "unknown"),
    ],
)
def test_sniff_kind_from_bytes_first(
    data: bytes, filename: str | None, content_type: str | None, kind: str
) -> None:
    assert sniff_kind(data, filename=filename, content_type=content_type) == kind


@pytest.mark.parametrize("shift", range(3))
@pytest.mark.parametrize("encoding", ["utf-8", "gb18030"])
def test_sniff_prefix_ending_inside_a_character_is_still_text(shift: int, encoding: str) -> None:
    # Long archived texts: the sniffed prefix ends wherever it ends, often inside a CJK character
    # (UTF-8 bytes cut there once fell through to a GB18030 reading full of replacement marks).
    report = (PAGE_FIXTURES / "archiver_saved_page_field_labels_glued_enumerators_stray_spaces_2021.txt").read_text("utf-8")
    body = ("a" * shift + report * 5).encode(encoding)
    assert len(body) > 8192
    assert all(sniff_kind(body[: 8192 + cut], "page.txt") == "text" for cut in range(4))


def test_sniff_zip_members_decide_docx() -> None:
    assert sniff_kind(render_docx(content()), "x.bin") == "docx"
    xlsx = io.BytesIO()
    with zipfile.ZipFile(xlsx, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
    assert sniff_kind(xlsx.getvalue(), "report.docx") == "unknown"
    truncated = render_docx(content())[:3000]
    assert sniff_kind(truncated, None) in ("docx", "unknown")
    assert sniff_kind(SHARED.joinpath("samples/huaian-city-2024.pdf").read_bytes(), "x.html") == "pdf"
    assert sniff_kind(TEMPLATE_DOCX.read_bytes()) == "docx"
    assert sniff_kind((FIXTURES / "doc-2021-township.doc").read_bytes(), "x.pdf") == "doc"


def test_sniff_rendered_forms() -> None:
    report = content()
    assert sniff_kind(render_html_page(report, "trs_word").encode()) == "html"
    assert sniff_kind(render_text(report, "tab").encode("gb18030")) == "text"
    assert sniff_kind(render_pdf(report)) == "pdf"


# --- PDF ----------------------------------------------------------------------------------------


def test_real_pdf_tables_are_true_grids_across_page_breaks() -> None:
    document = extract_pdf(HUAIAN_PDF.read_bytes())
    assert document.warnings == []
    assert document.title == "政府信息公开工作年度报告"
    assert document.meta["CreationDate"] == "2025-02-25 10:02:50"
    assert [(len(grid), len(grid[0])) for grid in document.tables] == [(14, 4), (28, 10), (4, 15)]
    assert all(len(row) == len(grid[0]) for grid in document.tables for row in grid)
    requests = document.tables[1]
    assert requests[3] == ["一、本年新收政府信息公开申请数量"] * 3 + [
        "3001",
        "53",
        "0",
        "0",
        "61",
        "4",
        "3119",
    ]
    # The merged 三、本年度办理结果 label continues onto the next page.
    assert [row[0] for row in requests].count("三、本年度办理结果") == 22
    assert requests[-1][3:] == ["103", "0", "0", "0", "0", "0", "103"]
    # Section 二 starts on one page and ends on the next, two columns narrower there.
    assert document.tables[0][-1] == ["行政事业性收费"] + ["96171.6"] * 3
    assert "淮安市人民政府" in document.text and "2024 年政府信息公开工作年度报告" in document.text


@pytest.mark.parametrize("layout", ["2019", "2021"])
def test_rendered_pdf_round_trips_to_the_same_grids(layout: str) -> None:
    for seed in range(3):
        report = content(layout, seed)
        document = extract_pdf(render_pdf(report))
        assert document.warnings == []
        assert document.title == report.title
        expected = [
            to_grid(active_table(report)),
            to_grid(requests_table(report)),
            to_grid(review_table(report)),
        ]
        assert document.tables == expected
        assert f"{report.requests['new']['total']}件" in document.text


def test_ten_thousand_page_pdf_is_cut_short_with_a_warning() -> None:
    data = many_page_pdf(10_000)
    # Process time: the bound is on the work done, which other load on the machine does not change.
    started = time.process_time()
    document = extract_pdf(data)
    elapsed = time.process_time() - started
    assert elapsed < 20
    assert any("10000 pages" in warning for warning in document.warnings)
    assert document.text.count("page text") == MAX_PAGES
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    assert peak_mb < 512


def test_image_only_pdf_gives_empty_text_and_a_warning() -> None:
    document = extract_pdf(render_image_only_pdf(content()))
    assert document.text == ""
    assert document.tables == []
    assert any("no extractable text" in warning and "scanned" in warning for warning in document.warnings)


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.4\n",
        b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj trailer << /Root 1 0 R >>\n%%EOF",
        b"not a pdf at all",
        b"",
    ],
)
def test_corrupt_pdf_is_a_warning_not_an_exception(data: bytes) -> None:
    document = extract_pdf(data)
    assert document.kind == "pdf"
    assert document.text == ""
    assert document.warnings


def test_truncated_pdf_keeps_what_it_can() -> None:
    data = render_pdf(content())
    document = extract_pdf(data[: len(data) // 2])
    assert document.kind == "pdf"
    assert document.warnings or document.text


def test_encrypted_pdf_is_a_warning() -> None:
    from reportlab.lib import pdfencrypt
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, encrypt=pdfencrypt.StandardEncryption("secret", canPrint=0))
    page.drawString(72, 720, "hidden 2023")
    page.save()
    document = extract_pdf(buffer.getvalue())
    assert "hidden" not in document.text
    assert any("encrypted" in warning or "could not be read" in warning for warning in document.warnings)


# --- DOCX ---------------------------------------------------------------------------------------


def test_template_docx_grids_follow_its_merges() -> None:
    document = extract_docx(TEMPLATE_DOCX.read_bytes())
    assert document.warnings == []
    assert [(len(grid), len(grid[0])) for grid in document.tables] == [(14, 4), (28, 10), (4, 15)]
    requests = document.tables[1]
    assert requests[2][3:9] == ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
    assert requests[1][4:9] == ["法人或其他组织"] * 5  # gridSpan
    assert requests[2][0] == requests[0][0]  # vMerge continued
    assert [row[1] for row in requests[7:15]] == ["（三）不予公开"] * 8
    review = document.tables[2]
    assert review[2][:5] == review[1][:5] == ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    # Paragraphs and tables in document order.
    text = document.text
    assert (
        text.index("二、主动公开政府信息情况")
        < text.index("第二十条第（一）项")
        < text.index("三、收到和处理")
    )


@pytest.mark.parametrize("layout", ["2019", "2021"])
def test_rendered_docx_round_trips_to_the_same_grids(layout: str) -> None:
    report = content(layout, 4)
    document = extract_docx(render_docx(report))
    assert document.warnings == []
    assert document.title == report.title
    assert document.tables == [
        to_grid(active_table(report)),
        to_grid(requests_table(report)),
        to_grid(review_table(report)),
    ]


def test_zip_bomb_docx_is_refused_before_inflating() -> None:
    real = zipfile.ZipFile(io.BytesIO(render_docx(content())))
    members = {name: real.read(name) for name in real.namelist()}
    members["word/media/padding.bin"] = b"\0" * (300 * 1024 * 1024)  # 300 MB of zeros → ~300 KB
    bomb = zip_of(members)
    assert len(bomb) < 2 * 1024 * 1024
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.process_time()  # the work done, whatever else the machine runs
    document = extract_docx(bomb)
    assert time.process_time() - started < 5
    assert document.text == "" and document.tables == []
    assert any("zip bomb" in warning for warning in document.warnings)
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert grown_mb < 100


def test_high_ratio_body_is_refused() -> None:
    members = {
        "[Content_Types].xml": b"<Types/>",
        "word/document.xml": b"<w:document>" + b" " * (50 * 1024 * 1024),
    }
    document = extract_docx(zip_of(members))
    assert any("ratio" in warning for warning in document.warnings)


@pytest.mark.parametrize(
    "data",
    [b"PK\x03\x04garbage", b"", b"%PDF-1.4 not a docx", zip_of({"word/other.xml": b"<x/>"})],
)
def test_broken_docx_is_a_warning(data: bytes) -> None:
    document = extract_docx(data)
    assert document.kind == "docx" and document.text == "" and document.warnings


def test_docx_with_malformed_body_xml_is_a_warning() -> None:
    real = zipfile.ZipFile(io.BytesIO(render_docx(content())))
    members = {name: real.read(name) for name in real.namelist()}
    members["word/document.xml"] = b"<w:document><unclosed>"
    document = extract_docx(zip_of(members))
    assert document.warnings and document.text == ""


# --- DOC ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("stem", ["doc-2021-township", "doc-2019-county", "doc-2021-zero"])
def test_doc_fixture_text_holds_every_table_value_in_order(stem: str) -> None:
    expected = json.loads((FIXTURES / f"{stem}.json").read_text(encoding="utf-8"))
    document = extract_doc((FIXTURES / f"{stem}.doc").read_bytes())
    assert document.kind == "doc"
    assert document.warnings == []
    lines = [line.strip() for line in document.text.splitlines() if line.strip()]
    start = lines.index("一、本年新收政府信息公开申请数量")
    numbers = [line for line in lines[start:] if line.isdigit()]
    new_row = [str(expected["requests"]["new"][key]) for key in expected["requests"]["new"]]
    assert numbers[:7] == new_row
    review = [str(value) for group in expected["review_litigation"].values() for value in group.values()]
    assert numbers[-15:] == review
    assert f"{expected['agency']}{expected['year']}年政府信息公开工作年度报告" in lines[0]


def test_doc_garbage_and_mislabelled_files_are_warnings() -> None:
    for data in (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, b"plain words, not word", b""):
        document = extract_doc(data)
        assert document.kind == "doc"
        assert document.warnings


def test_doc_without_any_tool_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    # An empty PATH is the real condition of a machine without antiword/catdoc.
    monkeypatch.setenv("PATH", "/nonexistent")
    document = extract_doc(b"{\\rtf1\\ansi hello}")
    assert any("neither antiword nor catdoc" in warning for warning in document.warnings)


def test_antiword_table_lines_become_grids() -> None:
    text = (
        "二、主动公开政府信息情况\n\n"
        "|第二十条第（一）项                          |\n"
        "|信息内容   |本年制发件数|本年废止件数|现行有效件数|\n"
        "|规章       |1           |0           |30          |\n"
        "|行政规范性 |35          |1           |374         |\n"
        "|文件       |            |            |            |\n"
        "\n三、收到和处理政府信息公开申请情况\n"
    )
    grids = antiword_tables(text)
    assert grids == [
        [
            ["第二十条第（一）项", "", "", ""],
            ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
            ["规章", "1", "0", "30"],
            ["行政规范性文件", "35", "1", "374"],
        ]
    ]
