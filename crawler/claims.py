"""Splitting one crawl round between worker processes: each host is crawled by the worker that claims it.

The spider keeps a column walk's bookkeeping (pages in flight, what was listed, whether the walk
completed) in its own process, so a request must be answered by the worker that made it. Workers
therefore share the *portals*, not the requests: every worker started with the same
``NIANBAO_REDIS_URL`` and ``NIANBAO_CRAWL_ROUND`` claims hosts atomically (Redis ``SET NX``) and
crawls only the portals on hosts it won. All portals of one host go to one worker, which keeps
politeness per host and keeps a column shared by several registered portals in one walk.

Sharing out: workers register for the round and wait until a common start moment (the first
worker's arrival plus ``NIANBAO_CRAWL_JOIN_SECONDS``, default 5); then each claims "its" hosts
(every n-th host of the sorted list, by its place among the registered workers) and, one join window
later, whatever nobody claimed (a worker that registered but never got going). A worker joining after the start moment finds most hosts taken; a worker that dies leaves
its hosts claimed until the round's claims expire (a new round id starts afresh).
"""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from urllib.parse import urlsplit

CLAIM_TTL_SECONDS = 24 * 3600  # a round's claims expire on their own; a later round uses a new key


def crawl_round() -> str | None:
    """The round this worker belongs to (NIANBAO_CRAWL_ROUND), or None: crawl every portal."""
    value = os.environ.get("NIANBAO_CRAWL_ROUND", "").strip()
    return value or None


def join_seconds() -> float:
    try:
        return max(0.0, float(os.environ.get("NIANBAO_CRAWL_JOIN_SECONDS", "5")))
    except ValueError:
        return 5.0


def host_of(url: str) -> str:
    return urlsplit(url).netloc.lower()


class HostClaims:
    """Claims on hosts for one round, held in Redis."""

    def __init__(self, redis_url: str, round_id: str, worker: str) -> None:
        import redis

        self.client = redis.Redis.from_url(redis_url)
        self.round_id = round_id
        self.worker = worker

    def _key(self, host: str) -> str:
        return f"nianbao:round:{self.round_id}:host:{host}"

    def join(self, window: float) -> float:
        """Register for the round; seconds to wait until the round's common start moment."""
        workers = f"nianbao:round:{self.round_id}:workers"
        start_key = f"nianbao:round:{self.round_id}:start"
        self.client.sadd(workers, self.worker)
        self.client.expire(workers, CLAIM_TTL_SECONDS)
        self.client.set(start_key, repr(time.time() + window), nx=True, ex=CLAIM_TTL_SECONDS)
        start = float(self.client.get(start_key) or 0)
        return max(0.0, start - time.time())

    def shares(self, hosts: Sequence[str]) -> tuple[list[str], list[str]]:
        """(this worker's share of ``hosts``, the others): every n-th host by place among the workers."""
        members = sorted(m.decode("utf-8", "replace") for m in self.client.smembers(f"nianbao:round:{self.round_id}:workers"))
        ordered = sorted(dict.fromkeys(hosts))
        if self.worker not in members:
            return ordered, []
        place, count = members.index(self.worker), len(members)
        mine = [h for i, h in enumerate(ordered) if i % count == place]
        return mine, [h for h in ordered if h not in mine]

    def claim(self, host: str) -> bool:
        """True when this worker owns ``host`` for the round (won it now, or earlier)."""
        key = self._key(host)
        if self.client.set(key, self.worker, nx=True, ex=CLAIM_TTL_SECONDS):
            return True
        owner = self.client.get(key)
        return owner is not None and owner.decode("utf-8", "replace") == self.worker
