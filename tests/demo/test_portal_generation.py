"""The generator: deterministic, fast, realistic in size and variety; the registry it writes."""

from __future__ import annotations

import json
import re
import time
from collections import Counter
from datetime import date

import yaml

from nianbao.demo.portal import SampleCounty

BASES = {k: f"http://127.0.0.1:{9000 + i}" for i, k in
         enumerate(["county", "xxgk", "gkmlpt", "towns", "waf", "jsl", "slow", "flaky", "mirror"])}


def _truth_json(county: SampleCounty, day: date) -> str:
    return json.dumps(county.ground_truth(day, BASES), ensure_ascii=False, sort_keys=True)


def test_generation_is_deterministic_and_fast():
    # Process time: the work done, whatever else the machine runs.
    started = time.process_time()
    first = SampleCounty.generate(seed=2024)
    elapsed = time.process_time() - started
    truth_started = time.process_time()
    first_truth = _truth_json(first, date(2024, 6, 1))
    truth_elapsed = time.process_time() - truth_started
    print(f"generate: {elapsed:.3f}s, ground truth: {truth_elapsed:.3f}s")
    assert elapsed < 3 and truth_elapsed < 3
    assert _truth_json(SampleCounty.generate(seed=2024), date(2024, 6, 1)) == first_truth
    assert _truth_json(SampleCounty.generate(seed=7), date(2024, 6, 1)) != first_truth


def test_county_has_the_size_and_variety_of_a_real_one(county):
    bodies = county.catalog.bodies
    levels = Counter(b.level for b in bodies if b.in_registry)
    assert levels["county_government"] == 1 and levels["county_department"] >= 18
    assert levels["township"] + levels["subdistrict"] >= 14 and levels["subdistrict"] >= 3
    assert any(not b.in_registry for b in bodies)
    reports = county.reports
    assert len(reports) >= 200
    assert {r.year for r in reports} == set(range(2019, 2025))
    assert Counter(r.form for r in reports).keys() == {"html", "pdf", "docx", "doc", "image_pdf"}
    assert any(r.layout == "2019" and r.year >= 2021 for r in reports)
    assert all(r.layout == "2019" for r in reports if r.year <= 2020)
    assert 3 <= sum(not r.versions[0].consistent for r in reports) <= 30
    titles = [r.title for r in reports]
    assert any(re.fullmatch(r".+\d{4}年度政府信息公开工作年度报告", t) for t in titles)
    assert any(re.fullmatch(r"\d{4}年.+政府信息公开年报", t) for t in titles)
    assert any(re.fullmatch(r".+关于\d{4}年政府信息公开工作的年度报告", t) for t in titles)
    assert any(not re.search(r"\d{4}", t) for t in titles)
    assert any(not t.startswith(("云溪县", "20")) for t in titles)  # no county prefix
    others = {i.title for i in county.catalog.items if i.kind == "other"}
    for fragment in ("政府信息公开指南", "政务公开工作要点", "关于报送2023年度政府信息公开工作年度报告的通知", "年度工作报表"):
        assert any(fragment in t for t in others), fragment
    requests_totals = [r.versions[0].content.requests["new"]["total"] for r in reports if r.form == "html"]
    assert sum(1 for n in requests_totals if n > 0) > len(requests_totals) / 2


def test_reposted_report_has_two_urls_in_two_columns(county):
    truth = county.ground_truth(date(2024, 6, 1), BASES)
    repost = next(r for r in truth["reports"] if "repost" in r["cases"])
    assert len(repost["urls"]) == 2 and len({p["column"] for p in repost["placements"]}) == 2


def test_registry_follows_the_contract(county):
    data = yaml.safe_load(county.registry_yaml(BASES))
    agencies = data["agencies"]
    ids = {a["id"] for a in agencies}
    assert len(ids) == len(agencies) >= 35
    for agency in agencies:
        assert set(agency) >= {"id", "name", "aliases", "level", "parent", "region", "portal", "since"}
        assert agency["level"] in ("county_government", "county_department", "township", "subdistrict")
        assert agency["parent"] is None or agency["parent"] in ids
        assert agency["portal"].startswith("http://127.0.0.1:")
    portals = {a["portal"] for a in agencies}
    assert BASES["county"] + "/" in portals  # a site root
    assert any(p.endswith("/zwgk/zfxxgknb/bmnb/") for p in portals)  # a column
    assert any(a["since"] > 2019 for a in agencies)
    overridden = [a for a in agencies if "deadline" in a]
    assert overridden and all(re.fullmatch(r"\d\d-\d\d", a["deadline"]) for a in overridden)


def test_statuses_cover_every_year_through_the_last_full_one(county):
    truth = county.ground_truth(date(2024, 2, 10), BASES)
    statuses = Counter(s["status"] for s in truth["statuses"])
    assert {"on_time", "late", "missing", "pending", "unreachable"} <= statuses.keys()
    later = Counter(s["status"] for s in county.ground_truth(date(2024, 6, 1), BASES,
                                                             [date(2024, 2, 10), date(2024, 6, 1)])["statuses"])
    assert later.keys() == {"on_time", "late", "missing", "pending", "unreachable", "withdrawn"}
    for row in truth["statuses"]:
        assert 2019 <= row["year"] <= 2023
        if row["status"] == "late":
            assert row["days_late"] > 0
        if row["status"] == "on_time":
            assert row["days_late"] == 0 and row["url"]
    pairs = {(s["agency_id"], s["year"]) for s in truth["statuses"]}
    assert len(pairs) == len(truth["statuses"])


def test_scale_multiplies_the_bodies_quickly():
    started = time.process_time()
    big = SampleCounty.generate(seed=2024, scale=10)
    elapsed = time.process_time() - started
    print(f"scale 10: {len(big.catalog.bodies)} bodies, {len(big.reports)} reports in {elapsed:.2f}s")
    assert elapsed < 10
    registered = [b for b in big.catalog.bodies if b.in_registry]
    assert len(registered) >= 350
    assert len({b.name for b in big.catalog.bodies}) == len(big.catalog.bodies)
    assert len(big.reports) >= 1800
