"""Steward waivers: findings a data steward has accepted, for a reason, until a date.

One YAML file per dataset, ``metadata/waivers/<id>.yaml`` (format: metadata/waivers/README.md)::

    waivers:
      - rule: expectations/counts-present   # required: the exact rule slug
        field: approve                      # optional: only this field
        rows: [147]                         # optional: only these rows (or `row: 147`)
        reason: "source has no counts yet"  # required
        by: "สมชาย ใจดี (data steward)"      # required
        expires: 2027-03-31                 # required: ISO date, last day it applies

A waived finding stays in the report (``waived_by`` says who and why) but no longer blocks.
Waivers must not rot silently: an expired one stops applying and is reported
(``waivers/expired``), one that matches nothing is reported too (``waivers/unused``).

Personal-data findings (``personal-data/*``) can never be waived: a waiver lets the data go
public, and personal data must not, whatever anyone signs. The remedies are in the data or
the schema (mark the column ``personalData`` so it stays internal, or remove the value).
Waiving the waiver warnings themselves (``waivers/*``) would hide exactly what they are for.

A long list is cut to its first rows per rule and field (``finding_limits``); the rest is one
summary finding. A waiver without ``rows`` waives the summary too; a waiver with ``rows`` only
waives the cells it names, never a summary.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Iterable

import yaml

from flows.errors import ConfigError
from flows.validation.findings import Finding, Severity

#: Checks whose findings no waiver may touch (see the module docstring for why).
UNWAIVABLE_CHECKS = frozenset({"personal-data", "waivers"})

_RULE_SLUG = re.compile(r"[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_REQUIRED = ("rule", "reason", "by", "expires")
_ALLOWED = frozenset(_REQUIRED + ("field", "rows", "row"))


class _TextDatesLoader(yaml.SafeLoader):
    """Safe YAML, but dates stay text: PyYAML would raise a bare ValueError on an unquoted
    2027-02-30 and accept 2027-03-31 12:00; we check them and say which waiver is wrong."""


_TextDatesLoader.add_constructor("tag:yaml.org,2002:timestamp",
                                 lambda loader, node: loader.construct_scalar(node))


@dataclass(frozen=True)
class Waiver:
    """One accepted finding pattern: ``rule`` plus optional ``field`` and ``rows``."""

    rule: str
    reason: str
    by: str
    expires: date
    field: str | None = None
    rows: frozenset[int] | None = None
    #: Where it was declared ("metadata/waivers/x.yaml, waiver #2"), for messages.
    origin: str = ""

    def matches(self, finding: Finding) -> bool:
        """Same rule, and the same field and one of the rows when those are given."""
        if finding.check in UNWAIVABLE_CHECKS or finding.rule != self.rule:
            return False
        if self.field is not None and finding.field != self.field:
            return False
        if self.rows is None:
            return True  # the whole rule (or field): its summaries ("and 4,000 more") too
        # A summary stands for cells no list names: a waiver that names rows cannot know them
        # all, so those cells keep blocking until the data is fixed or the rule is waived.
        return not finding.summary and finding.row in self.rows

    def applies_on(self, day: date) -> bool:
        """True up to and including the expiry day."""
        return day <= self.expires

    @property
    def note(self) -> str:
        """What a waived finding carries in ``waived_by``."""
        return f"{self.by}: {self.reason} (until {self.expires.isoformat()})"

    def describe(self) -> str:
        """``rule`` plus its field and rows, as a steward would recognise it in the file."""
        parts = [self.rule]
        if self.field is not None:
            parts.append(f"field {self.field}")
        if self.rows is not None:
            parts.append("rows " + ", ".join(str(row) for row in sorted(self.rows)))
        return ", ".join(parts)


def load_waivers(path: Path) -> list[Waiver]:
    """The waivers in ``path``; none when the file does not exist.

    Raises ConfigError naming the file, the waiver (``#1`` is the first under ``waivers:``),
    the key and what to write instead, for anything malformed or unknown.
    """
    if not path.exists():
        return []
    try:
        document = yaml.load(path.read_text(encoding="utf-8"), Loader=_TextDatesLoader)
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path} is not UTF-8 text: save it as UTF-8 ({exc})") from exc
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path} is not valid YAML: {exc}") from exc
    entries = _entries(document, path)
    return [_parse_waiver(entry, origin=f"{path}, waiver #{number}")
            for number, entry in enumerate(entries, start=1)]


def apply_waivers(findings: Iterable[Finding], waivers: Iterable[Waiver], *,
                  today: date) -> list[Finding]:
    """The findings, those matched by an unexpired waiver marked waived, then one warning per
    expired waiver and per unexpired waiver that matched nothing.

    A finding already waived is left as it is; the first matching waiver (file order) wins.
    """
    waivers = list(waivers)
    active = [waiver for waiver in waivers if waiver.applies_on(today)]
    used: set[int] = set()
    result = []
    for finding in findings:
        waiver = _first_match(finding, active) if finding.waived_by is None else None
        if waiver is not None:
            used.add(id(waiver))
            finding = finding.waive(waiver.note)
        result.append(finding)
    result.extend(_expired_warning(waiver) for waiver in waivers if not waiver.applies_on(today))
    result.extend(_unused_warning(waiver) for waiver in active if id(waiver) not in used)
    return result


def _first_match(finding: Finding, waivers: list[Waiver]) -> Waiver | None:
    return next((waiver for waiver in waivers if waiver.matches(finding)), None)


def _entries(document: Any, path: Path) -> list[Any]:
    if document is None:
        return []  # an empty file: no waivers
    if not isinstance(document, dict) or set(document) - {"waivers"}:
        raise ConfigError(f"{path} must hold a single key `waivers:` with a list of waivers "
                          "(see metadata/waivers/README.md)")
    entries = document.get("waivers") or []
    if not isinstance(entries, list):
        raise ConfigError(f"{path}: `waivers:` must be a list, each item starting with `- rule:` "
                          "(see metadata/waivers/README.md)")
    return entries


def _parse_waiver(entry: Any, *, origin: str) -> Waiver:
    if not isinstance(entry, dict):
        raise ConfigError(f"{origin}: must be a mapping with rule, reason, by and expires "
                          f"(got {entry!r})")
    unknown = sorted(set(map(str, entry)) - _ALLOWED)
    if unknown:
        raise ConfigError(f"{origin}: unknown key {unknown[0]!r}; allowed keys are "
                          f"{', '.join(sorted(_ALLOWED))}. Fix the spelling or remove it")
    missing = [key for key in _REQUIRED if entry.get(key) in (None, "")]
    if missing:
        raise ConfigError(f"{origin}: missing {missing[0]!r}; {_WHAT_TO_WRITE[missing[0]]}")
    return Waiver(rule=_rule(entry["rule"], origin), reason=_text(entry, "reason", origin),
                  by=_text(entry, "by", origin), expires=_expiry(entry["expires"], origin),
                  field=_field(entry.get("field"), origin), rows=_rows(entry, origin),
                  origin=origin)


_WHAT_TO_WRITE = {
    "rule": "write the exact rule slug of the finding, e.g. `rule: expectations/counts-present`",
    "reason": "say why the finding is accepted, e.g. `reason: \"source has no counts yet\"`",
    "by": "name the steward who accepts it, e.g. `by: \"สมชาย ใจดี (data steward)\"`",
    "expires": "give the last day it applies as an ISO date, e.g. `expires: 2027-03-31`",
}


def _rule(value: Any, origin: str) -> str:
    if not isinstance(value, str) or not _RULE_SLUG.fullmatch(value):
        raise ConfigError(f"{origin}: 'rule' must be a rule slug `<check>/<name>` as shown in the "
                          f"report, e.g. expectations/counts-present (got {value!r})")
    if value.split("/", 1)[0] in UNWAIVABLE_CHECKS:
        raise ConfigError(f"{origin}: 'rule' {value} cannot be waived: personal data must never "
                          "be published (mark the column personalData in the schema or remove "
                          "the value), and waiver warnings are fixed in this file")
    return value


def _text(entry: dict[str, Any], key: str, origin: str) -> str:
    value = entry[key]
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{origin}: {key!r} must be text (got {value!r}); "
                          f"{_WHAT_TO_WRITE[key]}")
    return value.strip()


def _expiry(value: Any, origin: str) -> date:
    if isinstance(value, str) and _ISO_DATE.fullmatch(value.strip()):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass  # e.g. 2027-02-30: reported below
    raise ConfigError(f"{origin}: 'expires' must be an ISO date YYYY-MM-DD (got {value!r}); "
                      f"{_WHAT_TO_WRITE['expires']}")


def _field(value: Any, origin: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{origin}: 'field' must be a column name as in the schema "
                          f"(got {value!r}); remove it to match every field")
    return value


def _rows(entry: dict[str, Any], origin: str) -> frozenset[int] | None:
    if "row" in entry and "rows" in entry:
        raise ConfigError(f"{origin}: give either 'row' or 'rows', not both")
    if "row" in entry:
        rows = [entry["row"]]
    elif "rows" in entry:
        rows = entry["rows"]
    else:
        return None
    if not isinstance(rows, list) or not rows or not all(_is_row(row) for row in rows):
        raise ConfigError(f"{origin}: 'rows' must be a non-empty list of row numbers as shown in "
                          f"the report (header = 1, first data row = 2), e.g. rows: [147] "
                          f"(got {rows!r})")
    return frozenset(rows)


def _is_row(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 1


def _expired_warning(waiver: Waiver) -> Finding:
    when = waiver.expires.isoformat()
    return Finding(
        rule="waivers/expired", severity=Severity.WARNING, field=waiver.field,
        message_th=(f"การยกเว้น {waiver.describe()} โดย {waiver.by} หมดอายุแล้วเมื่อ {when} "
                    "ข้อผิดพลาดที่เคยยกเว้นจึงกลับมามีผลอีกครั้ง"),
        message_en=(f"The waiver for {waiver.describe()} by {waiver.by} expired on {when}; "
                    "the findings it covered count again"),
        hint_th=(f"แก้ข้อมูลแล้วลบการยกเว้นนี้ หรือต่ออายุโดยแก้ expires พร้อมเหตุผลใหม่ "
                 f"({waiver.origin})"),
        hint_en=f"fix the data and delete the waiver, or renew it with a new expires and "
                f"reason ({waiver.origin})",
    )


def _unused_warning(waiver: Waiver) -> Finding:
    return Finding(
        rule="waivers/unused", severity=Severity.WARNING, field=waiver.field,
        message_th=(f"การยกเว้น {waiver.describe()} โดย {waiver.by} ไม่ตรงกับข้อผิดพลาดใดเลย"),
        message_en=f"The waiver for {waiver.describe()} by {waiver.by} matched no finding",
        hint_th=(f"ถ้าแก้ข้อมูลแล้ว ให้ลบการยกเว้นนี้ ถ้าไม่ใช่ ให้ตรวจ rule, field และ rows "
                 f"({waiver.origin})"),
        hint_en=f"if the data was fixed, delete the waiver; otherwise check its rule, field and "
                f"rows ({waiver.origin})",
    )
