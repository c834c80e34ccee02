"""Reading documents away from the reactor: downloads go on while PDFs are parsed.

Parsing is pure CPU in Python (pdfminer above all), so threads would only take turns under the GIL;
worker processes use the other cores. A parser that crashes its process (a native library on a
hostile file) breaks only the pool: the document gets a reading with a clear warning, the pool is
started afresh, and the crawl goes on.

``NIANBAO_PARSE_WORKERS`` sets the number of processes (default: the CPU count, at most 4);
0 reads in the crawl process itself, on the reactor thread (simplest to debug).
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
from concurrent.futures import BrokenExecutor, Executor, ProcessPoolExecutor

from crawler.reading import Reading, read, unreadable

log = logging.getLogger(__name__)

MAX_DEFAULT_WORKERS = 4
WORKER_NICENESS = 5


def default_workers() -> int:
    raw = os.environ.get("NIANBAO_PARSE_WORKERS", "").strip()
    if raw:
        try:
            return max(0, int(raw))
        except ValueError:
            log.warning("NIANBAO_PARSE_WORKERS=%r is not a number; using the default", raw)
    return min(os.cpu_count() or 1, MAX_DEFAULT_WORKERS)


def _exit_with_parent(parent: int) -> None:
    """A parse worker whose crawl was killed (SIGKILL, OOM) must not live on as an orphan."""
    import threading
    import time

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(0)

    threading.Thread(target=watch, name="nianbao-parent-watch", daemon=True).start()
    # Parsing can wait; the crawl process cannot: its reactor answers the network and its writer
    # commits the finds. Workers yield the CPU to them (and to anything else on the machine).
    os.nice(WORKER_NICENESS)


def _warm_up() -> bool:
    # Importing the parsers (pdfplumber, lxml, docx) takes a second; do it before the first PDF.
    import parsers  # noqa: F401

    return True


class ParsePool:
    """``await pool.read(...)`` gives the same Reading as ``crawler.reading.read``, computed elsewhere."""

    def __init__(self, workers: int | None = None) -> None:
        self.workers = default_workers() if workers is None else workers
        self._executor: Executor | None = None
        self.crashes = 0

    def start(self) -> None:
        if self.workers <= 0 or self._executor is not None:
            return
        # spawn, not fork: the crawl process runs threads (DNS, database) that a fork would copy mid-step.
        context = multiprocessing.get_context("spawn")
        self._executor = ProcessPoolExecutor(max_workers=self.workers, mp_context=context,
                                             initializer=_exit_with_parent, initargs=(os.getpid(),))
        for _ in range(self.workers):
            self._executor.submit(_warm_up)

    async def read(self, data: bytes, *, url: str, content_type: str | None = None,
                   filename: str | None = None) -> Reading:
        if self.workers <= 0:
            return read(data, url=url, content_type=content_type, filename=filename)
        self.start()
        executor = self._executor
        assert executor is not None
        try:
            future = executor.submit(read, data, url=url, content_type=content_type, filename=filename)
            return await asyncio.wrap_future(future)
        except BrokenExecutor as error:
            self.crashes += 1
            self._replace(executor)
            return unreadable(url, f"the parser process died on this document ({type(error).__name__})")

    def _replace(self, broken: Executor) -> None:
        # Every document in flight sees the same broken pool; only the first replaces it.
        if self._executor is not broken:
            return
        self._executor = None
        broken.shutdown(wait=False, cancel_futures=True)
        self.start()

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None
