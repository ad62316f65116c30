"""Turn one GX validation result into findings: one per failing row, or one for the table.

- A map expectation (per-row: not null, in set, between, pair, multicolumn, compound unique)
  yields one finding per failing row: ``row`` is the frame index (which *is* the row number),
  ``field`` the column (or the columns, comma-joined, unless ``meta.field`` names one), ``value``
  the failing cell (``col=value; ...`` when several columns are involved).
- An aggregate expectation (row count, distinct values, proportions) yields one finding with
  ``row`` None and the observed value in ``value``.
- An expectation GX could not evaluate (a column the frame lacks, a wrong kwarg type) yields one
  blocking ``expectations/not-evaluated`` finding, so a broken rule is never a silent pass.
Values of personal-data columns are masked.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any, Collection

import pandas as pd

from flows.validation.findings import Finding, Severity, clip_value, mask_value
from flows.validation.expectations.suite_file import RuleMeta, rule_meta

if TYPE_CHECKING:
    from great_expectations.core import ExpectationValidationResult

RULE_PREFIX = "expectations/"
NOT_EVALUATED = RULE_PREFIX + "not-evaluated"


def findings_from_result(result: "ExpectationValidationResult", *, frame: pd.DataFrame,
                         personal_fields: Collection[str] = ()) -> list[Finding]:
    """The findings one GX result stands for (none when it succeeded)."""
    config = result.expectation_config
    meta, columns = rule_meta(config.meta), _domain_columns(config.kwargs)
    failure = _exception_message(result.exception_info or {})
    if failure is not None:
        return [_not_evaluated(meta, columns, failure)]
    if result.success:
        return []
    field = meta.field or (", ".join(columns) if columns else None)
    indexes = result.result.get("unexpected_index_list")
    if indexes is None:
        observed = result.result.get("observed_value")
        return [_finding(meta, row=None, field=field, value=_observed_text(observed))]
    values = _row_values(frame, list(indexes), columns, personal_fields)
    return [_finding(meta, row=int(index), field=field, value=value)
            for index, value in zip(indexes, values)]


def _finding(meta: RuleMeta, *, row: int | None, field: str | None,
             value: str | None) -> Finding:
    return Finding(rule=RULE_PREFIX + meta.rule, severity=meta.severity,
                   message_th=meta.message_th, message_en=meta.message_en,
                   hint_th=meta.hint_th, hint_en=meta.hint_en,
                   row=row, field=field, value=clip_value(value))


def _not_evaluated(meta: RuleMeta, columns: list[str], reason: str | None) -> Finding:
    return Finding(
        rule=NOT_EVALUATED, severity=Severity.ERROR,
        message_th=f"ตรวจตามกฎ {meta.rule} ไม่ได้: {reason}",
        message_en=f"rule {meta.rule} could not be evaluated: {reason}",
        hint_th="ตรวจว่าคอลัมน์ที่กฎอ้างถึงมีอยู่ในตาราง และค่าตั้งในไฟล์ชุดกฎถูกต้อง",
        hint_en="check that the columns the rule names exist and its settings in the suite "
                "file are valid",
        field=", ".join(columns) or None, value=clip_value(reason))


def _exception_message(info: dict[str, Any]) -> str | None:
    # GX reports an expectation's own error flat ({"raised_exception": True, ...}) but errors of
    # the metrics it needed keyed by metric id ({"<metric id>": {"raised_exception": True}}).
    reports = [info] + [value for value in info.values() if isinstance(value, dict)]
    for report in reports:
        if report.get("raised_exception"):
            return str(report.get("exception_message") or "unknown error")
    return None


def _domain_columns(kwargs: dict[str, Any]) -> list[str]:
    if kwargs.get("column"):
        return [kwargs["column"]]
    if kwargs.get("column_A"):
        return [kwargs["column_A"], kwargs["column_B"]]
    return list(kwargs.get("column_list") or [])


def _row_values(frame: pd.DataFrame, indexes: list[Any], columns: list[str],
                personal_fields: Collection[str]) -> list[str | None]:
    """The failing rows' cells as text, column by column (a million rows in seconds)."""
    present = [column for column in columns if column in frame.columns]
    if not present:
        return [None] * len(indexes)
    cells = frame.loc[indexes, present]
    texts = {column: _column_texts(cells[column], masked=column in personal_fields)
             for column in present}
    if len(present) == 1:
        return texts[present[0]]
    return ["; ".join(f"{column}={'' if text is None else text}"
                      for column, text in zip(present, row))
            for row in zip(*texts.values())]


def _column_texts(values: pd.Series, *, masked: bool) -> list[str | None]:
    if pd.api.types.is_datetime64_any_dtype(values):
        only_dates = bool(((values.dt.normalize() == values) | values.isna()).all())
        shown = values.dt.strftime("%Y-%m-%d" if only_dates else "%Y-%m-%dT%H:%M:%S")
    else:
        shown = values
    texts = [None if missing else str(value)
             for value, missing in zip(shown.tolist(), values.isna().tolist())]
    return [mask_value(text) for text in texts] if masked else texts


def _cell_text(value: Any) -> str | None:
    if value is None or (not isinstance(value, (list, tuple)) and pd.isna(value)):
        return None
    if isinstance(value, (pd.Timestamp, datetime.datetime)):
        midnight = value.hour == value.minute == value.second == value.microsecond == 0
        return value.date().isoformat() if midnight else value.isoformat()
    return str(value)


def _observed_text(observed: Any) -> str | None:
    if isinstance(observed, float):
        return format(observed, ".4g")
    return _cell_text(observed)
