"""The evidence store: every fetched response, bytes kept once per distinct hash."""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from storage.clock import now
from storage.models import Blob, Snapshot


def sha256_of(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def store_blob(session: Session, body: bytes) -> str:
    """Keep ``body`` once; concurrent writers of the same bytes are harmless."""
    digest = sha256_of(body)
    values = {
        "sha256": digest,
        "size": len(body),
        "compression": "zlib",
        "data": zlib.compress(body, 6),
        "created_at": now(),
    }
    dialect = session.get_bind().dialect.name
    if dialect == "sqlite":
        statement = sqlite_insert(Blob).values(**values).on_conflict_do_nothing(index_elements=["sha256"])
    elif dialect == "postgresql":
        statement = pg_insert(Blob).values(**values).on_conflict_do_nothing(index_elements=["sha256"])
    else:
        if session.get(Blob, digest) is None:
            session.add(Blob(**values))
            session.flush()
        return digest
    session.execute(statement)
    return digest


def load_blob(session: Session, digest: str) -> bytes | None:
    blob = session.get(Blob, digest)
    if blob is None:
        return None
    return zlib.decompress(blob.data) if blob.compression == "zlib" else blob.data


def record_snapshot(
    session: Session,
    *,
    url: str,
    body: bytes | None,
    http_status: int,
    headers: Mapping[str, str] | None = None,
    final_url: str | None = None,
    method: str = "GET",
    request_body: str | None = None,
    content_type: str | None = None,
    encoding: str | None = None,
    text: str | None = None,
    crawl_run_id: int | None = None,
    portal_id: int | None = None,
    fetched_at: datetime | None = None,
) -> Snapshot:
    """Store one response; ``body=None`` records a fetch that produced no bytes (e.g. 304)."""
    digest = store_blob(session, body) if body is not None else None
    snapshot = Snapshot(
        crawl_run_id=crawl_run_id,
        portal_id=portal_id,
        method=method,
        url=url,
        request_body=request_body,
        final_url=final_url or url,
        fetched_at=fetched_at or now(),
        http_status=http_status,
        headers=dict(headers or {}),
        content_type=content_type,
        encoding=encoding,
        sha256=digest,
        text=text,
    )
    session.add(snapshot)
    session.flush()
    return snapshot


def latest_snapshot(session: Session, url: str, *, with_body: bool = True) -> Snapshot | None:
    """The newest stored response for ``url`` (with bytes, if asked), for conditional requests."""
    query = select(Snapshot).where(Snapshot.url == url)
    if with_body:
        query = query.where(Snapshot.sha256.is_not(None))
    return session.scalars(query.order_by(Snapshot.fetched_at.desc(), Snapshot.id.desc()).limit(1)).first()
