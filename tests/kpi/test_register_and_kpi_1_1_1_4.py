"""kpi-register, kpi-1-1-model-teachers, kpi-1-4-green-office(-levels): every value checked
against the FY2567 KPI framework, the arithmetic of the weights, and the quality rules.

The document is the committed copy ``datasets/kpi-register/raw/kpi-framework-fy2567.txt``
(line numbers are 1-based), read with Thai digits as Arabic digits. Values are re-extracted here
from the lines each dataset's ``raw/PROVENANCE.md`` cites, independently of the CSVs, and
compared with them; text is compared "squashed" (no spaces, no HTML markup, no bullets), because
the extraction breaks lines and runs bullets together where the CSV does not.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
import shutil
import unicodedata
from datetime import date
from pathlib import Path

import pytest

from flows.datasets import discover_datasets, load_dataset
from flows.describe.declared import load_declared_metadata
from flows.describe.describe import describe_dataset
from flows.describe.scheming import load_schema_rules
from flows.describe.stakeholders import load_organization_profile
from flows.settings import PROJECT_ROOT
from flows.validation.findings import Severity
from flows.validation.validate_and_report import run_validation
from flows.validation.thai_forms import THAI_DIGITS, thai_digits_to_arabic
from flows.validation.validate import validate_table

TODAY = date(2026, 11, 28)
REGISTER, TEACHERS, GREEN, LEVELS = ("kpi-register", "kpi-1-1-model-teachers",
                                     "kpi-1-4-green-office", "kpi-1-4-green-office-levels")
IDS = (REGISTER, TEACHERS, GREEN, LEVELS)
DOCUMENT = PROJECT_ROOT / "datasets" / REGISTER / "raw" / "kpi-framework-fy2567.txt"
DOCUMENT_SHA256 = "c540058e598f5ab5f4ee0bce6e6c0e7eae846d297b6c2196439314a848463dc7"
#: OCR slips the datasets correct (PROVENANCE.md): applied to the document before comparing.
OCR_FIXES = {"ครุต้นแบบ": "ครูต้นแบบ", "ประชาธิปไทย": "ประชาธิปไตย"}

#: Per KPI: heading lines (name), weight line, ผู้รับผิดชอบ block, criteria lines of levels
#: 1/3/5, group-heading lines, weights-table line (66-76), characteristic-table line (937-948).
KPI_LINES = {
    "1.1": ((81, 82), 84, (86, 94), (137, 138, 139), (78, 79), 70, 941),
    "1.2": ((160,), 162, (164, 178), (209, 210, 211), (40, 41), 71, 942),
    "1.3": ((215,), 217, (219, 232), (413, 414, 415), (213,), 72, 943),
    "1.4": ((438,), 440, (442, 466), (572, 573, 574), (213,), 72, 943),
    "2.1": ((582,), 584, (586, 589), (610, 611, 612), (580,), 74, 945),
    "2.2": ((634, 635), 637, (639, 649), (697, 698, 699), (75,), 75, 946),
    "2.3": ((727, 728), 730, (732, 735), (776, 777, 778), (75,), 75, 947),
    "2.4": ((786, 787), 789, (791, 808), (929, 930, 931), (75,), 75, 948),
}
COMPONENT_LINES = {"Performance Base": (69, 34), "Potential Base": (73, 50)}


# --- reading the document and the datasets --------------------------------------------------

def _document() -> list[str]:
    """The document's lines, 1-based (index 0 is empty), Thai digits as Arabic digits."""
    return [""] + thai_digits_to_arabic(DOCUMENT.read_text(encoding="utf-8")).split("\n")


DOC = _document()


def _squash(text: str) -> str:
    """Compare form: no HTML markup, bullets or whitespace; one kind of dash; OCR slips fixed."""
    text = re.sub(r"<[^>]+>", "", thai_digits_to_arabic(text)).replace("●", "")
    text = re.sub(r"\s+", "", text).replace("–", "-")
    for wrong, right in OCR_FIXES.items():
        text = text.replace(wrong, right)
    return text


