"""The settings file: notification channels and the crawl schedule (YAML).

Where it is: ``--settings PATH``, else the env var ``NIANBAO_SETTINGS``, else ``./nianbao.yaml``
if present; with none of them the defaults apply (channels only from ``NIANBAO_NOTIFY``).

```yaml
registry: registry.yaml            # optional; loaded before each scheduled cycle (relative to this file)
notify:
  - name: county-office            # what notification rows record; default: the URL without secrets
    url: mailto://127.0.0.1:2525?from=bot@example.org&to=office@example.org
    events: [opened, resolved, digest]   # default: [opened, resolved]
    levels: [township, subdistrict]      # default: every level
    parents: ["350128-gov"]              # only bodies supervised (at any depth) by these
    kinds: [missing, late]               # default: every alert kind
schedule:
  cron: "0 3 * * *"                # the normal rhythm (crontab, China time)
  busy_cron: "0 * * * *"           # inside the busy windows
  busy_windows: ["01-17/02-14", "03-17/04-14"]
```
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from monitor.channels import Channel, ChannelConfigError, env_channels, parse_channels, unique_names
from monitor.scheduler import ScheduleConfig, ScheduleConfigError, parse_schedule
from nianbao.errors import UsageError

SETTINGS_ENV = "NIANBAO_SETTINGS"
NOTIFY_ENV = "NIANBAO_NOTIFY"
DEFAULT_FILE = "nianbao.yaml"
SECTIONS = ("registry", "notify", "schedule")


class SettingsError(UsageError):
    """The settings file cannot be used; the message names the file and the entry."""


@dataclass(frozen=True)
class Settings:
    path: Path | None = None
    channels: tuple[Channel, ...] = ()  # from the file only; see notify_channels()
    schedule: ScheduleConfig = field(default_factory=ScheduleConfig)
    registry: Path | None = None


def settings_path(explicit: str | Path | None = None) -> Path | None:
    """The file to read, or None when there is none to read."""
    for given, origin in ((explicit, "--settings"), (os.environ.get(SETTINGS_ENV), SETTINGS_ENV)):
        if given:
            path = Path(given)
            if not path.is_file():
                raise SettingsError(f"settings file {path} (from {origin}) does not exist")
            return path
    default = Path(DEFAULT_FILE)
    return default if default.is_file() else None


def load_settings(explicit: str | Path | None = None) -> Settings:
    path = settings_path(explicit)
    if path is None:
        return Settings()
    document = _read_document(path)
    try:
        channels = tuple(parse_channels(document.get("notify"), source=str(path)))
        schedule = parse_schedule(document.get("schedule"), source=str(path))
    except (ChannelConfigError, ScheduleConfigError) as exc:
        raise SettingsError(str(exc)) from exc
    registry = document.get("registry")
    if registry is not None and not isinstance(registry, str):
        raise SettingsError(f"{path}: 'registry' must be a file path")
    return Settings(
        path=path.resolve(),
        channels=channels,
        schedule=schedule,
        registry=(path.parent / registry).resolve() if registry else None,
    )


def _read_document(path: Path) -> dict[str, Any]:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise SettingsError(f"cannot read settings file {path}: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise SettingsError(f"{path}: not UTF-8 text (byte {exc.start})") from exc
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise SettingsError(f"{path}: not valid YAML{where}") from exc
    if document is None:
        return {}
    if not isinstance(document, dict):
        raise SettingsError(f"{path}: expected a mapping with {', '.join(SECTIONS)}")
    unknown = set(document) - set(SECTIONS)
    if unknown:
        raise SettingsError(f"{path}: unknown section(s) {', '.join(sorted(map(str, unknown)))}")
    return document


def notify_channels(settings: Settings) -> list[Channel]:
    """The file's channels plus ``NIANBAO_NOTIFY``'s; a URL given twice is used once (the file's entry)."""
    try:
        from_env = env_channels(os.environ.get(NOTIFY_ENV))
    except ChannelConfigError as exc:
        raise SettingsError(str(exc)) from exc
    merged: dict[str, Channel] = {}
    for channel in (*settings.channels, *from_env):
        merged.setdefault(channel.url, channel)
    return unique_names(list(merged.values()))
