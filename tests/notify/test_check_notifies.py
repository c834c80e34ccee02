"""`nianbao check` with NIANBAO_NOTIFY, through the real command: the contract's promise."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.notify.servers import MailBox, Webhook

ROOT = Path(__file__).resolve().parents[2]

REGISTRY = """
agencies:
  - {id: county, name: 平潭县人民政府, level: county_government, since: 2022}
  - {id: town-a, name: 岚城乡, level: township, parent: county, since: 2022}
"""


def nianbao(*args: str, db: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    full = {**os.environ, "NIANBAO_DB": db, "PYTHONPATH": str(ROOT), **env}
    for name in ("NIANBAO_SETTINGS",):
        full.pop(name, None)
    return subprocess.run(
        [sys.executable, "-m", "nianbao", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=full,
        timeout=120,
        check=False,
    )


@pytest.fixture
def receivers() -> Iterator[tuple[MailBox, Webhook]]:
    box, hook = MailBox().start(), Webhook().start()
    yield box, hook
    box.stop()
    hook.stop()


def test_check_sends_each_new_alert_once_to_every_channel(
    db_url: str, tmp_path: Path, receivers: tuple[MailBox, Webhook]
) -> None:
    box, hook = receivers
    (tmp_path / "registry.yaml").write_text(REGISTRY, encoding="utf-8")
    env = {"NIANBAO_NOW": "2024-06-01T10:00:00+08:00", "NIANBAO_NOTIFY": f"{hook.url()} {box.url()}"}
    loaded = nianbao("registry", "load", "registry.yaml", db=db_url, cwd=tmp_path, env=env)
    assert loaded.returncode == 0, loaded.stderr

    first = nianbao("check", db=db_url, cwd=tmp_path, env=env)
    assert first.returncode == 0, first.stderr
    # Two bodies × two past years, no report known: four alerts (never crawled: unreachable), each to both.
    assert len(hook.received) == 4 and len(box.messages) == 4
    assert any(t.startswith("【年报监测】新告警：岚城乡 2023年度") and "town-a" in t for t in hook.texts())
    assert any("平潭县人民政府" in t and "2022年度" in t for t in box.texts())

    second = nianbao("check", db=db_url, cwd=tmp_path, env=env)
    assert second.returncode == 0, second.stderr
    assert len(hook.received) == 4 and len(box.messages) == 4


def test_check_reports_a_bad_channel_as_usage_error(db_url: str, tmp_path: Path) -> None:
    done = nianbao("check", db=db_url, cwd=tmp_path, env={"NIANBAO_NOTIFY": "json://user:topsecret@ nope"})
    assert done.returncode == 2
    assert "NIANBAO_NOTIFY" in done.stderr and "Traceback" not in done.stderr
    assert "topsecret" not in done.stderr
