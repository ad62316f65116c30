"""The public copy of a tidy CSV: the same rows without the personal-data columns, and with
every cell a spreadsheet would run as a formula neutralised (``flows.csv_safety``).

Same input, same bytes: the copy is written with ``"\\n"`` line ends and minimal quoting (the
tidy CSVs' own convention), so its checksum changes only when the data do. It is always UTF-8:
the tidy CSV is read through the reader every stage uses (``flows.csv_source``: its declared
encoding, the same limits), so a cp874 file publishes a UTF-8 copy of the text validated.

A cell of a typed field (integer, number, year, boolean, date, datetime) that the dataset's own
Table Schema reads as a finite value is a value, not a formula (``-1 234,5`` under
``decimalChar: ","``); every other cell goes by ``flows.csv_safety.needs_neutralising``. The
header is left as it is: it holds the Table Schema's field names, which a steward declares, and
a prefix would break the copy's match with its schema.

Two ways in, the same bytes out: ``public_copy`` reads the tidy CSV; ``public_copy_of_table``
takes the cells the validation stage already read (``flows.validation.validated_table``), so
describe does not read or parse the file again. The table way also returns the
published cells as Arrow columns (``PublicCopy.cells``) for the dictionary examples.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Iterator, Sequence

import pyarrow as pa
import pyarrow.compute as pc
from frictionless import Field, FrictionlessException

from flows.csv_safety import FORMULA_TRIGGERS, TEXT_MARKER, needs_neutralising, neutralise
from flows.csv_source import read_csv_table
from flows.errors import ConfigError

#: Table Schema types the validation stage types too: their readable cells are values.
_TYPED = frozenset({"integer", "number", "year", "boolean", "date", "datetime"})
#: Rows turned into Python text at a time when writing from Arrow: bounded memory, whatever
#: the table's size (a million rows x 9 cells as Python strings would be about 700 MB).
_WRITE_BATCH_ROWS = 50_000
#: A cell that may need its prefix starts with one of these (RE2: no escapes beyond these).
_TRIGGER_START = "^[" + "".join("\\" + c if c in "-\\^]" else c
                                for c in FORMULA_TRIGGERS) + "]"


@dataclass(frozen=True)
class PublicCopy:
    """The public CSV's bytes, how many data cells in it were neutralised, and whether the
    source's own bytes are the text read (UTF-8, nothing cut at a limit)."""

    data: bytes
    neutralised: int
    verbatim: bool = True
    #: The published cells (header = column names; "" where the source had none), when the
    #: copy was made from the validation stage's table; None when read from the file.
    cells: pa.Table | None = None


def public_copy_bytes(source: Path, *, drop: Sequence[str],
                      schema: dict[str, Any] | None = None, encoding: str | None = None) -> bytes:
    """The CSV text of ``source`` without the ``drop`` columns, UTF-8 encoded."""
    return public_copy(source, drop=drop, schema=schema, encoding=encoding).data


def public_copy(source: Path, *, drop: Sequence[str], schema: dict[str, Any] | None = None,
                encoding: str | None = None) -> PublicCopy:
    """The public copy of ``source``: without the ``drop`` columns, formulas neutralised, UTF-8.

    ``schema`` (the Table Schema of ``source``) lets typed fields keep the values it reads;
    ``encoding`` is the CSV's declared encoding (None: detected as validation does).
    ``DataFileError`` when the file cannot be read.
    """
    fields = {field.get("name"): field for field in (schema or {}).get("fields", [])}
    table = read_csv_table(source, encoding=encoding)
    rows = iter(table.rows)
    header = next(rows, None)
    if header is None:
        raise ConfigError(f"{source} is empty; run the conversion (`senate-catalog ingest`)")
    missing = [name for name in drop if name not in header]
    if missing:
        raise ConfigError(f"{source} has no column(s) {missing} that the Table Schema marks "
                          "personalData; regenerate the CSV or fix the schema")
    keep = [i for i, name in enumerate(header) if name not in set(drop)]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([header[i] for i in keep])
    guards = [_cell_guard(fields.get(header[i])) for i in keep]
    neutralised = 0
    for row in rows:
        cells = [row[i] if i < len(row) else "" for i in keep]
        safe = [guard(cell) for guard, cell in zip(guards, cells)]
        if safe != cells:
            neutralised += sum(a != b for a, b in zip(cells, safe))
        writer.writerow(safe)
    return PublicCopy(data=out.getvalue().encode("utf-8"), neutralised=neutralised,
                      verbatim=table.verbatim)


