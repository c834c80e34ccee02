"""The crawl's handle on the database.

Reads the crawl decides on run at once, each in its own short transaction (``read``: on SQLite it
never waits for the writer, so the reactor is not held up while a batch of finds is committed;
``run`` for the few writes made on the spot). Writes of what
was found go to one writer thread (``write``, ``write_later``) in the order they were made, so the
reactor keeps downloading while a report and its values are committed. One thread, not several:
the writes stay serial (as SQLite wants them, and as the repost check relies on).

Each write is all or nothing (its own savepoint): a write that fails leaves nothing behind and
costs no other write. The writes that queued up while the previous commit ran share the next
commit, so a busy crawl pays one commit per batch instead of one per response; a crawl killed at
any point has lost at most whole writes (the entries they settled are fetched again next time).

A row written later (a response's snapshot) is named by a key at once (``insert_later``); writes
queued after it turn the key into the row's id (``row_id``): being serial, they run after it.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any, TypeVar

from sqlalchemy.orm import Session

from storage.db import read_scope, session_scope, upgrade

T = TypeVar("T")
log = logging.getLogger(__name__)

# Writes that share one commit at most; a batch is only what queued up meanwhile, never waited for.
MAX_BATCH = 64

_Job = tuple[Callable[[Session], Any], Future]


def _lost_a_deadlock(error: BaseException) -> bool:
    """PostgreSQL aborted this write to break a deadlock with another worker's transaction."""
    return getattr(getattr(error, "orig", None), "sqlstate", None) == "40P01"


class Store:
    def __init__(self, db_url: str) -> None:
        self.db_url = db_url
        upgrade(db_url)
        self._jobs: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._writer: threading.Thread | None = None
        self._lock = threading.Lock()
        self._keys = itertools.count(1)
        self._row_ids: dict[int, int] = {}

    def run(self, work: Callable[[Session], T]) -> T:
        """Run ``work`` in its own transaction: committed on return, rolled back on error."""
        with session_scope(self.db_url) as session:
            return work(session)

    def read(self, work: Callable[[Session], T]) -> T:
        """Run ``work``, which only reads, at once (it sees what is committed)."""
        with read_scope(self.db_url) as session:
            return work(session)

    def _submit(self, work: Callable[[Session], T]) -> Future[T]:
        with self._lock:
            if self._writer is None:
                self._writer = threading.Thread(target=self._write_all, name="nianbao-db-writer", daemon=True)
                self._writer.start()
        done: Future[T] = Future()
        self._jobs.put((work, done))
        return done

    def _write_all(self) -> None:
        while True:
            job = self._jobs.get()
            if job is None:
                return
            batch = [job]
            last = False
            while len(batch) < MAX_BATCH:
                try:
                    following = self._jobs.get_nowait()
                except queue.Empty:
                    break
                if following is None:
                    last = True
                    break
                batch.append(following)
            self._write_batch(batch)
            if last:
                return

    def _write_batch(self, batch: list[_Job], *, retry: bool = True) -> None:
        outcomes: list[tuple[Future, Any, BaseException | None]] = []
        again: list[_Job] = []
        try:
            with session_scope(self.db_url) as session:
                for work, done in batch:
                    try:
                        with session.begin_nested():
                            outcomes.append((done, work(session), None))
                    except Exception as error:  # noqa: BLE001 - the write's own failure, reported to its waiter
                        if retry and _lost_a_deadlock(error):
                            again.append((work, done))
                        else:
                            outcomes.append((done, None, error))
        except Exception as error:  # noqa: BLE001 - the commit failed: none of the batch was written
            for _work, done in batch:
                done.set_exception(error)
            return
        for done, value, error in outcomes:
            if error is not None:
                done.set_exception(error)
            else:
                done.set_result(value)
        if again:
            # The other worker waited on locks this batch held; committed, they are free for the retry.
            log.info("%d write(s) lost a deadlock with another worker; writing them again", len(again))
            self._write_batch(again, retry=False)

    async def write(self, work: Callable[[Session], T]) -> T:
        """``work`` on the writer thread, after every write submitted before it; returns once committed."""
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
        with self._lock:
            writer, self._writer = self._writer, None
        if writer is not None:
            self._jobs.put(None)
            writer.join()
