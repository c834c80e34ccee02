"""The command's outside contract: help everywhere, database and clock selection, exit codes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from nianbao.cli import build_parser


def run(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "nianbao", *args], capture_output=True, text=True, cwd=cwd,
                          env={**os.environ, **(env or {})}, timeout=120, check=False)


def test_every_subcommand_has_help() -> None:
    parser = build_parser()
    commands = [a for a in parser._actions if a.dest == "command"][0].choices
    assert {"db", "registry", "parse"} <= set(commands)
    for name in commands:
        done = run(name, "--help")
        assert done.returncode == 0, (name, done.stderr)
        assert "usage: nianbao" in done.stdout


def test_default_database_is_a_file_in_the_current_directory(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "NIANBAO_DB"}
    done = subprocess.run([sys.executable, "-m", "nianbao", "db", "upgrade"], cwd=tmp_path, env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "nianbao.db").stat().st_size > 0


def test_db_option_beats_the_environment(tmp_path: Path) -> None:
    env_db = tmp_path / "env.db"
    opt_db = tmp_path / "opt.db"
    done = run("db", "upgrade", "--db", f"sqlite:///{opt_db}", env={"NIANBAO_DB": f"sqlite:///{env_db}"})
    assert done.returncode == 0
    assert opt_db.exists() and not env_db.exists()
    done = run("db", "upgrade", env={"NIANBAO_DB": f"sqlite:///{env_db}"})
    assert done.returncode == 0 and env_db.exists()


def test_user_errors_are_one_line_with_exit_2(tmp_path: Path) -> None:
    bad_clock = run("db", "upgrade", env={"NIANBAO_NOW": "yesterday", "NIANBAO_DB": f"sqlite:///{tmp_path / 'a.db'}"})
    assert bad_clock.returncode == 2 and "NIANBAO_NOW" not in bad_clock.stdout
    assert "not an ISO 8601 date" in bad_clock.stderr and "Traceback" not in bad_clock.stderr
    bad_url = run("db", "upgrade", "--db", "nonsense://")
    assert bad_url.returncode == 2 and "Traceback" not in bad_url.stderr
    assert len(bad_url.stderr.strip().splitlines()) == 1
    unreachable = run("db", "upgrade", "--db", "postgresql://nobody:x@127.0.0.1:1/none")
    assert unreachable.returncode == 2 and "cannot open or upgrade the database" in unreachable.stderr
    assert run("no-such-command").returncode == 2
    assert run().returncode == 2
