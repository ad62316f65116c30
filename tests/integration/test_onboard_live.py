"""End to end from a table file nobody shipped: `new` drafts, a steward fills the TODOs, then
validate -> plan -> publish on the real CKAN, and a third run writes nothing."""

from __future__ import annotations

import json
import random
from datetime import date
from pathlib import Path

import ckanapi
import pytest
import yaml

from flows.catalog import CatalogClient
from flows.catalog.counting import CountingClient
from flows.onboard.drafts import draft_dataset
from flows.onboard.todo import find_todos
from flows.orchestrate.plan_or_run import plan_or_run
from flows.validation.validate_and_report import run_validation
from tests.integration.publish_helpers import copy_project

pytestmark = pytest.mark.integration

DATASET = "onboard-e2e-bills"   # + "-csv" / "-xlsx"
TODAY = date(2026, 12, 5)
STATUSES = ("รอพิจารณา", "ผ่านวาระที่หนึ่ง", "ประกาศใช้")


def _bills(rows: int = 200) -> list[list[object]]:
    """A bills-like table with Thai headers and a day-first Buddhist-Era date column."""
    rng = random.Random(15)
    table: list[list[object]] = [["รหัสร่าง", "ชื่อร่างพระราชบัญญัติ", "วันที่เสนอ", "ปีงบประมาณ",
                                  "สถานะ", "จำนวนมาตรา"]]
    for i in range(1, rows + 1):
        table.append([i, f"ร่างพระราชบัญญัติแก้ไขเพิ่มเติมฉบับที่ {i}",
                      f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/{rng.randint(2562, 2567)}",
                      rng.randint(2562, 2567), rng.choice(STATUSES), rng.randint(3, 120)])
    return table


def _write_source(folder: Path, kind: str) -> Path:
    if kind == "csv":
        path = folder / "bills.csv"
        path.write_text("\n".join(",".join(map(str, row)) for row in _bills()) + "\n",
                        encoding="utf-8")
        return path
    from openpyxl import Workbook

    book = Workbook()
    for row in _bills():
        book.active.append(row)
    path = folder / "bills.xlsx"
    book.save(path)
    return path


def _fill_as_a_steward(root: Path, dataset: str) -> None:
    metadata_path = root / "metadata" / f"{dataset}.yaml"
    metadata = yaml.safe_load(metadata_path.read_text("utf-8"))
    metadata["groups"] = ["legislation"]
    metadata["open_data"]["primary"] = "originating"
    metadata["dga"].update({
        "data_type": "ข้อมูลระเบียน",
        "title": "ร่างพระราชบัญญัติที่เสนอต่อวุฒิสภา (ข้อมูลทดสอบ)",
        "tag_string": ["ร่างพระราชบัญญัติ", "วุฒิสภา", "bills"],
        "notes": "รายการร่างพระราชบัญญัติที่เสนอต่อวุฒิสภา หนึ่งแถวต่อร่าง ข้อมูลทดสอบ\n\n"
                 "Bills sent to the Senate, one row each (test data).",
        "objective": ["พันธกิจหน่วยงาน"],
        "update_frequency_unit": "ปี", "update_frequency_interval": "1",
        "geo_coverage": "ประเทศ",
        "data_source": "สำนักการประชุม สำนักงานเลขาธิการวุฒิสภา / Bureau of Meetings",
        "data_category": "ข้อมูลสาธารณะ", "data_classification": "เปิดเผย",
        "license_id": "Open Data Common",
        "accessible_condition": "ไม่มีการจำกัดการเข้าถึงข้อมูล / No access restriction.",
    })
    metadata_path.write_text(yaml.safe_dump(metadata, allow_unicode=True, sort_keys=False),
                             encoding="utf-8")
    schema_path = root / "schemas" / f"{dataset}.schema.json"
    schema = json.loads(schema_path.read_text("utf-8"))
    for field in schema["fields"]:
        field["description_th"] = f"ค่าของ{field['title']}ตามทะเบียนร่างกฎหมาย"
        field["description"] = f"{field['name']} as in the bills register."
    schema_path.write_text(json.dumps(schema, ensure_ascii=False, indent=2), encoding="utf-8")


@pytest.fixture(scope="module", params=["csv", "xlsx"])
def onboarded(request, catalog_settings, stack_settings, tmp_path_factory):
    dataset = f"{DATASET}-{request.param}"
    root = copy_project(tmp_path_factory.mktemp("project"), ())
    source = _write_source(tmp_path_factory.mktemp("steward"), request.param)
    drafted = draft_dataset(root, dataset, source, owner="meetings-owner",
                            steward="meetings-steward", custodian="ict-custodian", today=TODAY)
    todos_before = find_todos(root, dataset)
    blocked = plan_or_run(root, client=CountingClient(CatalogClient(catalog_settings)),
                          out_dir=root / "out", today=TODAY, catalog_url=catalog_settings.url,
                          dry_run=True, dataset_ids=(dataset,))
    _fill_as_a_steward(root, dataset)
    yield root, dataset, drafted, todos_before, blocked
    if stack_settings.instance != "demo":
        try:
            CatalogClient(catalog_settings).call("dataset_purge", id=dataset)
        except ckanapi.NotFound:
            pass


def test_the_draft_declares_the_thai_forms_and_the_key(onboarded) -> None:
    root, dataset, drafted, _, _ = onboarded
    assert drafted.rows == 200 and drafted.key == "รหัสร่าง"
    schema = json.loads((root / "schemas" / f"{dataset}.schema.json").read_text("utf-8"))
    fields = {field["name"]: field for field in schema["fields"]}
    assert fields["วันที่เสนอ"]["calendar"] == "buddhist"
    assert sorted(fields["สถานะ"]["constraints"]["enum"]) == sorted(STATUSES)


def test_plan_refuses_the_draft_and_names_each_todo(onboarded) -> None:
    _, dataset, _, todos, blocked = onboarded
    assert len(blocked) == 1 and blocked[0].status == "failed"
    assert f"metadata/{dataset}.yaml: dga.license_id" in blocked[0].reason
    assert f"{len(todos)} TODO(s)" in blocked[0].reason


def test_filled_draft_validates_plans_publishes_then_writes_nothing(onboarded,
                                                                   catalog_settings) -> None:
    root, dataset, _, _, _ = onboarded
    assert find_todos(root, dataset) == []
    [report] = run_validation(root, out_dir=root / "out", today=TODAY, dataset_ids=(dataset,))
    assert not report.result.blocking, [f.rule for f in report.result.findings]
    runs = {}
    for step, dry_run in (("plan", True), ("publish", False), ("again", False)):
        client = CountingClient(CatalogClient(catalog_settings))
        [runs[step]] = plan_or_run(root, client=client, out_dir=root / "out", today=TODAY,
                                   catalog_url=catalog_settings.url, dry_run=dry_run,
                                   dataset_ids=(dataset,), run_id=step, ingest=True)
        if step == "again":
            assert client.writes == []
    assert runs["plan"].status != "failed", runs["plan"].reason
    assert runs["publish"].status == "published", runs["publish"].reason
    public = CatalogClient(catalog_settings).call("package_show", id=dataset)
    assert public["title"].startswith("ร่างพระราชบัญญัติ")
