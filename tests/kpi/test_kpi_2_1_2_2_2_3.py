"""KPI 2.1, 2.2 and 2.3 evidence datasets: every value checked against the framework document.

The CSVs are curated by hand from ``datasets/kpi-register/raw/kpi-framework-fy2567.txt``; these
tests read that document (Thai digits converted to Arabic) and find each extracted value on the
lines the row cites, then validate the datasets with the project's own validation stage.
"""

from __future__ import annotations

import csv
import json
import re
import shutil
from datetime import date
from pathlib import Path

import pytest

from flows.datasets import load_dataset
from flows.describe.describe import describe_dataset
from flows.describe.stakeholders import load_organization_profile
from flows.settings import PROJECT_ROOT
from flows.validation.findings import Severity
from flows.validation.validate_and_report import run_validation
from flows.validation.thai_forms import thai_digits_to_arabic

DOCUMENT = PROJECT_ROOT / "datasets" / "kpi-register" / "raw" / "kpi-framework-fy2567.txt"
UNITS_CSV = PROJECT_ROOT / "datasets" / "senate-units" / "senate-units.csv"
SYSTEMS, INNOVATIONS, ITA = "kpi-2-1-legislative-systems", "kpi-2-2-innovations", "kpi-2-3-ita"
IDS = (SYSTEMS, INNOVATIONS, ITA)
#: The document's line ranges of each KPI section (1-based, inclusive).
SECTIONS = {SYSTEMS: (582, 633), INNOVATIONS: (634, 726), ITA: (727, 785)}
TODAY = date(2026, 11, 28)


def _lines() -> list[str]:
    """The document, Thai digits as Arabic, as a list indexed by line number (index 0 unused)."""
    text = thai_digits_to_arabic(DOCUMENT.read_text(encoding="utf-8"))
    return ["", *text.split("\n")]


LINES = _lines()


def _rows(dataset_id: str) -> list[dict[str, str]]:
    path = PROJECT_ROOT / "datasets" / dataset_id / f"{dataset_id}.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _cited(row: dict[str, str]) -> list[int]:
    return [int(number) for number in row["source_lines"].split(";")]


def _text(numbers: list[int]) -> str:
    return "\n".join(LINES[n] for n in numbers)


def _units() -> dict[str, dict[str, str]]:
    # The code list is ours, in the repository: missing is a failure (FileNotFoundError), never
    # a skip.
    with UNITS_CSV.open(encoding="utf-8", newline="") as handle:
        return {row["unit_code"]: row for row in csv.DictReader(handle)}


# -- every dataset ----------------------------------------------------------------------------

@pytest.mark.parametrize("dataset_id", IDS)
def test_cited_lines_lie_in_the_kpi_section(dataset_id):
    first, last = SECTIONS[dataset_id]
    for row in _rows(dataset_id):
        cited = _cited(row)
        assert cited == sorted(set(cited))
        assert all(first <= n <= last for n in cited), row


@pytest.mark.parametrize("dataset_id", IDS)
def test_csv_columns_are_the_schema_fields_and_hold_no_thai_digits(dataset_id):
    schema = json.loads((PROJECT_ROOT / "schemas" / f"{dataset_id}.schema.json").read_text("utf-8"))
    text = (PROJECT_ROOT / "datasets" / dataset_id / f"{dataset_id}.csv").read_text("utf-8")
    assert text.split("\n", 1)[0].split(",") == [f["name"] for f in schema["fields"]]
    assert thai_digits_to_arabic(text) == text and "\r" not in text and text.endswith("\n")


@pytest.mark.parametrize("dataset_id", IDS)
def test_unit_codes_and_names_match_senate_units(dataset_id):
    units = _units()
    pairs = [("owner_unit_code", "owner_unit_th"), ("linked_agency_code", "linked_agency_th"),
             ("agency_code", "agency_th")]
    for row in _rows(dataset_id):
        for code, name in pairs:
            if code in row:
                assert units[row[code]]["name_th"] == row[name], row
        for extra in ("owner_unit_code_2", "owner_unit_code_3"):
            assert row.get(extra, "") in ("", *units), row


@pytest.mark.parametrize("dataset_id", IDS)
def test_suite_name_mappings_agree_with_senate_units(dataset_id):
    units = _units()
    suite = json.loads((PROJECT_ROOT / "schemas" / f"{dataset_id}.expectations.json")
                       .read_text("utf-8"))
    mappings = [e["kwargs"]["mapping"] for e in suite["expectations"]
                if e["meta"]["rule"] == "unit-name-canonical"]
    assert mappings
    for mapping in mappings:
        assert {code: units[code]["name_th"] for code in mapping} == mapping


