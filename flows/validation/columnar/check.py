"""The Table Schema check of a RawTable: findings and the typed frame.

The header is compared by frictionless itself (one row: no cost), which also says which field
each column is read as (``fieldsMatch``); then each column is typed and checked
(``cell_types``), then the rules across rows (``row_rules``). Each finding is made by
``schema_errors`` from a frictionless error object, so its text is the one the reports always
had. At most ``DEFAULT_LIMIT`` cells are listed per rule and field; the rest are counted in one
summary finding.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any, Callable, Sequence

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from frictionless import (Dialect, Field, FrictionlessException, Resource, Schema,
                          errors as fl_errors)

from flows.validation.columnar.cell_types import TypedColumn, type_column
from flows.validation.columnar.raw_table import RawTable, cells_of_row
from flows.validation.columnar.row_rules import (blank_rows, key_codes, repeats,
                                                 unmatched_references)
from flows.validation.columnar.thai_cells import ThaiCells, thai_cells
from flows.validation.columnar.zero_copy import without_rows
from flows.validation.finding_limits import DEFAULT_LIMIT, summary_finding
from flows.validation.findings import Finding, clip_value, mask_value
from flows.validation.frame import STRING_DTYPE, out_of_range_findings
from flows.validation.parallel import map_columns
from flows.validation.schema_errors import ErrorFacts, finding_from_error

FIRST_ROW = 2


@dataclass
class ColumnarCheck:
    findings: list[Finding]
    frame: pd.DataFrame


class _Listed:
    """Findings with at most ``limit`` cells listed per (rule, field); the rest counted."""

    def __init__(self, limit: int) -> None:
        self.limit, self.findings = limit, []

    def cells(self, positions: np.ndarray, make: Callable[[int], Finding]) -> None:
        if not len(positions):
            return
        listed = [make(int(position)) for position in positions[:self.limit]]
        self.findings += listed
        if len(positions) > self.limit:
            self.findings.append(summary_finding(listed[-1], len(positions) - self.limit))


def check_columns(raw: RawTable, fl_schema: Schema, specs: list[dict[str, Any]], *,
                  may_hold_thai_digits: bool, limit: int = DEFAULT_LIMIT) -> ColumnarCheck:
    """Check ``raw`` against ``fl_schema`` (``specs``: its fields as the steward wrote them,
    with the Thai declarations frictionless does not know)."""
    listed = _Listed(limit)
    try:
        expected = _header(raw, fl_schema, listed)
    except FrictionlessException as exc:
        listed.findings += [finding_from_error(error) for error in exc.to_errors()]
        return ColumnarCheck(listed.findings, _empty_frame(specs))
    _widen(raw, len(specs))
    thai = [thai_cells(raw.columns[index], spec, may_hold_thai_digits=may_hold_thai_digits)
            for index, spec in enumerate(specs)]
    columns = map_columns(lambda pair: type_column(_column_for(raw, thai, pair[0]), pair[1]),
                          list(enumerate(expected)))
    flagged = [thai[index].flagged() if index < len(thai) and thai[index] is not None
               else np.zeros(raw.rows, dtype=bool) for index in range(len(expected))]
    for column, marked in zip(columns, flagged):
        _clear(column, marked)
    blank = blank_rows(columns, flagged)
    context = _Context(raw, specs, expected, listed)
    context.thai_findings(thai, blank)
    context.cell_findings(columns, blank)
    context.row_findings(columns, blank, fl_schema, flagged)
    frame, range_findings = _frame(columns, flagged, specs, raw, blank)
    # frictionless' order: the header, then row by row (a summary after its listed cells)
    ordered = sorted(listed.findings, key=lambda finding: finding.row or 0)
    return ColumnarCheck(ordered + range_findings, frame)


def _header(raw: RawTable, fl_schema: Schema, listed: _Listed) -> list[Field]:
    """frictionless' header errors, and the field each column is read as."""
    if not raw.labels and not raw.rows:
        listed.findings.append(finding_from_error(fl_errors.SourceError(
            note="the source is empty")))
        return []
    buffer = io.StringIO(newline="")
    csv.writer(buffer, raw.control.to_python()).writerow(raw.labels)
    dialect = Dialect(header_rows=[1], controls=[raw.control])
    resource = Resource(data=buffer.getvalue().encode("utf-8"), format="csv", encoding="utf-8",
                        schema=fl_schema, dialect=dialect)
    with resource:
        listed.findings += [finding_from_error(error, value=getattr(error, "label", None))
                            for error in resource.header.errors]
        return list(resource.header.get_expected_fields())


