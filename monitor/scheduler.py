"""Crawls that run themselves: APScheduler jobs, one per portal, with a check after each crawl.

Jobs live in the project database (APScheduler's own ``apscheduler_jobs`` table) under stable ids,
so a restart neither duplicates them nor forgets a run missed while the daemon was down (missed
runs are coalesced into one). Each crawl runs in a subprocess (Twisted's reactor cannot restart
in one process); checks are serialised so two crawls finishing together cause one check after
the other, never two at once. Job functions are module-level: the job store pickles references.
"""

from __future__ import annotations

import hashlib
import logging
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from storage.clock import CHINA, now

log = logging.getLogger(__name__)

JOB_TABLE = "apscheduler_jobs"
CRAWL_JOB_PREFIX = "crawl:"
NOTIFY_JOB_ID = "notify:retry"
SYNC_JOB_ID = "registry:sync"
DEFAULT_WINDOWS = ("01-17/02-14", "03-17/04-14")
FIXED_START = datetime(2000, 1, 1, tzinfo=CHINA)  # interval triggers need a start that survives restarts


class ScheduleConfigError(ValueError):
    """The ``schedule:`` section cannot be used; the message names the field."""


@dataclass(frozen=True)
class ScheduleConfig:
    cron: str = "0 3 * * *"  # daily, 03:00 China time
    busy_cron: str = "0 * * * *"  # hourly around the two statutory deadlines
    busy_windows: tuple[str, ...] = DEFAULT_WINDOWS
    interval_seconds: float | None = None  # replaces both crons (tests, demos)
    misfire_grace_time: int = 6 * 3600
    crawl_timeout: int = 4 * 3600
    check_timeout: int = 3600
    workers: int = 4
    retry_seconds: int = 300  # how often failed notifications are retried between checks
    sync_seconds: int = 900  # how often registry changes are turned into jobs
    ignore_robots: bool = False


_INT_FIELDS = (
    "misfire_grace_time",
    "crawl_timeout",
    "check_timeout",
    "workers",
    "retry_seconds",
    "sync_seconds",
)


def parse_schedule(section: Any, source: str = "settings") -> ScheduleConfig:
    if section is None:
        return ScheduleConfig()
    where = f"{source}: schedule"
    if not isinstance(section, dict):
        raise ScheduleConfigError(f"{where}: expected a mapping")
    known = set(ScheduleConfig.__dataclass_fields__)
    unknown = set(section) - known
    if unknown:
        raise ScheduleConfigError(f"{where}: unknown field(s) {', '.join(sorted(map(str, unknown)))}")
    values: dict[str, Any] = {}
    for name in ("cron", "busy_cron"):
        if name in section:
            if not isinstance(section[name], str):
                raise ScheduleConfigError(f"{where}: '{name}' must be a crontab string like \"0 3 * * *\"")
            values[name] = section[name].strip()
    if "busy_windows" in section:
        windows = section["busy_windows"] or []
        if not isinstance(windows, list) or not all(isinstance(w, str) for w in windows):
            raise ScheduleConfigError(f"{where}: 'busy_windows' must be a list like [\"01-17/02-14\"]")
        values["busy_windows"] = tuple(windows)
    if section.get("interval_seconds") is not None:
        interval = section["interval_seconds"]
        if isinstance(interval, bool) or not isinstance(interval, int | float) or interval <= 0:
            raise ScheduleConfigError(f"{where}: 'interval_seconds' must be a positive number")
        values["interval_seconds"] = float(interval)
    for name in _INT_FIELDS:
        if name in section:
            value = section[name]
            if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
                raise ScheduleConfigError(f"{where}: '{name}' must be a positive whole number")
            values[name] = value
    if "ignore_robots" in section:
        if not isinstance(section["ignore_robots"], bool):
            raise ScheduleConfigError(f"{where}: 'ignore_robots' must be true or false")
        values["ignore_robots"] = section["ignore_robots"]
    config = ScheduleConfig(**values)
    try:
        build_trigger(config)
    except ValueError as exc:
        raise ScheduleConfigError(f"{where}: {exc}") from exc
    return config


# --- triggers -------------------------------------------------------------------------------