def _lines(*numbers: int) -> str:
    return "\n".join(DOC[n] for n in numbers)


def _span(first: int, last: int) -> str:
    return _lines(*range(first, last + 1))


def _rows(dataset_id: str) -> list[dict[str, str]]:
    path = PROJECT_ROOT / "datasets" / dataset_id / f"{dataset_id}.csv"
    with path.open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def _schema(dataset_id: str) -> dict:
    return json.loads((PROJECT_ROOT / "schemas" / f"{dataset_id}.schema.json").read_text("utf-8"))


def _suite(dataset_id: str) -> dict:
    path = PROJECT_ROOT / "schemas" / f"{dataset_id}.expectations.json"
    return json.loads(path.read_text("utf-8"))


def _cited(row: dict[str, str]) -> set[int]:
    return {int(n) for n in row["source_lines"].split(";")}


@pytest.fixture(scope="module")
def register() -> dict[str, dict[str, str]]:
    return {row["kpi_id"]: row for row in _rows(REGISTER)}


@pytest.fixture(scope="module")
def units() -> list[dict[str, str]]:
    return _rows("senate-units")


@pytest.fixture(scope="module")
def resolve(units):
    """A function: text naming units (canonical names or known misspellings) → their codes."""
    names = {}
    for row in units:
        for name in [row["name_th"], *filter(None, row["aliases"].split("|"))]:
            names[re.sub(r"\s+", "", name)] = row["unit_code"]
    longest_first = sorted(names, key=len, reverse=True)

    def codes(text: str) -> list[str]:
        # "สำนักกรรมการ 1, 2, 3" names three bureaus: spell each out before matching.
        text = re.sub(r"(\S+) (\d(?:(?:\s*,\s*|\s+)\d)+)(?!\d)",
                      lambda m: " ".join(f"{m[1]} {d}" for d in re.findall(r"\d", m[2])), text)
        text, found, at = re.sub(r"\s+", "", text), [], 0
        while at < len(text):
            name = next((n for n in longest_first if text.startswith(n, at)), None)
            if name:
                found.append(names[name])
            at += len(name) if name else 1
        return found
    return codes


# --- the register: every value against the document -----------------------------------------

def test_register_has_the_eight_kpis_in_order(register) -> None:
    assert list(register) == ["1.1", "1.2", "1.3", "1.4", "2.1", "2.2", "2.3", "2.4"]
    # The body (after the contents and the weights table, before the characteristic table)
    # heads each KPI once, on the line its name is read from.
    headings = {n: line.split(" ")[1] for n, line in enumerate(DOC[:937])
                if n > 77 and line.startswith("ตัวชี้วัดที่ ")}
    assert headings == {KPI_LINES[k][0][0]: k for k in register}


def test_names_are_the_kpi_headings(register) -> None:
    for kpi_id, row in register.items():
        heading = _lines(*KPI_LINES[kpi_id][0])
        assert _squash(heading) == _squash(f"ตัวชี้วัดที่ {kpi_id} {row['name_th']}"), kpi_id
        # The weights table (lines 68-76) names each KPI the same way.
        assert _squash(row["name_th"]) in _squash(DOC[KPI_LINES[kpi_id][5]]), kpi_id
    assert "ครุ" not in "".join(row["name_th"] for row in register.values())


def test_weights_are_each_kpis_weight_line(register) -> None:
    for kpi_id, row in register.items():
        line = DOC[KPI_LINES[kpi_id][1]]
        match = re.fullmatch(r"(?:น้ำ|หน้า)หนักร้อยละ (\d+)", line)
        assert match and int(match[1]) == int(row["weight"]), (kpi_id, line)


