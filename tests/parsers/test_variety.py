"""Real-world variety: each fixture parses to its whole expected JSON (``<fixture>.expected.json``).

Every fixture was built from one set of known, internally consistent figures, so the expected
sections are those figures; titles, dates and warnings are what the page itself states.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from parsers import parse_document

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "parsers"
CASES = sorted(p.name.removesuffix(".expected.json") for p in FIXTURES.glob("*.expected.json"))


def test_every_variety_fixture_has_an_expectation() -> None:
    assert len(CASES) >= 8
    assert all((FIXTURES / name).is_file() for name in CASES)


@pytest.mark.parametrize("name", CASES)
def test_fixture_parses_to_its_whole_expected_json(name: str) -> None:
    expected = json.loads((FIXTURES / f"{name}.expected.json").read_text(encoding="utf-8"))
    assert parse_document((FIXTURES / name).read_bytes(), source=name).to_dict() == expected
