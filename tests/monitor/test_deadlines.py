from datetime import date

import pytest

from monitor.deadlines import (
    DeadlineError,
    deadline_for,
    deadline_table,
    due_years,
    has_passed,
    safe_deadline_for,
)


def test_default_deadline_per_level() -> None:
    assert deadline_for("county_government", 2023) == date(2024, 3, 31)
    assert deadline_for("county_department", 2023) == date(2024, 1, 31)
    assert deadline_for("township", 2023) == date(2024, 1, 31)
    assert deadline_for("subdistrict", 2019) == date(2020, 1, 31)


def test_override_wins_over_level() -> None:
    assert deadline_for("township", 2023, "03-15") == date(2024, 3, 15)
    assert deadline_for("county_government", 2023, "01-31") == date(2024, 1, 31)


def test_leap_day_override_falls_on_the_last_day_of_february() -> None:
    assert deadline_for("township", 2023, "02-29") == date(2024, 2, 29)
    assert deadline_for("township", 2022, "02-29") == date(2023, 2, 28)


def test_malformed_override() -> None:
    with pytest.raises(DeadlineError):
        deadline_for("township", 2023, "13-01")
    assert safe_deadline_for("township", 2023, "1/31") == date(2024, 1, 31)


def test_due_years_run_to_the_last_full_year() -> None:
    assert list(due_years(2019, date(2024, 2, 10))) == [2019, 2020, 2021, 2022, 2023]
    assert list(due_years(2019, date(2024, 1, 1))) == [2019, 2020, 2021, 2022, 2023]
    assert list(due_years(2024, date(2024, 12, 31))) == []


def test_deadline_is_inclusive() -> None:
    assert not has_passed(date(2024, 1, 31), date(2024, 1, 31))
    assert has_passed(date(2024, 1, 31), date(2024, 2, 1))


def test_deadline_table_covers_every_rule_and_year_once() -> None:
    rows = deadline_table(
        [("township", None), ("township", None), ("county_government", None), ("township", "02-29")],
        [2022, 2023],
    )
    assert len(rows) == 6
    assert ("township", "02-29", 2022, date(2023, 2, 28)) in rows
    assert ("county_government", "", 2023, date(2024, 3, 31)) in rows