def test_weights_table_agrees_where_its_cells_survived(register) -> None:
    trailing = [re.search(r"\t(\d+)\s*$", DOC[n]) for n in range(69, 77)]
    assert [int(m[1]) for m in trailing] == [60, 15, 15, 15, 40, 10, 10, 10]
    for number in range(70, 76):
        if number == 73:
            continue
        weight = int(re.search(r"\t(\d+)\s*$", DOC[number])[1])
        kpis = re.findall(r"ตัวชี้วัดที่ (\d\.\d)", DOC[number])
        assert kpis and {int(register[k]["weight"]) for k in kpis} == {weight}, number


def test_components_and_their_weights(register) -> None:
    for component, (table_line, heading_line) in COMPONENT_LINES.items():
        rows = [row for row in register.values() if row["component"] == component]
        row = rows[0]
        assert f"({component})" in DOC[table_line] and f"({component})" in DOC[heading_line]
        assert _squash(row["component_th"]) in _squash(DOC[table_line])
        assert int(DOC[table_line].rsplit("\t", 1)[1]) == int(row["component_weight"])
        assert {(r["component_th"], r["component_weight"]) for r in rows} == {
            (row["component_th"], row["component_weight"])}
    assert re.fullmatch(r"หน้าหนักร้อยละ 40", DOC[578])      # component 2's own weight line
    assert "องค์ประกอบที่ 2" in DOC[576]


def test_weights_add_up(register) -> None:
    weights = [int(row["weight"]) for row in register.values()]
    assert sum(weights) == 100 and set(weights) <= {10, 15}
    assert weights == [15, 15, 15, 15, 10, 10, 10, 10]
    for component in COMPONENT_LINES:
        rows = [row for row in register.values() if row["component"] == component]
        assert sum(int(r["weight"]) for r in rows) == int(rows[0]["component_weight"])
    assert sum({int(r["component_weight"]) for r in register.values()}) == 100


def test_groups_are_the_document_headings(register) -> None:
    prefixes = {"Strategic": "Strategic KPIs", "Functional": "Functional KPIs",
                "Joint": "Joint KPIs"}
    for kpi_id, row in register.items():
        lines = KPI_LINES[kpi_id]
        assert _squash(row["kpi_group_th"]) in _squash(_lines(*lines[4])), kpi_id
        # The weights table puts the KPI in the same group row.
        table_row = DOC[lines[5]]
        assert _squash(row["kpi_group_th"]) in _squash(table_row.replace("การบริการจัดการ",
                                                                         "การบริหารจัดการ"))
        if row["kpi_group"] in prefixes:
            assert prefixes[row["kpi_group"]] in table_row
    assert "ตัวชี้วัดที่ 2.2" in DOC[75] and "ตัวชี้วัดที่ 2.4" in DOC[75]


def test_responsible_units_are_the_documents(register, resolve) -> None:
    for kpi_id, row in register.items():
        first, last = KPI_LINES[kpi_id][2]
        block = _span(first, last)
        after = next(line for line in DOC[last + 1:] if line.strip())
        assert DOC[first] == "ผู้รับผิดชอบ" and after == "คำอธิบาย", kpi_id
        leads, supporting = block.split("หน่วยงานสนับสนุน")
        reporter = resolve(leads.split("(ผู้รายงาน)")[0])[-1]
        co_leads = [code for code in resolve(leads) if code != reporter]
        assert row["lead_unit_code"] == reporter, kpi_id
        assert row["co_lead_unit_codes"].split("|") == (co_leads or [""]), kpi_id
        expected = [] if supporting.strip() == "-" else resolve(supporting)
        assert row["supporting_unit_codes"].split("|") == (expected or [""]), kpi_id
        if row["co_lead_other_th"]:
            assert row["co_lead_other_th"] in leads
    assert register["2.2"]["co_lead_other_th"] == "สำนักที่เป็นเจ้าของนวัตกรรม"


