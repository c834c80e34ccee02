"""The crawl's database writer against a real PostgreSQL server shared with another worker."""

from __future__ import annotations

import threading
from concurrent.futures import Future

from sqlalchemy import text
from sqlalchemy.orm import Session

from crawler.store import Store
from storage.db import engine_for


def _lock(session: Session, key: int) -> None:
    session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})


def test_a_write_that_loses_a_deadlock_to_another_worker_is_written_after_the_batch(pg_url: str) -> None:
    store = Store(pg_url)
    other_holds_2, store_holds_1, other_done = threading.Event(), threading.Event(), threading.Event()

    def other_worker() -> None:
        with engine_for(pg_url).connect() as connection:
            # This side waits long before looking for deadlocks, so the store's side is the one aborted.
            connection.execute(text("SET deadlock_timeout = '30s'"))
            connection.execute(text("SELECT pg_advisory_xact_lock(2)"))
            other_holds_2.set()
            store_holds_1.wait(30)
            connection.execute(text("SELECT pg_advisory_xact_lock(1)"))  # waits for the store's commit
            connection.commit()
        other_done.set()

    def first(session: Session) -> str:
        _lock(session, 1)
        store_holds_1.set()
        return "first"

    tries = []

    def second(session: Session) -> str:
        tries.append(1)
        _lock(session, 2)  # held by the other worker, which waits for lock 1: a deadlock
        return "second"

    worker = threading.Thread(target=other_worker)
    worker.start()
    assert other_holds_2.wait(30)
    done_first, done_second = Future(), Future()
    store._write_batch([(first, done_first), (second, done_second)])
    worker.join(60)
    assert done_first.result(0) == "first"
    assert done_second.result(0) == "second"
    assert len(tries) == 2  # aborted once, written again after the batch's commit freed lock 1
    assert other_done.is_set()
