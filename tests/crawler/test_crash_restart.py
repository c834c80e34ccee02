"""A crawl killed with SIGKILL mid-run and started again loses nothing and stores nothing twice."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

from nianbao.demo.portal import SampleCounty, serve_county
from tests.crawler.test_end_to_end import ROOT, expected_reports, rows, run_crawl


def test_killed_crawl_resumes_without_loss_or_duplicates(db_url: str, tmp_path: Path) -> None:
    county = SampleCounty.generate(seed=2024, scale=1)
    with serve_county(county, as_of=date(2024, 6, 1), timeout_delay=2.0) as running:
        registry = running.write_registry(tmp_path / "registry.yaml")
        env = {**os.environ, "NIANBAO_DB": db_url, "NIANBAO_NOW": "2024-06-01T10:00:00+08:00",
               "NIANBAO_POLITE": "0", "NIANBAO_DOWNLOAD_TIMEOUT": "5"}
        victim = subprocess.Popen([sys.executable, "-m", "nianbao", "crawl", "--quiet", "--registry", str(registry)],
                                  cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            deadline = time.monotonic() + 120
            stored = 0
            while time.monotonic() < deadline and victim.poll() is None:
                time.sleep(0.3)
                try:
                    stored = rows(db_url, "SELECT count(*) FROM reports")[0][0]
                except Exception:  # noqa: BLE001 - the schema may not exist yet
                    continue
                if stored >= 40:
                    break
            assert victim.poll() is None, "the crawl ended before it could be killed"
            os.kill(victim.pid, signal.SIGKILL)
        finally:
            victim.wait(timeout=30)
        assert 40 <= stored < 160

        again = run_crawl(db_url, "2024-06-01T11:00:00+08:00")
        assert again.returncode == 1, again.stderr
        truth = running.ground_truth()
        current = rows(db_url, "SELECT url, agency_id, year FROM reports WHERE is_current")
        by_url = {url: (agency, year) for url, agency, year in current}
        assert len(current) == len(by_url)
        for report_id, (agency, year, urls) in expected_reports(truth).items():
            hits = [u for u in urls if u in by_url]
            assert len(hits) == 1, report_id
            assert by_url[hits[0]] == (agency, year)
        assert len(current) == len(expected_reports(truth))
        assert rows(db_url, "SELECT count(*) FROM reports WHERE NOT is_current")[0][0] == 0
        assert rows(db_url, "SELECT count(*) FROM (SELECT url FROM column_items GROUP BY url HAVING count(*) > 1) d")[0][0] == 0
        values = rows(db_url, "SELECT report_id, section, row_key, column_key, count(*) FROM report_values "
                              "GROUP BY report_id, section, row_key, column_key HAVING count(*) > 1")
        assert values == []
