"""When a dataset's data were last updated and which years they cover, from the data themselves.

    last_updated_date: the newest date in the data's own date columns (Table Schema types date,
                       datetime, year; never personal data such as birthdates), skipping every
                       cell or row validation flagged (an impossible date, a future date, a BE
                       year in a CE column: waived findings too) and any date after ``today``;
                       else ``freshness.source_date`` declared in metadata/<id>.yaml (the day
                       the source published or last changed the data); else unknown.
                       Never ``source.snapshot_date``: the day the files were copied says
                       nothing of how current the data are.
    coverage:          the fiscal years of the rows when metadata declare
                       ``freshness.fiscal_year_field`` (or the one ``freshness.fiscal_year_be``
                       the whole dataset describes); else the years of the date columns.

Data that describe a fiscal year but have no date column (KPI evidence) take the declared
source date, not the end of the fiscal year: a plan with targets up to FY2570 was written years
before that year ends, and the end of a past year does not say when its figures were written.

The cells come from the validation stage's table when describe is given one (``cells``: as
written, the same text the file holds); else the CSV is read, as the validation stage reads it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Iterable, Iterator, Sequence

import pyarrow as pa

from flows.describe import derived
from flows.errors import ConfigError
from flows.validation.findings import Finding


#: Rows turned into Python text at a time when reading the validation stage's table.
_BATCH_ROWS = 50_000


@dataclass(frozen=True)
class DataDates:
    """``last_updated`` (ISO, or None when unknown) and ``coverage`` (first, last CE year)."""

    last_updated: str | None
    coverage: tuple[int, int] | None


def data_dates(csv_path: Path, table_schema: dict[str, Any], *, encoding: str | None,
               findings: Iterable[Finding], source_date: str | None,
               fiscal_year_field: str | None, today: date | None,
               fiscal_year_be: int | None = None, cells: pa.Table | None = None) -> DataDates:
    """The data's own last update and coverage (see the module docstring).

    ``cells``: the validation stage's cells as written, one column per field (the file's own
    columns: ``ValidatedTable.cells_for``); None reads ``csv_path`` in ``encoding``.
    """
    _check_fiscal_field(fiscal_year_field, table_schema)
    flagged = derived.flagged_cells(findings)
    fields = derived.temporal_fields(table_schema)
    if cells is None:
        dates = derived.read_dates(csv_path, fields, encoding=encoding, flagged=flagged,
                                   today=today)
        years = derived.read_fiscal_years(csv_path, fiscal_year_field, encoding=encoding,
                                          flagged=flagged)
    else:
        dates = derived.dates_in_records(
            table_records(cells, [f["name"] for f in fields]), fields, flagged=flagged,
            today=today) if fields else []
        years = derived.fiscal_years_in_records(
            table_records(cells, [fiscal_year_field]), fiscal_year_field,
            flagged=flagged) if fiscal_year_field else []
    years = years or ([fiscal_year_be] if fiscal_year_be else [])
    return DataDates(last_updated=derived.last_updated_date(dates, source_date=source_date),
                     coverage=derived.temporal_coverage(dates, fiscal_years_be=years))


def table_records(cells: pa.Table, names: Sequence[str]
                  ) -> Iterator[tuple[int, dict[str, str | None]]]:
    """The rows of ``cells`` as ``derived`` reads a CSV's: (row number, {name: cell}), only
    the ``names`` columns. Blank rows come too (all None): no date or year is read from them."""
    columns = cells.select(list(names))
    for start in range(0, columns.num_rows, _BATCH_ROWS):
        batch = columns.slice(start, _BATCH_ROWS).to_pylist()
        yield from enumerate(batch, start=start + 2)


def _check_fiscal_field(name: str | None, table_schema: dict[str, Any]) -> None:
    if name is None:
        return
    known = [f.get("name") for f in table_schema.get("fields", [])]
    if name not in known:
        raise ConfigError(f"freshness.fiscal_year_field: {name!r} is not a field of the Table "
                          f"Schema; write one of {', '.join(map(str, known))}")
