"""Engines, sessions and schema upgrades for SQLite and PostgreSQL."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.orm import Session, sessionmaker

DEFAULT_URL = "sqlite:///nianbao.db"
ALEMBIC_DIR = Path(__file__).resolve().parent.parent / "alembic"


class DatabaseError(RuntimeError):
    """The database URL is unusable or the database cannot be reached."""


def database_url(explicit: str | None = None) -> str:
    """``--db`` wins, then ``NIANBAO_DB``, then a SQLite file in the current directory."""
    return explicit or os.environ.get("NIANBAO_DB") or DEFAULT_URL


def normalise_url(url: str) -> str:
    """Use psycopg 3 for plain ``postgresql://`` URLs (the driver we install)."""
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise DatabaseError(f"not a database URL: {url!r}") from exc
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def _sqlite_pragmas(dbapi_connection: object, _record: object) -> None:
    # We issue BEGIN ourselves (see _sqlite_begin), so the driver must not.
    dbapi_connection.isolation_level = None  # type: ignore[attr-defined]
    cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
    # WAL lets the scheduler, a crawl subprocess and an analyst read and write at once; with WAL,
    # synchronous=NORMAL survives a killed process (only a power cut can lose the last commits).
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


READ_ONLY = "nianbao_read_only"  # execution option of read_scope's connections


def _sqlite_begin(connection: Connection) -> None:
    # A deferred transaction that reads and then writes fails at once with "database is locked"
    # when another process wrote in between (the busy timeout cannot help it); taking the write
    # lock up front makes concurrent writers wait their turn instead. A transaction that only
    # reads (read_scope) needs no lock: in WAL mode it neither waits for a writer nor blocks one.
    if connection.get_execution_options().get(READ_ONLY):
        connection.exec_driver_sql("BEGIN DEFERRED")
    else:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


@lru_cache(maxsize=16)
def engine_for(url: str) -> Engine:
    """One engine per URL per process."""
    normal = normalise_url(url)
    if normal.startswith("sqlite"):
        engine = create_engine(normal, connect_args={"timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
    else:
        engine = create_engine(normal, pool_pre_ping=True)
    return engine


@lru_cache(maxsize=16)
def _session_factory(url: str) -> sessionmaker[Session]:
    return sessionmaker(engine_for(url), expire_on_commit=False)


@contextmanager
def session_scope(url: str) -> Iterator[Session]:
    """A session that commits on success and rolls back on error."""
    session = _session_factory(url)()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


@contextmanager
def read_scope(url: str) -> Iterator[Session]:
    """A session for reads only (rolled back at the end); on SQLite it does not wait for writers."""
    session = Session(engine_for(url).execution_options(**{READ_ONLY: True}), expire_on_commit=False)
    try:
        yield session
    finally:
        session.rollback()
        session.close()


def alembic_config(url: str):  # type: ignore[no-untyped-def]
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(ALEMBIC_DIR))
    config.set_main_option("sqlalchemy.url", normalise_url(url).replace("%", "%%"))
    return config


_upgraded: set[str] = set()


def upgrade(url: str) -> None:
    """Bring the schema to the newest revision (once per process per URL)."""
    if url in _upgraded:
        return
    from alembic import command

    try:
        with engine_for(url).begin() as connection:
            config = alembic_config(url)
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
    except DatabaseError:
        raise
    except Exception as exc:  # the driver's own errors are many; the user needs one line
        raise DatabaseError(f"cannot open or upgrade the database {make_url(normalise_url(url))!r}: {exc}") from exc
    _upgraded.add(url)


@contextmanager
def open_database(url: str | None = None) -> Iterator[Session]:
    """Upgrade the schema if needed, then give a committing session."""
    resolved = database_url(url)
    upgrade(resolved)
    with session_scope(resolved) as session:
        yield session
