"""The crawl's handle on the database: one short committed session per operation."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.orm import Session

from storage.db import session_scope, upgrade

T = TypeVar("T")


class Store:
    def __init__(self, db_url: str) -> None:
        self.db_url = db_url
        upgrade(db_url)

    def run(self, work: Callable[[Session], T]) -> T:
        """Run ``work`` in its own transaction: committed on return, rolled back on error."""
        with session_scope(self.db_url) as session:
            return work(session)
