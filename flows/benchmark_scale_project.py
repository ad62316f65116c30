"""A scratch project of N generated datasets, for `make bench-scale`.

    make_project(target, n, seed=0)     -> ScaleProject (ids, the code list, its dependents)
    change_one(project)                 -> the id of the dataset whose CSV was changed
    change_code_list(project)           -> the ids that must be validated again

Every dataset is what a steward would add: a CSV of 100 to 2,000 rows (Thai text, amounts,
Buddhist-Era years, dates), its Table Schema, a Great Expectations suite and DGA metadata. About
a third have a foreign key to one shared code list (``bench-code-list``), so changing the code
list must re-validate exactly them. The project is a copy of this checkout's catalog_config/
with its own organisation (``senate-bench``): the benchmark's records never mix with the
demo's, and withdrawing them at the end touches nothing else.
"""

from __future__ import annotations

import csv
import json
import random
import shutil
from dataclasses import dataclass
from pathlib import Path

import yaml

from flows.settings import PROJECT_ROOT

ORGANIZATION = "senate-bench"
GROUPS = ("legislation", "senators", "performance", "data-governance")
#: Words for the generated Thai text (so search has Thai words to find).
_WORDS = ("วุฒิสภา", "สมาชิก", "การประชุม", "งบประมาณ", "กรรมาธิการ", "ร่างพระราชบัญญัติ",
          "การลงมติ", "ข้อมูล", "โครงการ", "สำนักงาน", "นวัตกรรม", "ตัวชี้วัด", "บุคลากร")
_COPIED = ("organization.yaml", "classification.yaml", "licence_map.yaml", "freshness.yaml",
           "quality_grade.yaml", "open_data_score.yaml", "kpi_evidence_scoring.yaml",
           "dcat_frequency.yaml", "licenses.json", "pipeline.yaml")


@dataclass(frozen=True)
class ScaleProject:
    root: Path
    datasets: tuple[str, ...]            # every generated id, the code list first
    dependents: tuple[str, ...]          # ids with a foreign key to the code list


def make_project(target: Path, n: int, *, seed: int = 0, rows: tuple[int, int] = (100, 2000),
                 organization: str = ORGANIZATION, prefix: str = "bench") -> ScaleProject:
    """Write a project of ``n`` datasets (the code list included) under ``target``: ids
    ``<prefix>-0001`` ..., and ``<prefix>-code-list``, in the catalog organisation
    ``organization`` (tests give each project its own)."""
    if target.exists():
        shutil.rmtree(target)
    for folder in ("metadata", "schemas", "datasets", "catalog_config"):
        (target / folder).mkdir(parents=True)
    _copy_catalog_config(target, organization)
    rng = random.Random(seed)
    code_list = f"{prefix}-code-list"
    _write_code_list(target, code_list, units=40)
    ids, dependents = [code_list], []
    for number in range(1, n):
        dataset_id = f"{prefix}-{number:04d}"
        with_code = number % 3 == 0
        _write_dataset(target, dataset_id, rng, rows=rng.randint(*rows), code_list=code_list,
                       with_code=with_code, group=GROUPS[number % len(GROUPS)])
        ids.append(dataset_id)
        if with_code:
            dependents.append(dataset_id)
    return ScaleProject(root=target, datasets=tuple(ids), dependents=tuple(dependents))


def change_one(project: ScaleProject) -> str:
    """Change one value of one dataset's CSV (a dataset no other one references)."""
    dataset_id = next(i for i in project.datasets[1:] if i not in project.dependents)
    path = project.root / "datasets" / dataset_id / f"{dataset_id}.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    head, *cells = lines[1].rstrip("\n").split(",")
    lines[1] = ",".join([head, *cells[:-1], str(int(cells[-1]) + 1)]) + "\n"
    path.write_text("".join(lines), encoding="utf-8")
    return dataset_id


