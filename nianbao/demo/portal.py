"""The sample county: a deterministic set of simulated government portals with ground truth.

    county = SampleCounty.generate(seed=2024, scale=1)
    with serve_county(county, as_of=date(2024, 2, 10), timeout_delay=2.0) as running:
        running.write_registry("registry.yaml")
        ...crawl running.base_urls...
        running.set_as_of(date(2024, 6, 1))
        truth = running.ground_truth(date(2024, 6, 1))

Run it by hand: ``python -m nianbao.demo.portal --port 8100 --as-of 2024-02-10``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import yaml

from nianbao.demo.article import AttachmentCache
from nianbao.demo.bodies import REGION
from nianbao.demo.catalog import Catalog, Item
from nianbao.demo.generate import build_catalog
from nianbao.demo.server import Clock, Listener, RequestLog
from nianbao.demo.site import PortalSite
from nianbao.demo.truth import ground_truth

SHANGHAI = timezone(timedelta(hours=8))
DEFAULT_TIMEOUT_DELAY = 30.0


@dataclass
class SampleCounty:
    """Everything the sample county publishes, decided from a seed (no I/O, no servers)."""

    catalog: Catalog
    seed: int
    scale: int

    @classmethod
    def generate(cls, seed: int = 2024, scale: int = 1) -> SampleCounty:
        return cls(build_catalog(seed, scale), seed, scale)

    @property
    def portal_keys(self) -> list[str]:
        return list(self.catalog.portals)

    @property
    def reports(self) -> list[Item]:
        return [i for i in self.catalog.items if i.kind == "report"]

    def registry(self, base_urls: dict[str, str]) -> dict[str, Any]:
        """The registry (contract.md) of every registered body, its portal on ``base_urls``."""
        agencies = []
        for body in self.catalog.bodies:
            if body.id is None:
                continue
            portal, path = self.catalog.registry_portal[body.id]
            entry: dict[str, Any] = {
                "id": body.id, "name": body.name, "aliases": list(body.aliases), "level": body.level,
                "parent": body.parent, "region": REGION, "portal": base_urls[portal] + path,
                "since": body.since,
            }
            if body.deadline_rule:
                entry["deadline"] = body.deadline_rule
            agencies.append(entry)
        return {"agencies": agencies}

    def registry_yaml(self, base_urls: dict[str, str]) -> str:
        return yaml.safe_dump(self.registry(base_urls), allow_unicode=True, sort_keys=False)

    def ground_truth(self, as_of: date, base_urls: dict[str, str] | None = None,
                     crawl_dates: Sequence[date] | None = None) -> dict[str, Any]:
        """Reports, non-reports, statuses and alerts after crawls on ``crawl_dates`` (default: as_of)."""
        bases = base_urls or {key: f"http://{key}.portal.invalid" for key in self.catalog.portals}
        return ground_truth(self.catalog, as_of, lambda portal, path: bases[portal] + path, crawl_dates)


class RunningCounty:
    """The sample county served on loopback; its clock can be moved while it runs."""

    def __init__(self, county: SampleCounty, as_of: date, timeout_delay: float, port: int = 0) -> None:
        self.county = county
        self.clock = Clock(as_of)
        self.log = RequestLog()
        self.timeout_delay = timeout_delay
        attachments = AttachmentCache()
        self.listeners: dict[str, Listener] = {}
        keys = county.portal_keys
        # The mirror listens first so that every other portal can link to it.
        ordered = ["mirror"] + [k for k in keys if k != "mirror"]
        offsets = {key: i for i, key in enumerate(keys)}
        mirror_root: str | None = None
        try:
            for key in ordered:
                site = PortalSite(county.catalog, county.catalog.portals[key], attachments, mirror_root)
                listener = Listener(site, port + offsets[key] if port else 0, self.clock, self.log,
                                    lambda: self.timeout_delay)
                self.listeners[key] = listener
                if key == "mirror":
                    mirror_root = listener.base_url + "/"
        except OSError:
            self._close()
            raise
        for listener in self.listeners.values():
            listener.start()

    @property
    def base_urls(self) -> dict[str, str]:
        """Portal key -> "http://127.0.0.1:PORT" (county, xxgk, gkmlpt, towns, waf, jsl, slow, flaky, mirror)."""
        return {key: self.listeners[key].base_url for key in self.county.portal_keys}

    @property
    def as_of(self) -> date:
        return self.clock.day

    def set_as_of(self, day: date) -> None:
        self.clock.set(day)

    @property
    def request_log(self) -> list[tuple[str, str, str]]:
        return self.log.snapshot()

    def host_of(self, portal_key: str) -> str:
        return self.listeners[portal_key].base_url.removeprefix("http://")

    def registry(self) -> dict[str, Any]:
        return self.county.registry(self.base_urls)

    def registry_yaml(self) -> str:
        return self.county.registry_yaml(self.base_urls)

    def write_registry(self, path: str | Path) -> Path:
        target = Path(path)
        target.write_text(self.registry_yaml(), encoding="utf-8")
        return target

    def ground_truth(self, as_of: date | None = None, crawl_dates: Sequence[date] | None = None) -> dict[str, Any]:
        """The truth as of ``as_of`` (default: the clock); crawls default to every date the clock was set to."""
        day = as_of or self.as_of
        crawls = crawl_dates if crawl_dates is not None else [d for d in self.clock.history if d <= day]
        return self.county.ground_truth(day, self.base_urls, crawls)

    def write_truth(self, path: str | Path, as_of: date | None = None) -> Path:
        target = Path(path)
        target.write_text(json.dumps(self.ground_truth(as_of), ensure_ascii=False, indent=1), encoding="utf-8")
        return target

    def stop(self) -> None:
        self._close()

    def _close(self) -> None:
        for listener in self.listeners.values():
            with contextlib.suppress(Exception):
                listener.stop()


def today_from_env() -> date:
    """NIANBAO_NOW (ISO 8601; no offset means Asia/Shanghai) as a China date, else today in China."""
    raw = os.environ.get("NIANBAO_NOW")
    if not raw:
        return datetime.now(SHANGHAI).date()
    moment = datetime.fromisoformat(raw.strip())
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=SHANGHAI)
    return moment.astimezone(SHANGHAI).date()


@contextlib.contextmanager
def serve_county(county: SampleCounty, as_of: date | None = None, timeout_delay: float = DEFAULT_TIMEOUT_DELAY,
                 port: int = 0) -> Iterator[RunningCounty]:
    """Serve every portal of ``county`` on 127.0.0.1 (``port`` 0: free ports) until the block ends."""
    running = RunningCounty(county, as_of or today_from_env(), timeout_delay, port)
    try:
        yield running
    finally:
        running.stop()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m nianbao.demo.portal",
                                     description="Serve the sample county's portals on 127.0.0.1.")
    parser.add_argument("--port", type=int, default=0, help="first port (P, P+1, ... one per portal); 0: free ports")
    parser.add_argument("--as-of", type=date.fromisoformat, default=None,
                        help="date the portals answer as of (default: NIANBAO_NOW, else today)")
    parser.add_argument("--scale", type=int, default=1, help="N times the bodies (benchmarks)")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--timeout-delay", type=float, default=DEFAULT_TIMEOUT_DELAY,
                        help="seconds the hanging portal holds a connection before dropping it")
    parser.add_argument("--registry-out", type=Path, help="write the registry YAML here")
    parser.add_argument("--truth-out", type=Path, help="write the ground truth JSON here")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s")
    if args.scale < 1:
        parser.error("--scale must be at least 1")
    started = time.perf_counter()
    county = SampleCounty.generate(seed=args.seed, scale=args.scale)
    generated = time.perf_counter() - started
    try:
        running = RunningCounty(county, args.as_of or today_from_env(), args.timeout_delay, args.port)
    except OSError as error:
        print(f"cannot listen on port {args.port}: {error}", file=sys.stderr)
        return 2
    if args.registry_out:
        running.write_registry(args.registry_out)
    if args.truth_out:
        running.write_truth(args.truth_out)
    print(f"sample county: {len(county.reports)} reports, {len(county.catalog.bodies)} bodies, "
          f"generated in {generated:.2f}s; as of {running.as_of}", flush=True)
    for key, url in running.base_urls.items():
        print(f"{key:8s} {url}/", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        stop.wait()
    except KeyboardInterrupt:
        pass
    finally:
        running.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