def build_trigger(config: ScheduleConfig):  # type: ignore[no-untyped-def]
    """The crawl rhythm: the normal cron, plus the busy cron inside the busy windows."""
    from apscheduler.triggers.combining import OrTrigger
    from apscheduler.triggers.cron import CronTrigger
    from apscheduler.triggers.interval import IntervalTrigger

    if config.interval_seconds:
        return IntervalTrigger(seconds=config.interval_seconds, start_date=FIXED_START, timezone=CHINA)
    normal = _crontab(config.cron, "cron")
    minute, hour, day, month, weekday = normal
    triggers = [
        CronTrigger(minute=minute, hour=hour, day=day, month=month, day_of_week=weekday, timezone=CHINA)
    ]
    if config.busy_windows:
        minute, hour, day, month, weekday = _crontab(config.busy_cron, "busy_cron")
        if (day, month) != ("*", "*"):
            raise ValueError("'busy_cron' must leave day and month as * (the windows give them)")
        for window in config.busy_windows:
            for window_month, days in window_segments(window):
                triggers.append(
                    CronTrigger(
                        minute=minute,
                        hour=hour,
                        day=days,
                        month=window_month,
                        day_of_week=weekday,
                        timezone=CHINA,
                    )
                )
    return triggers[0] if len(triggers) == 1 else OrTrigger(triggers)


def _crontab(expression: str, name: str) -> tuple[str, str, str, str, str]:
    from apscheduler.triggers.cron import CronTrigger

    fields = expression.split()
    if len(fields) != 5:
        raise ValueError(
            f"'{name}' must have five fields (minute hour day month weekday), got {expression!r}"
        )
    CronTrigger.from_crontab(expression, timezone=CHINA)  # raises ValueError on a bad field
    return fields[0], fields[1], fields[2], fields[3], fields[4]


def window_segments(window: str) -> list[tuple[int, str]]:
    """ "01-17/02-14" → [(1, "17-31"), (2, "1-14")]; a window may run over New Year."""
    try:
        start_text, end_text = window.split("/")
        start = tuple(int(part) for part in start_text.split("-"))
        end = tuple(int(part) for part in end_text.split("-"))
        datetime(2024, *start)  # a leap year admits 02-29
        datetime(2024, *end)
    except (ValueError, TypeError) as exc:
        raise ValueError(f"busy window {window!r} is not MM-DD/MM-DD") from exc
    (m1, d1), (m2, d2) = start, end
    months = []
    month = m1
    while True:
        months.append(month)
        if month == m2 and (m1 != m2 or d1 <= d2 or len(months) > 1):
            break
        month = month % 12 + 1
    if len(months) == 1:
        return [(m1, f"{d1}-{d2}")]
    segments = [(m1, f"{d1}-31")]
    segments += [(m, "1-31") for m in months[1:-1]]
    segments.append((m2, f"1-{d2}"))
    return segments


# --- what runs ------------------------------------------------------------------------------

_children: dict[subprocess.Popen[str], str] = {}  # process → its command ("crawl", "check")
_children_lock = threading.Lock()
_stopping = threading.Event()
_check_lock = threading.Lock()
_check_wanted = threading.Event()
_active: dict[str, Any] = {}  # the running daemon's scheduler and settings, for the sync job


class CrawlCheckGate:
    """On SQLite, a check never runs beside a crawl.

    SQLite has one writer at a time, and a transaction that read before writing fails outright
    (it cannot wait) when another process wrote in between; crawls may share the database with
    each other, but a check waits until the crawls under way end, and new crawls wait for it.
    PostgreSQL needs none of this: the gate lets everything through.
    """

    def __init__(self) -> None:
        self._condition = threading.Condition()
        self._crawls = 0
        self._checks_waiting = 0
        self._checking = False

    @contextmanager
    def crawl(self, db_url: str) -> Iterator[None]:
        if not db_url.startswith("sqlite"):
            yield
            return
        with self._condition:
            self._condition.wait_for(lambda: not self._checking and not self._checks_waiting)
            self._crawls += 1
        try:
            yield
        finally:
            with self._condition:
                self._crawls -= 1
                self._condition.notify_all()

    @contextmanager
    def check(self, db_url: str) -> Iterator[None]:
        if not db_url.startswith("sqlite"):
            yield
            return
        with self._condition:
            self._checks_waiting += 1
            self._condition.wait_for(lambda: not self._crawls and not self._checking)
            self._checks_waiting -= 1
            self._checking = True
        try:
            yield
        finally:
            with self._condition:
                self._checking = False
                self._condition.notify_all()


_gate = CrawlCheckGate()


def portal_job_id(portal_url: str) -> str:
    return CRAWL_JOB_PREFIX + hashlib.sha256(portal_url.encode("utf-8")).hexdigest()[:16]


def child_environment(db_url: str, settings_path: str | None) -> dict[str, str]:
    """The child sees the same database, settings and code as this process."""
    env = dict(os.environ)
    env["NIANBAO_DB"] = db_url
    if settings_path:
        env["NIANBAO_SETTINGS"] = settings_path
    root = str(Path(__file__).resolve().parent.parent)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH", "")) if p)
    return env