def test_misspelt_unit_lists_become_canonical_codes(register) -> None:
    assert "สำนักกรรมการ ๑, ๒, ๓" in DOCUMENT.read_text("utf-8").split("\n")[228]
    assert register["1.3"]["supporting_unit_codes"].count("COM") == 3
    assert "สำนักกฤษฎีกา 1,2,3" in DOC[454] and "COM1|COM2|COM3" in register["1.4"][
        "co_lead_unit_codes"]
    assert "สำนักกฎหมาย 1, 2, 3" in DOC[804] and "COM1|COM2|COM3|LAW" in register["2.4"][
        "supporting_unit_codes"]
    assert "สำนักรายงานการประชุมและตัวเลข" in DOC[178] and "REP" in register["1.2"][
        "supporting_unit_codes"]


def test_codes_are_units_of_senate_units(register, units) -> None:
    internal = {row["unit_code"] for row in units if row["is_internal"] == "true"}
    for row in register.values():
        codes = [row["lead_unit_code"], *row["co_lead_unit_codes"].split("|"),
                 *row["supporting_unit_codes"].split("|")]
        codes = [code for code in codes if code]
        assert set(codes) <= internal and len(codes) == len(set(codes)), row["kpi_id"]


def test_criteria_are_the_scoring_tables_cells(register) -> None:
    for kpi_id, row in register.items():
        for level, number in zip((1, 3, 5), KPI_LINES[kpi_id][3]):
            head, cell = DOC[number].split("\t", 1)
            assert head == str(level), (kpi_id, number)
            assert _squash(row[f"criteria_level_{level}"]) == _squash(cell), (kpi_id, level)
        assert row["criteria_level_2"] == row["criteria_level_4"] == "", kpi_id
        # The table lists levels 1, 3 and 5 only, and level 3 holds the 80 and 100 bullets.
        table = KPI_LINES[kpi_id][3]
        assert DOC[table[0] - 1] == "ระดับคะแนน\tเกณฑ์การให้คะแนน" and DOC[table[2] + 1] == ""
        assert re.search(r"ร้อยละ 80.*ร้อยละ 100", row["criteria_level_3"]), kpi_id


def test_characteristics_are_the_characteristic_table(register) -> None:
    for kpi_id, row in register.items():
        line = DOC[KPI_LINES[kpi_id][6]]
        assert f"ตัวชี้วัดที่ {kpi_id}" in line and line.endswith("\t" + row["characteristic"])
    assert {row["characteristic"] for row in register.values()} == {"ผลลัพธ์"}


def test_register_cites_the_lines_it_was_checked_against(register) -> None:
    for kpi_id, row in register.items():
        names, weight, _, criteria, groups, table, trait = KPI_LINES[kpi_id]
        component = COMPONENT_LINES[row["component"]][0]
        expected = {*names, weight, *criteria, *groups, table, trait, component}
        assert expected <= _cited(row), (kpi_id, sorted(expected - _cited(row)))


# --- KPI 1.1: the five-year table ---------------------------------------------------------

def _measure_table() -> dict[int, tuple[str, list[str], list[str]]]:
    """measure number → (name cell, 5 target cells, 5 result cells) of lines 114-124."""
    assert DOC[113].split("\t")[-5:] == ["2565", "2566", "2567", "2568", "2569"]
    table = {}
    for number in range(114, 125):
        cells = DOC[number].split("\t")
        if cells[0]:
            assert cells[1] == "ค่าเป้าหมาย"
            no = int(cells[0].split(".")[0])
            table[no] = (cells[0].split(". ", 1)[1], cells[2:7], ["-"] * 5)
        else:
            assert cells[1] == "ผล"
            table[no] = (table[no][0], table[no][1], cells[2:7])
    return table


def test_kpi_1_1_rows_are_the_table_cells() -> None:
    table, rows = _measure_table(), _rows(TEACHERS)
    assert len(rows) == 6 * 5 and sorted(table) == [1, 2, 3, 4, 5, 6]
    for row in rows:
        name, targets, results = table[int(row["measure_no"])]
        at = int(row["year_be"]) - 2565
        assert _squash(row["measure_th"]) == _squash(name.replace("(คน)", "")), row
        assert row["unit_of_measure_th"] == ("คน" if "(คน)" in name else "ร้อยละ")
        assert row["target"] == ("" if targets[at] == "-" else targets[at]), row
        _check_result(row, results[at])
        assert row["kpi_id"] == "1.1"


