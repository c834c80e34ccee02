"""What the crawler remembers between runs: portals, runs, columns and the items listed in them.

Every write here is idempotent (an upsert by URL or a state change that can be repeated), so a
crawl killed at any point and started again neither loses nor duplicates anything.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from urllib.parse import urlsplit

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from storage.clock import as_china, now
from storage.models import (
    Agency,
    ColumnItem,
    CrawlColumn,
    CrawlPortalResult,
    CrawlRun,
    Portal,
    Report,
    Snapshot,
)
from storage.snapshots import load_blob

PORTAL_OUTCOMES = ("ok", "blocked", "timeout", "unreachable", "no_column", "error")


# --- portals and runs -------------------------------------------------------------------------


def ensure_portal(session: Session, url: str) -> Portal:
    """The portal row of ``url``, created if missing (two crawl workers may race to create it)."""
    portal = session.scalars(select(Portal).where(Portal.url == url)).first()
    if portal is not None:
        return portal
    try:
        with session.begin_nested():
            portal = Portal(url=url, host=urlsplit(url).netloc.lower())
            session.add(portal)
    except IntegrityError:
        portal = session.scalars(select(Portal).where(Portal.url == url)).one()
    return portal


@dataclass(frozen=True)
class PortalTarget:
    """One distinct portal URL to crawl and the bodies registered with it."""

    portal_id: int
    url: str
    agency_ids: tuple[str, ...]


def portals_to_crawl(session: Session, agency_ids: Sequence[str] | None = None) -> list[PortalTarget]:
    """Each distinct portal URL of the chosen agencies (all when none are named), once."""
    query = select(Agency).where(Agency.portal_url.is_not(None)).order_by(Agency.id)
    if agency_ids:
        query = query.where(Agency.id.in_(list(agency_ids)))
    by_url: dict[str, list[str]] = {}
    for agency in session.scalars(query):
        url = (agency.portal_url or "").strip()
        if url:
            by_url.setdefault(url, []).append(agency.id)
    targets = []
    for url, ids in by_url.items():
        portal = ensure_portal(session, url)
        targets.append(PortalTarget(portal.id, url, tuple(ids)))
    return targets


def unknown_agency_ids(session: Session, agency_ids: Sequence[str]) -> list[str]:
    known = set(session.scalars(select(Agency.id).where(Agency.id.in_(list(agency_ids)))))
    return [a for a in agency_ids if a not in known]


def start_run(session: Session) -> int:
    run = CrawlRun(started_at=now(), state="running")
    session.add(run)
    session.flush()
    return run.id


def finish_run(session: Session, run_id: int, *, state: str, counts: dict[str, int], stats: dict) -> None:
    run = session.get(CrawlRun, run_id)
    if run is None:
        return
    run.finished_at = now()
    run.state = state
    for key, value in counts.items():
        setattr(run, key, value)
    run.stats = stats


def record_portal_result(
    session: Session,
    *,
    run_id: int,
    portal_id: int,
    outcome: str,
    detail: str | None,
    pages_fetched: int,
    started_at: datetime,
    platform: str | None = None,
    column_url: str | None = None,
) -> None:
    """One outcome per (run, portal): a repeated call replaces the earlier one."""
    if outcome not in PORTAL_OUTCOMES:
        raise ValueError(f"unknown portal outcome {outcome!r}")
    stamp = now()
    row = session.scalars(
        select(CrawlPortalResult).where(
            CrawlPortalResult.crawl_run_id == run_id, CrawlPortalResult.portal_id == portal_id
        )
    ).first()
    if row is None:
        row = CrawlPortalResult(crawl_run_id=run_id, portal_id=portal_id, started_at=started_at, outcome=outcome)
        session.add(row)
    row.outcome = outcome
    row.detail = detail
    row.pages_fetched = pages_fetched
    row.finished_at = stamp
    portal = session.get(Portal, portal_id)
    if portal is not None:
        portal.last_outcome = outcome
        portal.last_crawled_at = stamp
        if outcome == "ok":
            portal.last_ok_at = stamp
        if platform:
            portal.platform = platform
        if column_url:
            portal.column_url = column_url
    session.flush()


def portal_results(session: Session, run_id: int) -> list[tuple[str, str, str | None]]:
    """(portal URL, outcome, detail) of one run."""
    rows = session.execute(
        select(Portal.url, CrawlPortalResult.outcome, CrawlPortalResult.detail)
        .join(Portal, Portal.id == CrawlPortalResult.portal_id)
        .where(CrawlPortalResult.crawl_run_id == run_id)
        .order_by(Portal.url)
    )
    return [(url, outcome, detail) for url, outcome, detail in rows]


# --- conditional requests ------------------------------------------------------------------------


@dataclass(frozen=True)
class StoredVersion:
    """The newest stored 200 GET of a URL: its content hash and the validators to ask with."""

    sha256: str | None
    validators: dict[str, str]


def stored_version(session: Session, url: str) -> StoredVersion:
    """Hash and If-None-Match / If-Modified-Since of the newest stored 200 response for ``url``."""
    row = session.execute(
        select(Snapshot.sha256, Snapshot.headers)
        .where(Snapshot.url == url, Snapshot.http_status == 200, Snapshot.sha256.is_not(None), Snapshot.method == "GET")
        .order_by(Snapshot.fetched_at.desc(), Snapshot.id.desc())
        .limit(1)
    ).first()
    if row is None:
        return StoredVersion(None, {})
    sha, stored_headers = row
    headers = {k.lower(): v for k, v in (stored_headers or {}).items()}
    wanted: dict[str, str] = {}
    if headers.get("etag"):
        wanted["If-None-Match"] = headers["etag"]
    if headers.get("last-modified"):
        wanted["If-Modified-Since"] = headers["last-modified"]
    return StoredVersion(sha, wanted)


def conditional_headers(session: Session, url: str) -> dict[str, str]:
    """If-None-Match / If-Modified-Since from the newest stored 200 response for ``url``."""
    return stored_version(session, url).validators


def stored_response(session: Session, url: str) -> tuple[bytes, dict[str, str]] | None:
    """Bytes and headers of the newest stored 200 GET of ``url`` (what a 304 refers to)."""
    snapshot = session.scalars(
        select(Snapshot)
        .where(Snapshot.url == url, Snapshot.http_status == 200, Snapshot.sha256.is_not(None), Snapshot.method == "GET")
        .order_by(Snapshot.fetched_at.desc(), Snapshot.id.desc())
        .limit(1)
    ).first()
    if snapshot is None or snapshot.sha256 is None:
        return None
    body = load_blob(session, snapshot.sha256)
    if body is None:
        return None
    return body, dict(snapshot.headers or {})


def recent_body(session: Session, url: str, *, max_age: timedelta) -> bytes | None:
    """The stored 200 body of ``url`` if it was fetched within ``max_age`` (e.g. a robots.txt)."""
    snapshot = session.scalars(
        select(Snapshot)
        .where(Snapshot.url == url, Snapshot.http_status == 200, Snapshot.sha256.is_not(None))
        .order_by(Snapshot.fetched_at.desc(), Snapshot.id.desc())
        .limit(1)
    ).first()
    if snapshot is None or snapshot.sha256 is None or now() - as_china(snapshot.fetched_at) > max_age:
        return None
    return load_blob(session, snapshot.sha256)


def stored_body_sha(session: Session, url: str, method: str = "GET", request_body: str | None = None) -> str | None:
    """The hash of the newest stored bytes for a request (to read a 304 or compare content)."""
    query = select(Snapshot.sha256).where(
        Snapshot.url == url, Snapshot.method == method, Snapshot.sha256.is_not(None), Snapshot.http_status == 200
    )
    if request_body is not None:
        query = query.where(Snapshot.request_body == request_body)
    return session.scalars(query.order_by(Snapshot.fetched_at.desc(), Snapshot.id.desc()).limit(1)).first()


# --- columns and their items ---------------------------------------------------------------------


@dataclass(frozen=True)
class KnownItem:
    url: str
    kind: str  # report | other | unknown
    title: str | None
    listed_date: date | None
    fetched_sha256: str | None
    report_id: int | None
    gone: bool


def known_items(session: Session, urls: Iterable[str]) -> dict[str, KnownItem]:
    wanted = list(dict.fromkeys(urls))
    found: dict[str, KnownItem] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        for item in session.scalars(select(ColumnItem).where(ColumnItem.url.in_(chunk))):
            previous = found.get(item.url)
            if previous is not None and previous.kind != "unknown":
                continue
            found[item.url] = KnownItem(
                item.url,
                item.kind,
                item.title,
                item.listed_date,
                item.fetched_sha256,
                item.report_id,
                item.gone_since is not None,
            )
    return found


@dataclass(frozen=True)
class ListedEntry:
    url: str
    title: str | None
    listed_date: date | None


def see_column_items(
    session: Session,
    *,
    portal_id: int,
    column_url: str,
    entries: Sequence[ListedEntry],
    not_reports: Collection[str] = (),
) -> None:
    """Record that these entries are listed now; an entry listed again is no longer gone.

    ``not_reports``: entries whose title already says they are no report; they are settled as
    such in the same transaction (never fetched).
    """
    stamp = now()
    existing = {
        item.url: item
        for item in session.scalars(select(ColumnItem).where(ColumnItem.url.in_([e.url for e in entries])))
    }
    for entry in entries:
        item = existing.get(entry.url)
        if item is None:
            item = ColumnItem(
                portal_id=portal_id,
                column_url=column_url,
                url=entry.url,
                title=entry.title,
                listed_date=entry.listed_date,
                kind="other" if entry.url in not_reports else "unknown",
                first_seen_at=stamp,
                last_seen_at=stamp,
            )
            session.add(item)
            existing[entry.url] = item
            continue
        item.last_seen_at = stamp
        if item.kind == "unknown" and entry.url in not_reports:
            item.kind = "other"
        if entry.title:
            item.title = entry.title
        if entry.listed_date:
            item.listed_date = entry.listed_date
        if item.gone_since is not None:
            item.gone_since = None
            if item.report_id is not None:
                report = session.get(Report, item.report_id)
                if report is not None:
                    report.gone_since = None
    session.flush()


def settle_item(
    session: Session,
    *,
    portal_id: int,
    column_url: str | None,
    url: str,
    title: str | None,
    kind: str,
    report_id: int | None,
    fetched_sha256: str | None,
) -> None:
    """Remember what an entry turned out to be, so it is not fetched again."""
    stamp = now()
    item = session.scalars(select(ColumnItem).where(ColumnItem.url == url)).first()
    if item is None:
        item = ColumnItem(
            portal_id=portal_id,
            column_url=column_url,
            url=url,
            title=title,
            first_seen_at=stamp,
            last_seen_at=stamp,
        )
        session.add(item)
    item.kind = kind
    item.report_id = report_id
    item.fetched_sha256 = fetched_sha256
    session.flush()


def unsettled_items(session: Session, column_url: str) -> int:
    """Entries of a column whose fetch never completed (e.g. a crawl killed or a failed page)."""
    return session.scalar(
        select(func.count())
        .select_from(ColumnItem)
        .where(ColumnItem.column_url == column_url, ColumnItem.kind == "unknown", ColumnItem.gone_since.is_(None))
    ) or 0


@dataclass(frozen=True)
class ColumnWalkPlan:
    full: bool  # walk every page (and conclude gone items if no error)
    reason: str


def plan_column_walk(session: Session, column_url: str, *, full_walk_every: timedelta) -> ColumnWalkPlan:
    """Decide whether stopping at known items is sound for this column this time."""
    column = session.scalars(select(CrawlColumn).where(CrawlColumn.url == column_url)).first()
    if column is None or column.full_walk_at is None:
        return ColumnWalkPlan(True, "first walk")
    if column.walk_completed_at is None:
        return ColumnWalkPlan(True, "the last walk did not complete")
    if unsettled_items(session, column_url):
        return ColumnWalkPlan(True, "entries left unfetched")
    if now() - as_china(column.full_walk_at) >= full_walk_every:
        return ColumnWalkPlan(True, "periodic full walk")
    return ColumnWalkPlan(False, "incremental")


def start_column_walk(session: Session, *, column_url: str, portal_id: int, platform: str | None) -> None:
    column = session.scalars(select(CrawlColumn).where(CrawlColumn.url == column_url)).first()
    if column is None:
        column = CrawlColumn(url=column_url, portal_id=portal_id)
        session.add(column)
    column.platform = platform or column.platform
    column.walk_started_at = now()
    column.walk_completed_at = None
    session.flush()


def complete_column_walk(session: Session, *, column_url: str, full: bool, pages: int) -> None:
    column = session.scalars(select(CrawlColumn).where(CrawlColumn.url == column_url)).first()
    if column is None:
        return
    stamp = now()
    column.walk_completed_at = stamp
    if full:
        column.full_walk_at = stamp
        column.pages = pages
    session.flush()


def mark_gone(session: Session, *, column_url: str, listed_urls: set[str]) -> int:
    """After a full, error-free walk: entries not listed any more are gone; returns reports newly gone.

    A report is gone only when none of the entries leading to it is still listed (a repost keeps it).
    """
    stamp = now()
    newly_gone_reports: set[int] = set()
    candidates = session.scalars(
        select(ColumnItem).where(ColumnItem.column_url == column_url, ColumnItem.gone_since.is_(None))
    )
    for item in candidates:
        if item.url in listed_urls:
            continue
        item.gone_since = stamp
        if item.report_id is not None:
            newly_gone_reports.add(item.report_id)
    session.flush()
    count = 0
    for report_id in newly_gone_reports:
        still_listed = session.scalar(
            select(func.count())
            .select_from(ColumnItem)
            .where(ColumnItem.report_id == report_id, ColumnItem.gone_since.is_(None))
        )
        if still_listed:
            continue
        report = session.get(Report, report_id)
        if report is None:
            continue
        for version in session.scalars(select(Report).where(Report.url == report.url, Report.gone_since.is_(None))):
            version.gone_since = stamp
        count += 1
    session.flush()
    return count


# --- reports and agencies --------------------------------------------------------------------------


def last_fetched_at(session: Session, url: str) -> datetime | None:
    stamp = session.scalar(select(func.max(Snapshot.fetched_at)).where(Snapshot.url == url))
    return as_china(stamp) if stamp is not None else None


def last_fetched_many(session: Session, urls: Iterable[str]) -> dict[str, datetime]:
    """When each of ``urls`` was last fetched (URLs never fetched are absent)."""
    wanted = list(dict.fromkeys(urls))
    found: dict[str, datetime] = {}
    for start in range(0, len(wanted), 500):
        query = (
            select(Snapshot.url, func.max(Snapshot.fetched_at))
            .where(Snapshot.url.in_(wanted[start : start + 500]))
            .group_by(Snapshot.url)
        )
        found.update({url: as_china(stamp) for url, stamp in session.execute(query) if stamp is not None})
    return found


def touch_report(session: Session, report_id: int) -> None:
    report = session.get(Report, report_id)
    if report is not None:
        report.last_seen_at = max(as_china(report.last_seen_at), now())


def assign_report_agency(session: Session, report_id: int, agency_id: str | None) -> None:
    report = session.get(Report, report_id)
    if report is not None and agency_id and report.agency_id is None:
        report.agency_id = agency_id


@dataclass(frozen=True)
class AgencyNames:
    id: str
    name: str
    aliases: tuple[str, ...]
    level: str
    parent_id: str | None
    portal_url: str | None


def agencies_for_matching(session: Session) -> list[AgencyNames]:
    return [
        AgencyNames(a.id, a.name, tuple(a.aliases or ()), a.level, a.parent_id, a.portal_url)
        for a in session.scalars(select(Agency).order_by(Agency.id))
    ]


def unassigned_reports(session: Session, report_ids: Iterable[int]) -> list[tuple[str, str | None]]:
    """(url, title) of those reports no registered body could be matched to."""
    ids = list(report_ids)
    found: list[tuple[str, str | None]] = []
    for start in range(0, len(ids), 500):
        query = select(Report.url, Report.title).where(
            Report.id.in_(ids[start : start + 500]), Report.is_current.is_(True), Report.agency_id.is_(None)
        )
        found.extend((url, title) for url, title in session.execute(query))
    return sorted(found)


def set_snapshot_text(session: Session, snapshot_id: int, text: str) -> None:
    session.execute(
        update(Snapshot).where(Snapshot.id == snapshot_id, Snapshot.text.is_(None)).values(text=text)
    )
