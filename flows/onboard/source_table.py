"""The steward's table file read as header + rows, the way the validator reads it.

CSV goes through ``flows.csv_source`` (the project's encoding detection: UTF-8, else cp874 only
when the bytes read as real Thai; frictionless is never asked to guess, it would say cp1257).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from flows.csv_source import read_csv_table
from flows.errors import ConfigError, DataFileError

EXCEL_SUFFIXES = (".xlsx", ".xlsm")


@dataclass(frozen=True)
class SourceTable:
    """A table: its header, its data rows (cells as text, '' for empty) and the file's encoding."""

    path: Path
    header: list[str]
    rows: list[list[str]]
    encoding: str                 # "xlsx" for an Excel workbook
    sheet: str | None = None      # the Excel sheet read (None: the first)
    notes: tuple[str, ...] | list[str] = ()   # what the Excel reader found (merged headers ...)

    @property
    def excel(self) -> bool:
        return self.encoding == "xlsx"


def read_source_table(path: Path, *, sheet: str | None = None) -> SourceTable:
    """Read ``path`` (CSV in any encoding the validator accepts, or Excel with ``sheet``)."""
    if not path.is_file():
        raise ConfigError(f"{path}: no such file; give the table file with --from")
    if path.suffix.lower() in EXCEL_SUFFIXES:
        return _read_excel(path, sheet)
    if sheet is not None:
        raise ConfigError(f"--sheet {sheet!r} is only for Excel files; {path.name} is read as CSV")
    table = read_csv_table(path)
    rows = table.rows   # DataFileError (what to fix) when the file cannot be read
    if not rows or not any(cell.strip() for cell in rows[0]):
        raise DataFileError(f"{path}: no header row; the first line must name the columns")
    header = [cell.strip() for cell in rows[0]]
    width = len(header)
    body = [[*row[:width], *[""] * (width - len(row))] for row in rows[1:] if any(row)]
    return SourceTable(path=path, header=header, rows=body, encoding=table.source.encoding)


def _read_excel(path: Path, sheet: str | None) -> SourceTable:
    # The `excel` reader that `ingest` runs, so the tidy CSV drafted here is the one ingest
    # writes (Excel dates as ISO dates, whole numbers without ".0", Thai NFC).
    from flows.sources.excel import read_excel_source
    from flows.sources.raw_yaml import SourceError

    try:
        frame, findings = read_excel_source([path], encoding="utf-8", sheet=sheet)
    except SourceError as exc:
        raise DataFileError(str(exc)) from exc
    header = [str(name) for name in frame.columns]
    rows = [["" if cell is None or cell != cell else str(cell) for cell in row]
            for row in frame.itertuples(index=False, name=None)]
    notes = [finding.message_en for finding in findings]
    return SourceTable(path=path, header=header, rows=rows, encoding="xlsx", sheet=sheet,
                       notes=notes)