def _check_result(row: dict[str, str], cell: str) -> None:
    number = re.fullmatch(r"([\d.]+)(?: \((.+)\))?", cell)
    if number:
        assert (row["result"], row["result_status"]) == (number[1], "reported"), row
        assert (number[2] or "") in row["note_th"]
    elif cell == "N/A":
        assert (row["result"], row["result_status"]) == ("", "processing"), row
        assert "อยู่ระหว่างประมวลผล" in row["note_th"] and "อยู่ระหว่างประมวลผล" in DOC[126]
    else:
        assert cell == "-" and (row["result"], row["result_status"]) == ("", "not-reported")


def test_kpi_1_1_targets_of_2567_are_the_conditions() -> None:
    condition_lines = {1: 145, 2: 147, 3: 150, 4: 152, 5: 153, 6: 155}
    for row in _rows(TEACHERS):
        if row["year_be"] == "2567":
            line = DOC[condition_lines[int(row["measure_no"])]]
            assert re.search(rf"(?:ร้อยละ|จำนวน) {row['target']}(?: คน)?$", line), line
            assert condition_lines[int(row["measure_no"])] in _cited(row)


def test_kpi_1_1_measure_6_starts_in_2567() -> None:
    rows = {row["year_be"]: row for row in _rows(TEACHERS) if row["measure_no"] == "6"}
    assert "เริ่มเก็บข้อมูลปีงบประมาณ พ.ศ. 2567" in DOC[128]
    assert [rows[y]["target"] for y in sorted(rows)] == ["", "", "70", "70", "70"]
    assert all(rows[y]["result_status"] == "not-reported" for y in rows)


def test_kpi_1_1_rows_cite_their_table_lines() -> None:
    table_lines = {1: (114, 115), 2: (116, 117), 3: (118, 119), 4: (120, 121), 5: (122, 123),
                   6: (124,)}
    for row in _rows(TEACHERS):
        assert set(table_lines[int(row["measure_no"])]) <= _cited(row), row


# --- KPI 1.4: Green Office results, targets and levels ------------------------------------

def test_kpi_1_4_results_of_2566_are_the_table(resolve) -> None:
    results = [row for row in _rows(GREEN) if row["record_type"] == "result"]
    table = [DOC[n].split("\t") for n in range(511, 516)]
    assert DOC[510] == "หน่วยงาน\tระดับผลการประเมิน"
    assert [(r["unit_code"], r["level_th"]) for r in results] == [
        (resolve(name)[0], level) for name, level in table]
    assert {r["year_be"] for r in results} == {"2566"} and "ปี 2566" in DOC[508]
    # The table's units are the five that applied (line 506), the misspelt one included.
    assert sorted(resolve(DOC[506].split("จำนวน 5 สำนัก ได้แก่")[1])) == sorted(
        r["unit_code"] for r in results)
    assert "สำนักวิทยบริการประชุมและชวเลข" in DOC[513]
    assert {r["score"] for r in results} == {""}        # the document gives levels, not scores


def test_kpi_1_4_targets_are_the_road_map(resolve, units) -> None:
    kinds = {row["unit_code"]: row["unit_type"] for row in units}
    expected = {"2567": (545, 550, "จำนวน 5 สำนัก 1 กลุ่มงาน", 543),
                "2568": (558, 565, "จำนวน 8 สำนัก", 556)}
    rows = _rows(GREEN)
    for year, (first, last, count, count_line) in expected.items():
        codes = [code for n in range(first, last + 1) for code in resolve(DOC[n])]
        targets = [r for r in rows if r["record_type"] == "target" and r["year_be"] == year]
        assert [r["unit_code"] for r in targets] == codes
        assert count in DOC[count_line]
        sums = {kind: sum(kinds[c] == kind for c in codes) for kind in ("สำนัก", "กลุ่มงาน")}
        assert count.endswith(f"{sums['สำนัก']} สำนัก" + (
            f" {sums['กลุ่มงาน']} กลุ่มงาน" if sums["กลุ่มงาน"] else ""))
    assert DOC[525] == "ปีงบประมาณ พ.ศ. 2567" and DOC[552] == "ปีงบประมาณ พ.ศ. 2568"