def test_validation_finds_nothing(tmp_path):
    reports = run_validation(PROJECT_ROOT, out_dir=tmp_path, today=TODAY, dataset_ids=IDS)
    assert {report.result.dataset: [f.message_en for f in report.result.findings]
            for report in reports} == {dataset_id: [] for dataset_id in IDS}


@pytest.mark.parametrize("dataset_id", IDS)
def test_metadata_describes_without_problems(dataset_id, tmp_path):
    reports = run_validation(PROJECT_ROOT, out_dir=tmp_path, today=TODAY,
                             dataset_ids=[dataset_id])
    profile = load_organization_profile(PROJECT_ROOT / "catalog_config" / "organization.yaml")
    described = describe_dataset(load_dataset(PROJECT_ROOT, dataset_id),
                                 result=reports[0].result, out_dir=tmp_path,
                                 organization=profile)
    assert described.fields["data_category"] == "ข้อมูลสาธารณะ"
    assert described.groups == ["performance"]
    assert described.personal_fields == []


# -- KPI 2.1 ------------------------------------------------------------------------------------

def test_kpi_2_1_three_systems_five_links_each():
    rows = _rows(SYSTEMS)
    assert len(rows) == 15
    assert sorted({(r["system_no"], r["system_th"]) for r in rows}) == [
        ("1", "ระบบการพิจารณาร่างกฎหมาย"), ("2", "ระบบญัตติ"), ("3", "ระบบกระทู้ถาม")]
    for number in "123":
        links = [(r["link_no"], r["link_scope"]) for r in rows if r["system_no"] == number]
        assert links == [("1", "internal"), ("2", "internal"), ("3", "internal"),
                         ("4", "external"), ("5", "external")]


def test_kpi_2_1_systems_are_the_documents():
    # Lines 603-605: "- 1) <system> โดยพัฒนาระบบ…"; 618-620: "- (1) <system>".
    for row in _rows(SYSTEMS):
        number, name = row["system_no"], row["system_th"]
        plan_line = 602 + int(number)
        assert LINES[plan_line].startswith(f"- {number}) {name} "), LINES[plan_line]
        assert plan_line in _cited(row)


def test_kpi_2_1_misspelt_motion_system_is_normalised():
    assert [n for n in (619, 626) if "ระบบยุติติ" in LINES[n]] == [619, 626]
    assert LINES[618].strip() == "- (1) ระบบการพิจารณาร่างกฎหมาย"
    assert LINES[620].strip() == "- (3) ระบบกระทู้ถาม"
    assert all("ยุติติ" not in value for row in _rows(SYSTEMS) for value in row.values())


def test_kpi_2_1_links_are_the_documents():
    internal_line, external_line = LINES[628], LINES[629]
    assert "ระบบสารสนเทศภายในสำนักงานฯ" in internal_line
    assert "หน่วยงานภายนอก จำนวน 2 หน่วยงาน" in external_line
    for row in _rows(SYSTEMS):
        if row["link_scope"] == "internal":
            assert row["linked_system_th"] in internal_line and 628 in _cited(row)
            assert row["linked_agency_code"] == "SEC"
        else:
            assert row["linked_system_th"] == "" and 629 in _cited(row)
            assert row["linked_agency_th"] in external_line
    internal = {r["linked_system_th"] for r in _rows(SYSTEMS) if r["link_scope"] == "internal"}
    assert internal_line.endswith(
        "ประกอบด้วย ระบบสารบรรณอิเล็กทรอนิกส์ ระบบสารสนเทศรัฐสภา และเว็บไซต์วุฒิสภา")
    assert internal == {"ระบบสารบรรณอิเล็กทรอนิกส์", "ระบบสารสนเทศรัฐสภา", "เว็บไซต์วุฒิสภา"}
    external = {r["linked_agency_code"] for r in _rows(SYSTEMS) if r["link_scope"] == "external"}
    assert external == {"HOR", "SOPM"}


def test_kpi_2_1_owner_is_the_main_host():
    assert LINES[588] == "เจ้าภาพหลัก\tสำนักเทคโนโลยีสารสนเทศและการสื่อสาร (ผู้รายงาน)"
    for row in _rows(SYSTEMS):
        assert (row["owner_unit_code"], row["owner_unit_th"]) == (
            "ICT", "สำนักเทคโนโลยีสารสนเทศและการสื่อสาร")
        assert 588 in _cited(row)


# -- KPI 2.2 ------------------------------------------------------------------------------------

def _innovation_table() -> list[list[str]]:
    """Lines 672-688 split on tabs: [number. name, type, owner]."""
    return [LINES[n].split("\t") for n in range(672, 689)]


def _owner_codes(text: str, units: dict[str, dict[str, str]]) -> list[str]:
    """The unit codes an owner cell names: a canonical name or alias, or 'name 1 2 3'."""
    def code(name: str) -> str:
        for unit_code, unit in units.items():
            if name == unit["name_th"] or name in unit["aliases"].split("|"):
                return unit_code
        raise AssertionError(f"no unit named {name!r}")
    joint = re.fullmatch(r"(\D+?) ([0-9](?: [0-9])+)", text)
    if joint:
        return [code(f"{joint[1]} {n}") for n in joint[2].split()]
    return [code(text)]


