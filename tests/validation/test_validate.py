"""The whole validation stage on small projects built in tmp dirs: merging, isolation, waivers."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from flows.datasets import discover_datasets
from flows.validation.findings import Severity
from flows.validation.validate_and_report import run_validation
from flows.validation.validate import validate_datasets, validate_table

TODAY = date(2026, 11, 28)

PEOPLE_SCHEMA = {
    "version": "1.2.3",
    "fields": [
        {"name": "person_id", "type": "integer", "title": "รหัส",
         "description_th": "รหัสประจำตัวบุคคล", "constraints": {"required": True, "unique": True}},
        {"name": "name", "type": "string", "title": "ชื่อ", "description_th": "ชื่อของบุคคล"},
        {"name": "note", "type": "string", "title": "หมายเหตุ", "description_th": "หมายเหตุเพิ่มเติม"},
    ],
    "primaryKey": ["person_id"],
    "missingValues": [""],
}
VOTES_SCHEMA = {
    "fields": [
        {"name": "person_id", "type": "integer", "title": "รหัส",
         "description_th": "รหัสบุคคลผู้ลงคะแนน"},
        {"name": "vote", "type": "string", "title": "ผล", "description_th": "ผลการลงคะแนน"},
    ],
    "primaryKey": ["person_id"],
    "foreignKeys": [{"fields": ["person_id"],
                     "reference": {"resource": "people", "fields": ["person_id"]}}],
    "missingValues": [""],
}


def _dataset(root: Path, dataset_id: str, csv: bytes, schema: dict | None,
             waivers: str | None = None) -> None:
    (root / "metadata" / "waivers").mkdir(parents=True, exist_ok=True)
    (root / "schemas").mkdir(exist_ok=True)
    (root / "datasets" / dataset_id).mkdir(parents=True, exist_ok=True)
    (root / "metadata" / f"{dataset_id}.yaml").write_text(
        f"id: {dataset_id}\nsource: {{encoding: utf-8}}\n", encoding="utf-8")
    (root / "datasets" / dataset_id / f"{dataset_id}.csv").write_bytes(csv)
    if schema is not None:
        (root / "schemas" / f"{dataset_id}.schema.json").write_text(
            json.dumps(schema, ensure_ascii=False), encoding="utf-8")
    if waivers is not None:
        (root / "metadata" / "waivers" / f"{dataset_id}.yaml").write_text(waivers,
                                                                        encoding="utf-8")


def test_clean_table_passes_and_identifies_its_inputs(tmp_path: Path) -> None:
    _dataset(tmp_path, "people", "person_id,name,note\n1,สมชาย,\n2,สมหญิง,ดี\n".encode(),
             PEOPLE_SCHEMA)
    result = validate_table(tmp_path / "datasets/people/people.csv",
                            schema_path=tmp_path / "schemas/people.schema.json",
                            suite_path=None, dataset="people", today=TODAY)
    assert result.findings == [] and not result.blocking
    assert result.rows == 2 and result.encoding.startswith("utf-8")
    assert result.schema_version == "1.2.3"
    assert len(result.source_sha256) == 64


def test_schema_errors_personal_data_and_foreign_keys_merge(tmp_path: Path) -> None:
    _dataset(tmp_path, "people",
             "person_id,name,note\n1,สมชาย,โทร 081-234-5678\nx,สมหญิง,\n".encode(), PEOPLE_SCHEMA)
    _dataset(tmp_path, "votes", b"person_id,vote\n1,yes\n3,no\n", VOTES_SCHEMA)
    results = validate_datasets(discover_datasets(tmp_path), today=TODAY)
    people_rules = {f.rule for f in results["people"].findings}
    assert "personal-data/phone-number" in people_rules
    assert any(rule.startswith("schema/") for rule in people_rules)
    dangling = [f for f in results["votes"].findings if f.rule == "schema/foreign-key"]
    assert [(f.row, f.value) for f in dangling] == [(3, "3")]
    phone = next(f for f in results["people"].findings if f.rule == "personal-data/phone-number")
    assert "234-5678" not in (phone.value or "")  # masked, never in clear


def test_one_unreadable_dataset_never_stops_the_others(tmp_path: Path) -> None:
    _dataset(tmp_path, "broken", b"\xff\xfe\x00garbage\x81\x82", {"fields": "not a list"})
    _dataset(tmp_path, "nojson", b"a\n1\n", None)
    (tmp_path / "schemas" / "nojson.schema.json").write_text("{oops", encoding="utf-8")
    _dataset(tmp_path, "people", "person_id,name,note\n1,ก,\n".encode(), PEOPLE_SCHEMA)
    results = validate_datasets(discover_datasets(tmp_path), today=TODAY)
    assert results["broken"].blocking and results["nojson"].blocking
    assert "config/schema-unreadable" in {f.rule for f in results["nojson"].findings}
    assert not results["people"].blocking


def test_waivers_apply_after_every_check(tmp_path: Path) -> None:
    waivers = ("waivers:\n  - rule: schema/foreign-key\n    field: person_id\n"
               "    reason: รอข้อมูลจากสำนักการประชุม\n    by: steward\n    expires: 2099-01-01\n")
    _dataset(tmp_path, "people", "person_id,name,note\n1,ก,\n".encode(), PEOPLE_SCHEMA)
    _dataset(tmp_path, "votes", b"person_id,vote\n3,no\n", VOTES_SCHEMA, waivers=waivers)
    result = validate_datasets(discover_datasets(tmp_path), today=TODAY)["votes"]
    [dangling] = [f for f in result.findings if f.rule == "schema/foreign-key"]
    assert dangling.waived_by and "steward" in dangling.waived_by
    assert not result.blocking and result.counts()["waived"] == 1


def test_run_validation_writes_reports_for_each_dataset(tmp_path: Path) -> None:
    _dataset(tmp_path, "people", "person_id,name,note\n1,ก,\n1,ข,\n".encode(), PEOPLE_SCHEMA)
    [report] = run_validation(tmp_path, out_dir=tmp_path / "out", today=TODAY)
    assert report.result.blocking
    for kind in ("json", "html", "markdown"):
        assert report.files[kind].exists(), kind
    document = json.loads(report.files["json"].read_text(encoding="utf-8"))
    assert document["dataset"] == "people" and document["blocking"] is True
    assert any(f["severity"] == Severity.ERROR.value for f in document["findings"])