def change_code_list(project: ScaleProject) -> tuple[str, ...]:
    """Add a unit to the code list; every dataset referencing it must be validated again."""
    code_list = project.datasets[0]
    path = project.root / "datasets" / code_list / f"{code_list}.csv"
    count = sum(1 for _ in path.open(encoding="utf-8")) - 1
    with path.open("a", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerow(_unit(count + 1))
    return (code_list, *project.dependents)


# --- the files --------------------------------------------------------------------------------

def _copy_catalog_config(target: Path, organization_name: str) -> None:
    config = PROJECT_ROOT / "catalog_config"
    for file in _COPIED:
        if (config / file).exists():
            shutil.copy2(config / file, target / "catalog_config" / file)
    # The catalog's rules (scheming schemas) are hashed from the project: the same copy.
    schemas = Path("ckanext-senate_dga") / "ckanext" / "senate_dga" / "schemas"
    shutil.copytree(config / schemas, target / "catalog_config" / schemas)
    path = target / "catalog_config" / "organization.yaml"
    organization = yaml.safe_load(path.read_text(encoding="utf-8"))
    organization["organization"].update(
        name=organization_name, title="ชุดข้อมูลทดสอบขนาดใหญ่ (Scale benchmark)",
        description="ชุดข้อมูลที่สร้างขึ้นเพื่อวัดความเร็วของระบบ / Generated datasets of the "
                    "scale benchmark; removed when it ends.")
    path.write_text(yaml.safe_dump(organization, allow_unicode=True, sort_keys=False),
                    encoding="utf-8")


def _unit(number: int) -> list[str]:
    return [f"U{number:03d}", f"หน่วยงานที่ {number}", f"Unit {number}"]


def _write_code_list(root: Path, code_list: str, units: int) -> None:
    fields = [_field("unit_code", "string", "รหัสหน่วยงาน", "Unit code", required=True,
                     unique=True, pattern="U[0-9]{3}"),
              _field("unit_th", "string", "ชื่อหน่วยงาน", "Unit name (Thai)", required=True),
              _field("unit_en", "string", "ชื่อหน่วยงานภาษาอังกฤษ", "Unit name (English)")]
    schema = {"fields": fields, "primaryKey": ["unit_code"], "missingValues": [""]}
    suite = [_expectation("expect_column_values_to_not_be_null", "unit-name",
                          column="unit_th")]
    _write_files(root, code_list, schema, suite, [["unit_code", "unit_th", "unit_en"],
                                                  *(_unit(i) for i in range(1, units + 1))])
    _write_metadata(root, code_list, "รหัสหน่วยงาน (รายการรหัสสำหรับทดสอบ)", group="performance",
                    description="รายการรหัสหน่วยงานที่ชุดข้อมูลทดสอบอ้างอิง / The code list "
                                "the generated datasets reference.")


def _write_dataset(root: Path, dataset_id: str, rng: random.Random, *, rows: int,
                   code_list: str, with_code: bool, group: str) -> None:
    fields = [_field("record_id", "integer", "ลำดับรายการ", "Record number", required=True,
                     unique=True, minimum=1),
              _field("title_th", "string", "ชื่อรายการ", "Title (Thai)", required=True),
              _field("fiscal_year_be", "integer", "ปีงบประมาณ (พ.ศ.)", "Fiscal year (BE)",
                     required=True, minimum=2500, maximum=2700),
              _field("recorded_on", "date", "วันที่บันทึก", "Date recorded", required=True),
              _field("amount", "integer", "จำนวน", "Amount", required=True, minimum=0)]
    header = ["record_id", "title_th", "fiscal_year_be", "recorded_on", "amount"]
    schema: dict = {"fields": fields, "primaryKey": ["record_id"], "missingValues": [""]}
    if with_code:
        fields.insert(2, _field("unit_code", "string", "รหัสหน่วยงาน", "Unit code",
                                required=True))
        header.insert(2, "unit_code")
        schema["foreignKeys"] = [{"fields": ["unit_code"], "reference": {
            "resource": code_list, "fields": ["unit_code"]}}]
    suite = [_expectation("expect_column_values_to_be_between", "amount-range",
                          column="amount", min_value=0, max_value=10_000_000),
             _expectation("expect_table_row_count_to_be_between", "row-count",
                           min_value=1, max_value=100_000)]
    table = [header]
    for number in range(1, rows + 1):
        row = [str(number), " ".join(rng.sample(_WORDS, 3)), str(rng.randint(2560, 2567)),
               f"20{rng.randint(17, 24)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
               str(rng.randint(0, 1_000_000))]
        if with_code:
            row.insert(2, f"U{rng.randint(1, 40):03d}")
        table.append(row)
    _write_files(root, dataset_id, schema, suite, table)
    words = " ".join(rng.sample(_WORDS, 2))
    _write_metadata(root, dataset_id, f"{words} ชุดที่ {dataset_id[-4:]}", group=group,
                    description=f"ชุดข้อมูลทดสอบ {words} จำนวน {rows} รายการ / Generated "
                                f"dataset {dataset_id} of {rows} rows.")


def _field(name: str, kind: str, title: str, description: str, **constraints) -> dict:
    return {"name": name, "title": title, "description": description,
            "description_th": title, "type": kind, "format": "default",
            "constraints": constraints}


def _expectation(kind: str, rule: str, **kwargs) -> dict:
    return {"type": kind, "kwargs": kwargs,
            "meta": {"rule": rule, "severity": "error", "message_th": f"ไม่ผ่านกฎ {rule}",
                     "message_en": f"rule {rule} failed", "hint_th": "ตรวจข้อมูล",
                     "hint_en": "check the data"}}


def _write_files(root: Path, dataset_id: str, schema: dict, suite: list[dict],
                 table: list[list[str]]) -> None:
    (root / "schemas" / f"{dataset_id}.schema.json").write_text(
        json.dumps({"version": "1.0.0", **schema}, ensure_ascii=False, indent=1),
        encoding="utf-8")
    (root / "schemas" / f"{dataset_id}.expectations.json").write_text(
        json.dumps({"name": dataset_id, "meta": {"version": "1.0.0"}, "suite_parameters": {},
                    "expectations": suite}, ensure_ascii=False, indent=1), encoding="utf-8")
    folder = root / "datasets" / dataset_id
    folder.mkdir()
    with (folder / f"{dataset_id}.csv").open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(table)


def _write_metadata(root: Path, dataset_id: str, title: str, *, group: str,
                    description: str) -> None:
    metadata = {
        "id": dataset_id,
        "source": {"encoding": "utf-8", "snapshot_date": "2026-11-28"},
        "freshness": {"source_date": "2026-11-28"},
        "groups": [group],
        "stakeholders": {"data_owner": "planning-owner", "data_steward": "planning-steward",
                         "data_custodian": "ict-custodian"},
        "dga": {"data_type": "ข้อมูลระเบียน", "title": title, "allow_harvest": "True",
                "tag_string": ["ทดสอบ", "benchmark", title.split()[0]],
                "notes": description, "objective": ["พันธกิจหน่วยงาน"],
                "update_frequency_unit": "ปี", "update_frequency_interval": "1",
                "geo_coverage": "ไม่มี", "data_source": "สร้างขึ้นเพื่อทดสอบ / generated",
                "data_category": "ข้อมูลสาธารณะ", "data_classification": "เปิดเผย",
                "license_id": "Open Data Common",
                "accessible_condition": "ไม่มีการจำกัดการเข้าถึงข้อมูล / No access restriction.",
                "data_support": "ไม่มี", "data_collect": "อื่นๆ",
                "data_collect_other": "รายการ (one record)", "url": "https://www.senate.go.th",
                "data_language": ["ไทย"], "created_date": "2026-11-28",
                "high_value_dataset": "False", "reference_data": "False"},
        "open_data": {"primary": "originating", "free_of_charge": True},
    }
    (root / "metadata" / f"{dataset_id}.yaml").write_text(
        yaml.safe_dump(metadata, allow_unicode=True, sort_keys=False), encoding="utf-8")
