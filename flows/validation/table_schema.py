"""The Table Schema stage: structure and schema checks by frictionless, plus the typed frame.

One pass over the text, in this order:
1. parse the CSV into rows (``csv_rows``) and compare the header with the schema (``header_check``);
2. convert or flag Thai forms per field as the schema says (``thai_columns``);
3. stream the (converted) table through frictionless (``frictionless_run``): every error, each
   turned into a Finding at once (``schema_errors``);
4. build the typed frame from the raw columns, cells rejected above set to NA (``frame``).

Foreign keys: a self-reference (``reference.resource`` "" or this table's ``name``) is checked
here; references to other tables are left out, for the package-level check across datasets.
"""

from __future__ import annotations

import copy
import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

import pandas as pd
import pyarrow as pa
from frictionless import FrictionlessException, Schema, errors as fl_errors

from flows.csv_source import read_csv_text
from flows.validation.csv_rows import ParsedCsv, read_rows
from flows.validation.findings import Finding
from flows.validation.frame import build_frame
from flows.validation.frictionless_run import FrictionlessRun
from flows.validation.header_check import header_findings
from flows.validation.schema_errors import finding_from_error
from flows.validation.thai_columns import ThaiColumn, apply_thai_forms
from flows.validation.thai_forms import THAI_DIGIT_PATTERN


@dataclass
class TableCheck:
    """What the Table Schema stage found, the typed frame (index = row number, blank rows left
    out), the number of data rows read (blank ones included) and ``raw``: every data row's cells
    as written (Arrow strings, one column per schema field, row number = position + 2; a cell
    a short row lacks is null)."""

    findings: list[Finding] = field(default_factory=list)
    frame: pd.DataFrame = field(default_factory=pd.DataFrame)
    rows: int = 0
    raw: pa.Table | None = None


def check_table(text: str, schema: dict[str, Any], *, name: str,
                delimiter: str | None = ",") -> TableCheck:
    """Check decoded CSV ``text`` against a Table Schema descriptor.

    ``name`` is the dataset id (it resolves self-referencing foreign keys). ``delimiter`` is the
    project's comma by default; None sniffs it as frictionless would (for files from elsewhere).
    An invalid schema gives its own findings and an empty frame: nothing else can be checked.
    """
    fl_schema = _load_schema(frictionless_descriptor(schema, name=name))
    if isinstance(fl_schema, list):
        return TableCheck(fl_schema)
    specs = [dict(spec) for spec in schema.get("fields", [])]
    parsed = read_rows(text, delimiter=delimiter)
    findings = list(parsed.findings)
    if parsed.rows:
        findings += header_findings(parsed.rows[0], fl_schema.field_names)
    columns = raw_columns(parsed.rows, width=len(specs))
    may_hold_digits = re.search(THAI_DIGIT_PATTERN, text) is not None
    thai = [apply_thai_forms(values, spec, may_hold_thai_digits=may_hold_digits)
            for values, spec in zip(columns, specs)]
    for column in thai:
        findings += column.findings
    flagged = {spec["name"]: column.flagged_rows for spec, column in zip(specs, thai)}
    run = FrictionlessRun(parsed, columns, specs, flagged)
    findings += run.check(_payload(text, parsed, thai), fl_schema)
    rejected = {field_name: run.rejected.get(field_name, set()) | rows
                for field_name, rows in flagged.items()}
    frame, frame_findings = build_frame([column.values for column in thai], fl_schema,
                                        rejected=rejected, drop_rows=run.blank_rows)
    raw = pa.table({spec["name"]: pa.array(values, type=pa.string())
                    for spec, values in zip(specs, columns)})
    return TableCheck(findings + frame_findings, frame, max(len(parsed.rows) - 1, 0), raw)


def check_table_file(csv_path: Path, schema: dict[str, Any], *, name: str,
                     encoding: str | None = None) -> TableCheck:
    """Check the CSV file at ``csv_path`` (``encoding``: the declared one, None to detect)
    against a Table Schema descriptor: ``check_table`` without holding the file's text."""
    source = read_csv_text(csv_path, encoding=encoding)
    if source.text is None:
        return TableCheck(list(source.findings))
    checked = check_table(source.text, schema, name=name)
    checked.findings[:0] = source.findings
    return checked


def frictionless_descriptor(schema: dict[str, Any], *, name: str) -> dict[str, Any]:
    """The schema as frictionless is given it: Buddhist-Era dates arrive converted to ISO CE (so
    their declared BE format no longer applies) and foreign keys to other tables are left out."""
    descriptor = copy.deepcopy(schema)
    # A malformed schema is left as it is, for frictionless to say what is wrong with it.
    for spec in _dicts(descriptor.get("fields")):
        if spec.get("calendar") == "buddhist" and spec.get("type") == "date":
            spec.pop("format", None)
    if isinstance(descriptor.get("foreignKeys"), list):
        descriptor["foreignKeys"] = [key for key in descriptor["foreignKeys"]
                                     if _target(key) in (None, "", name)]
        for key in descriptor["foreignKeys"]:
            if _target(key) == name:
                key["reference"]["resource"] = ""
    return descriptor


def _load_schema(descriptor: dict[str, Any]) -> Schema | list[Finding]:
    """The frictionless Schema, or the findings that say why the descriptor is not one."""
    try:
        return Schema.from_descriptor(descriptor)
    except FrictionlessException as exc:
        return [finding_from_error(error) for error in exc.to_errors()]
    except (AttributeError, TypeError, KeyError, ValueError) as exc:
        # frictionless' own normalisation trips over some malformed shapes (e.g. a foreign key
        # whose "reference" is a string) before its validation can report them.
        note = f"malformed schema descriptor ({type(exc).__name__}: {exc})"
        return [finding_from_error(fl_errors.SchemaError(note=note))]


def _dicts(items: Any) -> list[dict[str, Any]]:
    return [item for item in items if isinstance(item, dict)] if isinstance(items, list) else []


def _target(key: Any) -> str | None:
    """The table a well-formed foreign key points to ("" = itself); None when malformed."""
    reference = key.get("reference") if isinstance(key, dict) else None
    resource = reference.get("resource", "") if isinstance(reference, dict) else None
    return resource if isinstance(resource, str) else None


def raw_columns(rows: list[tuple[str, ...]], *, width: int) -> list[Sequence[str | None]]:
    """The data rows' first ``width`` cells as columns; a short row's missing cells are None."""
    data = rows[1:]
    if not data:
        return [()] * width
    if min(map(len, data)) < width:
        data = [row if len(row) >= width else row + (None,) * (width - len(row)) for row in data]
    return list(zip(*data))[:width]


def _payload(text: str, parsed: ParsedCsv, thai: list[ThaiColumn]) -> bytes:
    """The bytes frictionless reads: the text itself, or the rows re-written (converted Thai
    forms, or a line, cell or row cut at a limit)."""
    converted = [(index, column.values) for index, column in enumerate(thai) if column.converted]
    if not converted and not parsed.cut:
        return text.encode("utf-8")
    rows = [list(row) for row in parsed.rows]
    for index, values in converted:
        for row, value in zip(rows[1:], values):
            if index < len(row):
                row[index] = value
    buffer = io.StringIO(newline="")
    csv.writer(buffer, parsed.control.to_python()).writerows(rows)
    return buffer.getvalue().encode("utf-8")
