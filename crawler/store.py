"""The crawl's handle on the database: one short committed session per operation.

Reads the crawl decides on run at once (``run``). Writes of what was found go to one writer thread
(``write``, ``write_later``) in the order they were made, so the reactor keeps downloading while a
report and its values are committed. One thread, not several: the writes stay serial (as SQLite
wants them, and as the repost check relies on), each in its own session, none shared between threads.

A row written later (a response's snapshot) is named by a key at once (``insert_later``); writes
queued after it turn the key into the row's id (``row_id``): being serial, they run after it.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

from sqlalchemy.orm import Session

from storage.db import session_scope, upgrade

T = TypeVar("T")
log = logging.getLogger(__name__)


class Store:
    def __init__(self, db_url: str) -> None:
        self.db_url = db_url
        upgrade(db_url)
        self._writer: ThreadPoolExecutor | None = None
        self._keys = itertools.count(1)
        self._row_ids: dict[int, int] = {}

    def run(self, work: Callable[[Session], T]) -> T:
        """Run ``work`` in its own transaction: committed on return, rolled back on error."""
        with session_scope(self.db_url) as session:
            return work(session)

    def _submit(self, work: Callable[[Session], T]) -> Future[T]:
        if self._writer is None:
            self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="nianbao-db-writer")
        return self._writer.submit(self.run, work)

    async def write(self, work: Callable[[Session], T]) -> T:
        """``run`` on the writer thread, after every write submitted before it."""
        return await asyncio.wrap_future(self._submit(work))

    def write_later(self, work: Callable[[Session], object], what: str) -> None:
        """Queue a write nobody waits for; a failure is logged with ``what`` it was."""
        def report(done: Future[object]) -> None:
            error = done.exception()
            if error is not None:
                log.error("could not store %s: %s: %s", what, type(error).__name__, error)

        self._submit(work).add_done_callback(report)

    def insert_later(self, work: Callable[[Session], int], what: str) -> int:
        """Queue a write that creates a row and returns its id; the key returned names that row for
        later writes (``row_id``). A plain int, so it can ride in a request's meta (even through Redis)."""
        key = next(self._keys)

        def insert(session: Session) -> None:
            self._row_ids[key] = work(session)

        self.write_later(insert, what)
        return key

    def row_id(self, key: int | None) -> int | None:
        """The id of the row written for ``key``; call only from a write queued after it (None when
        that write failed)."""
        return self._row_ids.get(key) if key is not None else None

    def drain(self) -> None:
        """Wait for every queued write (the crawl's end)."""
        if self._writer is not None:
            self._writer.shutdown(wait=True)
            self._writer = None