def _widen(raw: RawTable, width: int) -> None:
    """Columns up to the schema's width: cells beyond the header exist only in ragged rows
    (they are extra cells, and still get the Thai-form check of their schema position)."""
    for index in range(len(raw.columns), width):
        cells = [None] * raw.rows
        for number, row in raw.ragged.items():
            if index < len(row):
                cells[number - FIRST_ROW] = row[index]
        raw.columns.append(pa.array(cells, pa.string()))


def _column_for(raw: RawTable, thai: list[ThaiCells | None], index: int) -> pa.Array:
    if index < len(thai) and thai[index] is not None:
        return thai[index].values
    if index < len(raw.columns):
        return raw.columns[index]
    return pa.nulls(raw.rows, pa.string())   # rows that have no cell for this field


def _clear(column: TypedColumn, marked: np.ndarray) -> None:
    """A cell the Thai-form check flagged has that finding only (its value still counts for
    keys, as frictionless reads it; the frame leaves it empty)."""
    if not marked.any():
        return
    column.type_error &= ~marked
    for name in column.constraint_errors:
        column.constraint_errors[name] &= ~marked


class _Context:
    def __init__(self, raw: RawTable, specs: list[dict[str, Any]], expected: list[Field],
                 listed: _Listed) -> None:
        self.raw, self.expected, self.listed = raw, expected, listed
        self.spec_list = specs
        self.specs = {spec.get("name"): spec for spec in specs if isinstance(spec, dict)}
        self.positions = {field.name: number for number, field in enumerate(expected, 1)}

    def thai_findings(self, thai: list[ThaiCells], blank: np.ndarray) -> None:
        for index, (cells, spec) in enumerate(zip(thai, self.spec_list)):
            shown = mask_value if spec.get("personalData") else clip_value
            for mask, make in cells.flags:
                self.listed.cells(np.flatnonzero(mask & ~blank), lambda position, make=make: make(
                    position + FIRST_ROW, spec.get("name"),
                    shown(self.raw.columns[index][position].as_py())))

    def cell_findings(self, columns: list[TypedColumn], blank: np.ndarray) -> None:
        for number, column in enumerate(columns, start=1):
            self._cells(np.flatnonzero(column.type_error & ~blank), fl_errors.TypeError,
                        column.field, number, f'type is "{column.field.type}/'
                                              f'{column.field.format}"')
            for name, mask in column.constraint_errors.items():
                constraint = column.field.constraints[name]
                self._cells(np.flatnonzero(mask & ~blank), fl_errors.ConstraintError,
                            column.field, number, f'constraint "{name}" is "{constraint}"')
        width = len(self.expected)
        for number, cells in sorted(self.raw.ragged.items()):
            if blank[number - FIRST_ROW]:
                continue
            for field_number in range(width + 1, len(cells) + 1):
                self._append(ErrorFacts.like(
                    fl_errors.ExtraCellError, row_number=number, field_name="",
                    field_number=field_number), cells[field_number - 1])
            for field_number in range(len(cells) + 1, width + 1):
                self._append(ErrorFacts.like(
                    fl_errors.MissingCellError, row_number=number,
                    field_name=self.expected[field_number - 1].name,
                    field_number=field_number), None)

    def _cells(self, positions: np.ndarray, kind: type, field: Field, number: int,
               note: str) -> None:
        def make(position: int) -> Finding:
            value = self._cell(position, number)
            error = ErrorFacts.like(kind, note=note, row_number=position + FIRST_ROW,
                                    field_name=field.name, field_number=number)
            return self._finding(error, value)
        self.listed.cells(positions, make)

    def row_findings(self, columns: list[TypedColumn], blank: np.ndarray,
                     fl_schema: Schema, flagged: list[np.ndarray]) -> None:
        self.listed.cells(np.flatnonzero(blank), lambda position: finding_from_error(
            ErrorFacts.like(fl_errors.BlankRowError, row_number=position + FIRST_ROW)))
        by_name = {column.field.name: column for column in columns}
        for column, marked in zip(columns, flagged):
            if column.field.constraints.get("unique"):
                self._unique(column, blank, marked)
        key = list(fl_schema.primary_key)
        if key and set(key) <= set(by_name):
            self._primary_key([by_name[name] for name in key], blank)
        for foreign_key in fl_schema.foreign_keys:
            fields = list(foreign_key["fields"])
            if set(fields) <= set(by_name):
                self._self_reference(foreign_key, fields, by_name, blank)

    def _unique(self, column: TypedColumn, blank: np.ndarray, marked: np.ndarray) -> None:
        codes, empty = key_codes(column.key_arrays())
        found = repeats(codes, ~empty & ~blank)
        # a cell the Thai-form check flagged has that finding only
        shown = found.positions[~marked[found.positions]]
        number = self.positions[column.field.name]
        previous = dict(zip(found.positions.tolist(), found.previous.tolist()))

        def make(position: int) -> Finding:
            value = self._cell(position, number)
            error = ErrorFacts.like(
                fl_errors.UniqueError,
                note=f"the same as in the row at position {previous[position] + FIRST_ROW}",
                row_number=position + FIRST_ROW, field_name=column.field.name,
                field_number=number)
            return self._finding(error, value)
        self.listed.cells(shown, make)

    def _primary_key(self, key: list[TypedColumn], blank: np.ndarray) -> None:
        codes, empty = key_codes([array for column in key for array in column.key_arrays()])
        names = [column.field.name for column in key]
        found = repeats(codes, ~empty & ~blank)
        previous = dict(zip(found.positions.tolist(), found.previous.tolist()))
        problems = np.union1d(np.flatnonzero(empty & ~blank), found.positions)

        def make(position: int) -> Finding:
            note = (f"the same as in the row at position {previous[position] + FIRST_ROW}"
                    if position in previous else
                    'cells composing the primary keys are all "None"')
            error = ErrorFacts.like(fl_errors.PrimaryKeyError, note=note,
                                    row_number=position + FIRST_ROW)
            return self._finding(error, self._key(position, names))
        self.listed.cells(problems, make)

    def _self_reference(self, foreign_key: dict[str, Any], fields: list[str],
                        by_name: dict[str, TypedColumn], blank: np.ndarray) -> None:
        reference = foreign_key["reference"]
        sources = [by_name[name].key_arrays() if name in by_name else [pa.nulls(self.raw.rows)]
                   for name in reference["fields"]]
        targets = [by_name[name].typed for name in fields]
        unmatched = unmatched_references([by_name[name].key_arrays() for name in fields],
                                         sources, ~blank)

        def make(position: int) -> Finding:
            values = [target[position].as_py() for target in targets]
            note = ('for "%s": values "%s" not found in the lookup table "%s" as "%s"' % (
                ", ".join(fields), ", ".join(str(value) for value in values),
                reference["resource"], ", ".join(reference["fields"])))
            error = ErrorFacts.like(
                fl_errors.ForeignKeyError, note=note, row_number=position + FIRST_ROW,
                field_names=tuple(fields), reference_name=reference["resource"],
                reference_field_names=tuple(reference["fields"]))
            return self._finding(error, self._key(position, fields))
        self.listed.cells(unmatched, make)

    def _cell(self, position: int, number: int) -> str | None:
        """The cell as the steward wrote it (before any Thai-form conversion)."""
        if number <= len(self.raw.columns):
            return self.raw.columns[number - 1][position].as_py()
        cells = cells_of_row(self.raw, position + FIRST_ROW)
        return cells[number - 1] if number <= len(cells) else None

    def _key(self, position: int, names: Sequence[str]) -> str:
        return ", ".join(self._cell(position, self.positions[name]) or ""
                         for name in names if name in self.positions)

    def _finding(self, error: ErrorFacts, value: Any) -> Finding:
        name = getattr(error, "field_name", None)
        return finding_from_error(error, field=self.specs.get(name), value=value)

    def _append(self, error: ErrorFacts, value: Any) -> None:
        self.listed.findings.append(self._finding(error, value))


