"""The answers a correct crawler + monitor must reach on the sample county (contract.md).

A status depends on what the crawler could have seen, so the truth is computed for a history of
crawl dates (by default just one crawl on the as-of date): a report is seen on a crawl date when
one of its placements is listed then and its portal answers a crawler that runs no JavaScript.

Choices where the contract leaves room, stated once here:
- a body with no report found whose portal failed is ``pending`` while its deadline is ahead and
  ``unreachable`` after it (an absence is only claimed once the deadline has passed);
- ``published_at`` is the earliest date declared by any placement seen; without one, lateness is
  judged from the first crawl date that saw the report;
- ``backdated``: the report declares a date on or before the deadline, yet a crawl after the
  deadline found the body's portal answering without the report.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from nianbao.demo import documents
from nianbao.demo.bodies import Body
from nianbao.demo.catalog import Catalog, Item, Placement

UrlOf = Callable[[str, str], str]  # (portal key, path) -> absolute URL


@dataclass(frozen=True)
class _Sighting:
    """What the crawl history shows of one (body, year)."""

    item: Item | None
    seen_on: list[date]
    placements: list[Placement]


def _seen(catalog: Catalog, item: Item, placement: Placement, day: date) -> bool:
    column = catalog.columns[placement.column]
    return not column.hidden and placement.visible(day) and catalog.portals[column.portal].reachable(day)


def _sighting(catalog: Catalog, reports: list[Item], crawls: Sequence[date]) -> _Sighting:
    best: _Sighting = _Sighting(None, [], [])
    for item in reports:
        seen_on = [d for d in crawls if any(_seen(catalog, item, p, d) for p in item.placements)]
        placements = [p for p in item.placements if any(_seen(catalog, item, p, d) for d in crawls)]
        candidate = _Sighting(item, seen_on, placements)
        if best.item is None or (seen_on and (not best.seen_on or seen_on[0] < best.seen_on[0])):
            best = candidate
    return best


def _status_row(catalog: Catalog, body: Body, year: int, reports: list[Item], crawls: Sequence[date],
                url_of: UrlOf) -> dict[str, Any]:
    last = crawls[-1]
    deadline = body.deadline(year)
    portal_key, _ = catalog.registry_portal[body.id]  # type: ignore[index]
    portal_ok = catalog.portals[portal_key].reachable(last)
    sighting = _sighting(catalog, reports, crawls)
    row: dict[str, Any] = {
        "agency_id": body.id, "agency": body.name, "year": year, "deadline": deadline.isoformat(),
        "published_at": None, "first_seen_at": None, "days_late": None, "url": None,
        "failed_checks": [], "judged_on": None,
    }
    found_now = bool(sighting.seen_on) and sighting.seen_on[-1] == last
    gone = bool(sighting.seen_on) and not found_now and portal_ok
    if sighting.item is not None and sighting.seen_on and not gone:
        item = sighting.item
        declared = [p.declared.date() for p in sighting.placements if p.declared is not None]
        published = min(declared) if declared else None
        first_seen = sighting.seen_on[0]
        effective = published or first_seen
        days_late = max(0, (effective - deadline).days)
        placement = min(sighting.placements, key=lambda p: (p.declared is None, p.declared or p.appear))
        version = item.version_on(sighting.seen_on[-1])
        row.update(
            status="late" if days_late > 0 else "on_time",
            published_at=published.isoformat() if published else None,
            first_seen_at=first_seen.isoformat(), days_late=days_late,
            url=url_of(catalog.columns[placement.column].portal, placement.path),
            failed_checks=list(version.content.broken_rules) if version and _readable(item) else [],
            judged_on="published_at" if published else "first_seen_at",
            report_id=item.id,
        )
    elif gone:
        row.update(status="withdrawn", first_seen_at=sighting.seen_on[0].isoformat(), report_id=sighting.item.id)
    elif last <= deadline:
        row["status"] = "pending"
    else:
        row["status"] = "missing" if portal_ok else "unreachable"
    return row


def _readable(item: Item) -> bool:
    """Whether the served file carries readable tables (a scanned PDF does not)."""
    return item.form != "image_pdf"


def _backdated(catalog: Catalog, body: Body, row: dict[str, Any], crawls: Sequence[date]) -> bool:
    if row["status"] not in ("on_time", "late") or row["published_at"] is None:
        return False
    deadline = date.fromisoformat(row["deadline"])
    if date.fromisoformat(row["published_at"]) > deadline:
        return False
    first_seen = date.fromisoformat(row["first_seen_at"])
    portal_key, _ = catalog.registry_portal[body.id]  # type: ignore[index]
    return any(deadline < d < first_seen and catalog.portals[portal_key].reachable(d) for d in crawls)


def _alerts(catalog: Catalog, statuses: list[dict[str, Any]], crawls: Sequence[date]) -> list[dict[str, Any]]:
    bodies = {b.id: b for b in catalog.bodies}
    alerts = []
    for row in statuses:
        kinds = []
        if row["status"] in ("missing", "late", "withdrawn", "unreachable"):
            kinds.append(row["status"])
        if row["failed_checks"]:
            kinds.append("inconsistent")
        if _backdated(catalog, bodies[row["agency_id"]], row, crawls):
            kinds.append("backdated")
        alerts += [{"agency_id": row["agency_id"], "year": row["year"], "kind": k} for k in kinds]
    return alerts


def statuses_for(catalog: Catalog, crawls: Sequence[date], url_of: UrlOf) -> list[dict[str, Any]]:
    """One row per (registered body, year since .. the last full year before the last crawl)."""
    by_key: dict[tuple[str, int], list[Item]] = {}
    for item in catalog.items:
        if item.kind == "report" and item.body is not None and item.body.id is not None:
            by_key.setdefault((item.body.id, item.year or 0), []).append(item)
    rows = []
    for body in catalog.bodies:
        if body.id is None:
            continue
        for year in range(body.since, crawls[-1].year):
            rows.append(_status_row(catalog, body, year, by_key.get((body.id, year), []), crawls, url_of))
    return rows


def _report_entry(catalog: Catalog, item: Item, as_of: date, url_of: UrlOf) -> dict[str, Any]:
    def urls(placement: Placement) -> dict[str, Any]:
        portal = catalog.columns[placement.column].portal
        return {
            "url": url_of(portal, placement.path),
            "attachment_url": url_of(portal, placement.attachment) if placement.attachment else None,
            "column": placement.column,
            "declared_date": placement.declared.date().isoformat() if placement.declared else None,
            "declared_at": placement.declared.isoformat(sep=" ") if placement.declared else None,
            "appear_date": placement.appear.isoformat(),
            "gone_date": placement.gone.isoformat() if placement.gone else None,
            "visible": placement.visible(as_of) and catalog.portals[portal].reachable(as_of),
        }

    readable = _readable(item)
    current = item.version_on(as_of)
    body = item.body
    assert body is not None
    return {
        "id": item.id, "agency_id": body.id, "agency": body.name, "in_registry": body.in_registry,
        "year": item.year, "title": item.title, "form": item.form, "layout": item.layout,
        "cases": list(item.cases),
        "placements": [urls(p) for p in item.placements],
        "urls": [url_of(catalog.columns[p.column].portal, p.path) for p in item.placements],
        "versions": [{"start": v.start.isoformat(), "consistent": v.consistent,
                      "broken_rules": list(v.content.broken_rules),
                      "sections": documents.expected_sections(v.content) if readable else None}
                     for v in item.versions],
        "expected": documents.expected_sections(current.content) if readable and current else None,
        "visible": any(p["visible"] for p in map(urls, item.placements)),
    }


def ground_truth(catalog: Catalog, as_of: date, url_of: UrlOf,
                 crawl_dates: Sequence[date] | None = None) -> dict[str, Any]:
    """Reports, non-reports, statuses and alerts as of ``as_of`` after crawls on ``crawl_dates``."""
    crawls = sorted({d for d in (crawl_dates or []) if d <= as_of} | {as_of})
    statuses = statuses_for(catalog, crawls, url_of)
    raised: dict[tuple[str, int, str], str] = {}
    for i in range(len(crawls)):
        prefix = crawls[: i + 1]
        for alert in _alerts(catalog, statuses_for(catalog, prefix, url_of), prefix):
            raised.setdefault((alert["agency_id"], alert["year"], alert["kind"]), prefix[-1].isoformat())
    others = []
    for item in catalog.items:
        if item.kind == "report":
            continue
        for p in item.placements:
            column = catalog.columns[p.column]
            portal = "mirror" if item.kind == "mirror_link" else column.portal
            others.append({"url": url_of(portal, p.path), "title": item.title, "kind": item.kind, "column": p.column,
                           "forbidden": column.hidden, "offsite": item.kind == "mirror_link",
                           "appear_date": p.appear.isoformat(), "visible": p.visible(as_of)})
    return {
        "as_of": as_of.isoformat(),
        "crawl_dates": [d.isoformat() for d in crawls],
        "reports": [_report_entry(catalog, i, as_of, url_of) for i in catalog.items if i.kind == "report"],
        "non_reports": others,
        "statuses": statuses,
        "alerts": _alerts(catalog, statuses, crawls),
        "alerts_raised": [{"agency_id": a, "year": y, "kind": k, "raised_on": d}
                          for (a, y, k), d in sorted(raised.items())],
    }