def test_kpi_1_4_unit_names_are_canonical(units) -> None:
    names = {row["unit_code"]: row["name_th"] for row in units}
    for row in _rows(GREEN):
        assert row["unit_th"] == names[row["unit_code"]]
        assert {int(n) for n in row["source_lines"].split(";")} - set(range(504, 566)) == set()


def test_kpi_1_4_levels_are_the_note() -> None:
    note = DOC[517] + ", " + DOC[519]
    found = re.findall(r"(ต่ำกว่า)?ร้อยละ (\d+)(?: - (\d+)| ขึ้นไป)? : ([^,]+)", note)
    levels = _rows(LEVELS)
    assert len(found) == len(levels) == 4
    for (below, low, high, name), row in zip(found, levels):
        assert row["level_th"] == name.strip()
        assert _squash(row["criterion_th"]) in _squash(note)
        if below:       # "ต่ำกว่าร้อยละ 60": below 60
            assert (row["score_min_pct"], row["score_below_pct"]) == ("0", low)
        elif high:      # "ร้อยละ 80 - 89": 80 <= score < 90
            assert (row["score_min_pct"], row["score_below_pct"]) == (low, str(int(high) + 1))
        else:           # "ร้อยละ 90 ขึ้นไป"
            assert (row["score_min_pct"], row["score_below_pct"]) == (low, "")
        assert row["certified"] == ("false" if name.strip() == "ไม่ผ่านการรับรอง" else "true")


def test_kpi_1_4_suite_thresholds_are_the_levels_table() -> None:
    levels = {row["level"]: row for row in _rows(LEVELS)}
    rules = [e for e in _suite(GREEN)["expectations"] if e["meta"]["rule"] == "level-matches-score"]
    seen = {}
    for rule in rules:
        kwargs = rule["kwargs"]
        condition = kwargs["row_condition"]
        assert (condition["column"]["name"], condition["operator"]) == ("level", "==")
        level = condition["parameter"]
        below = "" if not kwargs.get("strict_max") else str(kwargs["max_value"])
        seen[level] = (str(kwargs["min_value"]), below)
        assert kwargs["column"] == "score"
    assert seen == {level: (row["score_min_pct"], row["score_below_pct"])
                    for level, row in levels.items()}
    labels = next(e for e in _suite(GREEN)["expectations"] if e["meta"]["rule"] == "level-label")
    assert labels["kwargs"]["mapping"] == {k: row["level_th"] for k, row in levels.items()}


# --- shared: suites agree with senate-units, files are tidy, validation is clean ----------

def test_suite_unit_lists_agree_with_senate_units(units) -> None:
    internal = {row["unit_code"]: row["name_th"] for row in units if row["is_internal"] == "true"}
    mapping = next(e for e in _suite(GREEN)["expectations"]
                   if e["meta"]["rule"] == "unit-name-canonical")["kwargs"]["mapping"]
    assert mapping == internal
    for rule in (e for e in _suite(REGISTER)["expectations"]
                 if e["meta"]["rule"] == "unit-codes-known"):
        assert set(re.search(r"\^\(\?:([^)]+)\)", rule["kwargs"]["regex"])[1].split("|")) == set(
            internal)


