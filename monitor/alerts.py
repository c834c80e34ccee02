"""The alert lifecycle: one open alert per (agency, year, kind), opened when a problem appears and
resolved when it clears (a late report turns up: ``missing`` resolves, ``late`` opens).

The problems themselves are read from the stored statuses, the checks of the reports they point
at and the crawl history; storage.monitoring does that set-wise.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from storage.clock import now as clock_now
from storage.models import ALERT_KINDS
from storage.monitoring import AlertChanges, AlertRow, acknowledge_alert, alert_rows, sync_alerts

KIND_MEANING: dict[str, str] = {
    "missing": "the deadline has passed and a successful crawl found no report",
    "late": "the report was published after the deadline",
    "withdrawn": "a report seen before is gone from the portal",
    "unreachable": "no report found and the portal could not be crawled, so absence is not proven",
    "inconsistent": "the report's numbers fail consistency checks (or do not carry over from last year)",
    "backdated": "the page declares a date before the deadline, but the column was seen without it after",
}
assert set(KIND_MEANING) == set(ALERT_KINDS)


def refresh_alerts(session: Session, *, at: datetime | None = None) -> AlertChanges:
    """Bring the open alerts in line with the stored statuses; call after computing them."""
    return sync_alerts(session, now=at or clock_now())


def open_alerts(session: Session, *, include_resolved: bool = False) -> list[AlertRow]:
    return alert_rows(session, include_resolved=include_resolved)


def acknowledge(session: Session, alert_id: int, *, at: datetime | None = None) -> bool:
    """Record that someone has seen the alert; it stays open until its problem clears."""
    return acknowledge_alert(session, alert_id, at=at or clock_now())
