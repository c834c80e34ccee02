"""Section 三 rows whose digits ran together: let the table's own arithmetic pick the split.

Archiver text loses the cell boundaries (``一、本年新收…126020020``). A row's total (its last
number is the sum of the six before) often leaves several splits. The table's other identities
narrow them: per column, ``new + carried_in = total_handled + carried_out`` and ``total_handled``
is the sum of the outcome rows. A row is filled only when every combination of candidate splits
that satisfies every identity gives that row the same numbers; otherwise it stays unread.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from itertools import product

Row = list[int | float | None]

MAX_SPLITS_PER_ROW = 64
MAX_COMBINATIONS = 200_000
_BALANCE = ("new", "carried_in", "total_handled", "carried_out")


def _holds(rows: Mapping[str, Row], outcomes: Sequence[str], width: int) -> bool:
    """Every identity whose cells are all known holds; an identity with an unknown cell is skipped."""
    new, carried_in, handled, carried_out = (rows.get(k) for k in _BALANCE)
    outcome_rows = [rows.get(k) for k in outcomes]
    for c in range(width):
        cells = [r[c] if r is not None else None for r in (new, carried_in, handled, carried_out)]
        if all(v is not None for v in cells):
            a, b, h, o = cells
            if abs(a + b - h - o) > 1e-6:  # type: ignore[operator]
                return False
        parts = [r[c] if r is not None else None for r in outcome_rows]
        target = handled[c] if handled is not None else None
        if target is not None and all(v is not None for v in parts) and abs(sum(parts) - target) > 1e-6:  # type: ignore[arg-type]
            return False
    return True


def resolve_runs(
    known: Mapping[str, Row], candidates: Mapping[str, list[list[int]]], outcomes: Sequence[str], width: int
) -> dict[str, list[int]]:
    """The rows of ``candidates`` that the identities pin down to one split.

    ``known`` holds the rows read normally (a None cell is unknown); ``candidates`` the possible
    splits of each run-together row.
    """
    names = [k for k, v in candidates.items() if 0 < len(v) <= MAX_SPLITS_PER_ROW]
    if not names:
        return {}
    total = 1
    for name in names:
        total *= len(candidates[name])
    if total > MAX_COMBINATIONS:
        return {}
    agreed: dict[str, list[int] | None] = {}
    consistent = 0
    rows: dict[str, Row] = dict(known)
    for choice in product(*(candidates[n] for n in names)):
        for name, split in zip(names, choice, strict=True):
            rows[name] = list(split)
        if not _holds(rows, outcomes, width):
            continue
        consistent += 1
        for name, split in zip(names, choice, strict=True):
            if name not in agreed:
                agreed[name] = list(split)
            elif agreed[name] != list(split):
                agreed[name] = None
    if consistent == 0:
        return {}
    return {name: split for name, split in agreed.items() if split is not None}
