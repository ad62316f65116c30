"""Read a suite file (``schemas/<id>.expectations.json``) and check what our stage needs of it.

The file is GX's own ExpectationSuite JSON (``name``, ``expectations`` with ``type``/``kwargs``/
``meta``, ``suite_parameters``, ``meta``), so GX loads it as is. On top of GX, each expectation's
``meta`` says how a failure is reported:

    "meta": {"rule": "no-future-dates", "severity": "error",
             "message_th": "...", "message_en": "...", "hint_th": "...", "hint_en": "...",
             "field": "approve"}          # optional: the column a steward fixes

``meta.version`` at the top names the suite's version in reports (else the file's sha256[:12]).
``suite_parameters`` holds named values the kwargs use as ``{"$PARAMETER": "<name>"}``; an ISO
date (``"1979-08-05"``) becomes a datetime, because GX compares date columns only with datetimes.
``today`` is reserved: the stage supplies it, so "no future dates" never reads the clock.

Nothing here imports great_expectations: reading a suite stays fast and testable.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

from flows.errors import ConfigError
from flows.validation.findings import Severity

RESERVED_PARAMETERS = frozenset({"today"})
MESSAGE_KEYS = ("message_th", "message_en", "hint_th", "hint_en")
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class RuleMeta:
    """How one expectation's failures are reported: rule slug, severity, messages, field."""

    rule: str
    severity: Severity
    message_th: str
    message_en: str
    hint_th: str
    hint_en: str
    field: str | None = None


@dataclass(frozen=True)
class SuiteFile:
    """A suite file as read from disk, checked, with its parameters typed for GX."""

    path: Path
    name: str
    version: str
    expectations: tuple[dict[str, Any], ...]
    parameters: dict[str, Any]


def read_suite_file(path: Path) -> SuiteFile:
    """Read and check a suite file; a ``ConfigError`` names the file, the entry and the fix."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"cannot read the expectation suite {path}: {exc}; "
                          f"create it or fix the dataset's suite path") from exc
    try:
        document = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ConfigError(f"{path} is not UTF-8 JSON: {exc}") from exc
    if not isinstance(document, dict) or not isinstance(document.get("expectations"), list):
        raise ConfigError(f"{path} must be a GX suite: an object with a list of 'expectations'")
    expectations = tuple(document["expectations"])
    for index, entry in enumerate(expectations):
        _check_entry(path, index, entry)
    return SuiteFile(path=path, name=str(document.get("name") or path.stem),
                     version=_suite_version(document, raw),
                     expectations=expectations,
                     parameters=_typed_parameters(path, document.get("suite_parameters") or {}))


def rule_meta(meta: Mapping[str, Any]) -> RuleMeta:
    """The reporting part of an expectation's ``meta`` (checked by ``read_suite_file``)."""
    return RuleMeta(rule=meta["rule"], severity=Severity(meta["severity"]),
                    **{key: meta[key] for key in MESSAGE_KEYS}, field=meta.get("field"))


def _check_entry(path: Path, index: int, entry: Any) -> None:
    where = f"{path}: expectations[{index}]"
    if not isinstance(entry, dict) or not isinstance(entry.get("type"), str):
        raise ConfigError(f"{where} needs a 'type' (a GX expectation name)")
    meta = entry.get("meta")
    if not isinstance(meta, dict):
        raise ConfigError(f"{where} ({entry['type']}) needs a 'meta' with rule, severity and "
                          f"messages")
    where = f"{where} ({meta.get('rule') or entry['type']})"
    if not isinstance(meta.get("rule"), str) or not _SLUG.match(meta["rule"]):
        raise ConfigError(f"{where}: meta.rule must be a lowercase slug like 'no-future-dates'")
    if meta.get("severity") not in {s.value for s in Severity}:
        raise ConfigError(f"{where}: meta.severity must be 'error' or 'warning', "
                          f"not {meta.get('severity')!r}")
    missing = [key for key in MESSAGE_KEYS if not str(meta.get(key) or "").strip()]
    if missing:
        raise ConfigError(f"{where}: meta is missing {', '.join(missing)} "
                          f"(every rule explains itself in Thai and English)")


def _suite_version(document: Mapping[str, Any], raw: bytes) -> str:
    declared = (document.get("meta") or {}).get("version")
    return str(declared) if declared else hashlib.sha256(raw).hexdigest()[:12]


def _typed_parameters(path: Path, declared: Mapping[str, Any]) -> dict[str, Any]:
    reserved = RESERVED_PARAMETERS & set(declared)
    if reserved:
        raise ConfigError(f"{path}: suite_parameters must not declare {sorted(reserved)}; "
                          f"the validation stage supplies it")
    return {name: _typed_parameter(value) for name, value in declared.items()}


def _typed_parameter(value: Any) -> Any:
    if isinstance(value, str) and _ISO_DATE.match(value):
        return datetime.datetime.fromisoformat(value)
    return value