def _frame(columns: list[TypedColumn], flagged: list[np.ndarray], specs: list[dict[str, Any]],
           raw: RawTable, blank: np.ndarray) -> tuple[pd.DataFrame, list[Finding]]:
    """The typed frame (frame.py's contract): one column per schema field, blank rows out."""
    index = pd.RangeIndex(FIRST_ROW, FIRST_ROW + raw.rows, name="row")
    data: dict[str, pd.Series] = {}
    findings: list[Finding] = []
    for position, spec in enumerate(specs):
        column = columns[position] if position < len(columns) else None
        written = raw.columns[position] if position < len(raw.columns) else None
        series, beyond = _series(column, written, spec, index)
        if position < len(flagged) and flagged[position].any():
            series = series.mask(flagged[position])   # flagged: never silently misread
            if beyond is not None:
                beyond = beyond[~beyond.index.isin(index[flagged[position]])]
        data[spec["name"]] = series
        if beyond is not None and len(beyond):
            findings += out_of_range_findings(beyond, spec)
    if blank.any():   # blank rows leave the frame, without copying the text columns
        dropped = np.flatnonzero(blank)
        index = index[~blank]
        data = {name: _without(series, blank, dropped, index) for name, series in data.items()}
    return pd.DataFrame(data, index=index, copy=False), findings


