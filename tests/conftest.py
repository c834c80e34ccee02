"""Shared fixtures: a fresh database on each backend, against real servers.

PostgreSQL tests use the real server that ``scripts/postgres.sh`` starts (the README's test
command runs it; this file runs it too when the server is not up yet). They never skip: a missing
server is a failure, not a silent pass.
"""

from __future__ import annotations

import os
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def pg_server_url() -> str:
    """URL of the maintenance database of the test PostgreSQL server."""
    url = os.environ.get("NIANBAO_TEST_PG")
    if not url:
        done = subprocess.run(
            ["bash", str(ROOT / "scripts" / "postgres.sh")], capture_output=True, text=True, check=False
        )
        if done.returncode != 0:
            pytest.fail(f"cannot start the test PostgreSQL server: {done.stderr.strip()}")
        url = done.stdout.strip().splitlines()[-1]
        os.environ["NIANBAO_TEST_PG"] = url
    return url


def _fresh_pg_database(server_url: str) -> Iterator[str]:
    name = f"t_{uuid.uuid4().hex[:16]}"
    admin = create_engine(server_url.replace("postgresql://", "postgresql+psycopg://"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(server_url).set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        from storage.db import engine_for

        engine_for(url).dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'nianbao.db'}"


@pytest.fixture
def pg_url(pg_server_url: str) -> Iterator[str]:
    yield from _fresh_pg_database(pg_server_url)


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database on each backend in turn."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'nianbao.db'}"
    else:
        yield from _fresh_pg_database(request.getfixturevalue("pg_server_url"))


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The shared material beside the repository (seeds, samples, spec)."""
    assert SHARED.is_dir(), f"expected the shared folder at {SHARED}"
    return SHARED
