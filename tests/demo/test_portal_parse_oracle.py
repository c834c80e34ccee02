"""Every report the sample county serves parses to the sections its ground truth records."""

from __future__ import annotations

from typing import Any

from parsers import parse_document
from tests.demo.portal_http import fetch


def _flat(sections: dict[str, Any] | None) -> dict[tuple[str, ...], Any]:
    flat: dict[tuple[str, ...], Any] = {}
    for section, rows in (sections or {}).items():
        if rows is None:
            flat[(section,)] = None
            continue
        for row, cells in rows.items():
            for column, value in cells.items():
                flat[(section, row, column)] = value
    return flat


def _differences(expected: dict[str, Any], report) -> list[str]:
    got = _flat({k: getattr(report, k) for k in expected})
    want = _flat(expected)
    return [f"{'.'.join(key)}: expected {want.get(key)!r}, parsed {got.get(key, 'absent')!r}"
            for key in sorted(set(want) | set(got), key=str) if want.get(key) != got.get(key, "absent")]


def test_every_served_report_parses_to_its_ground_truth(running):
    truth = running.ground_truth()
    mismatches: dict[str, list[str]] = {}
    checked = 0
    forms = set()
    for entry in truth["reports"]:
        placement = entry["placements"][0]
        if not placement["visible"]:
            continue
        url = placement["attachment_url"] or placement["url"]
        page = fetch(url)
        assert page.status == 200, url
        report = parse_document(page.body, source=url, url=url, content_type=page.headers["Content-Type"])
        checked += 1
        forms.add(entry["form"])
        label = f"{entry['id']} {entry['form']} {entry['title']} <{url}>"
        if entry["expected"] is None:  # the scanned PDF: no table may be invented
            if report.has_tables:
                mismatches[label] = ["a scan without text yielded tables"]
            continue
        problems = _differences(entry["expected"], report)
        failed = sorted({check.rule for check in report.checks if not check.ok})
        current = [v for v in entry["versions"] if v["start"] <= truth["as_of"]][-1]
        if failed != sorted(current["broken_rules"]):
            problems.append(f"failed checks: expected {sorted(current['broken_rules'])}, parsed {failed}")
        if report.year != entry["year"]:
            problems.append(f"year: expected {entry['year']}, parsed {report.year}")
        if problems:
            mismatches[label] = problems[:6] + ([f"... {len(problems) - 6} more"] if len(problems) > 6 else [])
    assert checked >= 150 and forms == {"html", "pdf", "docx", "doc", "image_pdf"}
    report_text = "\n".join(f"{label}\n    " + "\n    ".join(p) for label, p in mismatches.items())
    assert not mismatches, f"{len(mismatches)} of {checked} reports differ:\n{report_text}"
