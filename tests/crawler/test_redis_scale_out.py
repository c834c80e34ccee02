"""Crawls through a real Redis: the scrapy-redis queue, and two workers sharing one crawl round."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
import redis

from nianbao.demo.portal import SampleCounty, serve_county
from tests.crawler.test_end_to_end import ROOT, expected_reports, rows, run_crawl


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def redis_url(tmp_path: Path) -> Iterator[str]:
    port = _free_port()
    server = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    try:
        client = redis.Redis.from_url(url)
        deadline = time.monotonic() + 20
        while True:
            try:
                client.ping()
                break
            except redis.ConnectionError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.1)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=20)


def _assert_ground_truth(db_url: str, truth: dict) -> None:
    current = rows(db_url, "SELECT url, agency_id, year FROM reports WHERE is_current")
    by_url = {url: (agency, year) for url, agency, year in current}
    assert len(current) == len(by_url)
    expected = expected_reports(truth)
    for report_id, (agency, year, urls) in expected.items():
        hits = [u for u in urls if u in by_url]
        assert len(hits) == 1, f"{report_id} stored {len(hits)} times"
        assert by_url[hits[0]] == (agency, year), report_id
    assert len(current) == len(expected)
    assert rows(db_url, "SELECT count(*) FROM reports WHERE NOT is_current")[0][0] == 0
    assert rows(db_url, "SELECT count(*) FROM (SELECT url FROM column_items GROUP BY url HAVING count(*) > 1) d")[0][0] == 0


def test_crawl_scheduled_through_redis_finds_the_same_reports(db_url: str, redis_url: str, tmp_path: Path) -> None:
    county = SampleCounty.generate(seed=2024, scale=1)
    with serve_county(county, as_of=date(2024, 2, 10), timeout_delay=1.0) as running:
        registry = running.write_registry(tmp_path / "registry.yaml")
        done = run_crawl(db_url, "2024-02-10T10:00:00+08:00", "--registry", str(registry),
                         env={"NIANBAO_REDIS_URL": redis_url})
        assert done.returncode == 1, done.stderr  # the guarded portals fail
        assert "Traceback" not in done.stderr
        _assert_ground_truth(db_url, running.ground_truth())
    (stats,) = rows(db_url, "SELECT stats FROM crawl_runs")[0]
    stats = stats if isinstance(stats, dict) else json.loads(stats)
    assert int(stats["scheduler/enqueued/redis"]) > 100  # the requests really went through Redis
    assert int(stats["scheduler/dequeued/redis"]) == int(stats["scheduler/enqueued/redis"])


def test_two_workers_share_one_round_and_store_nothing_twice(db_url: str, redis_url: str, tmp_path: Path) -> None:
    county = SampleCounty.generate(seed=2024, scale=1)
    with serve_county(county, as_of=date(2024, 2, 10), timeout_delay=1.0) as running:
        registry = running.write_registry(tmp_path / "registry.yaml")
        env = {**os.environ, "NIANBAO_DB": db_url, "NIANBAO_NOW": "2024-02-10T10:00:00+08:00",
               "NIANBAO_POLITE": "0", "NIANBAO_DOWNLOAD_TIMEOUT": "20", "NIANBAO_REDIS_URL": redis_url,
               "NIANBAO_CRAWL_ROUND": "2024-02-10T10"}
        subprocess.run([sys.executable, "-m", "nianbao", "registry", "load", str(registry)], cwd=ROOT, env=env,
                       check=True, capture_output=True)
        workers = [
            subprocess.Popen([sys.executable, "-m", "nianbao", "crawl", "--quiet"], cwd=ROOT, env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for _ in range(2)
        ]
        outputs = [w.communicate(timeout=600) for w in workers]
        for worker, (_out, err) in zip(workers, outputs, strict=True):
            assert worker.returncode in (0, 1), err
            assert "Traceback" not in err, err[-3000:]
        truth = running.ground_truth()
        _assert_ground_truth(db_url, truth)

        # Every portal was crawled by exactly one worker, and both had a share.
        results = rows(db_url, "SELECT crawl_run_id, portal_id FROM crawl_portal_results")
        assert len(results) == len({p for _r, p in results}) == len(rows(db_url, "SELECT id FROM portals"))
        assert len({r for r, _p in results}) == 2
        # No report page was fetched twice: each was the business of one worker only.
        report_pages = {p["url"].split("/", 3)[3] for r in truth["reports"] for p in r["placements"]}
        fetched = Counter(path.lstrip("/") for _m, path, _host in running.request_log)
        assert [p for p in report_pages if fetched[p] > 1] == []