def run_child(
    args: Sequence[str], *, db_url: str, settings_path: str | None, timeout: int, label: str
) -> int:
    """Run ``python -m nianbao ARGS`` and log its output; returns its exit code (-1 if killed)."""
    if _stopping.is_set():
        return -1
    command = [sys.executable, "-m", "nianbao", *args]
    process = subprocess.Popen(
        command,
        env=child_environment(db_url, settings_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        errors="replace",
    )
    with _children_lock:
        _children[process] = args[0]
    try:
        output, _ = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _terminate(process)
        output, _ = process.communicate()
        log.error("%s: gave up after %ds", label, timeout)
    finally:
        with _children_lock:
            _children.pop(process, None)
    for line in (output or "").splitlines()[-40:]:
        log.info("%s | %s", label, line)
    log.info("%s: exit %s", label, process.returncode)
    return process.returncode if process.returncode is not None else -1


def _terminate(process: subprocess.Popen[str], grace: float = 10.0) -> None:
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(grace)
    except subprocess.TimeoutExpired:
        process.kill()


def stop_children() -> None:
    """Start nothing new and end the crawls under way.

    A check under way is left to finish: it is short, and cutting it between sending a message
    and recording the delivery is the one way a message could go out twice.
    """
    _stopping.set()
    with _children_lock:
        crawls = [process for process, command in _children.items() if command == "crawl"]
    for process in crawls:
        _terminate(process)


def crawl_arguments(agency_ids: Sequence[str], config: ScheduleConfig) -> list[str]:
    args = ["crawl"]
    for agency_id in agency_ids:
        args += ["--agency", agency_id]
    if config.ignore_robots:
        args.append("--ignore-robots")
    return args


def run_check(db_url: str, settings_path: str | None, config: ScheduleConfig) -> int:
    """``nianbao check`` (which also notifies) in a subprocess, one at a time.

    A request made while a check runs is served by one more check afterwards, so the newest crawl
    is always looked at, and a burst of finished crawls costs two checks, not one each.
    """
    if _awaiting_first_crawls(db_url, config):
        log.info("check put off: some portals have not been crawled yet since the daemon started")
        return 0
    _check_wanted.set()
    code = 0
    while _check_wanted.is_set() and not _stopping.is_set():
        if not _check_lock.acquire(blocking=False):
            return 0  # the check under way will run once more for us
        try:
            while _check_wanted.is_set() and not _stopping.is_set():
                _check_wanted.clear()
                with _gate.check(db_url):
                    code = run_child(
                        ["check"],
                        db_url=db_url,
                        settings_path=settings_path,
                        timeout=config.check_timeout,
                        label="check",
                    )
        finally:
            _check_lock.release()
    return code


def _awaiting_first_crawls(db_url: str, config: ScheduleConfig) -> bool:
    """In the daemon's first hours, a portal never crawled would read as "unreachable" to the check
    and raise alerts that the portal's own first crawl resolves minutes later; wait for it instead.
    """
    started = _active.get("started")
    if started is None or (now_monotonic() - started) > config.crawl_timeout:
        return False
    from storage.db import open_database
    from storage.schedule import bodies_by_portal, last_crawled, portal_key

    with open_database(db_url) as session:
        visits = last_crawled(session)
        portals = bodies_by_portal(session)
    return any(visits.get(portal_key(url)) is None for url in portals)


def now_monotonic() -> float:
    import time

    return time.monotonic()


def crawl_portal_job(db_url: str, portal_url: str, settings_path: str | None) -> int:
    """The job of one portal: crawl the bodies registered there, then check."""
    config = _config()
    from storage.db import open_database
    from storage.schedule import bodies_by_portal

    with open_database(db_url) as session:
        agency_ids = bodies_by_portal(session).get(portal_url, [])
    if not agency_ids:
        log.info("portal %s has no registered bodies any more; nothing to crawl", portal_url)
        return 0
    with _gate.crawl(db_url):
        crawl_code = run_child(
            crawl_arguments(agency_ids, config),
            db_url=db_url,
            settings_path=settings_path,
            timeout=config.crawl_timeout,
            label=f"crawl {portal_url}",
        )
    if _stopping.is_set():
        return crawl_code
    check_code = run_check(db_url, settings_path, config)
    return max(crawl_code, check_code)


def retry_notifications_job(db_url: str, settings_path: str | None) -> int:
    """Between checks, give failed channels their retries."""
    if settings_path:
        os.environ["NIANBAO_SETTINGS"] = settings_path
    from monitor.notify import send_notifications

    return send_notifications(db_url)


def sync_registry_job(db_url: str, settings_path: str | None) -> None:
    """Reload the registry file (if the settings name one) and bring the crawl jobs in line with it."""
    scheduler = _active.get("scheduler")
    config = _config()
    registry = _active.get("registry")
    if registry:
        load_registry(db_url, registry)
    if scheduler is not None:
        sync_jobs(scheduler, db_url, config, settings_path)


def _config() -> ScheduleConfig:
    return _active.get("config") or ScheduleConfig()


def load_registry(db_url: str, path: Path) -> None:
    from monitor.registry import read_registry
    from storage.agencies import existing_agency_ids, upsert_agencies
    from storage.db import open_database

    with open_database(db_url) as session:
        entries = read_registry(Path(path), known_ids=existing_agency_ids(session))
        upsert_agencies(session, entries)


# --- jobs in the store ----------------------------------------------------------------------


def job_defaults(config: ScheduleConfig) -> dict[str, Any]:
    return {"coalesce": True, "max_instances": 1, "misfire_grace_time": config.misfire_grace_time}


def job_store(db_url: str):  # type: ignore[no-untyped-def]
    from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore

    from storage.db import engine_for

    return SQLAlchemyJobStore(engine=engine_for(db_url), tablename=JOB_TABLE)


@dataclass(frozen=True)
class JobSpec:
    id: str
    func: str
    args: tuple[Any, ...]
    trigger: Any
    name: str


def wanted_jobs(db_url: str, config: ScheduleConfig, settings_path: str | None) -> list[JobSpec]:
    from apscheduler.triggers.interval import IntervalTrigger

    from storage.db import open_database
    from storage.schedule import bodies_by_portal

    with open_database(db_url) as session:
        portals = bodies_by_portal(session)
    trigger = build_trigger(config)
    specs = [
        JobSpec(
            id=portal_job_id(url),
            func=f"{__name__}:crawl_portal_job",
            args=(db_url, url, settings_path),
            trigger=trigger,
            name=f"crawl {url}",
        )
        for url in portals
    ]
    every = {"start_date": FIXED_START, "timezone": CHINA}
    specs.append(
        JobSpec(
            id=NOTIFY_JOB_ID,
            func=f"{__name__}:retry_notifications_job",
            args=(db_url, settings_path),
            trigger=IntervalTrigger(seconds=config.retry_seconds, **every),
            name="retry failed notifications",
        )
    )
    specs.append(
        JobSpec(
            id=SYNC_JOB_ID,
            func=f"{__name__}:sync_registry_job",
            args=(db_url, settings_path),
            trigger=IntervalTrigger(seconds=config.sync_seconds, **every),
            name="registry → jobs",
        )
    )
    return specs


def _same(job: Any, spec: JobSpec) -> bool:
    return (
        job.func_ref == spec.func and tuple(job.args) == spec.args and str(job.trigger) == str(spec.trigger)
    )


def sync_jobs(
    scheduler: Any, db_url: str, config: ScheduleConfig, settings_path: str | None
) -> dict[str, int]:
    """Add missing jobs, replace changed ones, remove those of portals no longer registered.

    Unchanged jobs are left as they are, so a run they missed while the daemon was down still
    happens (once) when it comes back.
    """
    specs = wanted_jobs(db_url, config, settings_path)
    counts = {"added": 0, "replaced": 0, "kept": 0, "removed": 0}
    current = {job.id: job for job in scheduler.get_jobs()}
    for spec in specs:
        job = current.get(spec.id)
        if job is not None and _same(job, spec):
            counts["kept"] += 1
            continue
        scheduler.add_job(
            spec.func,
            trigger=spec.trigger,
            args=spec.args,
            id=spec.id,
            name=spec.name,
            replace_existing=True,
            **job_defaults(config),
        )
        counts["replaced" if job is not None else "added"] += 1
    wanted = {spec.id for spec in specs}
    for job_id in current:
        if job_id not in wanted:
            scheduler.remove_job(job_id)
            counts["removed"] += 1
    return counts


def prepare_store(db_url: str, config: ScheduleConfig, settings_path: str | None) -> dict[str, int]:
    """Bring the stored jobs in line with the registry and settings, without running any."""
    from apscheduler.schedulers.background import BackgroundScheduler

    scheduler = BackgroundScheduler(jobstores={"default": job_store(db_url)}, timezone=CHINA)
    scheduler.start(paused=True)
    try:
        return sync_jobs(scheduler, db_url, config, settings_path)
    finally:
        scheduler.shutdown(wait=False)


def run_daemon(
    db_url: str, config: ScheduleConfig, settings_path: str | None, registry: Path | None = None
) -> None:
    """Run until SIGTERM or SIGINT; then end the crawl under way and return."""
    from apscheduler.executors.pool import ThreadPoolExecutor
    from apscheduler.schedulers.blocking import BlockingScheduler

    from storage.db import upgrade

    upgrade(db_url)
    _stopping.clear()
    if registry:
        load_registry(db_url, registry)
    counts = prepare_store(db_url, config, settings_path)
    log.info("jobs: %s", ", ".join(f"{n} {k}" for k, n in counts.items()))
    scheduler = BlockingScheduler(
        jobstores={"default": job_store(db_url)},
        executors={"default": ThreadPoolExecutor(config.workers)},
        job_defaults=job_defaults(config),
        timezone=CHINA,
    )
    _active.update(scheduler=scheduler, config=config, registry=registry, started=now_monotonic())

    def stop(signum: int, _frame: object) -> None:
        log.info("signal %s: stopping", signal.Signals(signum).name)
        stop_children()
        scheduler.shutdown(wait=False)

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        scheduler.start()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        _active.clear()
    log.info("scheduler stopped")


# --- one cycle and the listing --------------------------------------------------------------


@dataclass(frozen=True)
class PortalPlan:
    url: str
    agency_ids: tuple[str, ...]
    last_crawled_at: datetime | None
    next_run_at: datetime | None
    due: bool


def plan_portals(db_url: str, config: ScheduleConfig, at: datetime | None = None) -> list[PortalPlan]:
    """Every registered portal: when it was last crawled, when it is next due, and whether it is due now."""
    from storage.db import open_database
    from storage.schedule import bodies_by_portal, last_crawled, portal_key

    at = at or now()
    trigger = build_trigger(config)
    with open_database(db_url) as session:
        portals = bodies_by_portal(session)
        visits = last_crawled(session)
    plans = []
    for url, ids in portals.items():
        last = visits.get(portal_key(url))
        if last is None:
            plans.append(PortalPlan(url, tuple(ids), None, at, True))
            continue
        following = trigger.get_next_fire_time(None, last.astimezone(CHINA) + timedelta(seconds=1))
        plans.append(PortalPlan(url, tuple(ids), last, following, following is not None and following <= at))
    return plans


def run_once(
    db_url: str,
    config: ScheduleConfig,
    settings_path: str | None,
    registry: Path | None = None,
    everything: bool = False,
) -> int:
    """One cycle: crawl every due portal (all with ``everything``), then check and notify.

    Returns 0, or 1 when a crawl or the check reported a failure.
    """
    from storage.db import upgrade

    upgrade(db_url)
    _stopping.clear()
    if registry:
        load_registry(db_url, registry)
    plans = plan_portals(db_url, config)
    due = [plan for plan in plans if plan.due or everything]
    log.info("%d of %d portals due", len(due), len(plans))
    crawl_code = 0
    if due:
        ids = sorted({agency_id for plan in due for agency_id in plan.agency_ids})
        crawl_code = run_child(
            crawl_arguments(ids, config),
            db_url=db_url,
            settings_path=settings_path,
            timeout=config.crawl_timeout,
            label="crawl",
        )
    check_code = run_check(db_url, settings_path, config)
    return 0 if crawl_code == 0 and check_code == 0 else 1


@dataclass(frozen=True)
class JobListing:
    id: str
    name: str
    next_run_at: datetime | None
    stored: bool  # False: the daemon has not stored this job yet; the time is what it would be


def list_jobs(db_url: str, config: ScheduleConfig, settings_path: str | None) -> list[JobListing]:
    """The jobs as stored (what a running daemon will do), and those it would add on start."""
    from apscheduler.schedulers.background import BackgroundScheduler

    from storage.db import upgrade

    upgrade(db_url)
    scheduler = BackgroundScheduler(jobstores={"default": job_store(db_url)}, timezone=CHINA)
    scheduler.start(paused=True)
    try:
        stored = {job.id: job for job in scheduler.get_jobs()}
    finally:
        scheduler.shutdown(wait=False)
    listing = []
    at = now()
    for spec in wanted_jobs(db_url, config, settings_path):
        job = stored.pop(spec.id, None)
        if job is not None and _same(job, spec):
            listing.append(JobListing(spec.id, spec.name, job.next_run_time, True))
        else:
            listing.append(JobListing(spec.id, spec.name, spec.trigger.get_next_fire_time(None, at), False))
    listing += [JobListing(job.id, job.name, job.next_run_time, True) for job in stored.values()]
    return sorted(listing, key=lambda j: (j.next_run_at is None, j.next_run_at or at, j.id))
