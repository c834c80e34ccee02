"""Scrapy's downloader, holding each download slot to its concurrency.

On the asyncio reactor Scrapy starts each download as a task, and the request counts as
transferring only once that task runs; the loop that starts the downloads waiting in a slot sees
the slot still free and starts all of them at once. A portal with twenty report pages queued then
gets twenty simultaneous connections instead of CONCURRENT_REQUESTS_PER_DOMAIN (2): impolite, and
a small server drops the connections it cannot accept (each costs a one-second SYN retry).
"""

from __future__ import annotations

from collections.abc import Coroutine
from typing import Any

from scrapy import Request
from scrapy.core.downloader import Downloader, Slot
from twisted.internet.defer import Deferred


class SlotKeepingDownloader(Downloader):
    def _wait_for_download(self, slot: Slot, request: Request, queue_dfd: Deferred) -> Coroutine[Any, Any, None]:
        # Counted as transferring from the moment its download is started, not when the task runs
        # (the download adds it again, harmlessly, and removes it when done).
        slot.transferring.add(request)
        return super()._wait_for_download(slot, request, queue_dfd)
