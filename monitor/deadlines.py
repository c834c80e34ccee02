"""The law's calendar: by when each body must publish, and which report years are due.

条例 第四十九条: a county-level (or higher) government publishes by 03-31, its departments by 01-31
of the following year; townships and subdistricts follow local rules, almost always 01-31. Any
body may carry its own "MM-DD" in the registry. Deadlines are inclusive China dates.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from datetime import date

DEFAULT_MONTH_DAY: dict[str, str] = {
    "county_government": "03-31",
    "county_department": "01-31",
    "township": "01-31",
    "subdistrict": "01-31",
}
FALLBACK_MONTH_DAY = "01-31"  # an unknown level gets the strictest common rule


class DeadlineError(ValueError):
    """A deadline override that is not a calendar "MM-DD"."""


def month_day_for(level: str, override: str | None = None) -> str:
    """The "MM-DD" that applies to a body: its own override, else its level's default."""
    if override:
        _split(override)
        return override
    return DEFAULT_MONTH_DAY.get(level, FALLBACK_MONTH_DAY)


def deadline_for(level: str, year: int, override: str | None = None) -> date:
    """The last day (inclusive, China date) to publish the report on ``year``.

    A "02-29" override falls on 02-28 in a common year, not on 03-01: the body may not be given
    a day more than the rule says.
    """
    month, day = _split(month_day_for(level, override))
    publish_year = year + 1
    return date(publish_year, month, min(day, calendar.monthrange(publish_year, month)[1]))


def safe_deadline_for(level: str, year: int, override: str | None = None) -> date:
    """Like :func:`deadline_for`, but a malformed stored override falls back to the level default."""
    try:
        return deadline_for(level, year, override)
    except DeadlineError:
        return deadline_for(level, year)


def due_years(since: int, as_of: date) -> range:
    """Report years expected as of ``as_of``: ``since`` through the last full calendar year before it."""
    return range(since, as_of.year)


def has_passed(deadline: date, as_of: date) -> bool:
    """A deadline is inclusive: on the deadline day itself nothing is overdue yet."""
    return as_of > deadline


def deadline_table(
    rules: Iterable[tuple[str, str | None]], years: Iterable[int]
) -> list[tuple[str, str, int, date]]:
    """(level, override or "", year, deadline) for every rule in use × every year: a small table for SQL."""
    year_list = sorted(set(years))
    rows: list[tuple[str, str, int, date]] = []
    for level, override in sorted({(lvl, ovr or "") for lvl, ovr in rules}):
        rows.extend((level, override, y, safe_deadline_for(level, y, override or None)) for y in year_list)
    return rows


def _split(month_day: str) -> tuple[int, int]:
    try:
        month_text, day_text = month_day.split("-")
        month, day = int(month_text), int(day_text)
        date(2024, month, day)  # a leap year, so 02-29 is a valid rule
    except ValueError:
        raise DeadlineError(f"expected a deadline as MM-DD, got {month_day!r}") from None
    return month, day
