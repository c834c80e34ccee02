"""Delivering alert events to people.

Each run first *plans* (writes a row for every event a channel has not had yet: a new alert, a
resolution of one it was told about, a digest whose content changed), then *sends* every row
that is due. Rows are the memory: a delivered row is never sent again, a failed one waits with
exponential back-off, and a channel that fails is left alone for the rest of the run so it never
holds up the others.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from monitor.channels import Channel
from monitor.messages import digest_message, opened_message, resolved_message, split_message
from storage import notifications as rows
from storage.clock import now
from storage.db import session_scope, upgrade
from storage.notifications import AlertInfo, BodyInfo

log = logging.getLogger(__name__)

FIRST_RETRY = timedelta(minutes=1)
LONGEST_WAIT = timedelta(hours=6)
MAX_ATTEMPTS = 20
# A sender holds a row this long; if it dies mid-send, another run takes the row over afterwards.
LEASE = timedelta(minutes=10)
CONNECT_TIMEOUT = 5.0
READ_TIMEOUT = 10.0


@dataclass(frozen=True)
class Outcome:
    ok: bool
    error: str | None = None


def retry_delay(attempts: int) -> timedelta:
    """Wait after the ``attempts``-th failure: 1, 2, 4 … minutes, at most six hours."""
    return min(FIRST_RETRY * (2 ** max(attempts - 1, 0)), LONGEST_WAIT)


def send_notifications(db_url: str, channels: Sequence[Channel] | None = None) -> int:
    """Send every alert event not yet delivered to every admitting channel; returns messages sent.

    ``channels`` defaults to those configured (``NIANBAO_NOTIFY`` and the settings file).
    """
    if channels is None:
        channels = configured_channels()
    if not channels:
        return 0
    upgrade(db_url)
    with session_scope(db_url) as session:
        plan_events(session, channels, at=now())
    return send_due(db_url, channels)


def configured_channels() -> list[Channel]:
    # The application layer owns the settings file (where it is, what it holds); this is only its reader.
    from nianbao.settings import load_settings, notify_channels

    return notify_channels(load_settings())


def lineage(bodies: Mapping[str, BodyInfo], agency_id: str) -> list[str]:
    """The body's id, then its supervising bodies' ids, nearest first (cycles cut)."""
    chain = [agency_id]
    current = bodies.get(agency_id)
    while current is not None and current.parent_id and current.parent_id not in chain:
        chain.append(current.parent_id)
        current = bodies.get(current.parent_id)
    return chain


def admits(channel: Channel, alert: AlertInfo, bodies: Mapping[str, BodyInfo]) -> bool:
    body = bodies.get(alert.agency_id)
    return channel.filter.admits(
        kind=alert.kind, level=body.level if body else "", lineage=lineage(bodies, alert.agency_id)
    )


def plan_events(session, channels: Sequence[Channel], at: datetime) -> int:  # type: ignore[no-untyped-def]
    """Write a due row for every event some channel has not had yet; returns rows written."""
    rows.take_write_lock(session)
    bodies = rows.bodies(session)
    open_alerts = rows.open_alerts(session)
    known = rows.event_keys(session, (a.id for a in open_alerts))
    written = 0
    for channel in channels:
        if not channel.wants("opened"):
            continue
        for alert in open_alerts:
            if alert.acked_at is not None or (alert.id, "opened", channel.name) in known:
                continue
            if admits(channel, alert, bodies) and rows.add_event(
                session,
                alert_id=alert.id,
                event="opened",
                channel=channel.name,
                body=opened_message(alert, bodies),
                at=at,
            ):
                written += 1
    rows.retire_stale_openings(session, at)
    written += _plan_resolutions(session, channels, bodies, at)
    written += _plan_digests(session, channels, open_alerts, bodies, at)
    return written


def _plan_resolutions(session, channels, bodies, at) -> int:  # type: ignore[no-untyped-def]
    wanting = {c.name for c in channels if c.wants("resolved")}
    owed = [(alert_id, name) for alert_id, name in rows.resolutions_owed(session) if name in wanting]
    alerts = rows.alerts_by_id(session, (alert_id for alert_id, _ in owed))
    written = 0
    for alert_id, name in owed:
        alert = alerts.get(alert_id)
        if alert is not None and rows.add_event(
            session,
            alert_id=alert_id,
            event="resolved",
            channel=name,
            body=resolved_message(alert, bodies),
            at=at,
        ):
            written += 1
    return written


def _plan_digests(session, channels, open_alerts, bodies, at) -> int:  # type: ignore[no-untyped-def]
    digest_channels = [c for c in channels if c.wants("digest")]
    if not digest_channels:
        return 0
    latest = rows.latest_digests(session)
    written = 0
    for channel in digest_channels:
        groups: dict[str, list[AlertInfo]] = defaultdict(list)
        for alert in open_alerts:
            body = bodies.get(alert.agency_id)
            if body is not None and body.parent_id and admits(channel, alert, bodies):
                groups[body.parent_id].append(alert)
        told = {recipient for (name, recipient) in latest if name == channel.name}
        for parent_id in sorted(set(groups) | told):
            previous = latest.get((channel.name, parent_id))
            text = digest_message(parent_id, groups.get(parent_id, []), bodies)
            if previous is None and not groups.get(parent_id):
                continue
            if previous is not None and previous.body == text:
                continue
            rows.put_digest(
                session, channel=channel.name, recipient=parent_id, body=text, previous=previous, at=at
            )
            written += 1
    return written


def send_due(db_url: str, channels: Sequence[Channel]) -> int:
    """Send every due row, one channel failure at a time; returns messages delivered."""
    by_name = {c.name: c for c in channels}
    with session_scope(db_url) as session:
        due = rows.due_attempts(session, list(by_name), now())
    failed: dict[str, datetime] = {}
    delivered = 0
    for attempt in due:
        stamp = now()
        if attempt.channel in failed:
            with session_scope(db_url) as session:
                rows.record_failure(
                    session,
                    attempt.id,
                    at=stamp,
                    error="put off: the channel failed earlier in this run",
                    next_at=failed[attempt.channel],
                    tried=False,
                )
            continue
        with session_scope(db_url) as session:
            if not rows.claim(session, attempt, stamp + LEASE):
                continue  # another sender has it
        outcome = deliver(by_name[attempt.channel], attempt.body)
        stamp = now()
        with session_scope(db_url) as session:
            if outcome.ok:
                rows.record_delivery(session, attempt.id, stamp)
                delivered += 1
                log.info("notification %s (%s) delivered to %s", attempt.id, attempt.event, attempt.channel)
                continue
            tries = attempt.attempts + 1
            next_at = stamp + retry_delay(tries) if tries < MAX_ATTEMPTS else None
            error = outcome.error or "delivery failed"
            if next_at is None:
                error = f"gave up after {tries} attempts: {error}"
            rows.record_failure(session, attempt.id, at=stamp, error=error, next_at=next_at)
            failed[attempt.channel] = next_at or stamp + LONGEST_WAIT
            log.warning(
                "notification %s to %s failed (try %d): %s", attempt.id, attempt.channel, tries, error
            )
    return delivered


def deliver(channel: Channel, text: str) -> Outcome:
    """Send one message to one channel and say how it went (Apprise reports per URL)."""
    import apprise

    title, body = split_message(text)
    asset = apprise.AppriseAsset(storage_mode="memory")
    sender = apprise.Apprise(asset=asset)
    if not sender.add(channel.url):
        return Outcome(False, f"not a usable Apprise URL: {channel.name}")
    for plugin in sender:
        # Short waits: a dead channel must cost seconds, not minutes, per run.
        if "cto=" not in channel.url:
            plugin.socket_connect_timeout = CONNECT_TIMEOUT
        if "rto=" not in channel.url:
            plugin.socket_read_timeout = READ_TIMEOUT
    with apprise.LogCapture(level=logging.WARNING, fmt="%(message)s") as captured:
        try:
            ok = bool(sender.notify(body=body, title=title, body_format=apprise.NotifyFormat.TEXT))
        except Exception as exc:  # a plugin bug must not stop the other channels
            return Outcome(False, _without_secrets(f"{type(exc).__name__}: {exc}", channel))
        detail = " ".join(captured.getvalue().split())
    if ok:
        return Outcome(True)
    return Outcome(False, _without_secrets(detail or "the service did not accept the message", channel))


def _without_secrets(text: str, channel: Channel) -> str:
    from urllib.parse import urlsplit

    parts = urlsplit(channel.url)
    cleaned = text.replace(channel.url, channel.name)
    for secret in (parts.password, parts.username if parts.password else None):
        if secret and len(secret) >= 3:
            cleaned = cleaned.replace(secret, "****")
    return cleaned[-2000:]
