"""The units code list (senate-units): every value checked against the FY2567 KPI framework.

The document is the committed copy ``datasets/kpi-register/raw/kpi-framework-fy2567.txt``, read
with Thai digits as Arabic digits; ``raw/PROVENANCE.md`` cites the lines of every name.
"""

from __future__ import annotations

import csv
import json
import re
from datetime import date
from pathlib import Path

import pytest

from flows.datasets import load_dataset
from flows.describe.declared import load_declared_metadata
from flows.describe.describe import describe_dataset
from flows.describe.scheming import load_schema_rules
from flows.describe.stakeholders import load_organization_profile
from flows.settings import PROJECT_ROOT
from flows.validation.code_lists import ALIAS_SEPARATOR
from flows.validation.validate_and_report import run_validation
from flows.validation.thai_forms import THAI_DIGITS, thai_digits_to_arabic

DATASET = "senate-units"
CSV_PATH = PROJECT_ROOT / "datasets" / DATASET / f"{DATASET}.csv"
PROVENANCE = PROJECT_ROOT / "datasets" / DATASET / "raw" / "PROVENANCE.md"
DOCUMENT = PROJECT_ROOT / "datasets" / "kpi-register" / "raw" / "kpi-framework-fy2567.txt"
TODAY = date(2026, 11, 28)

#: The codes agreed for the KPI evidence datasets: kept, never renamed.
AGREED = {
    "SEC": "สำนักงานเลขาธิการวุฒิสภา", "PRES": "สำนักงานประธานวุฒิสภา",
    "PR": "สำนักประชาสัมพันธ์", "ADM": "สำนักบริหารงานกลาง", "FIN": "สำนักการคลังและงบประมาณ",
    "FA": "สำนักการต่างประเทศ", "ACA": "สำนักวิชาการ", "MTG": "สำนักการประชุม",
    "OVS": "สำนักกำกับและตรวจสอบ", "COM1": "สำนักกรรมาธิการ 1", "COM2": "สำนักกรรมาธิการ 2",
    "COM3": "สำนักกรรมาธิการ 3", "LAW": "สำนักกฎหมาย", "LANG": "สำนักภาษาต่างประเทศ",
    "HRD": "สำนักพัฒนาทรัพยากรบุคคล", "REP": "สำนักรายงานการประชุมและชวเลข",
    "PRT": "สำนักการพิมพ์", "PLAN": "สำนักนโยบายและแผน",
    "ICT": "สำนักเทคโนโลยีสารสนเทศและการสื่อสาร", "AUD": "กลุ่มตรวจสอบภายใน",
}
#: The document never spells กรรมาธิการ right (PROVENANCE.md, "Canonical names not found").
NOT_IN_DOCUMENT = {"COM1", "COM2", "COM3"}
# "สำนักกรรมการ ๑, ๒, ๓" names three bureaus: "<name> <digit>" followed by more single digits.
_NUMBERED_LIST = re.compile(r"(\S+) (\d(?:(?:\s*,\s*|\s+)\d)+)(?!\d)")
_PROVENANCE_ROW = re.compile(r"^\| ([A-Z0-9]+) \| ([^|]+?) \| (canonical|alias) \| ([^|]+?) \|$",
                             re.MULTILINE)


def _rows() -> list[dict[str, str]]:
    with CSV_PATH.open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def _aliases(row: dict[str, str]) -> list[str]:
    return [alias for alias in row["aliases"].split(ALIAS_SEPARATOR) if alias]


def _document_lines() -> list[str]:
    """The document's lines (1-based: index 0 is empty), Thai digits as Arabic, each followed
    by the names its numbered lists stand for ("X 1, 3" also reads as "X 1" and "X 3")."""
    lines = thai_digits_to_arabic(DOCUMENT.read_text(encoding="utf-8")).split("\n")
    return [""] + [line + "".join(f"\n{match[1]} {digit}"
                                  for match in _NUMBERED_LIST.finditer(line)
                                  for digit in re.findall(r"\d", match[2]))
                   for line in lines]


@pytest.fixture(scope="module")
def rows() -> list[dict[str, str]]:
    return _rows()


@pytest.fixture(scope="module")
def provenance() -> list[tuple[str, str, str, str]]:
    return _PROVENANCE_ROW.findall(PROVENANCE.read_text(encoding="utf-8"))


def test_dataset_validates_without_errors_or_warnings(tmp_path: Path) -> None:
    [report] = run_validation(PROJECT_ROOT, out_dir=tmp_path, today=TODAY, dataset_ids=[DATASET])
    assert [(f.rule, f.row, f.value) for f in report.result.findings] == []
    assert report.result.rows == len(_rows())


