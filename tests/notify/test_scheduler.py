"""The scheduler: its rhythm, one cycle (`--once`), and the daemon killed and restarted.

Runs against the sample county served on 127.0.0.1, with the real `nianbao crawl` and
`nianbao check` in subprocesses, and a real webhook receiving the notifications.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
import yaml
from sqlalchemy import func, select, text

from monitor.scheduler import JOB_TABLE, ScheduleConfig, build_trigger, portal_job_id, window_segments
from nianbao.demo.portal import RunningCounty, SampleCounty, serve_county
from storage.clock import CHINA
from storage.db import open_database
from storage.models import AgencyYearStatus, Alert, CrawlRun, NotificationAttempt
from tests.notify.servers import Webhook

ROOT = Path(__file__).resolve().parents[2]
NOW = "2024-06-01T10:00:00+08:00"
# Fast portals of the sample county, one of them behind a WAF (unreachable → alerts).
BODIES = ("yunxi-town-002", "yunxi-town-004", "yunxi-town-011")


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=CHINA)


def fires(config: ScheduleConfig, start: str, count: int) -> list[str]:
    trigger = build_trigger(config)
    result, previous, moment = [], None, at(start)
    for _ in range(count):
        moment = trigger.get_next_fire_time(previous, moment)
        result.append(moment.strftime("%m-%d %H:%M"))
        previous = moment
    return result


def test_daily_outside_the_busy_weeks_and_hourly_inside() -> None:
    config = ScheduleConfig()
    assert fires(config, "2024-06-10T00:00:00", 2) == ["06-10 03:00", "06-11 03:00"]
    assert fires(config, "2024-01-20T10:30:00", 2) == ["01-20 11:00", "01-20 12:00"]
    assert fires(config, "2024-02-14T23:30:00", 2) == ["02-15 03:00", "02-16 03:00"]
    assert fires(config, "2024-03-16T22:00:00", 3) == ["03-17 00:00", "03-17 01:00", "03-17 02:00"]
    assert fires(config, "2024-04-14T23:00:00", 2) == ["04-14 23:00", "04-15 03:00"]


def test_busy_windows_can_span_months_and_the_new_year() -> None:
    assert window_segments("01-17/02-14") == [(1, "17-31"), (2, "1-14")]
    assert window_segments("12-20/01-10") == [(12, "20-31"), (1, "1-10")]
    assert window_segments("03-01/03-31") == [(3, "1-31")]
    assert window_segments("11-15/02-01") == [(11, "15-31"), (12, "1-31"), (1, "1-31"), (2, "1-1")]
    config = ScheduleConfig(busy_windows=("12-30/01-01",))
    assert fires(config, "2024-12-31T22:30:00", 3) == ["12-31 23:00", "01-01 00:00", "01-01 01:00"]


# --- against the sample county ------------------------------------------------------------


@pytest.fixture(scope="module")
def county() -> Iterator[RunningCounty]:
    with serve_county(SampleCounty.generate(seed=2024), as_of=date(2024, 6, 1), timeout_delay=1.0) as running:
        yield running


@pytest.fixture
def webhook() -> Iterator[Webhook]:
    hook = Webhook().start()
    yield hook
    hook.stop()


def write_settings(tmp_path: Path, county: RunningCounty, schedule: dict[str, object]) -> Path:
    """The chosen bodies (and their county government, without a portal, so digests have a parent)."""
    agencies = []
    for entry in county.registry()["agencies"]:
        if entry["id"] == "yunxi-gov":
            agencies.append({**entry, "portal": None})
        elif entry["id"] in BODIES:
            agencies.append(entry)
    (tmp_path / "registry.yaml").write_text(
        yaml.safe_dump({"agencies": agencies}, allow_unicode=True), "utf-8"
    )
    settings = {"registry": "registry.yaml", "schedule": schedule}
    path = tmp_path / "settings.yaml"
    path.write_text(yaml.safe_dump(settings), encoding="utf-8")
    return path


def environment(db_url: str, webhook: Webhook, now: str = NOW) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("NIANBAO_SETTINGS", "NIANBAO_NOTIFY")}
    return {
        **env,
        "NIANBAO_DB": db_url,
        "NIANBAO_NOW": now,
        "NIANBAO_NOTIFY": webhook.url(),
        "PYTHONPATH": str(ROOT),
    }


def schedule(*args: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "nianbao", "schedule", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )


def count(db_url: str, model: type) -> int:
    with open_database(db_url) as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def open_alert_ids(db_url: str) -> set[int]:
    with open_database(db_url) as session:
        return set(session.scalars(select(Alert.id).where(Alert.resolved_at.is_(None))))


def announced(webhook: Webhook) -> Counter[tuple[str, int]]:
    """(event, alert id) of every message received: each must arrive once."""
    seen: Counter[tuple[str, int]] = Counter()
    for message in webhook.texts():
        match = re.search(r"告警编号：#(\d+)", message)
        assert match, message
        seen[("resolved" if "已解除" in message else "opened", int(match.group(1)))] += 1
    return seen


def test_once_crawls_due_portals_then_checks_and_notifies(
    db_url: str, tmp_path: Path, county: RunningCounty, webhook: Webhook
) -> None:
    settings = write_settings(tmp_path, county, {})
    env = environment(db_url, webhook)

    first = schedule("--once", "-v", "--settings", str(settings), cwd=tmp_path, env=env)
    assert first.returncode == 1, first.stderr  # the WAF portal could not be crawled
    assert "3 of 3 portals due" in first.stderr
    with open_database(db_url) as session:
        statuses = {(s.agency_id, s.year): s.status for s in session.scalars(select(AgencyYearStatus))}
    assert statuses[("yunxi-town-011", 2023)] == "unreachable"
    assert statuses[("yunxi-town-002", 2023)] in ("on_time", "late")
    alerts = open_alert_ids(db_url)
    assert alerts and set(announced(webhook)) == {("opened", i) for i in alerts}

    again = schedule("--once", "-v", "--settings", str(settings), cwd=tmp_path, env=env)
    assert "0 of 3 portals due" in again.stderr  # crawled this morning; next due at 03:00 tomorrow
    assert count(db_url, CrawlRun) == 1
    assert set(announced(webhook).values()) == {1}

    tomorrow = schedule(
        "--once",
        "-v",
        "--settings",
        str(settings),
        cwd=tmp_path,
        env=environment(db_url, webhook, "2024-06-02T09:00:00+08:00"),
    )
    assert "3 of 3 portals due" in tomorrow.stderr
    assert count(db_url, CrawlRun) == 2
    assert set(announced(webhook).values()) == {1}

    listing = schedule("--list", "--format", "json", "--settings", str(settings), cwd=tmp_path, env=env)
    assert listing.returncode == 0, listing.stderr
    ids = {job["id"] for job in yaml.safe_load(listing.stdout)}
    portals = {
        e["portal"]
        for e in yaml.safe_load((tmp_path / "registry.yaml").read_text())["agencies"]
        if e["portal"]
    }
    assert ids == {portal_job_id(p) for p in portals} | {"notify:retry", "registry:sync"}


def wait_for(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.5)
    raise AssertionError(f"timed out waiting for {what}")


def finished_runs(db_url: str) -> int:
    with open_database(db_url) as session:
        return int(session.scalar(select(func.count()).where(CrawlRun.state != "running")) or 0)


def stored_jobs(db_url: str) -> list[str]:
    with open_database(db_url) as session:
        return sorted(session.scalars(text(f"SELECT id FROM {JOB_TABLE}")))


def start_daemon(settings: Path, cwd: Path, env: dict[str, str]) -> subprocess.Popen[str]:
    log = open(cwd / "daemon.log", "a", encoding="utf-8")  # noqa: SIM115 (closed with the process)
    return subprocess.Popen(
        [sys.executable, "-m", "nianbao", "schedule", "--settings", str(settings)],
        cwd=cwd,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # its own process group, so a kill reaches its crawls too
    )


def test_daemon_killed_and_restarted_carries_on_without_duplicates(
    db_url: str, tmp_path: Path, county: RunningCounty, webhook: Webhook
) -> None:
    settings = write_settings(tmp_path, county, {"interval_seconds": 2, "retry_seconds": 5})
    env = environment(db_url, webhook)

    def delivered_all() -> bool:
        # Recorded as well as received: a kill between the two is the one window in which a
        # message is sent again (after the lease; test_notify covers it), not what this test is about.
        ids = open_alert_ids(db_url)
        if not ids or not {("opened", i) for i in ids} <= set(announced(webhook)):
            return False
        with open_database(db_url) as session:
            rows = list(session.scalars(select(NotificationAttempt)))
        return all(row.delivered for row in rows)

    daemon = start_daemon(settings, tmp_path, env)
    try:
        wait_for(lambda: count(db_url, CrawlRun) >= 3, 120, "a crawl of every portal")
        wait_for(delivered_all, 60, "every alert announced")
    finally:
        os.killpg(daemon.pid, signal.SIGKILL)  # no clean shutdown: as after a power cut
        daemon.wait(10)
    jobs = stored_jobs(db_url)
    assert len(jobs) == 5 and len(set(jobs)) == 5  # three portals, retries, registry sync
    runs_before = count(db_url, CrawlRun)

    log_path = tmp_path / "daemon.log"
    log_before = log_path.read_text(encoding="utf-8")
    daemon = start_daemon(settings, tmp_path, env)
    try:
        wait_for(lambda: finished_runs(db_url) >= runs_before + 3, 120, "crawls after the restart")
        wait_for(
            lambda: "check: exit" in log_path.read_text(encoding="utf-8")[len(log_before) :], 60, "a check"
        )
    finally:
        daemon.send_signal(signal.SIGTERM)
        code = daemon.wait(60)
    log = log_path.read_text(encoding="utf-8")
    assert count(db_url, AgencyYearStatus) > 0
    assert code == 0, log[-3000:]
    assert "scheduler stopped" in log
    assert stored_jobs(db_url) == jobs
    assert set(announced(webhook).values()) == {1}, "a message was sent twice"
    with open_database(db_url) as session:
        rows = list(session.scalars(select(NotificationAttempt)))
    assert rows and all(row.delivered for row in rows)
    assert Counter((r.alert_id, r.event, r.channel) for r in rows).most_common(1)[0][1] == 1
