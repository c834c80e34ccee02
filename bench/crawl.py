"""Crawl throughput on the sample county: nianbao's full crawl against a bare Scrapy spider.

    python bench/crawl.py --scale 3

Serves the sample county (scale N) on loopback (attachments rendered beforehand), crawls it with
politeness off (no delays, no AutoThrottle), then fetches exactly the same requests with a minimal
Scrapy spider that does no processing at all, each loopback port its own slot of 2 requests at a
time. Prints pages/s for both, their ratio (the crawl's time includes its process start-up, the bare
spider's does not; "without start-up" uses Scrapy's own clock), the crawl's peak memory, and the
request ratio of a second (incremental) crawl of the unchanged portals. Portals that block or hang
are left out: they measure timeouts, not throughput.

The bare spider runs with the crawl's downloader (crawler/downloader.py: each slot really held to 2
requests) and with Scrapy's stock one, which on the asyncio reactor starts all of a slot's queued
requests at once: up to 15 connections to one port, of which the demo server's small accept queue
drops some (each costs a one-second SYN retry), so its figure swings between runs.

Scale 3 (638 pages; 2 cores shared with other work, 3 runs each):
  before (sequential list pages, snapshots written on the reactor, Scrapy's stock scheduler and
  downloader): 24.1-29.3 s = 21.7-26.4 pages/s; bare spider, stock downloader 15.5-20.6 s: ratio
  0.56-0.82 (0.44-0.56 in earlier runs); bare spider, slots held, 6.6 s: ratio ~0.25. Peak memory
  156-174 MB; re-crawl 4.7 % of the first crawl's requests.
  after: 8.6-8.9 s = 71.6-74.2 pages/s; bare spider, slots held, 6.6-6.7 s: ratio 0.74-0.77
  (0.87-0.89 without start-up); bare spider, stock downloader, 12.4-18.7 s: ratio 1.44-2.16.
  Peak memory 161-169 MB; re-crawl 4.7 %.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

import yaml
from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from nianbao.demo.portal import SampleCounty, serve_county  # noqa: E402

GUARDED = ("waf", "jsl", "slow", "flaky")

# The bare spider runs twice: with the crawl's own downloader, which holds every slot to 2 requests
# at a time (the comparison that counts), and with Scrapy's stock one, which on the asyncio reactor
# lets a slot's queued requests all start at once (up to 15 connections to one port here).
DOWNLOADERS = {"held": "slots held to 2 (the crawl's downloader)", "stock": "Scrapy's stock downloader"}
BASELINES = (("per-port", "held"), ("per-port", "stock"))

BARE_SPIDER = r'''
import json, sys, time
import scrapy
from scrapy.crawler import CrawlerProcess

requests = json.load(open(sys.argv[1]))
per_port = sys.argv[2] == "per-port"
held = sys.argv[3] == "held"
sys.path.insert(0, sys.argv[4])

class Bare(scrapy.Spider):
    name = "bare"
    async def start(self):
        for method, url, body in requests:
            meta = {"download_slot": url.split("/")[2]} if per_port else {}
            yield scrapy.Request(url, method=method, body=body or None, dont_filter=True, callback=self.noop,
                                 meta=meta,
                                 headers={"Content-Type": "application/x-www-form-urlencoded"} if body else None)
    def noop(self, response):
        return None

settings = {"LOG_LEVEL": "ERROR", "CONCURRENT_REQUESTS": 16, "CONCURRENT_REQUESTS_PER_DOMAIN": 2,
            "ROBOTSTXT_OBEY": False, "TELNETCONSOLE_ENABLED": False, "RETRY_ENABLED": False}
if held:
    settings["DOWNLOADER"] = "crawler.downloader.SlotKeepingDownloader"
process = CrawlerProcess(settings)
started = time.perf_counter()
process.crawl(Bare)
process.start()
print(json.dumps({"seconds": time.perf_counter() - started, "requests": len(requests)}))
'''


def _crawl(db: str, now: str, registry: Path | None, **extra_env: str) -> tuple[float, str]:
    env = {**os.environ, "NIANBAO_DB": db, "NIANBAO_NOW": now, "NIANBAO_POLITE": "0", "NIANBAO_DOWNLOAD_TIMEOUT": "10",
           **extra_env}
    args = [sys.executable, "-m", "nianbao", "crawl", "--quiet"]
    if registry:
        args += ["--registry", str(registry)]
    started = time.perf_counter()
    done = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    return time.perf_counter() - started, done.stdout.splitlines()[0] if done.stdout else done.stderr[-500:]


def _warm_attachments(truth: dict) -> None:
    """Render every attachment once: the simulator renders PDFs on first request (one at a time),
    which would be charged to whichever crawler comes first."""
    urls = [p["attachment_url"] for r in truth["reports"] for p in r["placements"] if p["attachment_url"]]

    def fetch(url: str) -> None:
        with contextlib.suppress(OSError):
            urllib.request.urlopen(url, timeout=30).read()

    with ThreadPoolExecutor(4) as pool:
        list(pool.map(fetch, urls))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=3)
    args = parser.parse_args()
    county = SampleCounty.generate(seed=2024, scale=args.scale)
    with tempfile.TemporaryDirectory() as tmp, serve_county(county, as_of=date(2024, 6, 1), timeout_delay=1.0) as running:
        registry = running.registry()
        guarded = tuple(running.base_urls[k] for k in GUARDED)
        registry["agencies"] = [a for a in registry["agencies"] if not a["portal"].startswith(guarded)]
        registry_path = Path(tmp) / "registry.yaml"
        registry_path.write_text(yaml.safe_dump(registry, allow_unicode=True), encoding="utf-8")
        db = f"sqlite:///{tmp}/bench.db"
        _warm_attachments(running.ground_truth())
        warmed = len(running.request_log)

        seconds, summary = _crawl(db, "2024-06-01T10:00:00+08:00", registry_path)
        first_requests = len(running.request_log) - warmed
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        engine = create_engine(db)
        with engine.connect() as conn:
            fetched = [tuple(r) for r in conn.execute(text(
                "SELECT method, url, request_body FROM snapshots WHERE url NOT LIKE '%/robots.txt' ORDER BY id"))]
            # Scrapy's own clock (NIANBAO_NOW fixes the run's timestamps): engine start to close.
            stats = conn.execute(text("SELECT stats FROM crawl_runs ORDER BY id")).scalar_one()
        stats = stats if isinstance(stats, dict) else json.loads(stats)
        in_crawl = float(stats["elapsed_time_seconds"])
        engine.dispose()
        pages = len(fetched)

        requests_file = Path(tmp) / "requests.json"
        requests_file.write_text(json.dumps(fetched), encoding="utf-8")
        baselines = {}
        for slots, downloader in BASELINES:
            bare = subprocess.run([sys.executable, "-c", BARE_SPIDER, str(requests_file), slots, downloader, str(ROOT)],
                                  capture_output=True, text=True, check=True, cwd=tmp)
            baselines[(slots, downloader)] = json.loads(bare.stdout.strip().splitlines()[-1])

        mark = len(running.request_log)
        _again_seconds, again = _crawl(db, "2024-06-01T12:00:00+08:00", None)
        second_requests = len(running.request_log) - mark
        # What checking every known report page on every crawl would add (NIANBAO_REVISIT_DAYS=0).
        mark = len(running.request_log)
        _all_seconds, _summary = _crawl(db, "2024-06-01T14:00:00+08:00", None, NIANBAO_REVISIT_DAYS="0")
        revisit_all_requests = len(running.request_log) - mark

    ours = pages / seconds
    print(f"scale {args.scale}: {summary}")
    crawling = pages / in_crawl
    print(f"nianbao crawl: {pages} pages in {seconds:.1f}s = {ours:.1f} pages/s (process start-up included); "
          f"{in_crawl:.1f}s = {crawling:.1f} pages/s from run start to run end")
    for (slots, downloader), result in baselines.items():
        baseline = result["requests"] / result["seconds"]
        print(f"bare scrapy, {slots} loopback slots, {DOWNLOADERS[downloader]}: {result['requests']} requests in "
              f"{result['seconds']:.1f}s = {baseline:.1f} pages/s; ratio {ours / baseline:.2f} "
              f"(without start-up {crawling / baseline:.2f})")
    print(f"peak memory of the largest crawl process (parse workers included): {peak_mb:.0f} MB")
    print(f"re-crawl: {second_requests} requests vs {first_requests} ({second_requests / first_requests:.1%}); {again}")
    print(f"re-crawl checking every known report page (NIANBAO_REVISIT_DAYS=0): {revisit_all_requests} requests "
          f"({revisit_all_requests / first_requests:.1%})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
