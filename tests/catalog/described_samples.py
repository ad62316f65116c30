"""Hand-made described datasets (Thai DGA values) backed by small files in a tmp dir."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from flows.describe.described import DescribedDataset, ResourceFile
from flows.describe.scheming import load_classification_policy
from flows.validation.findings import Finding, Severity, ValidationResult
from tests.integration.dga_payloads import valid_dataset

#: The project's classification policy (catalog_config/classification.yaml).
POLICY = load_classification_policy()

PUBLIC_CSV = "vote_id,vote_date,title\n1,2019-08-05,ร่างพระราชบัญญัติงบประมาณ\n2,2020-09-24,ญัตติ\n"
FULL_CSV = ("senator_id,first_name,birthdate\n1,สมชาย,1960-01-02\n2,สมหญิง,1965-03-04\n")
PERSONAL_PUBLIC_CSV = "senator_id,first_name\n1,สมชาย\n2,สมหญิง\n"
#: The Table Schemas of the two public files (the DataStore types their columns from them).
PUBLIC_SCHEMA = ('{"fields": [{"name": "vote_id", "type": "integer", "title": "รหัสการลงมติ"}, '
                 '{"name": "vote_date", "type": "date"}, {"name": "title", "type": "string"}], '
                 '"primaryKey": ["vote_id"]}\n')
PERSONAL_PUBLIC_SCHEMA = ('{"fields": [{"name": "senator_id", "type": "integer"}, '
                          '{"name": "first_name", "type": "string"}], "primaryKey": "senator_id"}\n')


def dga_fields(name: str, **overrides: Any) -> dict[str, Any]:
    """Every DGA field a human declares plus the derived ones, as the describe stage hands them."""
    fields = valid_dataset(name)
    for key in ("owner_org", "private", "resources"):
        fields.pop(key)
    return {**fields, "data_format": ["CSV", "JSON", "HTML"], **overrides}


def resource_file(directory: Path, kind: str, filename: str, text: str, *, fmt: str,
                  name: str) -> ResourceFile:
    path = directory / filename
    path.write_text(text, encoding="utf-8")
    data = path.read_bytes()
    return ResourceFile(kind=kind, path=path, name=name, description=f"ไฟล์ {kind} / {kind} file",
                        format=fmt, sha256=hashlib.sha256(data).hexdigest(), size=len(data))


def described_dataset(directory: Path, name: str, *, personal: bool = False,
                      groups: tuple[str, ...] = ("legislation",), metadata_only: bool = False,
                      **overrides: Any) -> DescribedDataset:
    """A dataset with 4 resources (data CSV, dictionary CSV, schema JSON, report HTML)."""
    directory.mkdir(parents=True, exist_ok=True)
    data_text = PERSONAL_PUBLIC_CSV if personal else PUBLIC_CSV
    resources = [
        resource_file(directory, "data", f"{name}.csv", data_text, fmt="CSV",
                      name="ข้อมูล (CSV) / Data"),
        resource_file(directory, "dictionary", "dictionary.csv",
                      "field,label_th\nvote_id,รหัสการลงมติ\n", fmt="CSV",
                      name="พจนานุกรมข้อมูล (CSV) / Data dictionary"),
        resource_file(directory, "schema", "schema.json",
                      PERSONAL_PUBLIC_SCHEMA if personal else PUBLIC_SCHEMA,
                      fmt="JSON", name="Table Schema (JSON)"),
        resource_file(directory, "report", "report.html",
                      "<!doctype html><title>รายงาน</title><p>ผ่าน</p>\n", fmt="HTML",
                      name="รายงานผลการตรวจสอบ (HTML) / Validation report"),
    ]
    internal = (resource_file(directory, "data", f"{name}-full.csv", FULL_CSV, fmt="CSV",
                              name="ข้อมูลฉบับเต็ม (CSV) / Full data")
                if personal else None)
    fields = dga_fields(name, **overrides)
    treatment = POLICY.treatment(fields.get("data_category"), fields.get("data_classification"))
    return DescribedDataset(id=name, fields=fields, groups=list(groups),
                            personal_fields=["birthdate"] if personal else [],
                            resources=resources, internal_data=internal, treatment=treatment,
                            metadata_only=metadata_only)


def validation_result(name: str, *, blocking: bool = False,
                      rule: str = "table-schema/type-error") -> ValidationResult:
    findings = [Finding(rule=rule, severity=Severity.ERROR,
                        message_th="ชนิดข้อมูลไม่ถูกต้อง", message_en="type error", row=2,
                        field="vote_date", value="x")] if blocking else []
    return ValidationResult(dataset=name, source=f"datasets/{name}/{name}.csv",
                            source_sha256="0" * 64, encoding="utf-8", schema_version="1",
                            suite_version="1", rows=2, findings=findings)
