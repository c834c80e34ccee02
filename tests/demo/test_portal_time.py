"""The portals answer "as of" a date; the same running server crawled on 2024-02-10 and 2024-06-01."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from nianbao.demo.portal import RunningCounty, serve_county
from tests.demo.conftest import FIRST_CRAWL, SECOND_CRAWL
from tests.demo.portal_http import fetch


@pytest.fixture()
def moving(county) -> Iterator[RunningCounty]:
    with serve_county(county, as_of=FIRST_CRAWL, timeout_delay=0.5) as served:
        yield served


def _case(truth, case: str) -> dict:
    return next(r for r in truth["reports"] if case in r["cases"])


def _status(truth, agency_id: str, year: int) -> dict:
    return next(s for s in truth["statuses"] if s["agency_id"] == agency_id and s["year"] == year)


def _column_urls(running: RunningCounty, column_path: str) -> set[str]:
    urls: set[str] = set()
    first = running.base_urls["county"] + column_path
    index = 0
    while True:
        page = fetch(first if index == 0 else f"{first}index_{index}.html")
        if page.status == 404:
            return urls
        urls |= set(page.list_links("list"))
        index += 1


def test_items_appear_and_disappear_with_the_clock(moving):
    early = moving.ground_truth(FIRST_CRAWL)
    withdrawn, backdated, late = (_case(early, c) for c in ("withdrawn", "backdated", "late"))
    listed_early = _column_urls(moving, "/zwgk/zfxxgknb/bmnb/")
    assert fetch(withdrawn["urls"][0]).status == 200 and withdrawn["urls"][0] in listed_early
    for report in (backdated, late):
        assert fetch(report["urls"][0]).status == 404 and report["urls"][0] not in listed_early

    moving.set_as_of(SECOND_CRAWL)
    listed_late = _column_urls(moving, "/zwgk/zfxxgknb/bmnb/")
    assert fetch(withdrawn["urls"][0]).status == 404 and withdrawn["urls"][0] not in listed_late
    for report in (backdated, late):
        assert fetch(report["urls"][0]).status == 200 and report["urls"][0] in listed_late
    # The backdated report's page and URL still declare a date before the deadline.
    assert backdated["placements"][0]["declared_date"] <= "2024-01-31"
    assert backdated["placements"][0]["appear_date"] > "2024-01-31"


def test_changed_report_serves_its_new_version_with_new_validators(moving):
    truth = moving.ground_truth(FIRST_CRAWL)
    changed = _case(truth, "changed")
    assert len(changed["versions"]) == 2 and not changed["versions"][0]["consistent"]
    url = changed["urls"][0]
    before = fetch(url)
    moving.set_as_of(SECOND_CRAWL)
    assert fetch(url, headers={"If-None-Match": before.headers["ETag"]}).status == 200
    after = fetch(url)
    assert after.body != before.body
    assert after.headers["Last-Modified"] != before.headers["Last-Modified"]
    later = moving.ground_truth(SECOND_CRAWL)
    assert _case(later, "changed")["expected"] == changed["versions"][1]["sections"]
    total = str(changed["versions"][1]["sections"]["requests"]["new"]["total"])
    assert total in after.text


def test_statuses_follow_the_contract_at_both_dates(moving):
    early = moving.ground_truth(FIRST_CRAWL)
    ids = {case: _case(early, case)["agency_id"] for case in ("withdrawn", "backdated", "no_date", "changed")}
    late_id = _case(moving.county.ground_truth(SECOND_CRAWL), "late")["agency_id"]
    assert _status(early, late_id, 2023)["status"] == "missing"
    assert _status(early, ids["backdated"], 2023)["status"] == "missing"
    assert _status(early, ids["withdrawn"], 2023)["status"] == "on_time"
    assert _status(early, "yunxi-gov", 2023)["status"] == "pending"
    assert _status(early, "yunxi-gov", 2023)["deadline"] == "2024-03-31"
    # A township held to a local 06-30 rule has not published yet on either date.
    local = _case(moving.county.ground_truth(date(2024, 7, 1)), "pending")["agency_id"]
    assert _status(early, local, 2023)["status"] == "pending"
    assert _status(early, local, 2023)["deadline"] == "2024-06-30"
    assert _status(early, local, 2022)["deadline"] == "2023-06-30"
    undated = _status(early, ids["no_date"], 2023)
    # No declared date: judged from the first crawl that saw it (2024-02-10, ten days late).
    assert undated["status"] == "late" and undated["published_at"] is None and undated["days_late"] == 10
    assert undated["judged_on"] == "first_seen_at"
    assert {"kind": "inconsistent", "agency_id": ids["changed"], "year": 2023} in early["alerts"]
    assert max(s["year"] for s in early["statuses"]) == 2023

    moving.set_as_of(SECOND_CRAWL)
    later = moving.ground_truth(SECOND_CRAWL)
    assert later["crawl_dates"] == [FIRST_CRAWL.isoformat(), SECOND_CRAWL.isoformat()]
    late = _status(later, late_id, 2023)
    assert late["status"] == "late" and late["published_at"] == "2024-03-05" and late["days_late"] == 34
    assert _status(later, ids["withdrawn"], 2023)["status"] == "withdrawn"
    assert _status(later, ids["backdated"], 2023)["status"] == "on_time"
    assert _status(later, "yunxi-gov", 2023)["status"] == "on_time"
    assert _status(later, local, 2023)["status"] == "pending"
    assert not [a for a in later["alerts"] if a["agency_id"] == local and a["year"] == 2023]
    # Published on 2024-06-20: on time by its own rule, though long after the statutory 01-31.
    after = moving.county.ground_truth(date(2024, 7, 1), crawl_dates=[SECOND_CRAWL])
    assert _status(after, local, 2023)["status"] == "on_time"
    assert _status(after, local, 2023)["published_at"] == "2024-06-20"
    assert _status(later, ids["no_date"], 2023)["days_late"] == 10
    kinds = {(a["agency_id"], a["kind"]) for a in later["alerts"] if a["year"] == 2023}
    assert (ids["backdated"], "backdated") in kinds
    assert (ids["withdrawn"], "withdrawn") in kinds
    assert (late_id, "late") in kinds
    assert (ids["changed"], "inconsistent") not in kinds  # the new version adds up
    raised = {(a["agency_id"], a["kind"]): a["raised_on"] for a in later["alerts_raised"] if a["year"] == 2023}
    assert raised[(ids["backdated"], "missing")] == "2024-02-10"
    assert raised[(ids["backdated"], "backdated")] == "2024-06-01"


def test_one_crawl_only_cannot_see_what_happened_in_between(county):
    # Crawled only on 2024-06-01: the withdrawn report was never seen, the backdated one looks on time.
    truth = county.ground_truth(SECOND_CRAWL)
    withdrawn = _case(truth, "withdrawn")["agency_id"]
    backdated = _case(truth, "backdated")["agency_id"]
    assert _status(truth, withdrawn, 2023)["status"] == "missing"
    assert _status(truth, backdated, 2023)["status"] == "on_time"
    assert not [a for a in truth["alerts"] if a["kind"] == "backdated"]


def test_request_log_records_method_path_and_host(moving):
    fetch(moving.base_urls["county"] + "/robots.txt")
    fetch(moving.base_urls["xxgk"] + "/module/web/jpage/dataproxy.jsp?startrecord=1", data=b"x=1")
    log = moving.request_log
    assert ("GET", "/robots.txt", moving.host_of("county")) in log
    assert ("POST", "/module/web/jpage/dataproxy.jsp?startrecord=1", moving.host_of("xxgk")) in log