def test_columns_are_the_schema_fields_in_order() -> None:
    schema = json.loads((PROJECT_ROOT / "schemas" / f"{DATASET}.schema.json").read_text("utf-8"))
    with CSV_PATH.open(encoding="utf-8", newline="") as file:
        header = next(csv.reader(file))
    assert header == [field["name"] for field in schema["fields"]] == [
        "unit_code", "name_th", "name_en", "unit_type", "is_internal", "aliases"]


def test_agreed_codes_are_kept_with_their_canonical_names(rows) -> None:
    names = {row["unit_code"]: row["name_th"] for row in rows}
    assert {code: names.get(code) for code in AGREED} == AGREED
    internal = {row["unit_code"] for row in rows if row["is_internal"] == "true"}
    assert internal == set(AGREED)


def test_external_agencies_are_flagged_not_internal(rows) -> None:
    external = {row["unit_code"]: row["name_th"] for row in rows if row["is_internal"] == "false"}
    assert external["HOR"] == "สำนักงานเลขาธิการสภาผู้แทนราษฎร"   # the ITA comparison
    assert all(row["unit_type"] == "หน่วยงานภายนอก" for row in rows if row["unit_code"] in external)


def test_every_name_and_alias_is_in_the_document(rows) -> None:
    text = "\n".join(_document_lines())
    missing = [(row["unit_code"], name) for row in rows
               for name in ([row["name_th"]] if row["unit_code"] not in NOT_IN_DOCUMENT else [])
               + _aliases(row) if name not in text]
    assert missing == []
    # The exceptions are exact: really absent, and known to the document through aliases.
    for row in rows:
        if row["unit_code"] in NOT_IN_DOCUMENT:
            assert row["name_th"] not in text and _aliases(row)


def test_provenance_cites_each_name_on_lines_that_hold_it(rows, provenance) -> None:
    expected = {(row["unit_code"], row["name_th"], "canonical") for row in rows} | {
        (row["unit_code"], alias, "alias") for row in rows for alias in _aliases(row)}
    assert {(code, name, kind) for code, name, kind, _ in provenance} == expected
    assert len(provenance) == len(expected)
    lines = _document_lines()
    for code, name, kind, cited in provenance:
        if cited == "—":
            assert kind == "canonical" and code in NOT_IN_DOCUMENT
            continue
        numbers = [int(n) for n in cited.split(", ")]
        assert [n for n in numbers if name not in lines[n]] == [], (code, name)


def test_aliases_are_tidy_unique_and_never_a_canonical_name(rows) -> None:
    canonical = {row["name_th"] for row in rows}
    aliases = [alias for row in rows for alias in _aliases(row)]
    assert len(aliases) == len(set(aliases))
    assert canonical.isdisjoint(aliases)
    text = "".join(canonical) + "".join(aliases)
    assert not any(digit in text for digit in THAI_DIGITS)
    assert all(alias == alias.strip() and "  " not in alias for alias in aliases)


def test_misspellings_seen_in_the_document_are_listed(rows) -> None:
    by_code = {row["unit_code"]: _aliases(row) for row in rows}
    assert "สำนักกรรมการ 1" in by_code["COM1"] and "สำนักการรวมาธิการ 3" in by_code["COM3"]
    assert "สำนักรายงานการประชุมและตัวเลข" in by_code["REP"]
    assert "สำนักเทคโนโลยีสารสนเทศ" in by_code["ICT"]


def test_metadata_pass_the_catalog_rules(tmp_path: Path) -> None:
    spec = load_dataset(PROJECT_ROOT, DATASET)
    organization = load_organization_profile(PROJECT_ROOT / "catalog_config" / "organization.yaml")
    schema = load_schema_rules()
    declared = load_declared_metadata(spec, schema=schema, organization=organization)
    assert declared.groups == ["data-governance"]
    assert declared.dga["title"] == "รหัสหน่วยงานภายในสำนักงานเลขาธิการวุฒิสภา"
    assert (declared.dga["data_category"], declared.dga["data_classification"]) == (
        "ข้อมูลสาธารณะ", "เปิดเผย")
    [report] = run_validation(PROJECT_ROOT, out_dir=tmp_path, today=TODAY, dataset_ids=[DATASET])
    described = describe_dataset(spec, result=report.result, out_dir=tmp_path,
                                 organization=organization, schema=schema)
    # A code list without a date column: the framework document's declared date, not the copy's.
    assert described.fields["last_updated_date"] == "2023-09-26"
    assert not described.personal_fields


def test_data_package_lists_the_code_list() -> None:
    package = json.loads((PROJECT_ROOT / "schemas" / "datapackage.json").read_text("utf-8"))
    [resource] = [r for r in package["resources"] if r["name"] == DATASET]
    assert (resource["path"], resource["schema"]) == (
        f"../datasets/{DATASET}/{DATASET}.csv", f"{DATASET}.schema.json")
