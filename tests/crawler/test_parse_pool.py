"""The parse worker pool: same readings as in-process, survives a dead worker, leaves no orphans."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from crawler.parse_pool import ParsePool
from crawler.reading import read

ROOT = Path(__file__).resolve().parents[2]
PAGE = ("<html><head><title>云溪县财政局2023年政府信息公开工作年度报告</title></head><body>"
        "<h1>云溪县财政局2023年政府信息公开工作年度报告</h1><p>发布日期：2024-01-20</p></body></html>").encode()


def test_pool_reads_like_the_parser_and_recovers_from_a_killed_worker() -> None:
    pool = ParsePool(2)
    try:
        async def scenario() -> None:
            reading = await pool.read(PAGE, url="http://127.0.0.1/a.html", content_type="text/html")
            direct = read(PAGE, url="http://127.0.0.1/a.html", content_type="text/html")
            assert reading.report.title == direct.report.title and reading.text == direct.text
            assert reading.has_report_body
            # A worker dies under a document (as a native parser crash would): that document gets a
            # clear warning, and the next one is read by a fresh pool.
            executor = pool._executor
            assert executor is not None
            for pid in list(executor._processes):  # type: ignore[attr-defined]
                os.kill(pid, signal.SIGKILL)
            time.sleep(0.5)
            broken = await pool.read(PAGE, url="http://127.0.0.1/b.html", content_type="text/html")
            assert broken.text == "" and "parser process died" in broken.report.warnings[0]
            again = await pool.read(PAGE, url="http://127.0.0.1/c.html", content_type="text/html")
            assert again.report.title == direct.report.title
            assert pool.crashes == 1

        asyncio.run(scenario())
    finally:
        pool.close()


CHILD = r"""
import asyncio, sys
sys.path.insert(0, sys.argv[1])
from crawler.parse_pool import ParsePool
pool = ParsePool(2)
async def main():
    await pool.read(b"<html><body>x</body></html>", url="http://127.0.0.1/")
    print("ready", flush=True)
    await asyncio.sleep(120)
asyncio.run(main())
"""


def test_workers_exit_when_the_crawl_is_killed() -> None:
    crawl = subprocess.Popen([sys.executable, "-c", CHILD, str(ROOT)], stdout=subprocess.PIPE, text=True)
    try:
        assert crawl.stdout is not None and crawl.stdout.readline().strip() == "ready"
        children = subprocess.run(["pgrep", "-P", str(crawl.pid)], capture_output=True, text=True).stdout.split()
        assert len(children) >= 2
    finally:
        crawl.kill()
        crawl.wait(timeout=30)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(Path(f"/proc/{pid}").exists() for pid in children):
        time.sleep(0.2)
    assert [pid for pid in children if Path(f"/proc/{pid}").exists()] == []