def test_kpi_2_2_exactly_17_innovations_of_2566():
    rows = _rows(INNOVATIONS)
    assert len(rows) == 17
    assert [r["innovation_no"] for r in rows] == [str(n) for n in range(1, 18)]
    assert {r["year_be"] for r in rows} == {"2566"}
    assert "ตารางรายชื่อนวัตกรรมสำนักงานเลขาธิการวุฒิสภา ประจำปีงบประมาณ พ.ศ. 2566" == LINES[669]
    assert LINES[671].split("\t") == ["ชื่อนวัตกรรม", "ประเภทนวัตกรรม", "ผู้รับผิดชอบ"]


def test_kpi_2_2_names_and_types_are_the_documents():
    section = _text(list(range(*SECTIONS[INNOVATIONS])))
    for row, cells in zip(_rows(INNOVATIONS), _innovation_table()):
        assert row["name_th"] in section
        assert cells[0] == f"{row['innovation_no']}. {row['name_th']}"
        assert cells[1] == row["innovation_type_th"]
        assert _cited(row) == [669, 671 + int(row["innovation_no"])]


def test_kpi_2_2_type_codes_follow_the_documents_definitions():
    definitions = _text(list(range(657, 664)))
    codes = {"การบริการ": "service", "การบริหาร/องค์การ": "administrative",
             "การบริการ / เชิงนโยบาย": "service-policy"}
    for row in _rows(INNOVATIONS):
        assert row["innovation_type"] == codes[row["innovation_type_th"]]
        for part in row["innovation_type_en"].split(" / "):
            assert f"({part})" in definitions
    counts = {code: sum(r["innovation_type"] == code for r in _rows(INNOVATIONS))
              for code in codes.values()}
    assert counts == {"service": 14, "administrative": 2, "service-policy": 1}


def test_kpi_2_2_owners_are_the_documents():
    units = _units()
    for row, cells in zip(_rows(INNOVATIONS), _innovation_table()):
        owners = [row[c] for c in ("owner_unit_code", "owner_unit_code_2", "owner_unit_code_3")]
        assert [c for c in owners if c] == _owner_codes(cells[2], units), cells
    joint = _rows(INNOVATIONS)[12]
    assert _innovation_table()[12][2] == "สำนักกรรมการ 1 2 3"
    assert (joint["owner_unit_code"], joint["owner_unit_code_2"], joint["owner_unit_code_3"],
            joint["owner_unit_th"]) == ("COM1", "COM2", "COM3", "สำนักกรรมาธิการ 1")


# -- KPI 2.3 ------------------------------------------------------------------------------------

def test_kpi_2_3_scores_are_the_documents():
    rows = {r["agency_code"]: r for r in _rows(ITA)}
    assert sorted(rows) == ["HOR", "SEC"]
    assert (rows["HOR"]["score"], rows["SEC"]["score"]) == ("95.13", "97.43")
    line = LINES[764]
    assert "ในปีงบประมาณ พ.ศ. 2566" in line
    for row in rows.values():
        assert row["year_be"] == "2566"
        found = re.search(rf"{row['agency_th']} มีผลการประเมิน ITA ร้อยละ ([0-9.]+)", line)
        assert found and float(found[1]) == float(row["score"]), row
        assert 764 in _cited(row)


def test_kpi_2_3_target_is_the_documents():
    assert "ในปีงบประมาณ พ.ศ. 2567 กำหนดเป้าหมาย" in LINES[766]
    targets = [float(m) for n in (769, 778)
               for m in re.findall(r"ผลการประเมิน ITA ไม่ต่ำกว่าร้อยละ ([0-9.]+)", LINES[n])]
    assert targets == [95.0, 95.0]
    for row in _rows(ITA):
        assert float(row["target_min"]) == 95.0 and row["target_year_be"] == "2567"
        assert {766, 769, 778} <= set(_cited(row))


def test_kpi_2_3_meets_target_is_score_against_target():
    for row in _rows(ITA):
        expected = float(row["score"]) >= float(row["target_min"])
        assert row["meets_target"] == ("true" if expected else "false")
        assert 0 <= float(row["score"]) <= 100


# -- the quality rules bite ---------------------------------------------------------------------

