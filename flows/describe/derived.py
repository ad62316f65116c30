"""DGA fields computed from the data and its declarations, never typed by hand.

Pure functions: each takes plain values or a file path and returns a value, so each is tested
alone. ``flows.describe.describe`` puts them together.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from pathlib import Path
from typing import Any, Collection, Iterable, Iterator, Mapping, Sequence

from flows.csv_source import read_csv_table
from flows.dataset_ids import check_dataset_id
from flows.describe.scheming import rules
from flows.validation.findings import Finding

BUDDHIST_ERA_OFFSET = 543
#: Data rows as (spreadsheet row number, {header label: cell or None}).
Records = Iterable[tuple[int, Mapping[str, "str | None"]]]
_DATE_TYPES = ("date", "datetime", "year")
#: Resource file formats → the DGA ``data_format`` choice that names them.
_FORMAT_CHOICES = {"CSV": "CSV", "JSON": "JSON", "HTML": "HTML", "XML": "XML", "PDF": "PDF",
                   "XLS": "XLS", "XLSX": "XLS", "DOC": "DOC/DOCX", "DOCX": "DOC/DOCX",
                   "TXT": "Text", "RDF": "RDF", "TTL": "RDF", "JSONLD": "RDF"}


def dataset_slug(dataset_id: str) -> str:
    """The CKAN ``name``: the dataset id itself, once checked (flows.dataset_ids: lower-case
    a-z, 0-9, ``-``, ``_``, at most 70 characters), so two ids never name one CKAN dataset."""
    return check_dataset_id(dataset_id, source="the dataset's id")


def personal_fields(table_schema: dict[str, Any]) -> list[str]:
    """The Table Schema fields marked ``personalData: true``, in schema order."""
    return [f["name"] for f in table_schema.get("fields", []) if f.get("personalData") is True]


def temporal_fields(table_schema: dict[str, Any]) -> list[dict[str, Any]]:
    """The date, datetime and year fields that are not personal data (birthdates never
    describe when the data are about)."""
    return [f for f in table_schema.get("fields", [])
            if f.get("type") in _DATE_TYPES and f.get("personalData") is not True]


def read_dates(csv_path: Path, fields: Sequence[dict[str, Any]], *,
               encoding: str | None = None, flagged: Collection[tuple[int, str | None]] = (),
               today: date | None = None) -> list[date]:
    """Every parseable date in the given columns of a CSV (CE; Buddhist-Era columns,
    ``calendar: buddhist``, are converted), except the cells validation flagged and, when
    ``today`` is given, dates after it (data cannot have been updated in the future).

    ``flagged``: (row, field) of every finding on a cell, (row, None) of a finding on a whole
    row (``flagged_cells``); rows are spreadsheet rows (header = 1). ``encoding``: the CSV's
    declared one (None: detected as validation does, through the same reader). Unparseable
    cells are validation's business; a file that cannot be read is ``DataFileError``."""
    if not fields:
        return []
    return dates_in_records(_numbered_records(csv_path, encoding=encoding), fields,
                            flagged=flagged, today=today)


def dates_in_records(records: Records, fields: Sequence[dict[str, Any]], *,
                     flagged: Collection[tuple[int, str | None]] = (),
                     today: date | None = None) -> list[date]:
    """``read_dates`` over rows already read (e.g. the validation stage's table)."""
    skip = set(flagged)
    found: list[date] = []
    for number, row in records:
        if (number, None) in skip:
            continue
        found += [d for f in fields if (number, f["name"]) not in skip
                  for d in [_parse_date(row.get(f["name"]), f)]
                  if d and (today is None or d <= today)]
    return found


def flagged_cells(findings: Iterable[Finding]) -> set[tuple[int, str | None]]:
    """(row, field) of every finding on a cell, (row, None) of every finding on a whole row,
    waived ones included: a waived impossible date is still not the data's last update."""
    return {(f.row, f.field) for f in findings if f.row is not None}


