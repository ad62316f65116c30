"""The public surface of a dataset — metadata texts, resource labels, every public file but the
data — is scanned for personal data before the gate; the agency's contacts are allowed."""

from __future__ import annotations

import dataclasses
import json

from flows.catalog.exposure import scan_public_surface
from flows.validation.personal_data import ContactAllowList
from tests.catalog.described_samples import described_dataset, resource_file

NAME = "zz-exposure"
PHONE = "081-234-5678"
ALLOW = ContactAllowList.from_organization({"organization": {"email": "data@senate.go.th"},
                                            "contact_points": [{"phone": "02 831 9111"}]})


def _scan(described):
    return scan_public_surface(described, allow=ALLOW)


def test_a_clean_dataset_has_nothing_to_report(tmp_path) -> None:
    assert _scan(described_dataset(tmp_path, NAME)) == []


def test_every_metadata_text_is_scanned_and_values_are_masked(tmp_path) -> None:
    described = described_dataset(
        tmp_path, NAME, notes=f"ติดต่อ {PHONE}", tag_string="วุฒิสภา,somchai@gmail.com",
        objective=["อื่นๆ"], objective_other="ผู้ประสานงาน เลข 1-1037-02071-98-6",
        data_source="สำนักงาน (โทร ๐๒-๘๓๑-๙๑๑๑)")   # the agency's own line: allowed
    found = {(f.field, f.rule) for f in _scan(described)}
    assert found == {("metadata:notes", "personal-data/phone-number"),
                     ("metadata:tag_string", "personal-data/email"),
                     ("metadata:objective_other", "personal-data/thai-national-id")}
    for finding in _scan(described):
        assert finding.blocking and "5678" not in (finding.value or "")
        assert "gmail" not in (finding.value or "") and "02071" not in (finding.value or "")


def test_resource_labels_and_every_public_file_but_the_data_are_scanned(tmp_path) -> None:
    described = described_dataset(tmp_path, NAME)
    data, dictionary, schema, report = described.resources
    leaky = [
        dataclasses.replace(data, path=resource_file(tmp_path, "data", "d.csv",
                                                     f"a,b\n1,{PHONE}\n", fmt="CSV",
                                                     name="x").path),   # validation's job
        resource_file(tmp_path, "dictionary", "dict.csv",
                      f"field,examples\nphone,\"{PHONE}\"\n", fmt="CSV", name="dict"),
        resource_file(tmp_path, "schema", "schema.json",
                      json.dumps({"fields": [{"name": "x", "description": "โทร ๐๘๑๒๓๔๕๖๗๘"}]},
                                 ensure_ascii=True), fmt="JSON", name="schema"),
        resource_file(tmp_path, "report", "report-new.html",
                      "<p>&#48;81&#45;234&#45;5678</p><p>data@senate.go.th</p>", fmt="HTML",
                      name="report"),
        dataclasses.replace(report, kind="quality-history",
                            description=f"ติดต่อ {PHONE}"),
    ]
    found = {(f.field, f.row) for f in _scan(dataclasses.replace(described, resources=leaky))}
    assert found == {("resource:dictionary", 2), ("resource:schema", None),
                     ("resource:report", None), ("resource:quality-history:label", None)}
