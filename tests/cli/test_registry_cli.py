"""`nianbao registry load/list` through the real console script, on both backends."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml


def nianbao(*args: str, db: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, "NIANBAO_DB": db, **(env or {})}
    return subprocess.run([sys.executable, "-m", "nianbao", *args], capture_output=True, text=True, env=full_env, timeout=120, check=False)


def fifty_agencies() -> list[dict[str, object]]:
    county = {"id": "330000-gov", "name": "甲县人民政府", "aliases": ["甲县政府"], "level": "county_government",
              "parent": None, "region": "某省甲县", "portal": "http://127.0.0.1:8000/", "since": 2019}
    rows: list[dict[str, object]] = [county]
    for i in range(1, 30):
        rows.append({"id": f"dept-{i:02d}", "name": f"甲县第{i}局", "level": "county_department",
                     "parent": "330000-gov", "portal": "http://127.0.0.1:8000/zwgk/nb/"})
    for i in range(30, 50):
        rows.append({"id": f"town-{i:02d}", "name": f"甲县{i}镇人民政府", "aliases": [f"{i}镇"],
                     "level": "township" if i % 2 else "subdistrict", "parent": "330000-gov",
                     "since": 2020, "deadline": "02-15" if i == 31 else None})
    return rows


def test_load_fifty_twice_changes_nothing(db_url: str, tmp_path: Path) -> None:
    path = tmp_path / "registry.yaml"
    path.write_text(yaml.safe_dump({"agencies": fifty_agencies()}, allow_unicode=True), encoding="utf-8")
    assert nianbao("db", "upgrade", db=db_url).returncode == 0
    first = nianbao("registry", "load", str(path), db=db_url)
    assert first.returncode == 0, first.stderr
    assert "50 added, 0 changed, 0 unchanged" in first.stdout
    second = nianbao("registry", "load", str(path), db=db_url)
    assert "0 added, 0 changed, 50 unchanged" in second.stdout
    listed = json.loads(nianbao("registry", "list", "--format", "json", db=db_url).stdout)
    assert len(listed) == 50
    town = next(a for a in listed if a["id"] == "town-31")
    assert (town["level"], town["parent"], town["since"], town["deadline"], town["aliases"]) == (
        "township", "330000-gov", 2020, "02-15", ["31镇"])


def test_csv_registry_is_accepted(sqlite_url: str, tmp_path: Path) -> None:
    path = tmp_path / "registry.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=["id", "name", "aliases", "level", "parent", "portal", "since"])
        writer.writeheader()
        writer.writerow({"id": "g", "name": "乙县人民政府", "aliases": "乙县政府;乙县", "level": "county_government",
                         "parent": "", "portal": "https://www.yixian.gov.cn/", "since": "2019"})
        writer.writerow({"id": "t", "name": "乙县丙镇人民政府", "aliases": "", "level": "township",
                         "parent": "g", "portal": "", "since": ""})
    done = nianbao("registry", "load", str(path), db=sqlite_url)
    assert done.returncode == 0, done.stderr
    listed = {a["id"]: a for a in json.loads(nianbao("registry", "list", "--format", "json", db=sqlite_url).stdout)}
    assert listed["g"]["aliases"] == ["乙县政府", "乙县"] and listed["t"]["parent"] == "g"
    assert listed["t"]["since"] == 2019 and listed["t"]["portal"] is None


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (lambda rows: rows[5].update(level="county"), "entry 6 (id 'dept-05'): field 'level': unknown level 'county'"),
        (lambda rows: rows[7].update(id="dept-01"), "entry 8 (id 'dept-01'): field 'id': duplicate of entry 2"),
        (lambda rows: rows[40].update(parent="nowhere"), "entry 41 (id 'town-40'): field 'parent': no agency with id 'nowhere'"),
        (lambda rows: rows[3].update(portal="ftp://x.gov.cn/"), "entry 4 (id 'dept-03'): field 'portal': not an http(s) URL"),
        (lambda rows: rows[2].update(deadline="13-45"), "entry 3 (id 'dept-02'): field 'deadline': expected MM-DD"),
        (lambda rows: rows[9].pop("name"), "entry 10 (id 'dept-09'): field 'name': missing"),
    ],
)
def test_broken_registry_gets_one_line_and_loads_nothing(db_url: str, tmp_path: Path, mutate, expected: str) -> None:
    rows = fifty_agencies()
    mutate(rows)
    path = tmp_path / "broken.yaml"
    path.write_text(yaml.safe_dump({"agencies": rows}, allow_unicode=True), encoding="utf-8")
    done = nianbao("registry", "load", str(path), db=db_url)
    assert done.returncode == 2
    assert expected in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr
    assert json.loads(nianbao("registry", "list", "--format", "json", db=db_url).stdout) == []


def test_not_yaml_and_missing_file(sqlite_url: str, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("agencies: [\n  - id: x\n", encoding="utf-8")
    done = nianbao("registry", "load", str(bad), db=sqlite_url)
    assert done.returncode == 2 and "not valid YAML" in done.stderr
    gone = nianbao("registry", "load", str(tmp_path / "nope.yaml"), db=sqlite_url)
    assert gone.returncode == 2 and "cannot read" in gone.stderr
