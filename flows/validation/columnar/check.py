"""The Table Schema check of a table, batch by batch: findings and the typed frame.

The header is compared by frictionless itself (one row: no cost), which also says which field
each column is read as (``fieldsMatch``); then, per batch, Thai forms (``thai_cells``), each
column's types and constraints (``cell_types``, two columns at a time), blank rows, missing and
extra cells; at the end the rules across rows (``row_rules``). Each finding is made by
``schema_errors`` from the facts of the frictionless error it stands for, so its text is the
one the reports always had. At most ``DEFAULT_LIMIT`` cells are listed per rule and field; the
rest are counted in one summary finding.
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
from flows.validation.finding_limits import DEFAULT_LIMIT, limit_findings, summary_finding
from flows.validation.findings import Finding, clip_value, mask_value
from flows.validation.frame import STRING_DTYPE, out_of_range_findings
from flows.validation.memory import give_back_memory
from flows.validation.parallel import map_columns
from flows.validation.schema_errors import ErrorFacts, finding_from_error

FIRST_ROW = 2


@dataclass
class ColumnarCheck:
    findings: list[Finding]
    frame: pd.DataFrame


BatchCheck = Callable[[pd.DataFrame], list[Finding]]


class _Listed:
    """Findings with at most ``limit`` cells listed per kind (rule, field, constraint), over
    every batch; the rest are counted, in one summary finding each at the end."""

    def __init__(self, limit: int) -> None:
        self.limit, self.findings = limit, []
        self.counts: dict[Any, int] = {}
        self.last: dict[Any, Finding] = {}

    def cells(self, kind: Any, positions: np.ndarray, make: Callable[[int], Finding]) -> None:
        if not len(positions):
            return
        seen = self.counts.get(kind, 0)
        listed = [make(int(position)) for position in positions[:max(self.limit - seen, 0)]]
        self.findings += listed
        if listed:
            self.last[kind] = listed[-1]
        self.counts[kind] = seen + len(positions)

    def finish(self) -> list[Finding]:
        """frictionless' order (the header, then row by row), summaries last."""
        summaries = [summary_finding(self.last[kind], count - self.limit)
                     for kind, count in self.counts.items() if count > self.limit]
        return sorted(self.findings, key=lambda finding: finding.row or 0) + summaries


@dataclass
class _KeyColumn:
    """What the rules across rows keep of one field from every batch."""

    field: Field
    typed: list[pa.Array]
    aware: list[pa.Array]
    written: list[pa.Array]
    flagged: list[np.ndarray]

    def key_arrays(self) -> list[pa.Array]:
        arrays = [pa.chunked_array(self.typed)]
        if self.field.type in ("datetime", "time"):
            arrays.append(pa.chunked_array(self.aware, pa.bool_()))
        return arrays


