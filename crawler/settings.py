"""Scrapy settings for the nianbao crawler: polite by default, switchable to a shared Redis queue.

Environment:
  NIANBAO_DOWNLOAD_TIMEOUT  seconds before a request gives up (default 30)
  NIANBAO_REDIS_URL         when set, requests are scheduled and deduplicated in this Redis
                            (scrapy-redis), so several machines can share one crawl
"""

from __future__ import annotations

import os
import socket
import warnings
from importlib.metadata import PackageNotFoundError, version

try:
    VERSION = version("nianbao")
except PackageNotFoundError:  # running from a source tree that was never installed
    VERSION = "0.1.0"

PROJECT_URL = "https://github.com/nianbao/nianbao"

BOT_NAME = "nianbao"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

USER_AGENT = f"nianbao/{VERSION} (+{PROJECT_URL})"
ROBOTSTXT_OBEY = True

# Politeness: at most two requests at a time per host, AutoThrottle adapting to the server.
CONCURRENT_REQUESTS = 16
# Scrapy starts this many tasks for the output of every response; ours is a handful of requests and
# items written synchronously, so the default 100 only costs task churn on the reactor.
CONCURRENT_ITEMS = 8
CONCURRENT_REQUESTS_PER_DOMAIN = 2
# NIANBAO_POLITE=0 turns delays and AutoThrottle off: only for loopback tests and benchmarks.
_POLITE = os.environ.get("NIANBAO_POLITE", "1") not in ("0", "false", "no", "off")
DOWNLOAD_DELAY = 0.25 if _POLITE else 0.0
AUTOTHROTTLE_ENABLED = _POLITE
AUTOTHROTTLE_START_DELAY = 0.5
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.5

RETRY_ENABLED = True
RETRY_TIMES = 2
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
DOWNLOAD_TIMEOUT = float(os.environ.get("NIANBAO_DOWNLOAD_TIMEOUT", "30"))
# A bigger response is not downloaded: the crawl notes it on the portal and goes on.
DOWNLOAD_MAXSIZE = int(os.environ.get("NIANBAO_DOWNLOAD_MAXSIZE", str(50 * 1024 * 1024)))
DOWNLOAD_WARNSIZE = min(20 * 1024 * 1024, DOWNLOAD_MAXSIZE)

# Evidence is stored by our own middleware; Scrapy's HTTP cache would hide re-fetches.
HTTPCACHE_ENABLED = False
COOKIES_ENABLED = True
REDIRECT_MAX_TIMES = 10
METAREFRESH_ENABLED = True

DOWNLOADER_MIDDLEWARES = {
    # process_response runs from the highest number down: store the raw response first, then judge
    # it (block page?), then hand a 304 its stored body. All below HttpCompression (590) so bodies are
    # already decompressed, and below Redirect (600) so only final responses are stored.
    "crawler.middlewares.EvidenceMiddleware": 587,
    "crawler.middlewares.BlockDetectionMiddleware": 586,
    "crawler.middlewares.ConditionalRequestMiddleware": 585,
    # Host policy is enforced by the spider per portal (own host, *.gov.cn siblings); the stock
    # offsite filter knows nothing of ports and portals.
    "scrapy.downloadermiddlewares.offsite.OffsiteMiddleware": None,
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "crawler.middlewares.RememberedRobotsTxtMiddleware": 100,
    "crawler.middlewares.LoopbackSlotMiddleware": 50,
    "crawler.redirects.OffsiteRedirectMiddleware": 60,
    # Beside MetaRefresh (580): script-only redirect pages are followed like a meta refresh.
    "crawler.redirects.ScriptRedirectMiddleware": 581,
}
NIANBAO_ROBOTS_MAX_AGE_HOURS = 24.0
ITEM_PIPELINES = {
    "crawler.pipelines.StoragePipeline": 300,
}
EXTENSIONS = {
    "crawler.progress.ProgressReporter": 500,
    "scrapy.extensions.telnet.TelnetConsole": None,
}

LOG_LEVEL = os.environ.get("NIANBAO_LOG_LEVEL", "WARNING")
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
FEED_EXPORT_ENCODING = "utf-8"

# How often a column is walked to its last page even when its first pages hold only known items
# (only a full walk may conclude that a report disappeared), and how often a known report page is
# fetched again (conditionally) to catch a replaced version.
NIANBAO_FULL_WALK_DAYS = float(os.environ.get("NIANBAO_FULL_WALK_DAYS", "7"))
NIANBAO_REVISIT_DAYS = float(os.environ.get("NIANBAO_REVISIT_DAYS", "30"))
NIANBAO_MAX_PAGES = int(os.environ.get("NIANBAO_MAX_PAGES", "500"))

# Each slot really held to its concurrency (crawler/downloader.py).
DOWNLOADER = "crawler.downloader.SlotKeepingDownloader"

# Requests are handed out server by server (the slot with the fewest requests in flight first): with
# the default queue one big portal's queued pages fill the downloader's 16 places while the slots of
# every other portal stand idle. Requests name their slot up front (crawler.hosts.download_slot).
SCHEDULER_PRIORITY_QUEUE = "scrapy.pqueues.DownloaderAwarePriorityQueue"

REDIS_URL = os.environ.get("NIANBAO_REDIS_URL") or None
# One name per worker process: its queue and its claims on hosts (crawler.claims) carry it.
NIANBAO_WORKER = f"{socket.gethostname()}:{os.getpid()}"
if REDIS_URL:
    # Requests wait in Redis instead of memory. Each worker has its own queue: a column walk's
    # bookkeeping lives in the worker that started it (see crawler/claims.py for sharing a round).
    SCHEDULER = "scrapy_redis.scheduler.Scheduler"
    DUPEFILTER_CLASS = "scrapy_redis.dupefilter.RFPDupeFilter"
    SCHEDULER_PERSIST = False
    SCHEDULER_QUEUE_CLASS = "scrapy_redis.queue.PriorityQueue"
    SCHEDULER_QUEUE_KEY = f"nianbao:{NIANBAO_WORKER}:%(spider)s:requests"
    SCHEDULER_DUPEFILTER_KEY = f"nianbao:{NIANBAO_WORKER}:%(spider)s:dupefilter"
    # scrapy-redis still passes ``spider=`` to the stats collector; the warning says nothing to a user.
    warnings.filterwarnings("ignore", message="Passing a 'spider' argument", category=DeprecationWarning)
