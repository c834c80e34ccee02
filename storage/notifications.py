"""Notification rows: what was (or is still to be) delivered to which channel.

One row per (alert, event, channel) for ``opened`` and ``resolved`` (a unique index enforces it, so
two senders racing for the same event cannot both win); ``digest`` rows have no alert and carry
the supervising body in ``recipient``, one row per distinct digest content.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, exists, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased

from storage.models import Agency, Alert, NotificationAttempt

CHUNK = 500


@dataclass(frozen=True)
class BodyInfo:
    """What a message needs to know about a body."""

    id: str
    name: str
    level: str
    parent_id: str | None


@dataclass(frozen=True)
class AlertInfo:
    id: int
    agency_id: str
    year: int
    kind: str
    message: str
    created_at: datetime
    resolved_at: datetime | None
    acked_at: datetime | None


def _alert_info(alert: Alert) -> AlertInfo:
    return AlertInfo(
        id=alert.id,
        agency_id=alert.agency_id,
        year=alert.year,
        kind=alert.kind,
        message=alert.message,
        created_at=alert.created_at,
        resolved_at=alert.resolved_at,
        acked_at=alert.acked_at,
    )


def take_write_lock(session: Session) -> None:
    """Make the transaction a writer before it reads.

    On SQLite a transaction that reads first and writes later fails at once (it cannot wait) if
    another process wrote in between; one that writes first waits its turn instead. A no-op
    UPDATE does that on SQLite and costs nothing on PostgreSQL.
    """
    session.execute(
        update(NotificationAttempt)
        .where(NotificationAttempt.id == -1)
        .values(attempts=NotificationAttempt.attempts)
        .execution_options(synchronize_session=False)
    )


def bodies(session: Session) -> dict[str, BodyInfo]:
    rows = session.execute(select(Agency.id, Agency.name, Agency.level, Agency.parent_id))
    return {row.id: BodyInfo(row.id, row.name, row.level, row.parent_id) for row in rows}


def open_alerts(session: Session) -> list[AlertInfo]:
    query = select(Alert).where(Alert.resolved_at.is_(None)).order_by(Alert.id)
    return [_alert_info(alert) for alert in session.scalars(query)]


def alerts_by_id(session: Session, ids: Iterable[int]) -> dict[int, AlertInfo]:
    wanted = sorted(set(ids))
    found: dict[int, AlertInfo] = {}
    for start in range(0, len(wanted), CHUNK):
        query = select(Alert).where(Alert.id.in_(wanted[start : start + CHUNK]))
        found.update((alert.id, _alert_info(alert)) for alert in session.scalars(query))
    return found


def event_keys(session: Session, alert_ids: Iterable[int]) -> set[tuple[int, str, str]]:
    """(alert_id, event, channel) of every row already made for these alerts."""
    wanted = sorted(set(alert_ids))
    keys: set[tuple[int, str, str]] = set()
    for start in range(0, len(wanted), CHUNK):
        query = select(
            NotificationAttempt.alert_id, NotificationAttempt.event, NotificationAttempt.channel
        ).where(NotificationAttempt.alert_id.in_(wanted[start : start + CHUNK]))
        keys.update((row.alert_id, row.event, row.channel) for row in session.execute(query))
    return keys


def resolutions_owed(session: Session) -> list[tuple[int, str]]:
    """(alert_id, channel) where the opening was delivered, the alert is resolved, and no resolution row exists."""
    opened = aliased(NotificationAttempt)
    resolved = aliased(NotificationAttempt)
    query = (
        select(opened.alert_id, opened.channel)
        .join(Alert, Alert.id == opened.alert_id)
        .where(
            opened.event == "opened",
            opened.delivered.is_(True),
            Alert.resolved_at.is_not(None),
            ~exists().where(
                and_(
                    resolved.alert_id == opened.alert_id,
                    resolved.channel == opened.channel,
                    resolved.event == "resolved",
                )
            ),
        )
        .order_by(opened.alert_id)
    )
    return [(row.alert_id, row.channel) for row in session.execute(query)]


def retire_stale_openings(session: Session, at: datetime) -> int:
    """Stop retrying openings of alerts resolved before they got through: the news is stale."""
    resolved_ids = select(Alert.id).where(Alert.resolved_at.is_not(None))
    result = session.execute(
        update(NotificationAttempt)
        .where(
            NotificationAttempt.event == "opened",
            NotificationAttempt.delivered.is_(False),
            NotificationAttempt.next_attempt_at.is_not(None),
            NotificationAttempt.alert_id.in_(resolved_ids),
        )
        .values(next_attempt_at=None, last_error="not sent: the alert was resolved before delivery")
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def add_event(session: Session, *, alert_id: int, event: str, channel: str, body: str, at: datetime) -> bool:
    """Insert one (alert, event, channel) row due now; False if another sender made it first."""
    try:
        with session.begin_nested():
            session.add(
                NotificationAttempt(
                    alert_id=alert_id,
                    event=event,
                    channel=channel,
                    body=body,
                    attempts=0,
                    delivered=False,
                    created_at=at,
                    next_attempt_at=at,
                )
            )
    except IntegrityError:
        return False
    return True


def latest_digests(session: Session) -> dict[tuple[str, str], NotificationAttempt]:
    """The newest digest row per (channel, supervising body)."""
    newest = (
        select(func.max(NotificationAttempt.id))
        .where(NotificationAttempt.event == "digest")
        .group_by(NotificationAttempt.channel, NotificationAttempt.recipient)
    )
    rows = session.scalars(select(NotificationAttempt).where(NotificationAttempt.id.in_(newest)))
    return {(row.channel, row.recipient or ""): row for row in rows}


def put_digest(
    session: Session,
    *,
    channel: str,
    recipient: str,
    body: str,
    previous: NotificationAttempt | None,
    at: datetime,
) -> None:
    """Queue a digest with new content; an older one still waiting for delivery is replaced, not queued twice."""
    if previous is not None and not previous.delivered and previous.next_attempt_at is not None:
        previous.body = body
        previous.next_attempt_at = at
        return
    session.add(
        NotificationAttempt(
            alert_id=None,
            event="digest",
            channel=channel,
            recipient=recipient,
            body=body,
            attempts=0,
            delivered=False,
            created_at=at,
            next_attempt_at=at,
        )
    )


@dataclass(frozen=True)
class DueAttempt:
    id: int
    channel: str
    event: str
    body: str
    attempts: int
    next_attempt_at: datetime


def due_attempts(session: Session, channels: Sequence[str], at: datetime) -> list[DueAttempt]:
    """Undelivered rows of these channels whose time has come, oldest first."""
    if not channels:
        return []
    query = (
        select(NotificationAttempt)
        .where(
            NotificationAttempt.delivered.is_(False),
            NotificationAttempt.next_attempt_at.is_not(None),
            NotificationAttempt.next_attempt_at <= at,
            NotificationAttempt.channel.in_(list(channels)),
        )
        .order_by(NotificationAttempt.id)
    )
    return [
        DueAttempt(row.id, row.channel, row.event, row.body, row.attempts, row.next_attempt_at)  # type: ignore[arg-type]
        for row in session.scalars(query)
    ]


def claim(session: Session, attempt: DueAttempt, lease_until: datetime) -> bool:
    """Take a row for sending: only one sender wins; a sender that dies frees it when the lease ends."""
    result = session.execute(
        update(NotificationAttempt)
        .where(
            NotificationAttempt.id == attempt.id,
            NotificationAttempt.delivered.is_(False),
            NotificationAttempt.next_attempt_at == attempt.next_attempt_at,
        )
        .values(next_attempt_at=lease_until)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount or 0) == 1  # type: ignore[attr-defined]


def record_delivery(session: Session, attempt_id: int, at: datetime) -> None:
    session.execute(
        update(NotificationAttempt)
        .where(NotificationAttempt.id == attempt_id)
        .values(
            attempts=NotificationAttempt.attempts + 1,
            delivered=True,
            last_attempt_at=at,
            next_attempt_at=None,
            last_error=None,
        )
        .execution_options(synchronize_session=False)
    )


def record_failure(
    session: Session,
    attempt_id: int,
    *,
    at: datetime,
    error: str,
    next_at: datetime | None,
    tried: bool = True,
) -> None:
    """A failed try (or, with ``tried=False``, one put off because its channel just failed)."""
    values: dict[str, object] = {"last_error": error[:2000], "next_attempt_at": next_at}
    if tried:
        values.update(attempts=NotificationAttempt.attempts + 1, last_attempt_at=at)
    session.execute(
        update(NotificationAttempt)
        .where(NotificationAttempt.id == attempt_id)
        .values(**values)
        .execution_options(synchronize_session=False)
    )


def attempts_for(session: Session, channel: str | None = None) -> list[NotificationAttempt]:
    """Every row (of one channel), oldest first: for listings and tests."""
    query = select(NotificationAttempt).order_by(NotificationAttempt.id)
    if channel is not None:
        query = query.where(NotificationAttempt.channel == channel)
    return list(session.scalars(query))