def _copy_project(tmp_path: Path) -> Path:
    """A minimal project with the three datasets and senate-units, to validate edited copies."""
    for dataset_id in (*IDS, "senate-units"):
        for relative in (f"metadata/{dataset_id}.yaml", f"schemas/{dataset_id}.schema.json",
                         f"schemas/{dataset_id}.expectations.json",
                         f"datasets/{dataset_id}/{dataset_id}.csv"):
            source = PROJECT_ROOT / relative
            if source.exists():
                (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy(source, tmp_path / relative)
    return tmp_path


def _edit(root: Path, dataset_id: str, old: str, new: str) -> None:
    path = root / "datasets" / dataset_id / f"{dataset_id}.csv"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _findings(root: Path, dataset_id: str) -> list[tuple[str, Severity, str | None, int | None]]:
    """Every finding of the dataset, as (rule, severity, field, row), sorted."""
    report, = run_validation(root, out_dir=root / "out", today=TODAY, dataset_ids=[dataset_id])
    return sorted((f.rule, f.severity, f.field, f.row) for f in report.result.findings)


def _errors(*cells: tuple[str, str | None, int | None]) -> list[tuple]:
    return sorted((rule, Severity.ERROR, field, row) for rule, field, row in cells)


@pytest.mark.parametrize("dataset_id, old, new, expected", [
    (ITA, "97.43,95.00,2567,true", "93.43,95.00,2567,true",
     [("expectations/meets-target-consistent", "meets_target", 3)]),
    (ITA, "95.13,95.00,2567,true", "95.13,95.00,2567,false",
     [("expectations/meets-target-consistent", "meets_target", 2)]),
    # the schema's maximum and the suite's range both catch it: one cell gives one finding, the
    # schema's (flows/validation/one_per_cell.py)
    (ITA, "97.43", "197.43", [("schema/constraint-error", "score", 3)]),
    (ITA, "SEC,สำนักงานเลขาธิการวุฒิสภา", "SEC,สำนักงานเลขาธิการสภาผู้แทนราษฎร",
     [("expectations/unit-name-canonical", "agency_th", 3)]),
    (INNOVATIONS, "\n2566,17,", "\n2565,17,", [("expectations/fiscal-year", "year_be", 18)]),
    # the code list and the suite both catch the wrong name: one finding per cell, the code
    # list's (flows/validation/one_per_cell.py)
    (INNOVATIONS, "COM1,สำนักกรรมาธิการ 1", "COM1,สำนักกรรมการ 1",
     [("code-list/unknown-value", "owner_unit_th", 14)]),
    # an unknown code: no such unit (foreign key), so its name is not that unit's either
    (INNOVATIONS, "ADM,สำนักบริหารงานกลาง", "XADM,สำนักบริหารงานกลาง",
     [("schema/foreign-key", "owner_unit_code", 2),
      ("expectations/unit-name-canonical", "owner_unit_th", 2)]),
    # the type code disagrees with both labels of the row
    (INNOVATIONS, ",service,การบริการ,", ",administrative,การบริการ,",
     [("expectations/innovation-type-label", "innovation_type", 2),
      ("expectations/innovation-type-label", "innovation_type_en", 2)]),
    (SYSTEMS, "2,ระบบญัตติ", "2,ระบบยุติติ", [("schema/constraint-error", "system_th", 7)]),
    (SYSTEMS, ",1,internal,ระบบสารบรรณอิเล็กทรอนิกส์,", ",1,internal,,",
     [("expectations/internal-link-names-system", "linked_system_th", 2)]),
    (SYSTEMS, ",5,external,,SOPM,สำนักเลขาธิการนายกรัฐมนตรี,",
     ",5,external,,SEC,สำนักงานเลขาธิการวุฒิสภา,",
     [("expectations/external-link-agency", "linked_agency_code", 6)]),
    (INNOVATIONS, ",COM2,COM3,", ",,COM3,",
     [("expectations/joint-owner-order", "owner_unit_code_3", 14)]),
    # an external link relabelled internal: wrong scope, and as an internal link it now lacks
    # the system's name and names an outside agency
    (SYSTEMS, "\n3,ระบบกระทู้ถาม,Parliamentary questions system,5,external,",
     "\n3,ระบบกระทู้ถาม,Parliamentary questions system,5,internal,",
     [("expectations/link-scope", "link_scope", 16),
      ("expectations/internal-link-agency", "linked_agency_code", 16),
      ("expectations/internal-link-names-system", "linked_system_th", 16)]),
])
@pytest.mark.slow  # 13 edited copies validated: ~2.5 s
def test_quality_rules_catch_a_wrong_value(tmp_path, dataset_id, old, new, expected):
    root = _copy_project(tmp_path)
    _edit(root, dataset_id, old, new)
    assert _findings(root, dataset_id) == _errors(*expected)


def test_row_count_rule_catches_a_missing_innovation(tmp_path):
    root = _copy_project(tmp_path)
    path = root / "datasets" / INNOVATIONS / f"{INNOVATIONS}.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(lines[:-1]), encoding="utf-8")
    assert _findings(root, INNOVATIONS) == _errors(("expectations/row-count", None, None))
