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

Nothing here imports great_expectations: reading a suite stays fast and testable. A file that
cannot be used raises ``SuiteError`` (a ``ConfigError`` that knows the file, the line and the
fix), which the validation stage reports as that dataset's ``suite/unreadable`` finding.
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


class SuiteError(ConfigError):
    """A suite file that cannot be used: ``path``, the ``line`` when known (the JSON error's,
    or the line where the faulty entry starts), what is wrong and how to fix it."""

    def __init__(self, path: Path, problem: str, *, fix: str, line: int | None = None) -> None:
        self.path, self.problem, self.fix, self.line = path, problem, fix, line
        where = f"{path}, line {line}" if line else f"{path}"
        super().__init__(f"{where}: {problem}; {fix}")


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
    lines: tuple[int, ...] = ()   # the line each expectation starts on (for messages)

    def line_of(self, index: int) -> int | None:
        return self.lines[index] if index < len(self.lines) else None


def read_suite_file(path: Path) -> SuiteFile:
    """Read and check a suite file; a ``SuiteError`` names the file, the line, the entry and
    the fix."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise SuiteError(path, f"cannot read the expectation suite: {exc.strerror or exc}",
                         fix="create it or fix the dataset's suite path") from exc
    try:
        text = raw.decode("utf-8")
        document = json.loads(text)
    except UnicodeDecodeError as exc:
        raise SuiteError(path, f"the file is not UTF-8 JSON: byte {exc.start} is not UTF-8",
                         fix="save the file as UTF-8") from exc
    except json.JSONDecodeError as exc:
        raise SuiteError(path, f"the file is not UTF-8 JSON: {exc.msg} (column {exc.colno})",
                         fix="fix the JSON syntax at that line (a missing comma, quote or "
                             "bracket)", line=exc.lineno) from exc
    if not isinstance(document, dict) or not isinstance(document.get("expectations"), list):
        raise SuiteError(path, "the file must be a GX suite: an object with a list of 'expectations'",
                         fix='write {"name": ..., "expectations": [...]} as the other suites '
                             "in schemas/ do")
    expectations = tuple(document["expectations"])
    lines = tuple(entry_lines(text))
    for index, entry in enumerate(expectations):
        _check_entry(path, index, entry, line=lines[index] if index < len(lines) else None)
    return SuiteFile(path=path, name=str(document.get("name") or path.stem),
                     version=_suite_version(document, raw),
                     expectations=expectations,
                     parameters=_typed_parameters(path, document.get("suite_parameters") or {}),
                     lines=lines)


def rule_meta(meta: Mapping[str, Any]) -> RuleMeta:
    """The reporting part of an expectation's ``meta`` (checked by ``read_suite_file``)."""
    return RuleMeta(rule=meta["rule"], severity=Severity(meta["severity"]),
                    **{key: meta[key] for key in MESSAGE_KEYS}, field=meta.get("field"))


def _check_entry(path: Path, index: int, entry: Any, *, line: int | None) -> None:
    where = f"expectations[{index}]"

    def refuse(problem: str, fix: str) -> SuiteError:
        return SuiteError(path, f"{where} {problem}", fix=fix, line=line)

    if not isinstance(entry, dict) or not isinstance(entry.get("type"), str):
        raise refuse("needs a 'type' (a GX expectation name)",
                     "name the expectation, e.g. \"type\": \"expect_column_values_to_not_be_null\"")
    meta = entry.get("meta")
    if not isinstance(meta, dict):
        raise refuse(f"({entry['type']}) needs a 'meta' with rule, severity and messages",
                     "add meta: rule, severity, message_th, message_en, hint_th, hint_en")
    where = f"{where} ({meta.get('rule') or entry['type']})"
    if not isinstance(meta.get("rule"), str) or not _SLUG.match(meta["rule"]):
        raise refuse("meta.rule must be a lowercase slug like 'no-future-dates'",
                     "rename the rule with lower-case letters, digits and '-'")
    if meta.get("severity") not in {s.value for s in Severity}:
        raise refuse(f"meta.severity must be 'error' or 'warning', not "
                     f"{meta.get('severity')!r}", "write \"severity\": \"error\" or \"warning\"")
    missing = [key for key in MESSAGE_KEYS if not str(meta.get(key) or "").strip()]
    if missing:
        raise refuse(f"meta is missing {', '.join(missing)} "
                     f"(every rule explains itself in Thai and English)",
                     "add the missing messages to the rule's meta")


def entry_lines(text: str) -> list[int]:
    """The line each entry of the top-level ``expectations`` list starts on (1-based), for a
    document that is valid JSON; [] when it has no such list."""
    decoder, index = json.JSONDecoder(), _skip_space(text, 0)
    if text[index:index + 1] != "{":
        return []
    index = _skip_space(text, index + 1)
    while index < len(text) and text[index] != "}":
        key, index = decoder.raw_decode(text, index)
        index = _skip_space(text, _skip_space(text, index) + 1)   # past the ':'
        if key == "expectations" and text[index:index + 1] == "[":
            return _array_lines(text, index, decoder)
        _, index = decoder.raw_decode(text, index)
        index = _skip_space(text, index)
        index = _skip_space(text, index + 1) if text[index:index + 1] == "," else index
    return []


def _array_lines(text: str, index: int, decoder: json.JSONDecoder) -> list[int]:
    lines = []
    index = _skip_space(text, index + 1)
    while index < len(text) and text[index] != "]":
        lines.append(text.count("\n", 0, index) + 1)
        _, index = decoder.raw_decode(text, index)
        index = _skip_space(text, index)
        index = _skip_space(text, index + 1) if text[index:index + 1] == "," else index
    return lines


def _skip_space(text: str, index: int) -> int:
    while index < len(text) and text[index] in " \t\r\n":
        index += 1
    return index


def _suite_version(document: Mapping[str, Any], raw: bytes) -> str:
    declared = (document.get("meta") or {}).get("version")
    return str(declared) if declared else hashlib.sha256(raw).hexdigest()[:12]


def _typed_parameters(path: Path, declared: Mapping[str, Any]) -> dict[str, Any]:
    if not isinstance(declared, Mapping):
        raise SuiteError(path, "suite_parameters must be an object of named values",
                         fix='write "suite_parameters": {"<name>": <value>}')
    reserved = RESERVED_PARAMETERS & set(declared)
    if reserved:
        raise SuiteError(path, f"suite_parameters must not declare {sorted(reserved)}",
                         fix="remove it: the validation stage supplies it")
    return {name: _typed_parameter(value) for name, value in declared.items()}


def _typed_parameter(value: Any) -> Any:
    if isinstance(value, str) and _ISO_DATE.match(value):
        return datetime.datetime.fromisoformat(value)
    return value
