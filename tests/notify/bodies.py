"""A small county and alert rows written through storage, for notification tests."""

from __future__ import annotations

from sqlalchemy import select

from storage.agencies import AgencyEntry, upsert_agencies
from storage.clock import now
from storage.db import open_database
from storage.models import Alert, NotificationAttempt

COUNTY = [
    AgencyEntry("county", "平潭县人民政府", "county_government"),
    AgencyEntry("town-a", "岚城乡", "township", parent="county"),
    AgencyEntry("town-b", "苏澳镇", "township", parent="county"),
    AgencyEntry("edu", "平潭县教育局", "county_department", parent="county"),
    AgencyEntry("elsewhere", "长乐区水利局", "county_department"),
]


def seed_county(db_url: str) -> None:
    with open_database(db_url) as session:
        upsert_agencies(session, COUNTY)


def raise_alert(db_url: str, agency_id: str, year: int, kind: str, message: str | None = None) -> int:
    with open_database(db_url) as session:
        alert = Alert(
            agency_id=agency_id,
            year=year,
            kind=kind,
            created_at=now(),
            message=message or f"{agency_id} {year} {kind}",
        )
        session.add(alert)
        session.flush()
        return alert.id


def resolve_alert(db_url: str, alert_id: int) -> None:
    with open_database(db_url) as session:
        session.get(Alert, alert_id).resolved_at = now()  # type: ignore[union-attr]


def attempt_rows(db_url: str) -> list[NotificationAttempt]:
    with open_database(db_url) as session:
        return list(session.scalars(select(NotificationAttempt).order_by(NotificationAttempt.id)))
