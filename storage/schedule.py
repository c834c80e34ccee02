"""What the scheduler reads: which bodies share a portal, and when each portal was last crawled."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import Agency, Portal


def portal_key(url: str) -> str:
    """The same portal written with or without a trailing slash is one portal."""
    return url.strip().rstrip("/")


def bodies_by_portal(session: Session) -> dict[str, list[str]]:
    """Portal URL (as the registry gives it) → ids of the bodies found there, sorted."""
    groups: dict[str, list[str]] = {}
    rows = session.execute(select(Agency.id, Agency.portal_url).where(Agency.portal_url.is_not(None)))
    for agency_id, url in rows:
        if url and url.strip():
            groups.setdefault(url.strip(), []).append(agency_id)
    return {url: sorted(ids) for url, ids in sorted(groups.items())}


def last_crawled(session: Session) -> dict[str, datetime | None]:
    """Portal key → when the crawler last visited it (whatever the outcome)."""
    result: dict[str, datetime | None] = {}
    for url, column_url, at in session.execute(select(Portal.url, Portal.column_url, Portal.last_crawled_at)):
        for key in {portal_key(url), portal_key(column_url or url)}:
            known = result.get(key)
            if at is not None and (known is None or at > known):
                result[key] = at
            else:
                result.setdefault(key, known)
    return result