def _without(series: pd.Series, blank: np.ndarray, dropped: np.ndarray,
             index: pd.Index) -> pd.Series:
    if isinstance(series.array, pd.arrays.ArrowStringArray):
        kept = without_rows(series.array._pa_array, dropped)
        return pd.Series(pd.arrays.ArrowStringArray(kept), index=index, dtype=STRING_DTYPE)
    return pd.Series(series.array[~blank], index=index)


_PANDAS = {pa.int64(): "Int64", pa.float64(): "Float64", pa.bool_(): "boolean"}
_NS_RANGE = (pd.Timestamp.min.ceil("us").to_pydatetime(),
             pd.Timestamp.max.floor("us").to_pydatetime())


def _series(column: TypedColumn | None, written: pa.Array | None, spec: dict[str, Any],
            index: pd.Index) -> tuple[pd.Series, pd.Series | None]:
    kind = spec.get("type", "string")
    if column is None:
        dtype = {"integer": "Int64", "year": "Int64", "number": "Float64",
                 "boolean": "boolean", "date": "datetime64[ns]",
                 "datetime": "datetime64[ns]"}.get(kind, STRING_DTYPE)
        return pd.Series(pd.NA if dtype != "datetime64[ns]" else pd.NaT, index=index,
                         dtype=dtype), None
    typed = column.typed
    beyond = _beyond_int64(column, written, index)
    if typed.type in _PANDAS:
        return pd.Series(pd.array(typed.to_pandas(types_mapper=pd.ArrowDtype).array,
                                  dtype=_PANDAS[typed.type]), index=index), beyond
    if pa.types.is_date32(typed.type) or pa.types.is_timestamp(typed.type):
        return _stamps(typed, index)
    if pa.types.is_string(typed.type):
        return pd.Series(pd.arrays.ArrowStringArray(typed), index=index, dtype=STRING_DTYPE), None
    # time and the rare types: the frame keeps the text as written, where it is valid
    return _as_written(column, written, index), None


def _beyond_int64(column: TypedColumn, written: pa.Array, index: pd.Index
                  ) -> pd.Series | None:
    """Integers valid for the schema that 64 bits cannot hold, as written."""
    if column.out_of_range is None or not column.out_of_range.any():
        return None
    positions = np.flatnonzero(column.out_of_range)
    return pd.Series(written.take(pa.array(positions)).to_pylist(), index=index[positions],
                     dtype=object)


def _stamps(typed: pa.Array, index: pd.Index) -> tuple[pd.Series, pd.Series]:
    stamps = typed.cast(pa.timestamp("us")) if pa.types.is_date32(typed.type) else typed
    low, high = pa.scalar(_NS_RANGE[0], pa.timestamp("us")), pa.scalar(_NS_RANGE[1],
                                                                      pa.timestamp("us"))
    inside = pc.and_(pc.greater_equal(stamps, low), pc.less_equal(stamps, high))
    outside = pc.fill_null(pc.invert(inside), False).to_numpy(zero_copy_only=False)
    held = pc.if_else(inside, stamps, pa.scalar(None, pa.timestamp("us"))).cast(
        pa.timestamp("ns"))
    series = pd.Series(held.to_numpy(zero_copy_only=False), index=index,
                       dtype="datetime64[ns]")
    beyond = pd.Series(stamps.filter(pa.array(outside)).to_pylist(), index=index[outside],
                       dtype=object)
    return series, beyond


def _as_written(column: TypedColumn, written: pa.Array, index: pd.Index) -> pd.Series:
    valid = pc.is_valid(column.typed)
    return pd.Series(pd.arrays.ArrowStringArray(pc.if_else(
        valid, written, pa.scalar(None, pa.string()))), index=index, dtype=STRING_DTYPE)


def _empty_frame(specs: list[dict[str, Any]]) -> pd.DataFrame:
    return pd.DataFrame({spec["name"]: pd.Series([], dtype=STRING_DTYPE) for spec in specs
                         if isinstance(spec, dict) and "name" in spec})