@pytest.mark.parametrize("dataset_id", IDS)
def test_csv_is_tidy_and_its_columns_are_the_schema_fields(dataset_id: str) -> None:
    path = PROJECT_ROOT / "datasets" / dataset_id / f"{dataset_id}.csv"
    text = path.read_text(encoding="utf-8")
    assert not text.startswith("\ufeff") and "\r" not in text and text.endswith("\n")
    assert unicodedata.normalize("NFC", text) == text
    assert not any(digit in text for digit in THAI_DIGITS)
    rows = _rows(dataset_id)
    assert list(rows[0]) == [field["name"] for field in _schema(dataset_id)["fields"]]
    assert all(value == value.strip() and "  " not in value
               for row in rows for value in row.values())
    assert all(0 < n < len(DOC) and DOC[n].strip() for row in rows for n in _cited(row))


@pytest.mark.parametrize("dataset_id", IDS)
def test_provenance_names_the_document_by_its_hash(dataset_id: str) -> None:
    assert hashlib.sha256(DOCUMENT.read_bytes()).hexdigest() == DOCUMENT_SHA256
    text = (PROJECT_ROOT / "datasets" / dataset_id / "raw" / "PROVENANCE.md").read_text("utf-8")
    assert f"| {DOCUMENT.stat().st_size} | `{DOCUMENT_SHA256}` |" in text


def test_validation_finds_nothing(tmp_path: Path) -> None:
    reports = run_validation(PROJECT_ROOT, out_dir=tmp_path, today=TODAY, dataset_ids=IDS)
    assert {r.result.dataset: [(f.rule, f.row, f.field, f.value) for f in r.result.findings]
            for r in reports} == {dataset_id: [] for dataset_id in IDS}
    assert {r.result.dataset: r.result.rows for r in reports} == {
        REGISTER: 8, TEACHERS: 30, GREEN: 19, LEVELS: 4}


def _rules_fired(tmp_path: Path, dataset_id: str, old: str, new: str) -> set[str]:
    source = PROJECT_ROOT / "datasets" / dataset_id / f"{dataset_id}.csv"
    text = source.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    changed = tmp_path / f"{dataset_id}.csv"
    changed.write_text(text.replace(old, new), encoding="utf-8")
    schemas = PROJECT_ROOT / "schemas"
    result = validate_table(changed, schema_path=schemas / f"{dataset_id}.schema.json",
                            suite_path=schemas / f"{dataset_id}.expectations.json",
                            dataset=dataset_id, today=TODAY)
    return {f.rule for f in result.findings if f.severity is Severity.ERROR}


@pytest.mark.parametrize(("dataset_id", "old", "new", "rules"), [
    (REGISTER, "ADM,HRD,,PRES|PR|FIN", "ADM,HRD,,PRES|PR|FIN", set()),     # the unchanged file
    (REGISTER, "ขององค์กร,10,ADM,HRD", "ขององค์กร,15,ADM,HRD",
     {"expectations/weights-sum-100", "expectations/component-weight-sum"}),
    (REGISTER, "ขององค์กร,10,ADM,HRD", "ขององค์กร,12,ADM,HRD",
     # the weight's cell: the schema's constraint wins over the suite's weight-allowed (one finding
     # per cell, flows/validation/one_per_cell.py); the sums are about other cells
     {"schema/constraint-error",
      "expectations/weights-sum-100", "expectations/component-weight-sum"}),
    (REGISTER, "ขององค์กร,10,ADM,HRD,", "ขององค์กร,10,ADM,HRD|XYZ,",
     {"expectations/unit-codes-known"}),
    (TEACHERS, "2566,80,,processing", "2566,80,75,processing",
     {"expectations/result-matches-status"}),
    (TEACHERS, "2568,85,,not-reported", "2568,185,,not-reported", {"expectations/percent-range"}),
    (GREEN, "PRT,สำนักการพิมพ์,,gold", "PRT,สำนักการพิมพ์,85,gold",
     {"expectations/level-matches-score"}),
    (GREEN, "PRT,สำนักการพิมพ์,,gold", "PRT,สำนักการพิมพ์,95.5,gold", set()),
    (GREEN, "REP,สำนักรายงานการประชุมและชวเลข,", "REP,สำนักวิทยบริการประชุมและชวเลข,",
     {"expectations/unit-name-canonical"}),
    (GREEN, "2567,AUD,กลุ่มตรวจสอบภายใน,,,", "2567,AUD,กลุ่มตรวจสอบภายใน,,fail,ไม่ผ่านการรับรอง",
     {"expectations/target-without-result"}),
])
@pytest.mark.slow  # 10 edited copies validated: ~1.5 s
def test_quality_rules_catch_wrong_values(tmp_path: Path, dataset_id, old, new, rules) -> None:
    assert _rules_fired(tmp_path, dataset_id, old, new) == rules


