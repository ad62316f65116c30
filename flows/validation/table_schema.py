"""The Table Schema stage: frictionless' structure and schema checks, columnar, and the frame.

The file is read once (``columnar.raw_table``; in batches when big, ``columnar.batches``), the
header compared with the schema (``header_check`` and frictionless itself), then every column
checked by ``columnar.check``: the same findings frictionless' row-by-row validation gives
(``tests/validation/test_differential.py``), Thai forms converted or flagged as the schema
says, and the typed frame later checks use (``frame``).

Foreign keys: a self-reference (``reference.resource`` "" or this table's ``name``) is checked
here; references to other tables are left out, for the package-level check across datasets.
"""

from __future__ import annotations

import copy
import itertools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Sequence

import pandas as pd
import pyarrow as pa
from frictionless import FrictionlessException, Schema, errors as fl_errors, formats

from flows.validation.columnar.check import BatchCheck, TableChecker
from flows.validation.columnar.batches import BATCH_BYTES, BatchedFile, read_batches
from flows.validation.columnar.raw_table import (STREAM_ABOVE_BYTES, NotForArrow, RawTable,
                                                 SourceTable, may_be_utf8, read_raw_table,
                                                 read_raw_table_file)
from flows.validation.csv_rows import choose_dialect
from flows.validation.findings import Finding
from flows.validation.header_check import header_findings
from flows.validation.schema_errors import finding_from_error


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
    #: False when the file could not be read as a table at all (its findings say why); a big
    #: file checked in batches is read but has no ``raw`` (its cells are not kept).
    read: bool = True


def check_table(text: str, schema: dict[str, Any], *, name: str,
                delimiter: str | None = ",") -> TableCheck:
    """Check decoded CSV ``text`` against a Table Schema descriptor.

    ``name`` is the dataset id (it resolves self-referencing foreign keys). ``delimiter`` is the
    project's comma by default; None sniffs it as frictionless would (for files from elsewhere).
    An invalid schema gives its own findings and an empty frame: nothing else can be checked.
    """
    dialect = choose_dialect(text, delimiter=delimiter)
    return check_table_bytes(text.encode("utf-8"), schema, name=name, dialect=dialect)


def check_table_file(csv_path: Path, schema: dict[str, Any], *, name: str,
                     encoding: str | None = None) -> TableCheck:
    """Check the CSV file at ``csv_path`` (``encoding``: the declared one, None to detect)
    against a Table Schema descriptor, reading it once (a plain UTF-8 file never whole)."""
    return check_source_file(csv_path, schema, name=name, encoding=encoding)[0]


@dataclass(frozen=True)
class BatchOptions:
    """How a big file is checked (configuration, passed in): above ``stream_above`` bytes in
    batches of ``batch_bytes``; ``checks`` run on each batch's typed frame; the final frame
    keeps only the columns ``keep_column`` names (all when None). Small files are one batch."""

    checks: Sequence[BatchCheck] = ()
    keep_column: Callable[[str], bool] | None = None
    stream_above: int = STREAM_ABOVE_BYTES
    batch_bytes: int = BATCH_BYTES


def check_source_file(csv_path: Path, schema: dict[str, Any], *, name: str,
                      encoding: str | None = None, batches: BatchOptions = BatchOptions()
                      ) -> tuple[TableCheck, SourceTable | None]:
    """``check_table_file``, and the file as read (its encoding, checksum, decoding
    findings); None when the schema itself cannot be used (the file is then not read).

    A plain UTF-8 file bigger than ``batches.stream_above`` is read in batches and never held
    whole: its TableCheck then has no ``raw`` cells (describe reads the file itself).
    """
    fl_schema = _load_schema(frictionless_descriptor(schema, name=name))
    if isinstance(fl_schema, list):
        return TableCheck(fl_schema, read=False), None
    control = choose_dialect("", delimiter=",")
    if csv_path.stat().st_size > batches.stream_above and may_be_utf8(encoding):
        try:
            return _check_in_batches(csv_path, schema, fl_schema, control, batches)
        except NotForArrow:
            pass   # pyarrow would not read it as csv does: the whole-file reader decides
    source = read_raw_table_file(csv_path, control, encoding=encoding,
                                 empty_is_missing=_empty_is_missing(fl_schema))
    if source.raw is None:
        return TableCheck(list(source.findings), read=False), source
    checked = _check_raw_table(source.raw, schema, fl_schema, batches.checks)
    checked.findings[:0] = source.findings
    source.raw = None   # the TableCheck holds the cells; the source keeps the facts
    return checked, source


def _check_in_batches(csv_path: Path, schema: dict[str, Any], fl_schema: Schema,
                      control: formats.CsvControl, batches: BatchOptions
                      ) -> tuple[TableCheck, SourceTable]:
    specs = [dict(spec) for spec in schema.get("fields", [])]
    found = BatchedFile()
    pieces = read_batches(csv_path, control, found, empty_is_missing=_empty_is_missing(fl_schema),
                          batch_bytes=batches.batch_bytes)
    first = next(pieces)
    checker = TableChecker(first.labels, control, fl_schema, specs,
                           keep_column=batches.keep_column, batch_checks=batches.checks)
    for piece in itertools.chain([first], pieces):
        checker.add(piece)
    checked = checker.finish()
    findings = header_findings(first.labels, fl_schema.field_names) if first.labels else []
    scan = found.scan
    source = SourceTable(None, "utf-8-sig" if scan.bom else "utf-8", scan.sha256)
    return TableCheck(findings + checked.findings, checked.frame, checker.rows, None), source


def check_table_bytes(data: bytes, schema: dict[str, Any], *, name: str,
                      dialect: formats.CsvControl | None = None) -> TableCheck:
    """``check_table`` on UTF-8 bytes (``dialect``: the project's comma-separated one unless
    given)."""
    fl_schema = _load_schema(frictionless_descriptor(schema, name=name))
    if isinstance(fl_schema, list):
        return TableCheck(fl_schema, read=False)
    control = dialect or choose_dialect("", delimiter=",")
    raw = read_raw_table(data, control, empty_is_missing=_empty_is_missing(fl_schema))
    return _check_raw_table(raw, schema, fl_schema)


def _check_raw_table(raw: RawTable, schema: dict[str, Any], fl_schema: Schema,
                     checks: Sequence[BatchCheck] = ()) -> TableCheck:
    specs = [dict(spec) for spec in schema.get("fields", [])]
    findings = list(raw.findings)
    if raw.labels:
        findings += header_findings(raw.labels, fl_schema.field_names)
    checker = TableChecker(raw.labels, raw.control, fl_schema, specs,
                           empty=not raw.labels and not raw.rows, batch_checks=checks)
    checker.add(raw)
    checked = checker.finish()
    return TableCheck(findings + checked.findings, checked.frame, raw.rows,
                      _as_written(raw, specs))


def _empty_is_missing(schema: Schema) -> bool:
    """Whether "" is a missing value of every field (then an empty line is a blank row
    whichever reader reads it)."""
    return all("" in (field.missing_values if field.has_defined("missing_values")
                      else schema.missing_values) for field in schema.fields)


def _as_written(raw: RawTable, specs: list[dict[str, Any]]) -> pa.Table:
    """The cells as written, one column per schema field (null where the file has none)."""
    return pa.table({spec["name"]: raw.columns[index] if index < len(raw.columns)
                     else pa.nulls(raw.rows, pa.string()) for index, spec in enumerate(specs)})


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