class TableChecker:
    """The Table Schema check of a table given batch by batch (``add``), then ``finish``.

    A small file is one batch. A big one comes in batches of rows, so its text never has to be
    held whole: every cell rule runs per batch, the rules across rows keep only their fields'
    values, ``batch_checks`` (the personal-data scan, formula cells) run on each batch's typed
    frame, and the final frame keeps the columns ``keep_column`` says later stages need.
    """

    def __init__(self, labels: list[str], control: Any, fl_schema: Schema,
                 specs: list[dict[str, Any]], *, empty: bool = False,
                 limit: int = DEFAULT_LIMIT, keep_column: Callable[[str], bool] | None = None,
                 batch_checks: Sequence[BatchCheck] = ()) -> None:
        self.fl_schema, self.spec_list, self.listed = fl_schema, specs, _Listed(limit)
        self.specs = {spec.get("name"): spec for spec in specs if isinstance(spec, dict)}
        self.keep_column, self.batch_checks = keep_column, batch_checks
        self.frames: list[pd.DataFrame] = []
        self.checked: list[Finding] = []
        self.blank: list[np.ndarray] = []
        self.rows = 0   # data rows added, blank ones included
        self.broken = False
        try:
            self.expected = _header(labels, control, fl_schema, self.listed, empty=empty)
        except FrictionlessException as exc:
            self.listed.findings += [finding_from_error(error) for error in exc.to_errors()]
            self.expected, self.broken = [], True
        self.positions = {field.name: number for number, field in enumerate(self.expected, 1)}
        self.keys = {name: _KeyColumn(field, [], [], [], [])
                     for name, field in ((f.name, f) for f in self.expected)
                     if name in _fields_across_rows(fl_schema)}

    def add(self, batch: RawTable) -> None:
        if self.broken:
            return
        offset = batch.first_row - FIRST_ROW
        _widen(batch, len(self.spec_list))
        thai = [thai_cells(batch.columns[index], spec)
                for index, spec in enumerate(self.spec_list)]
        columns = map_columns(
            lambda pair: type_column(_column_for(batch, thai, pair[0]), pair[1]),
            list(enumerate(self.expected)))
        flagged = [thai[index].flagged() if index < len(thai)
                   else np.zeros(batch.rows, dtype=bool) for index in range(len(columns))]
        for column, marked in zip(columns, flagged):
            _clear(column, marked)
        blank = blank_rows(columns, flagged)
        cells = _BatchCells(batch, offset, self)
        cells.thai_findings(thai, blank)
        cells.cell_findings(columns, blank)
        self.listed.cells("blank-row", np.flatnonzero(blank) + offset,
                          lambda position: finding_from_error(ErrorFacts.like(
                              fl_errors.BlankRowError, row_number=position + FIRST_ROW)))
        self._keep_keys(columns, flagged, batch)
        self.blank.append(blank)
        self.rows += batch.rows
        frame = _frame(columns, flagged, self.spec_list, batch, blank, cells)
        for check in self.batch_checks:
            self.checked = limit_findings([*self.checked, *check(frame)])
        if self.keep_column is not None:
            frame = _one_chunk_text(frame[[name for name in frame.columns
                                           if self.keep_column(name)]])
        self.frames.append(frame)

    def finish(self) -> ColumnarCheck:
        if self.blank and not self.broken:
            give_back_memory()
            _RowRules(self).check(np.concatenate(self.blank))
            give_back_memory()
        frame = _joined(self.frames) if self.frames else _empty_frame(self.spec_list)
        self.frames = []
        give_back_memory()
        return ColumnarCheck(self.listed.finish() + self.checked, frame)

    def _keep_keys(self, columns: list[TypedColumn], flagged: list[np.ndarray],
                   batch: RawTable) -> None:
        for index, column in enumerate(columns):
            kept = self.keys.get(column.field.name)
            if kept is None:
                continue
            arrays = column.key_arrays()
            kept.typed.append(_array(arrays[0]))
            if len(arrays) > 1:
                kept.aware.append(_array(arrays[1]))
            elif column.field.type in ("datetime", "time"):
                kept.aware.append(pc.if_else(pc.is_valid(_array(arrays[0])), False,
                                             pa.scalar(None, pa.bool_())))
            kept.written.append(_array(batch.columns[index]))
            kept.flagged.append(flagged[index])

    def finding(self, error: ErrorFacts, value: Any) -> Finding:
        name = getattr(error, "field_name", None)
        return finding_from_error(error, field=self.specs.get(name), value=value)


def _one_chunk_text(frame: pd.DataFrame) -> pd.DataFrame:
    """A kept batch's text columns each in one piece of memory (the ragged rows split them into
    many): GX and the later checks take rows from them, and a take crosses every chunk."""
    return frame.assign(**{
        name: pd.Series(pd.arrays.ArrowStringArray(series.array._pa_array.combine_chunks()),
                        index=frame.index, dtype=series.dtype)
        for name, series in frame.items()
        if isinstance(series.array, pd.arrays.ArrowStringArray)
        and series.array._pa_array.num_chunks > 1})


