"""Regenerate the single initial migration from storage/models.py.

Until the first release the schema has one migration; after a model change, run
``python scripts/regen_initial_migration.py`` and commit the result. After a release, add
ordinary revisions with ``alembic revision --autogenerate`` instead.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from alembic import command

from storage.db import ALEMBIC_DIR, alembic_config

VERSIONS = ALEMBIC_DIR / "versions"


def main() -> None:
    for old in VERSIONS.glob("*.py"):
        old.unlink()
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'empty.db'}"
        config = alembic_config(url)
        command.revision(config, message="initial schema", autogenerate=True, rev_id="0001")
    print("wrote", *sorted(p.name for p in VERSIONS.glob("*.py")))


if __name__ == "__main__":
    main()
