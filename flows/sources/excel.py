"""Read one sheet of an Excel workbook (.xlsx) as a header and rows of CSV cell text.

Stewards keep their tables in Excel; this reader turns a sheet into what the tidy CSV holds, so
nobody has to "save as CSV UTF-8" by hand. A dataset declares it in ``metadata/<id>.yaml``::

    source:
      reader: excel
      files: [raw/bills.xlsx]
      sheet: ร่างกฎหมาย        # optional: the workbook's first sheet when left out
      header_row: 1            # optional: the row holding the column names (title rows above it)

What it keeps and why:
- Cells typed as Excel dates stay dates: ISO ``YYYY-MM-DD`` (``YYYY-MM-DDTHH:MM:SS`` when the
  cell's format shows a time), so a date never turns into a serial number such as ``45292``.
- Whole numbers are written without ``.0`` (Excel stores every number as a float), so an id
  column stays ``393`` and not ``393.0``; other numbers are written with the shortest text that
  reads back as the same float.
- Text is kept as typed (Thai included); Thai is NFC-normalised by ``tidy_frame`` like every reader.
- Formulas are read as the value Excel last computed and saved (a workbook written by a program
  that never computed them has none: those cells are empty).

Header problems (a merged, empty or repeated column name) are findings naming the cell, never a
silent rename: the column gets a placeholder name so no data is lost, and the steward fixes the
sheet. Trailing empty rows and columns (Excel's formatting often leaves them) are not data and
are left out; empty rows between data rows are kept for validation to report.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path
from typing import Any, Sequence

import pandas as pd
from openpyxl import load_workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles.numbers import is_datetime
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.worksheet import Worksheet

from flows.errors import ConfigError
from flows.sources.cells import tidy_frame
from flows.sources.raw_yaml import SourceError, one_file
from flows.validation.findings import Finding, Severity

__all__ = ["read_excel_source", "read_sheet"]

Cells = list[str | None]


def read_sheet(path: Path, sheet: str | None = None,
               header_row: int = 1) -> tuple[list[str], list[Cells], list[Finding]]:
    """The sheet's column names, its data rows as CSV cell text (None = empty), and findings.

    ``sheet`` is a sheet name (the first sheet when None); ``header_row`` is the 1-based row
    holding the column names: rows above it (titles, notes) are skipped, rows below are data.
    Raises ``SourceError`` saying what to fix when the file is not a readable .xlsx or the sheet
    or header row does not exist.
    """
    if not isinstance(header_row, int) or isinstance(header_row, bool) or header_row < 1:
        raise ConfigError(f"header_row {header_row!r} must be a row number (1 or more): the "
                          "row of the sheet that holds the column names")
    worksheet = _worksheet(path, sheet)
    grid = [list(row) for row in worksheet.iter_rows(min_row=header_row)]
    if not grid or all(cell.value is None for cell in grid[0]):
        raise SourceError(f"{path}: row {header_row} of sheet {worksheet.title!r} is empty: set "
                          "header_row (source.header_row in metadata/<id>.yaml, or --header-row) "
                          "to the row that holds the column names")
    width = _used_width(grid)
    header_cells = grid[0][:width]
    data = [[to_excel_text(cell) for cell in row[:width]] for row in grid[1:]]
    while data and all(value is None for value in data[-1]):
        data.pop()
    findings = _merged_findings(worksheet, header_row=header_row, width=width)
    header, header_findings = _header(header_cells, sheet=worksheet.title,
                                      merged=_merged_away(worksheet, header_row))
    return header, data, findings + header_findings


def read_excel_source(files: Sequence[Path], *, encoding: str, sheet: str | None = None,
                      header_row: int = 1) -> tuple[pd.DataFrame, list[Finding]]:
    """The ``excel`` reader: one .xlsx file → the tidy frame, columns in the sheet's order.

    ``encoding`` is ignored: an .xlsx file stores its text as UTF-8 XML whatever the locale.
    """
    del encoding
    path = one_file(files, reader="excel")
    header, rows, findings = read_sheet(path, sheet=sheet, header_row=header_row)
    records = [dict(zip(header, row)) for row in rows]
    frame, tidy_findings = tidy_frame(records, header)
    return frame, findings + tidy_findings


def to_excel_text(cell: Cell) -> str | None:
    """The CSV text of one cell, as the steward sees it typed (see the module docstring)."""
    value: Any = cell.value
    if value is None or (isinstance(value, str) and value == ""):
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        if is_datetime(cell.number_format) in ("datetime", "time") or value.time() != dt.time():
            return value.isoformat(timespec="seconds")
        return value.date().isoformat()
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


def _worksheet(path: Path, sheet: str | None) -> Worksheet:
    if not path.is_file():
        raise SourceError(f"{path} does not exist: copy the workbook there, or correct "
                          "source.files in the dataset's metadata/<id>.yaml")
    try:
        # Not read-only: merged cell ranges are only known to a fully loaded sheet.
        workbook = load_workbook(path, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError) as exc:
        raise SourceError(f"{path} is not a readable .xlsx workbook ({exc}): open it in Excel "
                          "and save it as 'Excel Workbook (.xlsx)'") from exc
    if sheet is None:
        return workbook.worksheets[0]
    if sheet not in workbook.sheetnames:
        raise SourceError(f"{path} has no sheet {sheet!r}; its sheets are "
                          f"{', '.join(map(repr, workbook.sheetnames))}: correct the sheet name "
                          "(source.sheet in metadata/<id>.yaml, or --sheet)")
    return workbook[sheet]


def _used_width(grid: list[list[Cell]]) -> int:
    """Columns up to the last one holding a header or any value (formatting alone is not data)."""
    width = 0
    for row in grid:
        for index, cell in enumerate(row, start=1):
            if index > width and cell.value not in (None, ""):
                width = index
    return width


def _merged_away(worksheet: Worksheet, header_row: int) -> set[str]:
    """Header cells emptied by a merge (all but each range's first): the merge finding covers
    them, so they get no second "empty header" finding."""
    return {f"{get_column_letter(column)}{header_row}"
            for merged in worksheet.merged_cells.ranges
            if merged.min_row <= header_row <= merged.max_row
            for column in range(merged.min_col, merged.max_col + 1)
            if (merged.min_row, column) != (header_row, merged.min_col)}


def _header(cells: list[Cell], *, sheet: str,
            merged: set[str]) -> tuple[list[str], list[Finding]]:
    """Column names (NFC is tidy_frame's job) with a finding per empty or repeated name."""
    names: list[str] = []
    findings: list[Finding] = []
    seen: set[str] = set()
    for cell in cells:
        letter = get_column_letter(cell.column)
        name = (to_excel_text(cell) or "").strip()
        if not name:
            name = f"column_{letter}"
            if cell.coordinate not in merged:  # a merge is reported once, as its range
                findings.append(_header_finding(
                    "source/excel-empty-header", cell, name,
                    en=f"the header cell {cell.coordinate} of sheet {sheet!r} is empty",
                    th=f"เซลล์หัวตาราง {cell.coordinate} ของชีต {sheet!r} ว่าง",
                    hint_en=f"type the column's name in cell {cell.coordinate} (the CSV calls it "
                            f"{name} until then), or delete the column if it holds no data",
                    hint_th=f"พิมพ์ชื่อคอลัมน์ในเซลล์ {cell.coordinate} (ระหว่างนี้ CSV ใช้ชื่อ {name}) "
                            "หรือลบคอลัมน์ถ้าไม่มีข้อมูล"))
        elif name in seen:
            findings.append(_header_finding(
                "source/excel-duplicate-header", cell, f"{name}_{letter}",
                en=f"the header cell {cell.coordinate} of sheet {sheet!r} repeats the name {name!r}",
                th=f"เซลล์หัวตาราง {cell.coordinate} ของชีต {sheet!r} ใช้ชื่อ {name!r} ซ้ำ",
                hint_en=f"give the column in cell {cell.coordinate} its own name (the CSV calls "
                        f"it {name}_{letter} until then)",
                hint_th=f"ตั้งชื่อคอลัมน์ในเซลล์ {cell.coordinate} ไม่ให้ซ้ำ "
                        f"(ระหว่างนี้ CSV ใช้ชื่อ {name}_{letter})"))
            name = f"{name}_{letter}"
        seen.add(name)
        names.append(name)
    return names, findings


def _header_finding(rule: str, cell: Cell, field: str, *, en: str, th: str,
                    hint_en: str, hint_th: str) -> Finding:
    return Finding(rule=rule, severity=Severity.ERROR, message_th=th, message_en=en,
                   hint_th=hint_th, hint_en=hint_en, field=field, value=cell.coordinate)


def _merged_findings(worksheet: Worksheet, *, header_row: int, width: int) -> list[Finding]:
    """A finding per merged range touching the header (an error: a name covers several
    columns) or the data (a warning: only the range's first cell holds the value)."""
    findings: list[Finding] = []
    for merged in sorted(worksheet.merged_cells.ranges, key=lambda r: (r.min_row, r.min_col)):
        if merged.max_row < header_row or merged.min_col > width:
            continue
        where = f"{merged.coord} of sheet {worksheet.title!r}"
        if merged.min_row <= header_row:
            findings.append(Finding(
                rule="source/excel-merged-header", severity=Severity.ERROR,
                message_en=f"the header cells {where} are merged: one name covers several "
                           "columns or rows, so the other columns get placeholder names",
                message_th=f"เซลล์หัวตาราง {merged.coord} ของชีต {worksheet.title!r} ถูกผสาน "
                           "(merge) ชื่อเดียวครอบหลายคอลัมน์หรือหลายแถว",
                hint_en=f"unmerge {merged.coord} and type one name per column in row "
                        f"{header_row} (put titles above the header row and set header_row)",
                hint_th=f"ยกเลิกการผสานเซลล์ {merged.coord} แล้วพิมพ์ชื่อคอลัมน์ละหนึ่งชื่อในแถว "
                        f"{header_row} (ถ้ามีชื่อเรื่องให้ไว้เหนือแถวหัวตารางแล้วตั้งค่า header_row)",
                value=merged.coord))
        else:
            findings.append(Finding(
                rule="source/excel-merged-cells", severity=Severity.WARNING,
                message_en=f"the data cells {where} are merged: only the first cell holds the "
                           "value, the others are empty in the CSV",
                message_th=f"เซลล์ข้อมูล {merged.coord} ของชีต {worksheet.title!r} ถูกผสาน "
                           "มีค่าเฉพาะเซลล์แรก เซลล์อื่นจะว่างใน CSV",
                hint_en=f"unmerge {merged.coord} and fill the value into every row it applies to",
                hint_th=f"ยกเลิกการผสานเซลล์ {merged.coord} แล้วใส่ค่าให้ครบทุกแถวที่เกี่ยวข้อง",
                row=merged.min_row - header_row + 1, value=merged.coord))
    return findings