def public_copy_of_table(raw: pa.Table, *, drop: Sequence[str],
                        schema: dict[str, Any] | None = None,
                        verbatim: bool = True) -> PublicCopy:
    """``public_copy`` of the file whose cells validation read: ``raw`` holds them as written,
    one string column per field (named as the header, which the caller has checked matches
    ``schema``: ``ValidatedTable.cells_for``), null where a short row lacks the cell.
    ``verbatim``: whether the file's own bytes are that text (``ValidatedTable.verbatim``).
    """
    fields = {field.get("name"): field for field in (schema or {}).get("fields", [])}
    missing = [name for name in drop if name not in raw.column_names]
    if missing:
        raise ConfigError(f"the table has no column(s) {missing} that the Table Schema marks "
                          "personalData; regenerate the CSV or fix the schema")
    keep = [name for name in raw.column_names if name not in set(drop)]
    columns, neutralised = [], 0
    for name in keep:
        column, changed = _guarded_column(raw.column(name), _cell_guard(fields.get(name)))
        columns.append(column)
        neutralised += changed
    cells = pa.table(columns, names=keep)
    return PublicCopy(data=_csv_bytes(cells), neutralised=neutralised, verbatim=verbatim,
                      cells=cells)


def _guarded_column(column: pa.ChunkedArray,
                    guard: Callable[[str], str]) -> tuple[pa.ChunkedArray, int]:
    """The column as published (null → "", each cell through ``guard``), and how many cells
    ``guard`` changed. Only the distinct cells starting with a trigger go through Python."""
    column = pc.fill_null(column, "")
    candidates = pc.unique(column.filter(pc.match_substring_regex(column, _TRIGGER_START)))
    changed = {text: safe for text in candidates.to_pylist()
               if (safe := guard(text)) != text}
    if not changed:
        return column, 0
    index = pc.index_in(column, value_set=pa.array(list(changed), type=column.type))
    replaced = pc.take(pa.array(list(changed.values()), type=column.type), index)
    count = len(column) - index.null_count
    return pc.if_else(pc.is_valid(index), replaced, column), count


def _csv_bytes(cells: pa.Table) -> bytes:
    """The cells as CSV, written as ``public_copy`` writes them (``csv.writer``, "\n")."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(cells.column_names)
    for rows in _python_rows(cells):
        writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def _python_rows(cells: pa.Table) -> Iterator[Iterator[tuple[str, ...]]]:
    for start in range(0, cells.num_rows, _WRITE_BATCH_ROWS):
        batch = cells.slice(start, _WRITE_BATCH_ROWS)
        yield zip(*(column.to_pylist() for column in batch.columns))


def _cell_guard(field: dict[str, Any] | None) -> Callable[[str], str]:
    """``neutralise``, or for a typed field: keep what the field reads as a finite value."""
    reads = _reader(field)
    if reads is None:
        return neutralise

    def guard(text: str) -> str:
        return TEXT_MARKER + text if needs_neutralising(text) and not reads(text) else text
    return guard


def _reader(field: dict[str, Any] | None) -> Callable[[str], bool] | None:
    if not field or field.get("type") not in _TYPED:
        return None
    try:
        typed = Field.from_descriptor(field)
    except FrictionlessException:
        return None  # an unusable field reads nothing: its cells go by the plain rule

    @lru_cache(maxsize=4096)  # a column repeats its values; only trigger cells get here
    def reads(text: str) -> bool:
        value, notes = typed.read_cell(text)
        if notes or value is None:
            return False
        # -INF is a number to the schema but a name to a spreadsheet: neutralise it
        return not isinstance(value, (float, Decimal)) or math.isfinite(value)
    return reads