def _joined(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """The batches' frames as one, column by column, each batch's copy of a column let go as
    soon as it is joined (a whole second copy of the frame would not fit the memory budget)."""
    if len(frames) == 1:
        return frames[0]
    names = list(frames[0].columns)
    index = pd.Index(np.concatenate([frame.index.to_numpy() for frame in frames]), name="row")
    joined = {}
    for name in names:
        parts = [frame.pop(name) for frame in frames]
        joined[name] = pd.Series(pd.concat(parts).array, index=index)
        del parts
    return pd.DataFrame(joined, index=index, copy=False)


def _array(values: pa.Array | pa.ChunkedArray) -> pa.Array:
    return values.combine_chunks() if isinstance(values, pa.ChunkedArray) else values


def _fields_across_rows(schema: Schema) -> set[str]:
    """Fields the rules across rows read: unique ones, the primary key, foreign keys."""
    names = {field.name for field in schema.fields if field.constraints.get("unique")}
    names |= set(schema.primary_key)
    for foreign_key in schema.foreign_keys:
        names |= set(foreign_key["fields"]) | set(foreign_key["reference"]["fields"])
    return names


def _header(labels: list[str], control: Any, fl_schema: Schema, listed: _Listed, *,
            empty: bool) -> list[Field]:
    """frictionless' header errors, and the field each column is read as."""
    if empty:
        listed.findings.append(finding_from_error(fl_errors.SourceError(
            note="the source is empty")))
        return []
    buffer = io.StringIO(newline="")
    csv.writer(buffer, control.to_python()).writerow(labels)
    dialect = Dialect(header_rows=[1], controls=[control])
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
                cells[number - raw.first_row] = row[index]
        raw.columns.append(pa.array(cells, pa.string()))


def _column_for(raw: RawTable, thai: list[ThaiCells], index: int) -> pa.Array:
    if index < len(thai):
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


class _BatchCells:
    """The cell findings of one batch (positions over the whole table: batch + offset)."""

    def __init__(self, batch: RawTable, offset: int, checker: TableChecker) -> None:
        self.batch, self.offset, self.checker = batch, offset, checker
        self.expected, self.listed = checker.expected, checker.listed

    def thai_findings(self, thai: list[ThaiCells], blank: np.ndarray) -> None:
        for index, (cells, spec) in enumerate(zip(thai, self.checker.spec_list)):
            shown = mask_value if spec.get("personalData") else clip_value
            for mask, make in cells.flags:
                self.listed.cells(
                    (make, index), np.flatnonzero(mask & ~blank) + self.offset,
                    lambda position, make=make, index=index, spec=spec, shown=shown: make(
                        position + FIRST_ROW, spec.get("name"),
                        shown(self.batch.columns[index][position - self.offset].as_py())))

    def cell_findings(self, columns: list[TypedColumn], blank: np.ndarray) -> None:
        for number, column in enumerate(columns, start=1):
            self._cells(("type", number), np.flatnonzero(column.type_error & ~blank),
                        fl_errors.TypeError, column.field, number,
                        f'type is "{column.field.type}/{column.field.format}"')
            for name, mask in column.constraint_errors.items():
                constraint = column.field.constraints[name]
                self._cells(("constraint", number, name), np.flatnonzero(mask & ~blank),
                            fl_errors.ConstraintError, column.field, number,
                            f'constraint "{name}" is "{constraint}"')
        width = len(self.expected)
        for number, cells in sorted(self.batch.ragged.items()):
            if blank[number - self.batch.first_row]:
                continue
            # listed by field number: a ragged row's cells are not row positions
            extra = np.arange(width + 1, len(cells) + 1)
            self.listed.cells(("extra-cell",), extra, lambda field_number, number=number,
                              cells=cells: self.checker.finding(ErrorFacts.like(
                                  fl_errors.ExtraCellError, row_number=number, field_name="",
                                  field_number=field_number), cells[field_number - 1]))
            missing = np.arange(len(cells) + 1, width + 1)
            self.listed.cells(("missing-cell",), missing, lambda field_number, number=number:
                              self.checker.finding(ErrorFacts.like(
                                  fl_errors.MissingCellError, row_number=number,
                                  field_name=self.expected[field_number - 1].name,
                                  field_number=field_number), None))

    def _cells(self, kind: Any, positions: np.ndarray, error_class: type, field: Field,
               number: int, note: str) -> None:
        def make(position: int) -> Finding:
            value = self.cell(position - self.offset, number)
            error = ErrorFacts.like(error_class, note=note, row_number=position + FIRST_ROW,
                                    field_name=field.name, field_number=number)
            return self.checker.finding(error, value)
        self.listed.cells(kind, positions + self.offset, make)

    def cell(self, local: int, number: int) -> str | None:
        """The cell as the steward wrote it (before any Thai-form conversion)."""
        if number <= len(self.batch.columns):
            return self.batch.columns[number - 1][local].as_py()
        cells = cells_of_row(self.batch, local + self.batch.first_row)
        return cells[number - 1] if number <= len(cells) else None


class _RowRules:
    """Unique fields, the primary key and self-references, over every batch's kept values."""

    def __init__(self, checker: TableChecker) -> None:
        self.checker, self.listed, self.keys = checker, checker.listed, checker.keys

    def check(self, blank: np.ndarray) -> None:
        schema = self.checker.fl_schema
        for name, kept in self.keys.items():
            if kept.field.constraints.get("unique"):
                self._unique(kept, blank)
                give_back_memory()
        key = list(schema.primary_key)
        if key and set(key) <= set(self.keys):
            self._primary_key(key, blank)
        for foreign_key in schema.foreign_keys:
            fields = list(foreign_key["fields"])
            if set(fields) <= set(self.keys):
                self._self_reference(foreign_key, fields, blank)

    def _unique(self, kept: _KeyColumn, blank: np.ndarray) -> None:
        codes, empty = key_codes(kept.key_arrays())
        found = repeats(codes, ~empty & ~blank)
        # a cell the Thai-form check flagged has that finding only
        marked = np.concatenate(kept.flagged)
        shown = found.positions[~marked[found.positions]]
        number = self.checker.positions[kept.field.name]
        previous = dict(zip(found.positions.tolist(), found.previous.tolist()))

        def make(position: int) -> Finding:
            error = ErrorFacts.like(
                fl_errors.UniqueError,
                note=f"the same as in the row at position {previous[position] + FIRST_ROW}",
                row_number=position + FIRST_ROW, field_name=kept.field.name,
                field_number=number)
            return self.checker.finding(error, self._written(kept.field.name, position))
        self.listed.cells(("unique", number), shown, make)

    def _primary_key(self, names: list[str], blank: np.ndarray) -> None:
        codes, empty = key_codes([array for name in names
                                  for array in self.keys[name].key_arrays()])
        found = repeats(codes, ~empty & ~blank)
        previous = dict(zip(found.positions.tolist(), found.previous.tolist()))
        problems = np.union1d(np.flatnonzero(empty & ~blank), found.positions)

        def make(position: int) -> Finding:
            note = (f"the same as in the row at position {previous[position] + FIRST_ROW}"
                    if position in previous else
                    'cells composing the primary keys are all "None"')
            error = ErrorFacts.like(fl_errors.PrimaryKeyError, note=note,
                                    row_number=position + FIRST_ROW)
            return self.checker.finding(error, self._key(position, names))
        self.listed.cells(("primary-key",), problems, make)

    def _self_reference(self, foreign_key: dict[str, Any], fields: list[str],
                        blank: np.ndarray) -> None:
        reference = foreign_key["reference"]
        rows = len(blank)
        sources = [self.keys[name].key_arrays() if name in self.keys
                   else [pa.nulls(rows, pa.string())] for name in reference["fields"]]
        targets = [pa.chunked_array(self.keys[name].typed) for name in fields]
        unmatched = unmatched_references([self.keys[name].key_arrays() for name in fields],
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
            return self.checker.finding(error, self._key(position, fields))
        self.listed.cells(("foreign-key", tuple(fields)), unmatched, make)

    def _written(self, name: str, position: int) -> str | None:
        return pa.chunked_array(self.keys[name].written, pa.string())[position].as_py()

    def _key(self, position: int, names: Sequence[str]) -> str:
        return ", ".join(self._written(name, position) or "" for name in names
                         if name in self.keys)


def _frame(columns: list[TypedColumn], flagged: list[np.ndarray], specs: list[dict[str, Any]],
           raw: RawTable, blank: np.ndarray, cells: _BatchCells) -> pd.DataFrame:
    """The typed frame (frame.py's contract) of one batch: one column per schema field, blank
    rows out; values valid for the schema that the frame cannot hold are warnings."""
    index = pd.RangeIndex(raw.first_row, raw.first_row + raw.rows, name="row")
    data: dict[str, pd.Series] = {}
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
            rows = beyond.index.to_numpy() - FIRST_ROW
            cells.listed.cells(("out-of-range", position), rows, lambda at, beyond=beyond,
                               spec=spec: out_of_range_findings(
                                   beyond.loc[[at + FIRST_ROW]], spec)[0])
    if blank.any():   # blank rows leave the frame, without copying the text columns
        dropped = np.flatnonzero(blank)
        index = index[~blank]
        data = {name: _without(series, blank, dropped, index) for name, series in data.items()}
    return pd.DataFrame(data, index=index, copy=False)


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
