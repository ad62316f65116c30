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
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Iterable

from flows.describe import derived
from flows.errors import ConfigError
from flows.validation.findings import Finding


@dataclass(frozen=True)
class DataDates:
    """``last_updated`` (ISO, or None when unknown) and ``coverage`` (first, last CE year)."""

    last_updated: str | None
    coverage: tuple[int, int] | None


def data_dates(csv_path: Path, table_schema: dict[str, Any], *, encoding: str | None,
               findings: Iterable[Finding], source_date: str | None,
               fiscal_year_field: str | None, today: date | None,
               fiscal_year_be: int | None = None) -> DataDates:
    """The data's own last update and coverage (see the module docstring)."""
    _check_fiscal_field(fiscal_year_field, table_schema)
    flagged = derived.flagged_cells(findings)
    dates = derived.read_dates(csv_path, derived.temporal_fields(table_schema),
                               encoding=encoding, flagged=flagged, today=today)
    years = derived.read_fiscal_years(csv_path, fiscal_year_field, encoding=encoding,
                                      flagged=flagged) or ([fiscal_year_be] if fiscal_year_be else [])
    return DataDates(last_updated=derived.last_updated_date(dates, source_date=source_date),
                     coverage=derived.temporal_coverage(dates, fiscal_years_be=years))


def _check_fiscal_field(name: str | None, table_schema: dict[str, Any]) -> None:
    if name is None:
        return
    known = [f.get("name") for f in table_schema.get("fields", [])]
    if name not in known:
        raise ConfigError(f"freshness.fiscal_year_field: {name!r} is not a field of the Table "
                          f"Schema; write one of {', '.join(map(str, known))}")
