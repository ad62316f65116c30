"""What validation finds, as data: one ``Finding`` per failing cell/row/table, merged into one
``ValidationResult`` per dataset.

Conventions every check follows:
- ``rule`` is a stable slug ``<check>/<name>`` (e.g. ``schema/type-error``,
  ``expectations/no-future-dates``, ``personal-data/thai-national-id``); reports group by it.
- ``row`` is the line number a steward sees in a spreadsheet: the header is row 1, the first data
  row is row 2 (frictionless' ``rowNumber``; a pandas index ``i`` is row ``i + 2``). None for
  findings about the whole table or a whole column.
- ``value`` is the offending value as text, at most 200 characters, or None. Checks never put a
  personal-data value here in clear: use ``mask_value``.
- Messages come in Thai and English; ``hint_th``/``hint_en`` tell the steward how to fix it.
- ``key`` is the failing record's primary-key values (``(("Law_ID", "393"),)``), set once every
  check has run (``record_keys``), so a steward finds the record without counting rows.
- ``omitted`` > 0 makes a finding a *summary*: it stands for that many further findings of its
  rule and field that are not listed (row, value and key None), so the list stays bounded while
  every count stays exact (``finding_limits``).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from enum import Enum
from typing import Any, Iterable

MAX_VALUE_CHARS = 200


class Severity(str, Enum):
    """``error`` blocks publication; ``warning`` publishes with a note."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: Severity
    message_th: str
    message_en: str
    hint_th: str = ""
    hint_en: str = ""
    row: int | None = None
    field: str | None = None
    value: str | None = None
    #: Set by waivers: "<who>: <reason> (until <date>)". A waived finding never blocks.
    waived_by: str | None = None
    #: The record's primary key, field by field, in the schema's ``primaryKey`` order; None for
    #: findings without a row, rows the typed table lacks, or a schema that declares no key.
    key: tuple[tuple[str, str | None], ...] | None = None
    #: > 0 on a summary: the number of further findings of this rule and field not listed
    #: (``finding_limits.summary_finding``). 0 on every ordinary finding.
    omitted: int = 0

    @property
    def check(self) -> str:
        return self.rule.split("/", 1)[0]

    @property
    def blocking(self) -> bool:
        return self.severity is Severity.ERROR and self.waived_by is None

    @property
    def summary(self) -> bool:
        """True when this finding stands for ``omitted`` unlisted ones rather than one cell."""
        return self.omitted > 0

    @property
    def count(self) -> int:
        """How many findings this one counts as in totals: ``omitted`` for a summary, else 1."""
        return self.omitted if self.omitted > 0 else 1

    def waive(self, note: str) -> "Finding":
        return replace(self, waived_by=note)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["severity"] = self.severity.value
        data["key"] = self.key_dict()
        return data

    def key_dict(self) -> dict[str, str | None] | None:
        """The key as the JSON report writes it: ``{"Law_ID": "393"}``."""
        return dict(self.key) if self.key is not None else None

    def key_text(self) -> str:
        """The key as one line for a person: ``Law_ID 393``; "" when there is none."""
        if not self.key:
            return ""
        return ", ".join(f"{name} {'—' if value is None else value}" for name, value in self.key)


def clip_value(value: Any) -> str | None:
    """The value as report text: None stays None, long text is cut with an ellipsis."""
    if value is None:
        return None
    text = str(value)
    return text if len(text) <= MAX_VALUE_CHARS else text[: MAX_VALUE_CHARS - 1] + "…"


def mask_value(value: Any) -> str | None:
    """Show a personal-data value without disclosing it: keep the first 2 and last 2 chars."""
    if value is None:
        return None
    text = str(value)
    if len(text) <= 4:
        return "*" * len(text)
    return text[:2] + "*" * (len(text) - 4) + text[-2:]


@dataclass
class ValidationResult:
    """Everything one validation of one dataset found, with what identifies its inputs."""

    dataset: str
    source: str
    source_sha256: str
    encoding: str
    schema_version: str
    suite_version: str
    rows: int | None = None
    generated_at: str = ""
    findings: list[Finding] = field(default_factory=list)

    @property
    def blocking(self) -> bool:
        return any(f.blocking for f in self.findings)

    def counts(self) -> dict[str, int]:
        """Totals a steward reads first: errors, warnings, waived. Each finding counts once and
        a summary as the ``omitted`` findings it stands for, so the totals stay exact however
        short the list is."""
        return {
            "errors": sum(f.count for f in self.findings if f.blocking),
            "warnings": sum(f.count for f in self.findings
                            if f.severity is Severity.WARNING and f.waived_by is None),
            "waived": sum(f.count for f in self.findings if f.waived_by is not None),
        }

    def by_rule(self) -> dict[str, list[Finding]]:
        """Findings grouped by rule, errors first, then by rule name (stable order); a rule's
        summaries come after its listed findings."""
        groups: dict[str, list[Finding]] = {}
        for finding in sort_findings(self.findings):
            groups.setdefault(finding.rule, []).append(finding)
        return groups


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Errors before warnings, then rule, row, field: the order every report uses. A rule's
    summaries ("and 4,000 more") come after its listed findings, as a note under a list."""
    order = {Severity.ERROR: 0, Severity.WARNING: 1}
    return sorted(findings, key=lambda f: (order[f.severity], f.rule, f.summary,
                                           f.row if f.row is not None else -1, f.field or ""))
