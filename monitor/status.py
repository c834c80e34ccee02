"""Statuses of every (agency, report year), and the check that computes them and raises alerts.

Semantics (the contract's table, made exact):
- a report is judged by the earliest one seen for that year: its declared ``published_at``, else
  the China date of its first sighting (then ``judged_by`` is ``first_seen``);
- ``on_time`` / ``late`` when a report is on the portal now; ``withdrawn`` when every report seen
  for that year is gone;
- with no report: ``pending`` while the deadline (inclusive) has not passed; ``missing`` only when
  the portal's last crawl succeeded; otherwise ``unreachable``. A body whose portal was never
  crawled (or that has no portal) is ``unreachable`` too: absence is a claim that needs proof.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy.orm import Session

from monitor.alerts import refresh_alerts
from monitor.deadlines import deadline_table, due_years
from storage.clock import now as clock_now
from storage.db import open_database
from storage.monitoring import (
    StatusChanges,
    compute_statuses,
    deadline_rules_in_use,
    earliest_since,
    last_computed_at,
    last_crawl_finished_at,
    registry_changed_at,
    status_counts,
)


def compute(session: Session, *, as_of: date, at: datetime | None = None) -> StatusChanges:
    """Judge every status as of ``as_of`` and store the ones that changed; returns how many rows, how many changed."""
    since = earliest_since(session)
    years = due_years(since, as_of) if since is not None else range(0)
    rules = deadline_table(deadline_rules_in_use(session), years)
    return compute_statuses(session, rules, as_of=as_of, computed_at=at or clock_now())


def is_stale(session: Session) -> bool:
    """No statuses yet, or a crawl finished / the registry changed since they were computed."""
    computed = last_computed_at(session)
    if computed is None:
        return True
    return any(
        moment is not None and moment > computed
        for moment in (last_crawl_finished_at(session), registry_changed_at(session))
    )


@dataclass
class CheckSummary:
    as_of: date
    rows: int
    changed: int = 0  # statuses whose value differs from the last check's
    counts: dict[str, int] = field(default_factory=dict)
    opened: int = 0
    resolved: int = 0
    notifications: int = 0


def run_check(db_url: str, *, as_of: date | None = None, notify: bool = True) -> CheckSummary:
    """Compute and store every status, open/resolve alerts (one transaction), then notify.

    ``notify=False`` skips delivery: the demo's made-up county must not reach anyone's real channels.
    """
    from monitor.notify import send_notifications

    at = clock_now()
    day = as_of or at.date()
    with open_database(db_url) as session:
        statuses = compute(session, as_of=day, at=at)
        changes = refresh_alerts(session, at=at)
        counts = status_counts(session)
    summary = CheckSummary(
        as_of=day,
        rows=statuses.total,
        changed=statuses.changed,
        counts=counts,
        opened=changes.opened,
        resolved=changes.resolved,
    )
    if notify:
        summary.notifications = send_notifications(db_url)
    return summary
