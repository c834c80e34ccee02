"""Zip archives built for tests, byte for byte the same on every run.

The members' timestamps are fixed: an archive's bytes name its parametrized tests, and the test
workers each collect the tests, so bytes that carried the clock would differ between workers.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping

_FIXED_TIME = (2024, 1, 1, 0, 0, 0)


def zip_of(members: Mapping[str, str | bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as archive:
        for name, body in members.items():
            archive.writestr(zipfile.ZipInfo(name, date_time=_FIXED_TIME), body, compress_type=compression)
    return buffer.getvalue()
