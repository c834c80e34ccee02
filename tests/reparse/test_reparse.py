"""`nianbao reparse` reads stored evidence again: an improved parser fixes old rows without a crawl."""

from __future__ import annotations

import os
import random
import subprocess
import sys

from sqlalchemy import select

from nianbao.demo import documents
from storage.db import open_database
from storage.models import CheckResult, Report, ReportValue
from storage.reports import ParsedReport, record_report
from storage.snapshots import record_snapshot

DETAIL = """<html><head><meta charset="utf-8"><title>{title}</title></head><body>
<div class="article"><h1>{title}</h1><p>发布日期：2024-01-22</p>
<p>附件：<a href="/files/P020240122.pdf">{title}.pdf</a></p></div></body></html>"""


def stale(url: str, snapshot_id: int, digest: str) -> ParsedReport:
    # What an older, worse parser might have stored: one wrong value, no checks, no year.
    return ParsedReport(url=url, content_sha256=digest, title="旧标题", agency_name=None, year=None,
                        values=[("requests", "new", "total", 999, "999")], snapshot_id=snapshot_id)


def sections_of(session, report_id: int) -> dict[tuple[str, str, str], float | None]:
    rows = session.scalars(select(ReportValue).where(ReportValue.report_id == report_id)).all()
    return {(v.section, v.row_key, v.column_key): v.value for v in rows}


def flatten(sections: dict) -> dict[tuple[str, str, str], float | None]:
    flat = {}
    for section, rows in sections.items():
        for row, columns in rows.items():
            for column, value in columns.items():
                if column != "unit":
                    flat[(section, row, column)] = None if value is None else float(value)
    return flat


def test_reparse_replaces_what_an_older_parser_stored(db_url: str) -> None:
    rng = random.Random(7)
    page = documents.random_content(rng, "云溪县教育局", 2023, "2021")
    attached = documents.random_content(rng, "云溪县水利局", 2023, "2021")
    page_url, detail_url = "http://127.0.0.1:9/nb/t20240120_1.html", "http://127.0.0.1:9/nb/t20240122_2.html"
    with open_database(db_url) as session:
        html = record_snapshot(session, url=page_url, body=documents.render_html_page(page).encode("utf-8"),
                               http_status=200, content_type="text/html; charset=utf-8")
        detail = record_snapshot(session, url=detail_url, http_status=200, content_type="text/html; charset=utf-8",
                                 body=DETAIL.format(title=attached.title).encode("utf-8"))
        record_snapshot(session, url="http://127.0.0.1:9/files/P020240122.pdf", body=documents.render_pdf(attached),
                        http_status=200, content_type="application/pdf")
        record_report(session, stale(page_url, html.id, "a"))
        record_report(session, stale(detail_url, detail.id, "b"))
    env = {**os.environ, "NIANBAO_DB": db_url}
    done = subprocess.run([sys.executable, "-m", "nianbao", "reparse"], capture_output=True, text=True, env=env,
                          timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    assert "2 reports read again, 2 changed, 0 without stored evidence" in done.stdout
    with open_database(db_url) as session:
        reports = {r.url: r for r in session.scalars(select(Report))}
        for url, content in ((page_url, page), (detail_url, attached)):
            report = reports[url]
            assert (report.year, report.agency_name, report.layout, report.has_tables) == (
                2023, content.agency, "2021", True)
            assert report.title == "旧标题"  # the list's title is a crawl fact, kept
            assert sections_of(session, report.id) == flatten(documents.expected_sections(content))
            rules = set(session.scalars(select(CheckResult.rule).where(CheckResult.report_id == report.id)))
            assert "requests.balance" in rules
        assert reports[detail_url].published_at.isoformat() == "2024-01-22"
    again = subprocess.run([sys.executable, "-m", "nianbao", "reparse"], capture_output=True, text=True, env=env,
                           timeout=300, check=False)
    assert "2 reports read again, 0 changed" in again.stdout
