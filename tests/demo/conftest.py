from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from nianbao.demo.portal import RunningCounty, SampleCounty, serve_county

FIRST_CRAWL = date(2024, 2, 10)
SECOND_CRAWL = date(2024, 6, 1)


@pytest.fixture(scope="session")
def county() -> SampleCounty:
    return SampleCounty.generate(seed=2024)


@pytest.fixture(scope="module")
def running(county: SampleCounty) -> Iterator[RunningCounty]:
    """The county served as of the first crawl date; tests in a module must not move its clock."""
    with serve_county(county, as_of=FIRST_CRAWL, timeout_delay=1.5) as served:
        yield served
