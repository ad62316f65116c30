"""The excel reader: an .xlsx written here with openpyxl → header, rows, findings, tidy CSV."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import Workbook

from flows.datasets import load_dataset
from flows.errors import ConfigError
from flows.sources import SourceError, ingest_dataset
from flows.sources.excel import read_sheet
from flows.validation.findings import Severity


def _bills_workbook(path: Path, *, sheet: str = "ร่างกฎหมาย", title_rows: int = 0) -> Path:
    """A bills-like sheet: Thai text, Excel dates, whole and decimal numbers, a formula-free
    float that is whole, a boolean, trailing formatted-but-empty rows and columns."""
    workbook = Workbook()
    worksheet = workbook.active
    worksheet.title = sheet
    workbook.create_sheet("หมายเหตุ")["A1"] = "not the data"
    for number in range(title_rows):
        worksheet.append([f"รายงานร่างกฎหมาย ชุดที่ {number + 1}"])
    worksheet.append(["Law_ID", "ชื่อร่าง", "วันที่เสนอ", "เวลาประชุม", "งบประมาณ", "ผ่าน"])
    worksheet.append([393, "ร่างพระราชบัญญัติการศึกษาแห่งชาติ", dt.date(2024, 1, 15),
                      dt.datetime(2024, 1, 15, 9, 30), 1500000.0, True])
    worksheet.append([394, "  ร่าง พ.ร.บ. ภาษี  ", dt.datetime(2023, 12, 31),
                      None, 12.75, False])
    worksheet.append([395, None, None, None, None, None])
    header_row = title_rows + 1
    for row in range(header_row + 1, header_row + 4):
        worksheet.cell(row=row, column=3).number_format = "yyyy-mm-dd"
    worksheet.cell(row=header_row + 1, column=4).number_format = "yyyy-mm-dd hh:mm"
    worksheet.cell(row=header_row + 10, column=9).number_format = "0.00"  # formatting only
    workbook.save(path)
    return path


def test_read_sheet_keeps_dates_thai_text_and_whole_numbers(tmp_path):
    header, rows, findings = read_sheet(_bills_workbook(tmp_path / "bills.xlsx"))
    assert header == ["Law_ID", "ชื่อร่าง", "วันที่เสนอ", "เวลาประชุม", "งบประมาณ", "ผ่าน"]
    assert rows == [
        ["393", "ร่างพระราชบัญญัติการศึกษาแห่งชาติ", "2024-01-15", "2024-01-15T09:30:00",
         "1500000", "true"],
        ["394", "  ร่าง พ.ร.บ. ภาษี  ", "2023-12-31", None, "12.75", "false"],
        ["395", None, None, None, None, None],
    ]
    assert findings == []


def test_read_sheet_by_name_below_title_rows(tmp_path):
    path = _bills_workbook(tmp_path / "bills.xlsx", sheet="ชีต 2567", title_rows=2)
    header, rows, findings = read_sheet(path, sheet="ชีต 2567", header_row=3)
    assert header[0] == "Law_ID" and [row[0] for row in rows] == ["393", "394", "395"]
    assert findings == []


def test_missing_sheet_names_the_sheets_there_are(tmp_path):
    path = _bills_workbook(tmp_path / "bills.xlsx")
    with pytest.raises(SourceError, match="no sheet 'Sheet9'; its sheets are 'ร่างกฎหมาย', "
                                          "'หมายเหตุ'"):
        read_sheet(path, sheet="Sheet9")


def test_empty_header_row_says_to_set_header_row(tmp_path):
    path = _bills_workbook(tmp_path / "bills.xlsx", title_rows=1)
    with pytest.raises(SourceError, match="row 9 of sheet .* is empty: set header_row"):
        read_sheet(path, header_row=9)


def test_not_a_workbook_says_to_save_as_xlsx(tmp_path):
    path = tmp_path / "bills.xlsx"
    path.write_text("Law_ID,name\n1,a\n", encoding="utf-8")
    with pytest.raises(SourceError, match="not a readable .xlsx workbook.*save it as"):
        read_sheet(path)


@pytest.mark.parametrize("header_row", [0, -1, "1", True])
def test_header_row_must_be_a_row_number(tmp_path, header_row):
    with pytest.raises(ConfigError, match="must be a row number"):
        read_sheet(_bills_workbook(tmp_path / "bills.xlsx"), header_row=header_row)


def _bad_header_workbook(path: Path) -> Path:
    """A merged header over B1:C1, an empty header cell E1 with data under it, a repeated name,
    and merged data cells A3:A4."""
    workbook = Workbook()
    worksheet = workbook.active
    worksheet.title = "Data"
    worksheet.append(["รหัส", "ผู้เสนอ", None, "ผู้เสนอ", None])
    worksheet.append(["1", "สมชาย", "ใจดี", "ครม.", "หมายเหตุ"])
    worksheet.append(["2", "สมหญิง", "รักไทย", "ส.ส.", None])
    worksheet.append([None, "มานะ", "ตั้งใจ", "ส.ว.", None])
    worksheet.merge_cells("B1:C1")
    worksheet.merge_cells("A3:A4")
    workbook.save(path)
    return path


def test_bad_header_cells_each_give_one_finding_naming_the_cell(tmp_path):
    header, rows, findings = read_sheet(_bad_header_workbook(tmp_path / "bad.xlsx"))
    # no data is lost: every column keeps a (placeholder) name
    assert header == ["รหัส", "ผู้เสนอ", "column_C", "ผู้เสนอ_D", "column_E"]
    assert rows[0] == ["1", "สมชาย", "ใจดี", "ครม.", "หมายเหตุ"]
    found = {(f.rule, f.value): f for f in findings}
    assert set(found) == {("source/excel-merged-header", "B1:C1"),
                          ("source/excel-empty-header", "E1"),
                          ("source/excel-duplicate-header", "D1"),
                          ("source/excel-merged-cells", "A3:A4")}
    merged = found[("source/excel-merged-header", "B1:C1")]
    assert merged.severity is Severity.ERROR
    assert "unmerge B1:C1" in merged.hint_en and "B1:C1" in merged.message_th
    empty = found[("source/excel-empty-header", "E1")]
    assert empty.severity is Severity.ERROR and empty.field == "column_E"
    assert "type the column's name in cell E1" in empty.hint_en
    assert "E1" in empty.hint_th
    duplicate = found[("source/excel-duplicate-header", "D1")]
    assert "repeats the name 'ผู้เสนอ'" in duplicate.message_en
    data = found[("source/excel-merged-cells", "A3:A4")]
    assert data.severity is Severity.WARNING and data.row == 3  # the CSV's row of A3


def _write_metadata(root: Path, dataset_id: str, source: str) -> None:
    (root / "metadata").mkdir(parents=True, exist_ok=True)
    (root / "metadata" / f"{dataset_id}.yaml").write_text(
        f"id: {dataset_id}\nsource:\n{source}", encoding="utf-8")


def test_ingest_writes_the_tidy_utf8_csv_from_the_declared_sheet(tmp_path):
    raw = tmp_path / "datasets" / "thai-bills" / "raw"
    raw.mkdir(parents=True)
    _bills_workbook(raw / "bills.xlsx", sheet="ร่างกฎหมาย", title_rows=1)
    _write_metadata(tmp_path, "thai-bills",
                    "  reader: excel\n  files: [raw/bills.xlsx]\n"
                    "  sheet: ร่างกฎหมาย\n  header_row: 2\n")
    spec = load_dataset(tmp_path, "thai-bills")
    assert spec.problem is None
    assert ingest_dataset(spec) == []
    assert spec.csv_path.read_bytes() == (
        "Law_ID,ชื่อร่าง,วันที่เสนอ,เวลาประชุม,งบประมาณ,ผ่าน\n"
        "393,ร่างพระราชบัญญัติการศึกษาแห่งชาติ,2024-01-15,2024-01-15T09:30:00,1500000,true\n"
        "394,  ร่าง พ.ร.บ. ภาษี  ,2023-12-31,,12.75,false\n"
        "395,,,,,\n").encode("utf-8")


def test_ingest_returns_the_header_findings(tmp_path):
    raw = tmp_path / "datasets" / "bad-sheet" / "raw"
    raw.mkdir(parents=True)
    _bad_header_workbook(raw / "bad.xlsx")
    _write_metadata(tmp_path, "bad-sheet", "  reader: excel\n  files: [raw/bad.xlsx]\n")
    findings = ingest_dataset(load_dataset(tmp_path, "bad-sheet"))
    assert sorted(f.rule for f in findings) == [
        "source/excel-duplicate-header", "source/excel-empty-header",
        "source/excel-merged-cells", "source/excel-merged-header"]
    assert (tmp_path / "datasets" / "bad-sheet" / "bad-sheet.csv").read_text(
        encoding="utf-8").splitlines()[0] == "รหัส,ผู้เสนอ,column_C,ผู้เสนอ_D,column_E"


@pytest.mark.parametrize("source, problem", [
    ("  reader: excel\n  files: [raw/a.xlsx]\n  header_row: 0\n", "source.header_row: 0 is not"),
    ("  reader: excel\n  files: [raw/a.xlsx]\n  sheet: [a]\n", "source.sheet: ['a'] is not"),
])
def test_malformed_sheet_options_are_a_metadata_problem(tmp_path, source, problem):
    _write_metadata(tmp_path, "thai-bills", source)
    spec = load_dataset(tmp_path, "thai-bills")
    assert spec.problem is not None and problem in spec.problem.message_en
