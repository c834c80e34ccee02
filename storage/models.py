"""The schema: every table nianbao keeps, as SQLAlchemy 2 typed models.

Designed to be queried by hand: readable keys, long-form report values, timestamps in UTC.
Alembic's initial migration produces exactly these tables (a test asserts it on both backends).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from storage.types import UTCDateTime

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

LEVELS = ("county_government", "county_department", "township", "subdistrict")
STATUSES = ("on_time", "late", "missing", "pending", "unreachable", "withdrawn")
ALERT_KINDS = ("missing", "late", "withdrawn", "unreachable", "inconsistent", "backdated")


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {datetime: UTCDateTime(), dict[str, Any]: JSON, list[Any]: JSON}


class Agency(Base):
    """A body that must publish an annual report (from the registry)."""

    __tablename__ = "agencies"

    id: Mapped[str] = mapped_column(String(100), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    aliases: Mapped[list[Any]] = mapped_column(default=list)
    level: Mapped[str] = mapped_column(String(32))
    parent_id: Mapped[str | None] = mapped_column(ForeignKey("agencies.id"), index=True)
    region: Mapped[str | None] = mapped_column(String(200))
    portal_url: Mapped[str | None] = mapped_column(String(2000))
    since: Mapped[int] = mapped_column(Integer, default=2019)
    deadline: Mapped[str | None] = mapped_column(String(5))  # "MM-DD" override of the level default
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class Portal(Base):
    """A place the crawler visits: a site root or an annual-report column."""

    __tablename__ = "portals"

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(String(2000), unique=True)
    host: Mapped[str] = mapped_column(String(255), index=True)
    platform: Mapped[str | None] = mapped_column(String(32))  # trs | hanweb | gkmlpt | generic
    column_url: Mapped[str | None] = mapped_column(String(2000))  # the 年报 column once found
    last_outcome: Mapped[str | None] = mapped_column(String(32))
    last_crawled_at: Mapped[datetime | None]
    last_ok_at: Mapped[datetime | None]


class CrawlRun(Base):
    __tablename__ = "crawl_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    state: Mapped[str] = mapped_column(String(16), default="running")  # running | finished | failed
    pages_fetched: Mapped[int] = mapped_column(default=0)
    reports_found: Mapped[int] = mapped_column(default=0)
    reports_new: Mapped[int] = mapped_column(default=0)
    reports_changed: Mapped[int] = mapped_column(default=0)
    reports_gone: Mapped[int] = mapped_column(default=0)
    unassigned: Mapped[int] = mapped_column(default=0)
    stats: Mapped[dict[str, Any]] = mapped_column(default=dict)


class CrawlPortalResult(Base):
    """How one portal fared in one run; absence is only proven by an ``ok`` outcome."""

    __tablename__ = "crawl_portal_results"
    __table_args__ = (Index("ix_crawl_portal_results_portal_run", "portal_id", "crawl_run_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    crawl_run_id: Mapped[int] = mapped_column(ForeignKey("crawl_runs.id", ondelete="CASCADE"), index=True)
    portal_id: Mapped[int] = mapped_column(ForeignKey("portals.id", ondelete="CASCADE"))
    # ok | unreachable | blocked | timeout | no_column | error
    outcome: Mapped[str] = mapped_column(String(32))
    detail: Mapped[str | None] = mapped_column(Text)
    pages_fetched: Mapped[int] = mapped_column(default=0)
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]


class Blob(Base):
    """Raw response bytes, compressed, stored once per distinct SHA-256."""

    __tablename__ = "blobs"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int]
    compression: Mapped[str] = mapped_column(String(8), default="zlib")
    data: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime]


class Snapshot(Base):
    """One fetched response: the evidence a status points at."""

    __tablename__ = "snapshots"
    __table_args__ = (Index("ix_snapshots_url_fetched", "url", "fetched_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    crawl_run_id: Mapped[int | None] = mapped_column(ForeignKey("crawl_runs.id", ondelete="SET NULL"), index=True)
    portal_id: Mapped[int | None] = mapped_column(ForeignKey("portals.id", ondelete="SET NULL"), index=True)
    method: Mapped[str] = mapped_column(String(8), default="GET")
    url: Mapped[str] = mapped_column(String(2000))
    request_body: Mapped[str | None] = mapped_column(Text)
    final_url: Mapped[str] = mapped_column(String(2000))
    fetched_at: Mapped[datetime]
    http_status: Mapped[int]
    headers: Mapped[dict[str, Any]] = mapped_column(default=dict)
    content_type: Mapped[str | None] = mapped_column(String(200))
    encoding: Mapped[str | None] = mapped_column(String(32))
    sha256: Mapped[str | None] = mapped_column(ForeignKey("blobs.sha256"), index=True)
    text: Mapped[str | None] = mapped_column(Text)  # extracted text, for search and re-reading


class Report(Base):
    """One version of one annual report; a content change adds a new version row."""

    __tablename__ = "reports"
    __table_args__ = (
        UniqueConstraint("url", "version", name="uq_reports_url_version"),
        Index("ix_reports_agency_year", "agency_id", "year"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[str | None] = mapped_column(ForeignKey("agencies.id", ondelete="SET NULL"))
    agency_name: Mapped[str | None] = mapped_column(String(200))  # as the document gives it
    year: Mapped[int | None]
    url: Mapped[str] = mapped_column(String(2000))
    title: Mapped[str | None] = mapped_column(String(1000))
    published_at: Mapped[date | None] = mapped_column(Date)  # declared by the page
    first_seen_at: Mapped[datetime]
    last_seen_at: Mapped[datetime]
    gone_since: Mapped[datetime | None]
    layout: Mapped[str | None] = mapped_column(String(4))
    version: Mapped[int] = mapped_column(default=1)
    is_current: Mapped[bool] = mapped_column(Boolean, default=True)
    content_sha256: Mapped[str | None] = mapped_column(String(64))
    snapshot_id: Mapped[int | None] = mapped_column(ForeignKey("snapshots.id", ondelete="SET NULL"))
    portal_id: Mapped[int | None] = mapped_column(ForeignKey("portals.id", ondelete="SET NULL"), index=True)
    column_url: Mapped[str | None] = mapped_column(String(2000))
    has_tables: Mapped[bool] = mapped_column(Boolean, default=False)
    warnings: Mapped[list[Any]] = mapped_column(default=list)

    values: Mapped[list[ReportValue]] = relationship(back_populates="report", cascade="all, delete-orphan")


class ReportValue(Base):
    """One cell of a statutory table, long form, so analysts can GROUP BY any key."""

    __tablename__ = "report_values"
    __table_args__ = (Index("ix_report_values_key", "section", "row_key", "column_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), index=True)
    section: Mapped[str] = mapped_column(String(32))
    row_key: Mapped[str] = mapped_column(String(64))
    column_key: Mapped[str] = mapped_column(String(64))
    value: Mapped[float | None] = mapped_column(Float)
    raw: Mapped[str | None] = mapped_column(String(200))

    report: Mapped[Report] = relationship(back_populates="values")


class CheckResult(Base):
    __tablename__ = "check_results"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), index=True)
    rule: Mapped[str] = mapped_column(String(64))
    ok: Mapped[bool] = mapped_column(Boolean)
    detail: Mapped[str | None] = mapped_column(Text)


class ColumnItem(Base):
    """An entry seen in a list page of an annual-report column (report or not)."""

    __tablename__ = "column_items"
    __table_args__ = (UniqueConstraint("portal_id", "url", name="uq_column_items_portal_url"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    portal_id: Mapped[int] = mapped_column(ForeignKey("portals.id", ondelete="CASCADE"))
    column_url: Mapped[str | None] = mapped_column(String(2000))
    url: Mapped[str] = mapped_column(String(2000))
    title: Mapped[str | None] = mapped_column(String(1000))
    listed_date: Mapped[date | None] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(16), default="unknown")  # report | other | unknown
    first_seen_at: Mapped[datetime]
    last_seen_at: Mapped[datetime]
    gone_since: Mapped[datetime | None]
    # The report this entry leads to (a repost points at the report first stored elsewhere).
    report_id: Mapped[int | None] = mapped_column(ForeignKey("reports.id", ondelete="SET NULL"), index=True)
    fetched_sha256: Mapped[str | None] = mapped_column(String(64))  # detail bytes the kind was decided on


class CrawlColumn(Base):
    """An annual-report column and how completely it was last walked.

    Stopping at known items is only sound after a complete walk; gone items are only concluded
    from a full walk (every page, no error).
    """

    __tablename__ = "crawl_columns"

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(String(2000), unique=True)
    portal_id: Mapped[int | None] = mapped_column(ForeignKey("portals.id", ondelete="SET NULL"), index=True)
    platform: Mapped[str | None] = mapped_column(String(32))
    walk_started_at: Mapped[datetime | None]
    walk_completed_at: Mapped[datetime | None]  # last walk that ended without error (full or to known items)
    full_walk_at: Mapped[datetime | None]  # last walk of every page without error
    pages: Mapped[int | None]


class AgencyYearStatus(Base):
    """The computed status of one (agency, report year) as of the last check.

    Derived data, written only by the check, set-wise from the bodies and reports it joins in the
    same transaction: it declares no foreign keys, whose per-row checks would cost a province's
    first check more than everything else it does. A row of a body no longer registered is
    removed by the next check (its years are no longer due). No index on ``status``: every query
    reads most of the table by it (a status has six values).
    """

    __tablename__ = "statuses"

    agency_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    year: Mapped[int] = mapped_column(primary_key=True)
    status: Mapped[str] = mapped_column(String(16))
    deadline: Mapped[date] = mapped_column(Date)
    published_at: Mapped[date | None] = mapped_column(Date)
    first_seen_at: Mapped[datetime | None]
    days_late: Mapped[int | None]
    judged_by: Mapped[str | None] = mapped_column(String(16))  # published_at | first_seen
    report_id: Mapped[int | None]  # the report shown (reports.id)
    # The check that gave the row its current value; a check rewrites only the rows it changes,
    # so these say since when a row reads as it does. The last check overall is in status_checks.
    as_of: Mapped[date] = mapped_column(Date)
    computed_at: Mapped[datetime]


class StatusCheck(Base):
    """One run of the check: the date it judged deadlines by, when it ran, what it found and changed."""

    __tablename__ = "status_checks"

    id: Mapped[int] = mapped_column(primary_key=True)
    as_of: Mapped[date] = mapped_column(Date)
    computed_at: Mapped[datetime]
    statuses: Mapped[int]  # (agency, year) rows judged
    changed: Mapped[int]  # rows written or removed because their value differs from the last check


class Alert(Base):
    """A problem raised for one (agency, year, kind); at most one open at a time.

    Removing a body removes its alerts (and their notifications). The evidence an alert points at
    is copied from the report it was opened on, in the same statement; reports and snapshots are
    evidence and never deleted, so those pointers declare no foreign keys, whose per-row checks
    would cost a province's first check seconds.
    """

    __tablename__ = "alerts"
    __table_args__ = (
        Index(
            "uq_alerts_open",
            "agency_id",
            "year",
            "kind",
            unique=True,
            sqlite_where=text("resolved_at IS NULL"),
            postgresql_where=text("resolved_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[str] = mapped_column(ForeignKey("agencies.id", ondelete="CASCADE"))
    year: Mapped[int]
    kind: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime]
    resolved_at: Mapped[datetime | None]
    acked_at: Mapped[datetime | None]
    message: Mapped[str] = mapped_column(Text)
    report_id: Mapped[int | None]  # reports.id
    snapshot_id: Mapped[int | None]  # snapshots.id


class NotificationAttempt(Base):
    """Every try to deliver an alert event (or a digest) to one channel."""

    __tablename__ = "notification_attempts"
    __table_args__ = (
        Index("ix_notification_attempts_pending", "delivered", "next_attempt_at"),
        # One row per (alert, event, channel): a second sender loses the insert instead of sending twice.
        Index("uq_notification_attempts_event", "alert_id", "event", "channel", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    alert_id: Mapped[int | None] = mapped_column(ForeignKey("alerts.id", ondelete="CASCADE"), index=True)
    event: Mapped[str] = mapped_column(String(16))  # opened | resolved | digest
    channel: Mapped[str] = mapped_column(String(500))  # the channel's name or URL without secrets
    recipient: Mapped[str | None] = mapped_column(String(100))  # e.g. the parent agency of a digest
    body: Mapped[str] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(default=0)
    delivered: Mapped[bool] = mapped_column(Boolean, default=False)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    last_attempt_at: Mapped[datetime | None]
    next_attempt_at: Mapped[datetime | None]
