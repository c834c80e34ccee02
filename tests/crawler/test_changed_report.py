"""A report page replaced after publication: the next crawl stores a second version and keeps the first."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from nianbao.demo.portal import SampleCounty, serve_county
from tests.crawler.test_end_to_end import rows, run_crawl


def _flat(sections: dict) -> dict[tuple[str, str, str], float]:
    """Expected values as (section, row, column) -> number, for the two-level tables."""
    out = {}
    for section, table in sections.items():
        for row, cells in (table or {}).items():
            for column, value in (cells or {}).items():
                if isinstance(value, int | float):
                    out[(section, row, column)] = float(value)
    return out


def _stored(db_url: str, report_id: int) -> dict[tuple[str, str, str], float]:
    found = rows(db_url, f"SELECT section, row_key, column_key, value FROM report_values WHERE report_id = {report_id}")
    return {(s, r, c): float(v) for s, r, c, v in found if v is not None}


def test_a_changed_report_page_becomes_version_two_and_version_one_is_kept(db_url: str, tmp_path: Path) -> None:
    county = SampleCounty.generate(seed=2024, scale=1)
    with serve_county(county, as_of=date(2024, 2, 10), timeout_delay=1.0) as running:
        registry = running.write_registry(tmp_path / "registry.yaml")
        first = run_crawl(db_url, "2024-02-10T10:00:00+08:00", "--registry", str(registry))
        assert first.returncode == 1, first.stderr  # the guarded portals fail, as they should
        running.set_as_of(date(2024, 6, 1))
        second = run_crawl(db_url, "2024-06-01T10:00:00+08:00")
        assert second.returncode == 1, second.stderr
        truth = running.ground_truth(date(2024, 6, 1), crawl_dates=[date(2024, 2, 10), date(2024, 6, 1)])

    changed = [r for r in truth["reports"] if "changed" in r["cases"] and r["visible"]]
    assert changed, "the sample county should publish a changed report"
    for report in changed:
        (url,) = [p["url"] for p in report["placements"] if p["visible"]]
        versions = rows(db_url, f"SELECT id, version, is_current FROM reports WHERE url = '{url}' ORDER BY version")
        assert [(v, bool(c)) for _id, v, c in versions] == [(1, False), (2, True)], versions
        old_expected, new_expected = (_flat(v["sections"]) for v in report["versions"])
        assert old_expected != new_expected
        old_stored, new_stored = _stored(db_url, versions[0][0]), _stored(db_url, versions[1][0])
        # Every value the parser read is the document's own; and the new version says the new numbers.
        for stored, expected in ((old_stored, old_expected), (new_stored, new_expected)):
            common = set(stored) & set(expected)
            assert len(common) >= 0.8 * len(expected), (len(common), len(expected))
            assert {k: stored[k] for k in common} == {k: expected[k] for k in common}
    assert f"{len(changed)} changed" in second.stdout, second.stdout