def read_fiscal_years(csv_path: Path, field: str | None, *, encoding: str | None = None,
                      flagged: Collection[tuple[int, str | None]] = ()) -> list[int]:
    """The Buddhist-Era fiscal years (e.g. 2567) in the declared fiscal-year column, except the
    cells validation flagged: the years the data describe, whatever day they were reported."""
    if not field:
        return []
    return fiscal_years_in_records(_numbered_records(csv_path, encoding=encoding), field,
                                   flagged=flagged)


def fiscal_years_in_records(records: Records, field: str, *,
                            flagged: Collection[tuple[int, str | None]] = ()) -> list[int]:
    """``read_fiscal_years`` over rows already read (e.g. the validation stage's table)."""
    skip = set(flagged)
    years = []
    for number, row in records:
        text = (row.get(field) or "").strip()
        if text.isdigit() and (number, None) not in skip and (number, field) not in skip:
            years.append(int(text))
    return years


def last_updated_date(dates: Iterable[date], *, source_date: str | None) -> str | None:
    """The newest date of the data's own (non-personal, unflagged) date columns; else the
    source's declared date (``freshness.source_date``: when the source published or last
    changed the data); else None. Never the day the files were copied. ISO text."""
    newest = max(dates, default=None)
    return newest.isoformat() if newest else source_date


def temporal_coverage(dates: Iterable[date], *,
                      fiscal_years_be: Iterable[int] = ()) -> tuple[int, int] | None:
    """First and last year (CE) the data cover, or None when they have no date column.

    Data with a declared fiscal-year column cover the fiscal years of their rows (a FY2567
    scorecard reported in 2026 covers 2567, not 2569): those years, CE, take precedence."""
    years = [year - BUDDHIST_ERA_OFFSET for year in fiscal_years_be] or [d.year for d in dates]
    return (min(years), max(years)) if years else None


def buddhist_era_year(year: int) -> int:
    """CE → BE: the DGA fields first/last_year_of_data are written in พ.ศ. (e.g. 2563)."""
    return year + BUDDHIST_ERA_OFFSET


def file_digest(path: Path) -> tuple[str, int]:
    """(sha256 hex digest, size in bytes) of a file, read in chunks."""
    digest, size = hashlib.sha256(), 0
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def data_format(formats: Iterable[str], *, choices: Sequence[str]) -> tuple[list[str], str]:
    """The DGA ``data_format`` values for the resource formats, in the schema's choice order,
    and the ``data_format_other`` text naming formats the list lacks ("" when none)."""
    wanted = {_FORMAT_CHOICES.get(f.upper(), f.upper()) for f in formats if f}
    unknown = sorted(v for v in wanted if v not in choices)
    values = [c for c in choices if c in wanted]
    if unknown:
        values.append(rules.other_choice_in(choices) or "อื่นๆ")
    return values, ", ".join(unknown)


def _numbered_records(csv_path: Path, *, encoding: str | None
                      ) -> Iterator[tuple[int, dict[str, str | None]]]:
    """The data rows with their spreadsheet row number (header = 1, blank lines counted, as
    validation numbers them)."""
    rows = read_csv_table(csv_path, encoding=encoding).rows
    if not rows:
        return
    header = rows[0]
    for index, row in enumerate(rows[1:]):
        if row:
            yield index + 2, {label: row[i] if i < len(row) else None
                              for i, label in enumerate(header)}


def _parse_date(text: str | None, field: dict[str, Any]) -> date | None:
    if not text:
        return None
    try:
        if field.get("type") == "year":
            parsed = date(int(text), 1, 1)
        else:
            parsed = datetime.fromisoformat(text.strip()).date()
    except ValueError:
        return None
    if field.get("calendar") == "buddhist":
        year = parsed.year - BUDDHIST_ERA_OFFSET
        # 29 February of a BE leap year need not exist in the CE year.
        parsed = date(year, parsed.month, min(parsed.day, 28 if parsed.month == 2 else 31)) \
            if (parsed.month, parsed.day) == (2, 29) else parsed.replace(year=year)
    return parsed
