"""Regenerate the single initial migration from storage/models.py.

Until the first release the schema has one migration; after a model change, run
``python scripts/regen_initial_migration.py`` and commit the result. After a release, add
ordinary revisions with ``alembic revision --autogenerate`` instead.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

# The models and migrations of THIS checkout, whatever copy of the project is installed.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from alembic import command  # noqa: E402

from storage.db import ALEMBIC_DIR, alembic_config  # noqa: E402

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
