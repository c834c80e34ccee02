"""Writing and reading the registry of bodies."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.clock import now
from storage.models import Agency


@dataclass(frozen=True)
class AgencyEntry:
    """A validated registry entry, ready to be written."""

    id: str
    name: str
    level: str
    aliases: tuple[str, ...] = ()
    parent: str | None = None
    region: str | None = None
    portal: str | None = None
    since: int = 2019
    deadline: str | None = None


@dataclass
class UpsertResult:
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


def _fields(entry: AgencyEntry) -> dict[str, object]:
    return {
        "name": entry.name,
        "aliases": list(entry.aliases),
        "level": entry.level,
        "parent_id": entry.parent,
        "region": entry.region,
        "portal_url": entry.portal,
        "since": entry.since,
        "deadline": entry.deadline,
    }


def existing_agency_ids(session: Session) -> set[str]:
    return set(session.scalars(select(Agency.id)))


def upsert_agencies(session: Session, entries: Sequence[AgencyEntry]) -> UpsertResult:
    """Insert new bodies and update changed ones by id; unchanged rows are not touched."""
    result = UpsertResult()
    stamp = now()
    current = {a.id: a for a in session.scalars(select(Agency).where(Agency.id.in_([e.id for e in entries])))}
    # Parents first, so a foreign key never points at a row not yet written.
    for entry in _parents_first(entries):
        values = _fields(entry)
        row = current.get(entry.id)
        if row is None:
            session.add(Agency(id=entry.id, created_at=stamp, updated_at=stamp, **values))
            result.added.append(entry.id)
        elif any(getattr(row, key) != value for key, value in values.items()):
            for key, value in values.items():
                setattr(row, key, value)
            row.updated_at = stamp
            result.changed.append(entry.id)
        else:
            result.unchanged.append(entry.id)
        session.flush()
    return result


def _parents_first(entries: Iterable[AgencyEntry]) -> list[AgencyEntry]:
    by_id = {e.id: e for e in entries}
    ordered: list[AgencyEntry] = []
    placed: set[str] = set()

    def place(entry: AgencyEntry, trail: tuple[str, ...] = ()) -> None:
        if entry.id in placed or entry.id in trail:
            return
        if entry.parent and entry.parent in by_id:
            place(by_id[entry.parent], (*trail, entry.id))
        placed.add(entry.id)
        ordered.append(entry)

    for entry in by_id.values():
        place(entry)
    return ordered


def list_agencies(session: Session, ids: Sequence[str] | None = None) -> list[Agency]:
    query = select(Agency).order_by(Agency.id)
    if ids:
        query = query.where(Agency.id.in_(list(ids)))
    return list(session.scalars(query))