@pytest.mark.parametrize("dataset_id", IDS)
def test_metadata_describe_the_dataset(dataset_id: str, tmp_path: Path) -> None:
    spec = load_dataset(PROJECT_ROOT, dataset_id)
    organization = load_organization_profile(PROJECT_ROOT / "catalog_config" / "organization.yaml")
    schema = load_schema_rules()
    declared = load_declared_metadata(spec, schema=schema, organization=organization)
    assert declared.groups == ["performance"]
    assert (declared.dga["data_category"], declared.dga["data_classification"]) == (
        "ข้อมูลสาธารณะ", "เปิดเผย")
    assert "reader" not in spec.source and spec.source["encoding"] == "utf-8"
    [report] = run_validation(PROJECT_ROOT, out_dir=tmp_path, today=TODAY, dataset_ids=[dataset_id])
    described = describe_dataset(spec, result=report.result, out_dir=tmp_path,
                                 organization=organization, schema=schema)
    # No date column: the framework document's declared date, never the copy's snapshot date.
    assert described.fields["last_updated_date"] == "2023-09-26" == \
        spec.metadata["freshness"]["source_date"].isoformat()
    titles = [other.metadata["dga"]["title"] for other in discover_datasets(PROJECT_ROOT)]
    assert titles.count(declared.dga["title"]) == 1


def test_foreign_keys_reach_the_code_lists() -> None:
    keys = {dataset_id: {(tuple(k["fields"]), k["reference"]["resource"])
                         for k in _schema(dataset_id).get("foreignKeys", [])}
            for dataset_id in IDS}
    assert keys == {
        REGISTER: {(("lead_unit_code",), "senate-units")},
        TEACHERS: {(("kpi_id",), REGISTER)},
        GREEN: {(("kpi_id",), REGISTER), (("unit_code",), "senate-units"), (("level",), LEVELS)},
        LEVELS: set()}
    assert _schema(GREEN)["fields"][4]["codeList"] == {"resource": "senate-units",
                                                       "field": "name_th"}


def test_a_dangling_level_is_caught(tmp_path: Path) -> None:
    # Through the package-level foreign key, on a copy of the four datasets and senate-units.
    for folder in ("datasets", "schemas", "metadata"):
        (tmp_path / folder).mkdir()
    for dataset_id in (*IDS, "senate-units"):
        shutil.copytree(PROJECT_ROOT / "datasets" / dataset_id, tmp_path / "datasets" / dataset_id)
        for suffix in (".schema.json", ".expectations.json"):
            shutil.copy(PROJECT_ROOT / "schemas" / f"{dataset_id}{suffix}", tmp_path / "schemas")
        shutil.copy(PROJECT_ROOT / "metadata" / f"{dataset_id}.yaml", tmp_path / "metadata")
    levels = tmp_path / "datasets" / LEVELS / f"{LEVELS}.csv"
    levels.write_text(levels.read_text("utf-8").replace("gold,", "platinum,"), encoding="utf-8")
    [report] = run_validation(tmp_path, out_dir=tmp_path / "out", today=TODAY, dataset_ids=[GREEN])
    dangling = {(f.rule, f.row) for f in report.result.findings if f.rule == "schema/foreign-key"}
    assert dangling == {("schema/foreign-key", row) for row in range(2, 7)}
