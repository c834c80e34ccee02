"""Notification channels: Apprise URLs with a filter saying which alerts each one wants.

Channels come from the env var ``NIANBAO_NOTIFY`` (space-separated URLs, admit everything) and from
the ``notify:`` section of the settings file (one entry per channel, with an optional filter).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from storage.models import ALERT_KINDS, LEVELS

EVENTS = ("opened", "resolved", "digest")
# What a channel gets unless it says otherwise: each alert and each resolution (the contract's
# promise); digests are asked for, since they repeat what the single messages said.
DEFAULT_EVENTS = ("opened", "resolved")
NAME_LIMIT = 500


class ChannelConfigError(ValueError):
    """A channel entry that cannot be used; the message names the entry and the field."""


@dataclass(frozen=True)
class ChannelFilter:
    """Which alerts a channel admits; an empty tuple admits every value."""

    levels: tuple[str, ...] = ()
    parents: tuple[str, ...] = ()  # supervising bodies: their subordinates (at any depth) are admitted
    kinds: tuple[str, ...] = ()

    def admits(self, *, kind: str, level: str, lineage: Sequence[str]) -> bool:
        """``lineage`` is the body's own id followed by its supervising bodies' ids, nearest first."""
        if self.kinds and kind not in self.kinds:
            return False
        if self.levels and level not in self.levels:
            return False
        return not self.parents or any(ancestor in self.parents for ancestor in lineage[1:])

    def admits_parent(self, parent_id: str, parent_lineage: Sequence[str]) -> bool:
        """Whether digests for ``parent_id`` (lineage: itself, then its own supervisors) belong here."""
        return not self.parents or any(ancestor in self.parents for ancestor in parent_lineage)


@dataclass(frozen=True)
class Channel:
    """One Apprise URL; ``name`` is what notification rows record (never the secret URL)."""

    name: str
    url: str = field(repr=False)
    events: tuple[str, ...] = DEFAULT_EVENTS
    filter: ChannelFilter = ChannelFilter()

    def wants(self, event: str) -> bool:
        return event in self.events


def redact_url(url: str) -> str:
    """A URL that names the channel without its secrets (password, tokens, query)."""
    privacy = _apprise_privacy_url(url)
    if privacy:
        parts = urlsplit(privacy)
        return urlunsplit((parts.scheme, parts.netloc, parts.path.rstrip("/"), "", ""))[:NAME_LIMIT]
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    if parts.username:
        host = f"{parts.username}:****@{host}" if parts.password else f"{parts.username}@{host}"
    return urlunsplit((parts.scheme, host, "/…" if parts.path.strip("/") else "", "", ""))[:NAME_LIMIT]


def _apprise_privacy_url(url: str) -> str | None:
    plugin = _instantiate(url)
    return str(plugin.url(privacy=True)) if plugin else None


def is_usable_url(url: str) -> bool:
    """Apprise knows the scheme and the URL carries what that service needs."""
    return _instantiate(url) is not None


def _instantiate(url: str) -> Any:
    import apprise

    # Apprise logs a URL it cannot parse in full, secrets included; our own message names it redacted.
    quiet = logging.getLogger("apprise")
    previous = quiet.disabled
    quiet.disabled = True
    try:
        return apprise.Apprise.instantiate(url, suppress_exceptions=True) or None
    finally:
        quiet.disabled = previous


def env_channels(value: str | None) -> list[Channel]:
    """Channels from ``NIANBAO_NOTIFY``: every URL admits every alert."""
    channels: list[Channel] = []
    for index, url in enumerate((value or "").split(), start=1):
        if not is_usable_url(url):
            raise ChannelConfigError(
                f"NIANBAO_NOTIFY: URL {index} ({redact_url(url)}) is not a usable Apprise URL"
            )
        channels.append(Channel(name=redact_url(url), url=url, events=DEFAULT_EVENTS))
    return channels


def parse_channels(section: Any, source: str = "settings") -> list[Channel]:
    """The settings file's ``notify:`` section: a list of entries (or a bare list of URLs).

    An entry: ``{url: ..., name: ..., events: [opened, resolved, digest], levels: [...],
    parents: [...], kinds: [...]}``; only ``url`` is required.
    """
    if section is None:
        return []
    if isinstance(section, Mapping):
        section = section.get("channels", [])
    if not isinstance(section, list):
        raise ChannelConfigError(f"{source}: notify: expected a list of channels")
    channels = []
    for index, entry in enumerate(section, start=1):
        where = f"{source}: notify channel {index}"
        if isinstance(entry, str):
            entry = {"url": entry}
        if not isinstance(entry, Mapping):
            raise ChannelConfigError(f"{where}: expected a URL or a mapping with 'url'")
        channels.append(_channel_from_entry(entry, where))
    return channels


def _channel_from_entry(entry: Mapping[str, Any], where: str) -> Channel:
    unknown = set(entry) - {"url", "name", "events", "levels", "parents", "kinds"}
    if unknown:
        raise ChannelConfigError(f"{where}: unknown field(s) {', '.join(sorted(map(str, unknown)))}")
    url = entry.get("url")
    if not isinstance(url, str) or not url.strip():
        raise ChannelConfigError(f"{where}: 'url' is required")
    url = _expand_env(url.strip(), where)
    if not is_usable_url(url):
        raise ChannelConfigError(f"{where}: {redact_url(url)} is not a usable Apprise URL")
    name = entry.get("name")
    if name is not None and (not isinstance(name, str) or not name.strip()):
        raise ChannelConfigError(f"{where}: 'name' must be a non-empty string")
    return Channel(
        name=(name.strip() if name else redact_url(url))[:NAME_LIMIT],
        url=url,
        events=_choices(entry.get("events"), EVENTS, "events", where) or DEFAULT_EVENTS,
        filter=ChannelFilter(
            levels=_choices(entry.get("levels"), LEVELS, "levels", where),
            parents=_strings(entry.get("parents"), "parents", where),
            kinds=_choices(entry.get("kinds"), ALERT_KINDS, "kinds", where),
        ),
    )


def _expand_env(url: str, where: str) -> str:
    """``${VAR}`` in a URL, so secrets can stay out of the settings file."""
    expanded = os.path.expandvars(url)
    if "${" in expanded:
        raise ChannelConfigError(f"{where}: the URL names an environment variable that is not set")
    return expanded


def _strings(value: Any, name: str, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str | int):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str | int) for v in value):
        raise ChannelConfigError(f"{where}: '{name}' must be a list of strings")
    return tuple(str(v) for v in value)


def _choices(value: Any, allowed: Iterable[str], name: str, where: str) -> tuple[str, ...]:
    values = _strings(value, name, where)
    allowed = tuple(allowed)
    wrong = [v for v in values if v not in allowed]
    if wrong:
        raise ChannelConfigError(f"{where}: '{name}' has {', '.join(wrong)}; allowed: {', '.join(allowed)}")
    return values


def unique_names(channels: Sequence[Channel]) -> list[Channel]:
    """Rows are keyed by channel name, so two channels must never share one."""
    seen: dict[str, int] = {}
    result = []
    for channel in channels:
        count = seen.get(channel.name, 0) + 1
        seen[channel.name] = count
        if count > 1:
            channel = Channel(
                name=f"{channel.name}#{count}"[:NAME_LIMIT],
                url=channel.url,
                events=channel.events,
                filter=channel.filter,
            )
        result.append(channel)
    return result
