"""The monitor's SQL: statuses of every (agency, year) and the alert lifecycle, computed set-wise.

Everything here runs as a handful of statements over whole tables (INSERT … SELECT with window
functions and grouped joins), so a check over a province's hundred thousand bodies costs seconds,
not a Python loop. The law (deadlines) arrives as a small table of rows computed by the monitor.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, NamedTuple

from sqlalchemy import (
    Column,
    ColumnElement,
    Date,
    Float,
    Integer,
    Interval,
    MetaData,
    String,
    Table,
    and_,
    case,
    cast,
    delete,
    exists,
    func,
    insert,
    literal,
    literal_column,
    or_,
    select,
    text,
    type_coerce,
    union,
    union_all,
    update,
)
from sqlalchemy.orm import Session, aliased

from storage.models import (
    Agency,
    AgencyYearStatus,
    Alert,
    CheckResult,
    ColumnItem,
    CrawlPortalResult,
    CrawlRun,
    Portal,
    Report,
    ReportValue,
    StatusCheck,
)
from storage.types import UTCDateTime

REPORT_STATUSES = ("on_time", "late")  # statuses that point at a report that is there now
STATUS_ALERT_KINDS = ("missing", "late", "withdrawn", "unreachable")  # statuses that raise their own kind
STALE_STATISTICS_SHARE = 0.1  # a bulk write touching more than this share of a table re-samples it

# Scratch tables live only for one check, in the session's own connection.
_scratch = MetaData()
deadline_rules = Table(
    "tmp_deadline_rules",
    _scratch,
    Column("level", String(32)),
    Column("override", String(5)),
    Column("year", Integer),
    Column("deadline", Date),
    prefixes=["TEMPORARY"],
)
wanted_alerts = Table(
    "tmp_wanted_alerts",
    _scratch,
    Column("agency_id", String(100)),
    Column("year", Integer),
    Column("kind", String(16)),
    Column("report_id", Integer),
    # What the message of an opening alert says, carried from the status it was read from.
    Column("deadline", Date),
    Column("published_at", Date),
    Column("days_late", Integer),
    prefixes=["TEMPORARY"],
)
opening_alerts = Table(
    "tmp_opening_alerts",
    _scratch,
    Column("agency_id", String(100)),
    Column("year", Integer),
    Column("kind", String(16)),
    Column("report_id", Integer),
    # What the message of an opening alert says, carried from the status it was read from.
    Column("deadline", Date),
    Column("published_at", Date),
    Column("days_late", Integer),
    prefixes=["TEMPORARY"],
)
carried_values = Table(
    "tmp_carried_values",
    _scratch,
    Column("report_id", Integer),
    Column("row_key", String(64)),
    Column("column_key", String(64)),
    Column("value", Float),
    prefixes=["TEMPORARY"],
)
failed_rules = Table(
    "tmp_failed_rules",
    _scratch,
    Column("agency_id", String(100)),
    Column("year", Integer),
    Column("rule", String(64)),
    prefixes=["TEMPORARY"],
)
report_urls = Table(
    "tmp_report_urls",
    _scratch,
    Column("agency_id", String(100)),
    Column("year", Integer),
    Column("published_at", Date),
    Column("first_seen_at", UTCDateTime()),
    Column("effective", Date),
    Column("present", Integer),
    Column("report_id", Integer),
    prefixes=["TEMPORARY"],
)
report_choices = Table(
    "tmp_report_choices",
    _scratch,
    Column("agency_id", String(100)),
    Column("year", Integer),
    Column("published_at", Date),
    Column("first_seen_at", UTCDateTime()),
    Column("effective", Date),
    Column("any_present", Integer),
    Column("shown_report_id", Integer),
    Column("urls", Integer),  # how many URLs the year has had
    prefixes=["TEMPORARY"],
)
# The first-ranked URL of each year that has had several: few rows (reposts, moved reports).
ranked_choices = Table(
    "tmp_ranked_choices",
    _scratch,
    Column("agency_id", String(100)),
    Column("year", Integer),
    Column("published_at", Date),
    Column("first_seen_at", UTCDateTime()),
    Column("effective", Date),
    Column("shown_report_id", Integer),
    prefixes=["TEMPORARY"],
)
computed_statuses = Table(
    "tmp_statuses",
    _scratch,
    Column("agency_id", String(100)),
    Column("year", Integer),
    Column("status", String(16)),
    Column("deadline", Date),
    Column("published_at", Date),
    Column("first_seen_at", UTCDateTime()),
    Column("days_late", Integer),
    Column("judged_by", String(16)),
    Column("report_id", Integer),
    Column("change", Integer),  # SAME, DIFFERS or NEW against the stored row of the key
    prefixes=["TEMPORARY"],
)
SAME, DIFFERS, NEW = 0, 1, 2
# What a status row says; the check rewrites a row only when one of these differs.
STATUS_VALUES = ("status", "deadline", "published_at", "first_seen_at", "days_late", "judged_by", "report_id")
portal_outcomes = Table(
    "tmp_portal_outcomes",
    _scratch,
    Column("portal_id", Integer),
    Column("outcome", String(32)),
    prefixes=["TEMPORARY"],
)


# The keys SQLite looks scratch rows up by. SQLite joins by nested loops, so each scratch table it
# probes needs an index; it is built once the table is filled (one sort, not a B-tree grown row by
# row). PostgreSQL hash-joins whole scratch tables and gets none: maintaining an index costs a
# province's first check more than a second, and nothing would read it.
_SQLITE_LOOKUP_KEYS: dict[str, tuple[str, ...]] = {
    "tmp_wanted_alerts": ("agency_id", "year", "kind"),
    "tmp_carried_values": ("report_id", "row_key", "column_key"),
    "tmp_failed_rules": ("agency_id", "year"),
    "tmp_report_urls": ("agency_id", "year"),
    "tmp_report_choices": ("agency_id", "year"),
    "tmp_ranked_choices": ("agency_id", "year"),
    "tmp_statuses": ("agency_id", "year"),
    "tmp_portal_outcomes": ("portal_id",),
}
# Hash joins and sorts over a province's scratch rows fit in memory with this much per node
# instead of spilling to temporary files in batches (PostgreSQL's default is 4MB).
CHECK_WORK_MEM = "64MB"


def _fresh_scratch(session: Session, table: Table) -> None:
    connection = session.connection()
    connection.execute(text(f"DROP TABLE IF EXISTS {table.name}"))
    table.create(connection)


def _fill_scratch(session: Session, table: Table, rows: Any) -> int:
    """Materialise ``rows`` into a scratch table, so the big join reads a table of known size;
    returns how many rows.

    A subquery with window functions would otherwise be re-read per outer row (SQLite) or
    planned with no statistics (PostgreSQL never auto-analyses temporary tables).
    """
    _fresh_scratch(session, table)
    filled = session.execute(
        insert(table)
        .from_select([c.name for c in table.columns], rows)
        .execution_options(preserve_rowcount=True)
    ).rowcount
    _index_or_analyse(session, table)
    return int(filled)


def _index_or_analyse(session: Session, table: Table) -> None:
    if _is_sqlite(session):
        key = _SQLITE_LOOKUP_KEYS.get(table.name)
        if key:
            session.execute(text(f"CREATE INDEX ix_{table.name}_key ON {table.name} ({', '.join(key)})"))
    session.execute(text(f"ANALYZE {table.name}"))


def _drop_scratch(session: Session, *tables: Table) -> None:
    for table in tables:
        session.execute(text(f"DROP TABLE IF EXISTS {table.name}"))


def _whole_table_settings(session: Session) -> None:
    """PostgreSQL settings for this transaction's statements over whole tables.

    JIT off: the check runs a dozen statements, each compiled afresh, and compiling them costs
    more than it saves (about a second of a province's check). work_mem: see CHECK_WORK_MEM.
    """
    if not _is_sqlite(session):
        session.execute(text("SET LOCAL jit = off"))
        session.execute(text(f"SET LOCAL work_mem = '{CHECK_WORK_MEM}'"))


def _refresh_statistics(session: Session, table: Table, *, changed: int, total: int) -> None:
    """Re-sample a table the check has just rewritten in bulk, so its next statements are planned
    from its real size (PostgreSQL's autovacuum would get there only later)."""
    if not _is_sqlite(session) and changed > max(total, 1) * STALE_STATISTICS_SHARE:
        session.execute(text(f"ANALYZE {table.name}"))


class DeadlineRule(NamedTuple):
    """The deadline of report ``year`` for bodies of ``level`` with ``override`` ("" for none)."""

    level: str
    override: str
    year: int
    deadline: date


@dataclass(frozen=True)
class AlertChanges:
    opened: int
    resolved: int


# --- dialect-specific date arithmetic -------------------------------------------------------------


def _is_sqlite(session: Session) -> bool:
    return session.get_bind().dialect.name == "sqlite"


def _china_date(session: Session, instant: Any) -> ColumnElement[Any]:
    """The China calendar date of a stored UTC instant (China keeps UTC+8 all year)."""
    if _is_sqlite(session):
        return type_coerce(func.date(instant, "+8 hours"), Date)
    return cast(instant + literal_column("INTERVAL '8 hours'", type_=Interval), Date)


def _days_between(session: Session, later: Any, earlier: Any) -> ColumnElement[Any]:
    if _is_sqlite(session):
        return cast(func.julianday(later) - func.julianday(earlier), Integer)
    return cast(later - earlier, Integer)


def _text_of(value: Any) -> ColumnElement[Any]:
    return func.coalesce(cast(value, String), "")


# --- inputs the monitor needs ---------------------------------------------------------------------


def deadline_rules_in_use(session: Session) -> list[tuple[str, str | None]]:
    """Distinct (level, override) pairs of the registered bodies."""
    rows = session.execute(select(Agency.level, Agency.deadline).distinct())
    return [(level, override) for level, override in rows]


def earliest_since(session: Session) -> int | None:
    return session.scalar(select(func.min(Agency.since)))


# --- statuses -------------------------------------------------------------------------------------


def _last_outcomes() -> Any:
    """Each portal's outcome in the last crawl that visited it."""
    last = (
        select(CrawlPortalResult.portal_id, func.max(CrawlPortalResult.id).label("last_id"))
        .group_by(CrawlPortalResult.portal_id)
        .subquery("last_result")
    )
    return select(last.c.portal_id, CrawlPortalResult.outcome).join(
        CrawlPortalResult, CrawlPortalResult.id == last.c.last_id
    )


def _report_urls(session: Session) -> Any:
    """One row per (agency, year, URL) that has ever had a report: the dates it is judged by, whether
    it is on the portal now, and the version to show.

    A URL's declared date is the earliest one declared for it: by the page, or by the list entry
    of a repost of the same content in another column.
    """
    r = Report.__table__
    ci = ColumnItem.__table__
    owner = r.alias("owner")
    repost_dates = (
        select(ci.c.report_id, func.min(ci.c.listed_date).label("listed"))
        .join(owner, owner.c.id == ci.c.report_id)
        .where(ci.c.kind == "report", ci.c.listed_date.is_not(None), ci.c.url != owner.c.url)
        .group_by(ci.c.report_id)
        .subquery("repost_dates")
    )
    declared, listed = func.min(r.c.published_at), func.min(repost_dates.c.listed)
    published_at = case(
        (listed.is_(None), declared),
        (declared.is_(None), listed),
        (listed < declared, listed),
        else_=declared,
    )
    first_seen_at = func.min(r.c.first_seen_at)
    return (
        select(
            r.c.agency_id,
            r.c.year,
            published_at.label("published_at"),
            first_seen_at.label("first_seen_at"),
            func.coalesce(published_at, _china_date(session, first_seen_at)).label("effective"),
            func.max(case((and_(r.c.is_current.is_(True), r.c.gone_since.is_(None)), 1), else_=0)).label(
                "present"
            ),
            func.coalesce(func.max(case((r.c.is_current.is_(True), r.c.id))), func.max(r.c.id)).label(
                "report_id"
            ),
        )
        .select_from(r.outerjoin(repost_dates, repost_dates.c.report_id == r.c.id))
        .where(r.c.agency_id.is_not(None), r.c.year.is_not(None))
        .group_by(r.c.agency_id, r.c.year, r.c.url)
    )


def _choose_reports(session: Session) -> None:
    """One row per (agency, year) that has ever had a report, from the scratch table of its URLs,
    into the ``tmp_report_choices`` scratch table.

    Lateness is judged from the earliest report seen for that year (earliest declared or
    first-seen date, then first sighting, then id); the report shown and linked is the earliest
    one still on the portal, or the earliest of all when every one is gone.

    Almost every (agency, year) has a single URL, and then its only row is the answer: one pass of
    plain aggregates gives it, with the number of URLs. Only the few years with several URLs are
    then ranked by window functions (sorts) and their rows rewritten.
    """
    u = report_urls
    key = [u.c.agency_id, u.c.year]
    _fill_scratch(
        session,
        report_choices,
        select(
            *key,
            func.min(u.c.published_at),
            func.min(u.c.first_seen_at),
            func.min(u.c.effective),
            func.max(u.c.present),
            func.min(u.c.report_id),
            func.count(),
        ).group_by(*key),
    )
    c = report_choices
    several = select(c.c.agency_id, c.c.year).where(c.c.urls > 1).subquery("several")
    ranked = (
        select(
            *key,
            u.c.published_at,
            u.c.first_seen_at,
            u.c.effective,
            func.row_number()
            .over(partition_by=key, order_by=[u.c.effective, u.c.first_seen_at, u.c.report_id])
            .label("report_rank"),
            func.first_value(u.c.report_id)
            .over(
                partition_by=key,
                order_by=[u.c.present.desc(), u.c.effective, u.c.first_seen_at, u.c.report_id],
            )
            .label("shown_report_id"),
        )
        .select_from(u.join(several, and_(several.c.agency_id == u.c.agency_id, several.c.year == u.c.year)))
        .subquery("ranked")
    )
    several_urls = _fill_scratch(
        session,
        ranked_choices,
        select(
            ranked.c.agency_id,
            ranked.c.year,
            ranked.c.published_at,
            ranked.c.first_seen_at,
            ranked.c.effective,
            ranked.c.shown_report_id,
        ).where(ranked.c.report_rank == 1),
    )
    r = ranked_choices
    if several_urls:
        session.execute(
            update(c)
            .where(c.c.agency_id == r.c.agency_id, c.c.year == r.c.year)
            .values(
                published_at=r.c.published_at,
                first_seen_at=r.c.first_seen_at,
                effective=r.c.effective,
                shown_report_id=r.c.shown_report_id,
            )
        )
    _drop_scratch(session, ranked_choices)


def _deadline_table(session: Session, rules: Sequence[DeadlineRule | tuple[str, str, int, date]]) -> None:
    _fresh_scratch(session, deadline_rules)
    if rules:
        session.execute(
            insert(deadline_rules),
            [
                {"level": level, "override": override, "year": year, "deadline": deadline}
                for level, override, year, deadline in rules
            ],
        )


@dataclass(frozen=True)
class StatusChanges:
    total: int  # (agency, year) rows judged
    changed: int  # rows written or removed because they differ from what was stored


def compute_statuses(
    session: Session,
    rules: Sequence[DeadlineRule | tuple[str, str, int, date]],
    *,
    as_of: date,
    computed_at: datetime,
) -> StatusChanges:
    """Bring the statuses table to every (agency, year) judged as of ``as_of``.

    ``rules`` holds the deadline of every (level, override, year) that is due; a body's years run
    from its ``since`` through the years present in ``rules``. Only rows whose value differs from
    the stored one are written (and rows no longer due removed): day to day almost nothing changes,
    and rewriting a province's statuses would cost far more than comparing them.
    """
    _whole_table_settings(session)
    _deadline_table(session, rules)
    session.execute(text(f"ANALYZE {deadline_rules.name}"))
    _fill_scratch(session, report_urls, _report_urls(session))
    _choose_reports(session)
    _fill_scratch(session, portal_outcomes, _last_outcomes())
    _fill_scratch(session, computed_statuses, _compared_with_stored(_judged_statuses(session, as_of)))
    changed = _store_changed_statuses(session, as_of=as_of, computed_at=computed_at)
    total = int(session.scalar(select(func.count()).select_from(computed_statuses)) or 0)
    _refresh_statistics(session, AgencyYearStatus.__table__, changed=changed, total=total)
    session.add(StatusCheck(as_of=as_of, computed_at=computed_at, statuses=total, changed=changed))
    session.flush()
    _drop_scratch(session, deadline_rules, report_urls, report_choices, portal_outcomes, computed_statuses)
    return StatusChanges(total=total, changed=changed)


def _due_years() -> Any:
    """(agency, portal, year, deadline) of every report due, from the bodies and the deadline rules.

    Bodies with and without an override are joined to the rules separately: plain column equalities
    keep PostgreSQL's row estimates right (an expression such as coalesce(deadline, '') has no
    statistics, and a join it misjudges by a factor of 300 runs as a nested loop).
    """
    a = Agency.__table__
    d = deadline_rules

    def joined(override: Any, which: Any) -> Any:
        return (
            select(a.c.id.label("agency_id"), a.c.portal_url, d.c.year, d.c.deadline)
            .join(d, and_(d.c.level == a.c.level, d.c.override == override, d.c.year >= a.c.since))
            .where(which)
        )

    return union_all(
        joined(literal(""), a.c.deadline.is_(None)), joined(a.c.deadline, a.c.deadline.is_not(None))
    ).subquery("due")


def _judged_statuses(session: Session, as_of: date) -> Any:
    """Every (agency, year) due, judged from the scratch tables of deadlines, reports and outcomes."""
    d = _due_years()
    p = Portal.__table__
    outcome_of = portal_outcomes
    chosen = report_choices
    last_outcome = func.coalesce(outcome_of.c.outcome, p.c.last_outcome)
    as_of_value = literal(as_of, Date)
    has_report = chosen.c.agency_id.is_not(None)
    present = chosen.c.any_present == 1
    late = chosen.c.effective > d.c.deadline
    status = case(
        (and_(present, late), "late"),
        (present, "on_time"),
        (has_report, "withdrawn"),
        (d.c.deadline >= as_of_value, "pending"),
        (last_outcome == "ok", "missing"),
        else_="unreachable",
    )
    days_late = case(
        (and_(present, late), _days_between(session, chosen.c.effective, d.c.deadline)),
        (present, 0),
        else_=None,
    )
    judged_by = case(
        (chosen.c.published_at.is_not(None), "published_at"),
        (has_report, "first_seen"),
        else_=None,
    )
    return (
        select(
            d.c.agency_id,
            d.c.year,
            status.label("status"),
            d.c.deadline,
            chosen.c.published_at,
            chosen.c.first_seen_at,
            days_late.label("days_late"),
            judged_by.label("judged_by"),
            chosen.c.shown_report_id.label("report_id"),
        )
        .select_from(d)
        .outerjoin(chosen, and_(chosen.c.agency_id == d.c.agency_id, chosen.c.year == d.c.year))
        .outerjoin(p, p.c.url == d.c.portal_url)
        .outerjoin(outcome_of, outcome_of.c.portal_id == p.c.id)
    )


def _compared_with_stored(judged: Any) -> Any:
    """The judged rows, each marked SAME, DIFFERS or NEW against the stored row of its key.

    Compared as they are set aside, so a province's statuses are materialised once: the writes
    then pick their rows by the mark.
    """
    t = judged.subquery("judged")
    stored = AgencyYearStatus.__table__.alias("stored")
    change = case(
        (stored.c.agency_id.is_(None), NEW),
        (or_(*(stored.c[name].is_distinct_from(t.c[name]) for name in STATUS_VALUES)), DIFFERS),
        else_=SAME,
    )
    return select(t.c.agency_id, t.c.year, *(t.c[name] for name in STATUS_VALUES), change).select_from(
        t.outerjoin(stored, and_(stored.c.agency_id == t.c.agency_id, stored.c.year == t.c.year))
    )


def _store_changed_statuses(session: Session, *, as_of: date, computed_at: datetime) -> int:
    """Remove the rows no longer due, rewrite the rows that differ, add the new ones; returns how
    many rows that touched.

    Identical rows are never written (no new row version, no index or key checks). New rows come
    from the scratch table in a plain INSERT: an INSERT whose own SELECT reads the table being
    written may re-read every row it adds (quadratic on PostgreSQL when the table looks small, as
    on a first check), and INSERT … ON CONFLICT would probe the key of every row of a province's
    first check.
    """
    s = AgencyYearStatus.__table__
    t = computed_statuses
    stamp = {"as_of": literal(as_of, Date), "computed_at": literal(computed_at, UTCDateTime())}
    # Without preserve_rowcount, psycopg reports -1 once the statement's cursor is closed.
    counted = {"preserve_rowcount": True, "synchronize_session": False}
    still_due = select(t.c.agency_id).where(t.c.agency_id == s.c.agency_id, t.c.year == s.c.year).correlate(s)
    removed = session.execute(delete(s).where(~exists(still_due)).execution_options(**counted)).rowcount
    updated = session.execute(
        update(s)
        .where(t.c.agency_id == s.c.agency_id, t.c.year == s.c.year, t.c.change == DIFFERS)
        .values({name: t.c[name] for name in STATUS_VALUES} | stamp)
        .execution_options(**counted)
    ).rowcount
    added = session.execute(
        insert(s)
        .from_select(
            ["agency_id", "year", *STATUS_VALUES, *stamp],
            select(t.c.agency_id, t.c.year, *(t.c[name] for name in STATUS_VALUES), *stamp.values()).where(
                t.c.change == NEW
            ),
        )
        .execution_options(preserve_rowcount=True)
    ).rowcount
    return removed + updated + added


def status_counts(session: Session) -> dict[str, int]:
    rows = session.execute(select(AgencyYearStatus.status, func.count()).group_by(AgencyYearStatus.status))
    return {status: count for status, count in rows}


def last_check(session: Session) -> StatusCheck | None:
    return session.scalar(select(StatusCheck).order_by(StatusCheck.id.desc()).limit(1))


def last_computed_at(session: Session) -> datetime | None:
    return session.scalar(select(func.max(StatusCheck.computed_at)))


def last_crawl_finished_at(session: Session) -> datetime | None:
    return session.scalar(select(func.max(CrawlRun.finished_at)))


def registry_changed_at(session: Session) -> datetime | None:
    return session.scalar(select(func.max(Agency.updated_at)))


# --- consistency across years ---------------------------------------------------------------------


def _carry_over_failures() -> Any:
    """(agency, year) whose ``carried_in`` differs from the previous year's ``carried_out`` in some column.

    Reads the carried values from their scratch table (see :func:`_fill_failed_rules`).
    """
    this_year = aliased(AgencyYearStatus, name="this_year")
    last_year = aliased(AgencyYearStatus, name="last_year")
    carried_in = carried_values.alias("carried_in")
    carried_out = carried_values.alias("carried_out")
    return (
        select(this_year.agency_id, this_year.year, literal("carry_over", String(64)).label("rule"))
        .join(
            last_year,
            and_(
                last_year.agency_id == this_year.agency_id,
                last_year.year == this_year.year - 1,
                last_year.status.in_(REPORT_STATUSES),
            ),
        )
        .join(
            carried_in,
            and_(carried_in.c.report_id == this_year.report_id, carried_in.c.row_key == "carried_in"),
        )
        .join(
            carried_out,
            and_(
                carried_out.c.report_id == last_year.report_id,
                carried_out.c.row_key == "carried_out",
                carried_out.c.column_key == carried_in.c.column_key,
            ),
        )
        .where(
            this_year.status.in_(REPORT_STATUSES),
            carried_in.c.value != carried_out.c.value,
        )
        .distinct()
    )


def _fill_failed_rules(session: Session) -> None:
    """Materialise (agency, year, rule) for every failed check of the report a status points at,
    carry-over between consecutive years included, into the ``tmp_failed_rules`` scratch table."""
    _fill_scratch(
        session,
        carried_values,
        select(ReportValue.report_id, ReportValue.row_key, ReportValue.column_key, ReportValue.value).where(
            ReportValue.section == "requests",
            ReportValue.row_key.in_(["carried_in", "carried_out"]),
            ReportValue.value.is_not(None),
        ),
    )
    s = AgencyYearStatus
    own = (
        select(s.agency_id, s.year, CheckResult.rule)
        .join(CheckResult, CheckResult.report_id == s.report_id)
        .where(s.status.in_(REPORT_STATUSES), CheckResult.ok.is_(False))
        .distinct()
    )
    _fill_scratch(session, failed_rules, union(own, _carry_over_failures()))
    _drop_scratch(session, carried_values)


# --- alerts ---------------------------------------------------------------------------------------


def _wanted_alerts(session: Session) -> Any:
    """Every alert the current statuses call for: one row per (agency, year, kind).

    Messages and evidence are looked up later, only for the alerts that open (most wanted alerts
    are open already).
    """
    s = AgencyYearStatus.__table__
    a = Agency.__table__
    r = Report.__table__
    p = Portal.__table__

    said = (s.c.deadline, s.c.published_at, s.c.days_late)

    def with_kind(kind: str) -> Any:
        return select(s.c.agency_id, s.c.year, literal(kind, String(16)).label("kind"), s.c.report_id, *said)

    # A status that is itself a problem names the alert's kind: one scan of the statuses for all four.
    by_status = select(s.c.agency_id, s.c.year, s.c.status.label("kind"), s.c.report_id, *said).where(
        s.c.status.in_(STATUS_ALERT_KINDS)
    )
    failing = select(failed_rules.c.agency_id, failed_rules.c.year).distinct().subquery("failing")
    inconsistent = with_kind("inconsistent").select_from(
        s.join(failing, and_(failing.c.agency_id == s.c.agency_id, failing.c.year == s.c.year))
    )

    # Backdated: the page claims a date on or before the deadline, yet a successful crawl of the
    # column after the deadline (and before the report was first seen) did not list it.
    cpr = CrawlPortalResult.__table__
    crawled_portal = func.coalesce(r.c.portal_id, p.c.id)
    seen_without = (
        select(cpr.c.id)
        .where(
            cpr.c.portal_id == crawled_portal,
            cpr.c.outcome == "ok",
            cpr.c.finished_at.is_not(None),
            _china_date(session, cpr.c.finished_at) > s.c.deadline,
            cpr.c.finished_at < s.c.first_seen_at,
        )
        .correlate(s, r, p)
    )
    backdated = (
        with_kind("backdated")
        .select_from(
            s.join(a, a.c.id == s.c.agency_id)
            .outerjoin(r, r.c.id == s.c.report_id)
            .outerjoin(p, p.c.url == a.c.portal_url)
        )
        .where(
            s.c.status.in_(REPORT_STATUSES),
            s.c.published_at.is_not(None),
            s.c.published_at <= s.c.deadline,
            # Such a crawl can only exist when the report was first seen after the deadline: this
            # cheap test on the row itself spares the crawl-history probe for almost every report.
            _china_date(session, s.c.first_seen_at) > s.c.deadline,
            exists(seen_without),
        )
    )
    return union_all(by_status, inconsistent, backdated)


def _new_alert_rows() -> Any:
    """The alerts about to open, each with its evidence and a message saying what is wrong, in one line."""
    o = opening_alerts
    a = Agency.__table__
    r = Report.__table__
    grouped = (
        select(
            failed_rules.c.agency_id,
            failed_rules.c.year,
            func.aggregate_strings(failed_rules.c.rule, ", ").label("rules"),
        )
        .group_by(failed_rules.c.agency_id, failed_rules.c.year)
        .subquery("failed_grouped")
    )
    name, year, deadline = a.c.name, _text_of(o.c.year), _text_of(o.c.deadline)
    message = case(
        (
            o.c.kind == "missing",
            name
            + ": no report for "
            + year
            + " found; the deadline "
            + deadline
            + " has passed and the portal was crawled without it",
        ),
        (
            o.c.kind == "late",
            name
            + ": the "
            + year
            + " report came "
            + _text_of(o.c.days_late)
            + " day(s) after the deadline "
            + deadline,
        ),
        (
            o.c.kind == "withdrawn",
            name + ": the " + year + " report is gone from the portal (" + func.coalesce(r.c.url, "") + ")",
        ),
        (
            o.c.kind == "unreachable",
            name
            + ": no report for "
            + year
            + " found, but the portal could not be crawled, so its absence is not proven",
        ),
        (
            o.c.kind == "inconsistent",
            name
            + ": the "
            + year
            + " report fails consistency checks: "
            + func.coalesce(grouped.c.rules, ""),
        ),
        else_=name
        + ": the "
        + year
        + " report declares "
        + _text_of(o.c.published_at)
        + ", on or before the deadline "
        + deadline
        + ", but the portal was crawled after the deadline without it",
    )
    return select(
        o.c.agency_id, o.c.year, o.c.kind, message.label("message"), o.c.report_id, r.c.snapshot_id
    ).select_from(
        o.join(a, a.c.id == o.c.agency_id)
        .outerjoin(r, r.c.id == o.c.report_id)
        .outerjoin(grouped, and_(grouped.c.agency_id == o.c.agency_id, grouped.c.year == o.c.year))
    )


def sync_alerts(session: Session, *, now: datetime) -> AlertChanges:
    """Open an alert for every problem not already open; resolve every open alert whose problem cleared."""
    _whole_table_settings(session)
    _fill_failed_rules(session)
    _fill_scratch(session, wanted_alerts, _wanted_alerts(session))
    w = wanted_alerts
    al = Alert.__table__
    # Resolved before any opens: the alerts about to open are all wanted, and the resolving scan
    # then reads only the alerts open before this check, not a province's worth just added.
    still_wanted = (
        select(w.c.agency_id)
        .where(w.c.agency_id == al.c.agency_id, w.c.year == al.c.year, w.c.kind == al.c.kind)
        .correlate(al)
    )
    resolved = session.execute(
        update(al)
        .where(al.c.resolved_at.is_(None), ~exists(still_wanted))
        .values(resolved_at=literal(now, UTCDateTime()))
        .execution_options(preserve_rowcount=True, synchronize_session=False)
    ).rowcount
    already_open = (
        select(al.c.id)
        .where(
            al.c.resolved_at.is_(None),
            al.c.agency_id == w.c.agency_id,
            al.c.year == w.c.year,
            al.c.kind == w.c.kind,
        )
        .correlate(w)
    )
    # The problems to open are set aside first, on their own: an INSERT whose own SELECT probes the
    # table being written re-reads every row it has just added (quadratic on PostgreSQL).
    _fill_scratch(
        session,
        opening_alerts,
        select(*w.c).where(~exists(already_open)),
    )
    # Messages and evidence are looked up for those rows only, straight into the alerts: this
    # SELECT reads the scratch table, the statuses and the reports, never the alerts it writes.
    opening = _new_alert_rows().subquery("opening")
    opened = session.execute(
        insert(al)
        .from_select(
            ["agency_id", "year", "kind", "created_at", "message", "report_id", "snapshot_id"],
            select(
                opening.c.agency_id,
                opening.c.year,
                opening.c.kind,
                literal(now, UTCDateTime()),
                opening.c.message,
                opening.c.report_id,
                opening.c.snapshot_id,
            ),
        )
        .execution_options(preserve_rowcount=True)
    ).rowcount
    total = int(session.scalar(select(func.count()).select_from(w)) or 0)
    _refresh_statistics(session, al, changed=opened + resolved, total=total)
    _drop_scratch(session, wanted_alerts, opening_alerts, failed_rules)
    return AlertChanges(opened=opened, resolved=resolved)


# --- reading --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StatusRow:
    agency_id: str
    agency: str
    level: str
    year: int
    status: str
    deadline: date
    published_at: date | None
    first_seen_at: datetime | None
    days_late: int | None
    judged_by: str | None
    report_id: int | None
    url: str | None
    snapshot_id: int | None
    as_of: date
    failed_checks: tuple[str, ...]


def status_rows(
    session: Session, *, years: Sequence[int] = (), agency_ids: Sequence[str] = ()
) -> list[StatusRow]:
    """Stored statuses, by agency then year, with the report's URL and the rules it fails, as of the last check."""
    s = AgencyYearStatus
    query = (
        select(
            s.agency_id,
            Agency.name,
            Agency.level,
            s.year,
            s.status,
            s.deadline,
            s.published_at,
            s.first_seen_at,
            s.days_late,
            s.judged_by,
            s.report_id,
            Report.url,
            Report.snapshot_id,
            s.as_of,
        )
        .join(Agency, Agency.id == s.agency_id)
        .outerjoin(Report, Report.id == s.report_id)
        .order_by(s.agency_id, s.year)
    )
    _fill_failed_rules(session)
    failed = failed_rules
    failed_query = select(failed.c.agency_id, failed.c.year, failed.c.rule)
    if years:
        query = query.where(s.year.in_(list(years)))
        failed_query = failed_query.where(failed.c.year.in_(list(years)))
    if agency_ids:
        query = query.where(s.agency_id.in_(list(agency_ids)))
        failed_query = failed_query.where(failed.c.agency_id.in_(list(agency_ids)))
    failures: dict[tuple[str, int], set[str]] = {}
    for agency_id, year, rule in session.execute(failed_query):
        failures.setdefault((agency_id, year), set()).add(rule)
    _drop_scratch(session, failed_rules)
    # Every row holds as of the last check, though it keeps the date of the check that set it.
    check = last_check(session)
    return [
        StatusRow(
            *row[:-1],
            as_of=check.as_of if check is not None else row.as_of,
            failed_checks=tuple(sorted(failures.get((row.agency_id, row.year), ()))),
        )
        for row in session.execute(query)
    ]


@dataclass(frozen=True)
class AlertRow:
    id: int
    agency_id: str
    agency: str
    year: int
    kind: str
    created_at: datetime
    resolved_at: datetime | None
    acked_at: datetime | None
    message: str
    report_id: int | None
    snapshot_id: int | None


def alert_rows(session: Session, *, include_resolved: bool = False) -> list[AlertRow]:
    query = (
        select(
            Alert.id,
            Alert.agency_id,
            Agency.name,
            Alert.year,
            Alert.kind,
            Alert.created_at,
            Alert.resolved_at,
            Alert.acked_at,
            Alert.message,
            Alert.report_id,
            Alert.snapshot_id,
        )
        .join(Agency, Agency.id == Alert.agency_id)
        .order_by(Alert.id)
    )
    if not include_resolved:
        query = query.where(Alert.resolved_at.is_(None))
    return [AlertRow(*row) for row in session.execute(query)]


def acknowledge_alert(session: Session, alert_id: int, *, at: datetime) -> bool:
    """Mark an alert as seen; returns False when there is no such alert. Acknowledging twice keeps the first time."""
    if session.get(Alert, alert_id) is None:
        return False
    session.execute(
        update(Alert)
        .where(Alert.id == alert_id, or_(Alert.acked_at.is_(None)))
        .values(acked_at=at)
        .execution_options(synchronize_session=False)
    )
    return True
