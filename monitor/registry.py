"""Reading and validating registry files (YAML or CSV, the contract's format)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from storage.agencies import AgencyEntry
from storage.models import LEVELS

FIELDS = ("id", "name", "aliases", "level", "parent", "region", "portal", "since", "deadline")


class RegistryError(ValueError):
    """A registry file that cannot be loaded; the message names the entry and the field."""


def read_registry(path: Path, known_ids: Iterable[str] = ()) -> list[AgencyEntry]:
    """Parse and validate a whole file; any error rejects the file (nothing is loaded)."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise RegistryError(f"cannot read {path}: {exc.strerror or exc}") from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise RegistryError(f"{path}: not UTF-8 text (byte {exc.start})") from exc
    records = _csv_records(text, path) if path.suffix.lower() == ".csv" else _yaml_records(text, path)
    return validate(records, source=str(path), known_ids=set(known_ids))


def _yaml_records(text: str, path: Path) -> list[dict[str, Any]]:
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise RegistryError(f"{path}: not valid YAML{where}") from exc
    if isinstance(document, dict) and "agencies" in document:
        document = document["agencies"]
    if not isinstance(document, list):
        raise RegistryError(f"{path}: expected a top-level 'agencies:' list")
    for index, item in enumerate(document, start=1):
        if not isinstance(item, dict):
            raise RegistryError(f"{path}: entry {index}: expected a mapping of fields, got {type(item).__name__}")
    return document


def _csv_records(text: str, path: Path) -> list[dict[str, Any]]:
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames or "id" not in reader.fieldnames:
        raise RegistryError(f"{path}: CSV needs a header line with at least the columns id, name, level")
    records: list[dict[str, Any]] = []
    for row in reader:
        record: dict[str, Any] = {k.strip(): (v.strip() if isinstance(v, str) else v) for k, v in row.items() if k}
        for key, value in list(record.items()):
            if value == "":
                record[key] = None
        aliases = record.get("aliases")
        if isinstance(aliases, str):
            if aliases.startswith("["):
                try:
                    record["aliases"] = json.loads(aliases)
                except json.JSONDecodeError:
                    record["aliases"] = aliases
            else:
                record["aliases"] = [a.strip() for a in aliases.replace("；", ";").replace("|", ";").split(";") if a.strip()]
        records.append(record)
    return records


def validate(records: list[dict[str, Any]], *, source: str, known_ids: set[str]) -> list[AgencyEntry]:
    entries: list[AgencyEntry] = []
    seen: dict[str, int] = {}
    for index, record in enumerate(records, start=1):
        entry = _entry(record, f"{source}: entry {index}")
        if entry.id in seen:
            raise RegistryError(f"{source}: entry {index} (id {entry.id!r}): field 'id': duplicate of entry {seen[entry.id]}")
        seen[entry.id] = index
        entries.append(entry)
    ids = set(seen) | known_ids
    for index, entry in enumerate(entries, start=1):
        if entry.parent is not None and entry.parent not in ids:
            raise RegistryError(
                f"{source}: entry {index} (id {entry.id!r}): field 'parent': no agency with id {entry.parent!r}"
            )
        if entry.parent == entry.id:
            raise RegistryError(f"{source}: entry {index} (id {entry.id!r}): field 'parent': an agency cannot supervise itself")
    return entries


def _entry(record: dict[str, Any], where: str) -> AgencyEntry:
    unknown = sorted(set(record) - set(FIELDS))
    raw_id = record.get("id")
    if raw_id is None or str(raw_id).strip() == "":
        raise RegistryError(f"{where}: field 'id': missing")
    agency_id = str(raw_id).strip()
    where = f"{where} (id {agency_id!r})"
    if unknown:
        raise RegistryError(f"{where}: field {unknown[0]!r}: unknown field; expected one of {', '.join(FIELDS)}")
    name = _text(record.get("name"))
    if not name:
        raise RegistryError(f"{where}: field 'name': missing")
    level = _text(record.get("level"))
    if level not in LEVELS:
        raise RegistryError(f"{where}: field 'level': unknown level {level!r}; expected one of {', '.join(LEVELS)}")
    aliases = record.get("aliases") or []
    if isinstance(aliases, str):
        aliases = [aliases]
    if not isinstance(aliases, list) or not all(isinstance(a, str | int) for a in aliases):
        raise RegistryError(f"{where}: field 'aliases': expected a list of names")
    parent = _text(record.get("parent")) or None
    portal = _text(record.get("portal")) or None
    if portal is not None:
        parts = urlsplit(portal)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise RegistryError(f"{where}: field 'portal': not an http(s) URL: {portal!r}")
    since = record.get("since")
    if since is None or since == "":
        since_year = 2019
    else:
        try:
            since_year = int(since)
        except (TypeError, ValueError):
            raise RegistryError(f"{where}: field 'since': not a year: {since!r}") from None
        if not 2008 <= since_year <= 2100:
            raise RegistryError(f"{where}: field 'since': year out of range: {since_year}")
    deadline = _text(record.get("deadline")) or None
    if deadline is not None:
        deadline = _month_day(deadline, where)
    return AgencyEntry(
        id=agency_id,
        name=name,
        level=level,
        aliases=tuple(str(a).strip() for a in aliases if str(a).strip()),
        parent=parent,
        region=_text(record.get("region")) or None,
        portal=portal,
        since=since_year,
        deadline=deadline,
    )


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _month_day(value: str, where: str) -> str:
    try:
        month, day = (int(part) for part in value.split("-"))
        date(2024, month, day)  # a leap year, so 02-29 is accepted
    except ValueError:
        raise RegistryError(f"{where}: field 'deadline': expected MM-DD, got {value!r}") from None
    return f"{month:02d}-{day:02d}"
