"""`senate-catalog new`'s inference on Thai edge cases, its no-overwrite rule and the TODO
refusal (flows.onboard)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
import yaml

from flows.errors import ConfigError
from flows.onboard.drafts import draft_dataset
from flows.onboard.profile import profile_column
from flows.onboard.schema_draft import primary_key_guess
from flows.onboard.todo import find_todos

TODAY = date(2026, 12, 5)
THAI = "๐๑๒๓๔๕๖๗๘๙"


def _thai(number: int) -> str:
    return "".join(THAI[int(c)] for c in str(number))


def _write(path: Path, lines: list[str], encoding: str = "utf-8") -> Path:
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    return path


def _draft(tmp_path: Path, lines: list[str], *, encoding: str = "utf-8", **options):
    source = _write(tmp_path / "input.csv", lines, encoding)
    drafted = draft_dataset(tmp_path / "project", "sample-data", source, today=TODAY, **options)
    root = tmp_path / "project"
    schema = json.loads((root / "schemas/sample-data.schema.json").read_text("utf-8"))
    fields = {field["name"]: field for field in schema["fields"]}
    return drafted, schema, fields, root


def _rows(count: int) -> list[str]:
    lines = ["รหัส,ชื่อเรื่อง,วันที่รับ,ปีงบประมาณ,สถานะ,จำนวน,อีเมลติดต่อ,หมายเหตุ"]
    for i in range(1, count + 1):
        lines.append(f"{i},เรื่องที่ {i},{i % 28 + 1:02d}/{i % 12 + 1:02d}/{2560 + i % 7},"
                     f"{2560 + i % 7},{['รับแล้ว', 'กำลังพิจารณา', 'เสร็จ'][i % 3]},{_thai(i * 3)},"
                     f"person{i}@example.com,{'ด่วน' if i % 5 == 0 else ''}")
    return lines


def test_buddhist_era_dates_are_declared_as_such(tmp_path) -> None:
    _, _, fields, _ = _draft(tmp_path, _rows(40))
    assert fields["วันที่รับ"]["type"] == "date"
    assert fields["วันที่รับ"]["calendar"] == "buddhist"
    year = fields["ปีงบประมาณ"]
    assert year["type"] == "integer" and year["constraints"]["minimum"] == 2400


def test_ce_dates_get_no_calendar_and_a_no_future_rule(tmp_path) -> None:
    lines = ["id,day"] + [f"{i},2024-01-{i:02d}" for i in range(1, 21)]
    _, _, fields, root = _draft(tmp_path, lines)
    assert fields["day"]["type"] == "date" and "calendar" not in fields["day"]
    suite = json.loads((root / "schemas/sample-data.expectations.json").read_text("utf-8"))
    rules = {(e["meta"]["rule"], e["kwargs"].get("column")) for e in suite["expectations"]}
    assert ("no-future-dates", "day") in rules


def test_thai_digits_are_declared_on_numbers(tmp_path) -> None:
    _, _, fields, _ = _draft(tmp_path, _rows(40))
    assert fields["จำนวน"]["type"] == "integer"
    assert fields["จำนวน"]["thaiDigits"] is True
    assert "thaiDigits" not in fields["รหัส"]


def test_cp874_is_read_as_thai_and_the_tidy_csv_is_utf8(tmp_path) -> None:
    drafted, _, fields, root = _draft(tmp_path, _rows(40), encoding="cp874")
    assert drafted.encoding == "cp874"
    assert "ชื่อเรื่อง" in fields   # not cp1257 mojibake
    tidy = (root / "datasets/sample-data/sample-data.csv").read_bytes().decode("utf-8")
    assert tidy.splitlines()[1].startswith("1,เรื่องที่ 1,")
    assert (root / "datasets/sample-data/raw/input.csv").read_bytes() == \
        (tmp_path / "input.csv").read_bytes()


def test_personal_data_is_guessed_from_values_and_from_names(tmp_path) -> None:
    lines = ["id,contact,เบอร์โทรศัพท์,note"] + [
        f"{i},ติดต่อ somchai{i}@example.com,-,ok" for i in range(1, 11)]
    _, _, fields, _ = _draft(tmp_path, lines)
    assert fields["contact"]["personalData"] is True          # the value holds an e-mail
    assert fields["เบอร์โทรศัพท์"]["personalData"] is True   # the name says phone
    assert "personalData" not in fields["note"]
    assert "enum" not in fields["contact"].get("constraints", {})


def test_key_guess_is_a_unique_complete_column(tmp_path) -> None:
    _, schema, _, _ = _draft(tmp_path, _rows(40))
    assert schema["primaryKey"] == ["รหัส"]
    with_gap = profile_column("code", ["A", "B", ""])
    repeated = profile_column("n", ["1", "1", "2"])
    assert primary_key_guess([with_gap, repeated]) is None


def test_low_cardinality_text_gets_an_enum_and_thai_headers_are_titles(tmp_path) -> None:
    _, _, fields, _ = _draft(tmp_path, _rows(40))
    assert fields["สถานะ"]["constraints"]["enum"] == sorted(["รับแล้ว", "กำลังพิจารณา", "เสร็จ"])
    assert "enum" not in fields["ชื่อเรื่อง"].get("constraints", {})
    assert fields["สถานะ"]["title"] == "สถานะ"
    assert fields["สถานะ"]["description_th"] == "TODO"


def test_leading_zero_codes_stay_text() -> None:
    assert profile_column("postcode", ["01000", "10200"]).kind == "string"


def test_existing_files_are_not_overwritten_without_force(tmp_path) -> None:
    _draft(tmp_path, _rows(10))
    metadata = tmp_path / "project/metadata/sample-data.yaml"
    metadata.write_text("id: sample-data\n# steward's work\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="metadata/sample-data.yaml.*--force"):
        draft_dataset(tmp_path / "project", "sample-data", tmp_path / "input.csv", today=TODAY)
    assert "steward's work" in metadata.read_text("utf-8")
    draft_dataset(tmp_path / "project", "sample-data", tmp_path / "input.csv", today=TODAY,
                  force=True)
    assert "steward's work" not in metadata.read_text("utf-8")


def test_metadata_draft_marks_decisions_and_takes_stakeholders(tmp_path) -> None:
    _, _, _, root = _draft(tmp_path, _rows(10), owner="meetings-owner",
                           steward="meetings-steward")
    metadata = yaml.safe_load((root / "metadata/sample-data.yaml").read_text("utf-8"))
    assert metadata["stakeholders"]["data_owner"] == "meetings-owner"
    assert metadata["stakeholders"]["data_custodian"] == "TODO"
    for name in ("data_category", "data_classification", "license_id", "objective", "notes"):
        assert metadata["dga"][name] == "TODO"
    assert "first_year_of_data" not in metadata["dga"]   # derived: never typed


def test_todo_refusal_names_each_todo(tmp_path) -> None:
    _, _, _, root = _draft(tmp_path, ["id,name", "1,ก", "2,ข"])
    todos = find_todos(root, "sample-data")
    assert "metadata/sample-data.yaml: dga.data_classification" in todos
    assert "schemas/sample-data.schema.json: fields[name].description_th" in todos
    metadata = root / "metadata/sample-data.yaml"
    metadata.write_text(metadata.read_text("utf-8").replace("data_classification: TODO",
                                                            "data_classification: เปิดเผย"),
                        encoding="utf-8")
    assert "metadata/sample-data.yaml: dga.data_classification" not in find_todos(
        root, "sample-data")


def test_a_finished_dataset_has_no_todo(tmp_path) -> None:
    from flows.settings import PROJECT_ROOT

    assert find_todos(PROJECT_ROOT, "senate-votes") == []


def test_cli_new_drafts_validates_and_prints_the_next_steps(tmp_path, monkeypatch) -> None:
    from click.testing import CliRunner

    from flows.cli import cli
    from flows.settings import PROJECT_ROOT

    root = tmp_path / "project"
    (root / "catalog_config").mkdir(parents=True)
    (root / "metadata").mkdir()
    (root / "catalog_config/organization.yaml").write_bytes(
        (PROJECT_ROOT / "catalog_config/organization.yaml").read_bytes())
    on_project = ["--project", str(root), "--out", str(tmp_path / "out")]
    source = _write(tmp_path / "bills.csv", _rows(20), "cp874")
    runner = CliRunner()
    result = runner.invoke(cli, ["new", "sample-data", "--from", str(source), *on_project,
                                 "--owner", "meetings-owner", "--steward", "nobody"])
    assert result.exit_code == 2 and "--steward 'nobody'" in result.output
    result = runner.invoke(cli, ["new", "sample-data", "--from", str(source), *on_project,
                                 "--owner", "meetings-owner"])
    assert "Traceback" not in result.output
    assert "metadata/sample-data.yaml" in result.output
    assert "บริกรข้อมูล" in result.output and "data steward decides next" in result.output
    assert (tmp_path / "out").exists()   # validate ran on the drafts
    again = runner.invoke(cli, ["new", "sample-data", "--from", str(source), *on_project])
    assert again.exit_code == 2 and "--force" in again.output


def test_excel_sheet_is_drafted_with_the_excel_reader_declared(tmp_path) -> None:
    import datetime as dt

    from openpyxl import Workbook

    from flows.datasets import load_dataset
    from flows.sources import build_dataset

    book = Workbook()
    sheet = book.active
    sheet.title = "ร่างกฎหมาย"
    sheet.append(["รหัส", "ชื่อเรื่อง", "วันที่รับ"])
    for i in range(1, 21):
        sheet.append([i, f"เรื่องที่ {i}", dt.date(2024, 1, i)])
    source = tmp_path / "bills.xlsx"
    book.save(source)
    root = tmp_path / "project"
    drafted = draft_dataset(root, "sample-data", source, sheet="ร่างกฎหมาย", today=TODAY)
    assert drafted.key == "รหัส"
    schema = json.loads((root / "schemas/sample-data.schema.json").read_text("utf-8"))
    fields = {field["name"]: field for field in schema["fields"]}
    assert fields["วันที่รับ"]["type"] == "date" and fields["รหัส"]["type"] == "integer"
    spec = load_dataset(root, "sample-data")
    assert spec.problem is None
    assert spec.source["reader"] == "excel" and spec.source["sheet"] == "ร่างกฎหมาย"
    frame, _ = build_dataset(spec)   # what `ingest` writes is what `new` drafted from
    tidy = (root / "datasets/sample-data/sample-data.csv").read_text("utf-8")
    from flows.sources import csv_text
    assert csv_text(frame) == tidy
