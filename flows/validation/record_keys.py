"""Which record a row-level finding is about: its primary-key values next to the row number.

"Row 394" sends a steward counting spreadsheet lines; "Law_ID 393" finds the record in any copy
of the data (sorted, filtered, or the source system). The key comes from the Table Schema's
``primaryKey``, read in the typed table (index = row number) once every check has run.

When the schema declares no primary key, no key is shown, rather than guessing the first
column: that column may not identify a row (or may hold personal data), and a wrong "key" sends
the steward to the wrong record. Such a schema already has its own blocking finding
(``schema/no-primary-key``) telling the steward to declare one.

A key cell the schema rejected (e.g. a non-integer id) is NA in the typed table and shows as
None; the raw text is in that cell's own finding. Key fields marked ``personalData`` are masked.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Mapping, Sequence

import pandas as pd

from flows.validation.findings import Finding, clip_value, mask_value

Key = tuple[tuple[str, str | None], ...]


def primary_key_fields(schema: Mapping[str, Any]) -> list[str]:
    """The schema's ``primaryKey`` as field names; [] when none (or malformed) is declared."""
    key = schema.get("primaryKey") if isinstance(schema, Mapping) else None
    names = [key] if isinstance(key, str) else key if isinstance(key, list) else []
    return [name for name in names if isinstance(name, str) and name]


def with_record_keys(findings: Sequence[Finding], frame: pd.DataFrame | None,
                     schema: Mapping[str, Any]) -> list[Finding]:
    """``findings`` with ``key`` set on every one whose row is in ``frame``."""
    fields = primary_key_fields(schema)
    if frame is None or not fields or any(name not in frame.columns for name in fields):
        return list(findings)
    rows = sorted({f.row for f in findings if f.row is not None and f.row in frame.index})
    if not rows:
        return list(findings)
    keys = _keys_of(frame.loc[rows, fields], fields, _personal(schema))
    return [replace(f, key=keys[f.row]) if f.row in keys else f for f in findings]


def _keys_of(cells: pd.DataFrame, fields: list[str], personal: set[str]) -> dict[int, Key]:
    texts = {name: _texts(cells[name], masked=name in personal) for name in fields}
    return {int(row): tuple((name, texts[name][i]) for name in fields)
            for i, row in enumerate(cells.index)}


def _texts(values: pd.Series, *, masked: bool) -> list[str | None]:
    """Cells as a person reads them: 393 not 393.0, 2024-01-31 not a timestamp."""
    if pd.api.types.is_datetime64_any_dtype(values):
        only_dates = bool(((values.dt.normalize() == values) | values.isna()).all())
        values = values.dt.strftime("%Y-%m-%d" if only_dates else "%Y-%m-%dT%H:%M:%S")
    texts = [None if missing else _text(value)
             for value, missing in zip(values.tolist(), values.isna().tolist())]
    return [mask_value(text) for text in texts] if masked else texts


def _text(value: Any) -> str | None:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return clip_value(value)


def _personal(schema: Mapping[str, Any]) -> set[str]:
    fields = schema.get("fields")
    return {spec.get("name") for spec in fields if isinstance(spec, dict)
            and spec.get("personalData")} if isinstance(fields, list) else set()
