"""Delivering alert events to people (placeholder until the notification module lands)."""

from __future__ import annotations


def send_notifications(db_url: str) -> int:
    """Send every alert event not yet delivered to every admitting channel; returns messages sent."""
    return 0
