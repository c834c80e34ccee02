"""Errors the CLI turns into a one-line message and exit code 2."""

from __future__ import annotations


class UsageError(Exception):
    """Bad usage or unreadable input: the user can fix it; no traceback is shown."""
