"""frictionless over the whole table, streamed: every error, as a Finding, and nothing else kept.

Why not ``Resource.validate``: it collects every error object (each holding its row's cells)
until the end and stops at 1000 by default. Reading ``row_stream`` ourselves turns each error
into a Finding at once, so no frictionless row or error outlives its row, even for a million
rows. The checks are frictionless' own: the header (labels), every row (cells, types,
constraints, unique, primary key, self-referencing foreign keys); only the end-of-file
hash/byte/row counts of ``validate`` are left out (our schemas declare none).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any, Iterator, Sequence

from frictionless import Dialect, FrictionlessException, Resource, Schema, errors as fl_errors

from flows.validation.csv_rows import ParsedCsv
from flows.validation.findings import Finding
from flows.validation.schema_errors import finding_from_error


class FrictionlessRun:
    """One streamed frictionless read; keeps only findings and the cells to set NA.

    ``columns`` are the raw (unconverted) columns and ``flagged`` the cells per field the
    Thai-form check already reported (they get no second finding).
    """

    def __init__(self, parsed: ParsedCsv, columns: list[Sequence[str | None]],
                 specs: list[dict[str, Any]], flagged: dict[str, set[int]]):
        self.parsed, self.columns, self.flagged = parsed, columns, flagged
        self.specs = {spec["name"]: spec for spec in specs}
        self.positions = {spec["name"]: number for number, spec in enumerate(specs, start=1)}
        self.rejected: dict[str, set[int]] = defaultdict(set)
        self.blank_rows: set[int] = set()

    def check(self, payload: bytes, schema: Schema) -> list[Finding]:
        self.primary_key = list(schema.primary_key)
        # header_rows is explicit: left undefined, frictionless skips leading rows whose width
        # differs from the average, i.e. it would silently drop a malformed header.
        dialect = Dialect(header_rows=[1], controls=[self.parsed.control])
        resource = Resource(data=payload, format="csv", encoding="utf-8", schema=schema,
                            dialect=dialect)
        findings: list[Finding] = []
        try:
            with resource:
                findings += [self._finding(error) for error in self._errors(resource)
                             if not self._already_flagged(error)]
        except FrictionlessException as exc:
            findings += [finding_from_error(error) for error in exc.to_errors()]
        return findings

    def _errors(self, resource: Resource) -> Iterator[fl_errors.Error]:
        if not (resource.labels or resource.fragment):
            yield fl_errors.SourceError(note="the source is empty")
        yield from resource.header.errors
        for row in resource.row_stream:
            if not row.valid:
                # A blank row is one finding, not also an empty primary key.
                blank = [error for error in row.errors if error.type == "blank-row"]
                yield from blank or row.errors

    def _already_flagged(self, error: fl_errors.Error) -> bool:
        """A cell the Thai-form check already reported gets no second finding."""
        row, name = getattr(error, "row_number", None), getattr(error, "field_name", None)
        return bool(name) and row in self.flagged.get(name, ())

    def _finding(self, error: fl_errors.Error) -> Finding:
        row = getattr(error, "row_number", None)
        name = getattr(error, "field_name", None)
        if error.type == "type-error":
            self.rejected[name].add(row)
        elif error.type == "blank-row":
            self.blank_rows.add(row)
        return finding_from_error(error, field=self.specs.get(name), value=self._value(error))

    def _value(self, error: fl_errors.Error) -> Any:
        """The value as the steward wrote it (before Thai-form conversion)."""
        if isinstance(error, fl_errors.LabelError):
            return error.label
        if error.type == "primary-key":
            return self._original_key(error.row_number, self.primary_key)
        if isinstance(error, fl_errors.ForeignKeyError):
            return self._original_key(error.row_number, error.field_names)
        if isinstance(error, fl_errors.CellError):
            return self._original_cell(error.row_number, error.field_number) or error.cell
        return None

    def _original_key(self, row: int, names: list[str]) -> str:
        return ", ".join(self._original_cell(row, self.positions[name]) or ""
                         for name in names if name in self.positions)

    def _original_cell(self, row: int, field_number: int) -> str | None:
        try:
            if field_number <= len(self.columns):
                return self.columns[field_number - 1][row - 2]
            return self.parsed.rows[row - 1][field_number - 1]
        except IndexError:
            return None
