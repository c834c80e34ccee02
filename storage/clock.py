"""The one notion of "now" for every package.

``NIANBAO_NOW`` (ISO 8601; no offset means China time) replaces the real clock everywhere, so
tests and replays can put the whole system at any date.
"""

from __future__ import annotations

import os
from datetime import date, datetime
from zoneinfo import ZoneInfo

CHINA = ZoneInfo("Asia/Shanghai")


class ClockError(ValueError):
    """NIANBAO_NOW (or a --as-of value) is not a date the program can read."""


def parse_instant(text: str) -> datetime:
    """An ISO 8601 date or date-time; naive values are China time."""
    raw = text.strip()
    try:
        value = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError as exc:
        raise ClockError(f"not an ISO 8601 date or date-time: {text!r}") from exc
    if value.tzinfo is None:
        value = value.replace(tzinfo=CHINA)
    return value


def now() -> datetime:
    """The current instant, aware, in China time."""
    override = os.environ.get("NIANBAO_NOW")
    if override:
        return parse_instant(override).astimezone(CHINA)
    return datetime.now(CHINA)


def today() -> date:
    """Today's date in China, where every deadline is reckoned."""
    return now().date()


def as_china(value: datetime) -> datetime:
    """Read a stored timestamp as China time (SQLite hands back naive UTC values)."""
    if value.tzinfo is None:
        from datetime import UTC

        value = value.replace(tzinfo=UTC)
    return value.astimezone(CHINA)
