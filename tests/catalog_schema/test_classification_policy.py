"""The classification policy file (catalog_config/classification.yaml) and its loader."""
from __future__ import annotations

import pytest
import yaml

from ckanext.senate_dga.classification import (DEFAULT_POLICY_FILE, PolicyError, load_policy,
                                               policy_from_mapping)

POLICY = load_policy()


@pytest.mark.parametrize("category, classification, treatment", [
    ("ข้อมูลสาธารณะ", "เปิดเผย", "public"),
    ("ข้อมูลใช้ภายใน", "ชั้นเผยแพร่ภายในองค์กร", "internal"),
    ("ข้อมูลส่วนบุคคล", "ชั้นเผยแพร่ภายในองค์กร", "internal"),
    ("ข้อมูลส่วนบุคคล", "ลับ", "withheld"),
    ("ข้อมูลส่วนบุคคล", "ลับมาก", "withheld"),
    ("ข้อมูลความมั่นคง", "ลับที่สุด", "withheld"),
    ("ข้อมูลความลับทางราชการ", "ลับ", "withheld"),
    # the closed side of a pair that does not fit, and of a missing or unknown value
    ("ข้อมูลสาธารณะ", "ลับ", "withheld"),
    ("ข้อมูลสาธารณะ", "ชั้นเผยแพร่ภายในองค์กร", "internal"),
    ("ข้อมูลสาธารณะ", None, "internal"),
    (None, "เปิดเผย", "internal"),
    ("ข้อมูลสาธารณะ", "เปิดเผยบางส่วน", "internal"),
])
def test_treatment_is_the_closed_side_of_the_pair(category, classification, treatment):
    assert POLICY.treatment(category, classification) == treatment
    assert POLICY.is_public(category, classification) is (treatment == "public")


def test_the_file_is_the_repository_policy():
    assert DEFAULT_POLICY_FILE.name == "classification.yaml"
    assert DEFAULT_POLICY_FILE.parent.name == "catalog_config"
    assert POLICY.public_categories == ("ข้อมูลสาธารณะ",)
    assert POLICY.public_classifications == ("เปิดเผย",)
    assert POLICY.label("withheld").en.startswith("withheld")


def _document() -> dict:
    return yaml.safe_load(DEFAULT_POLICY_FILE.read_text(encoding="utf-8"))


@pytest.mark.parametrize("edit, message", [
    (lambda d: d.update(unknown="public"), "cannot be public"),
    (lambda d: d["classifications"].update({"ลับ": "secret"}), "is not a treatment"),
    (lambda d: d["categories"]["ข้อมูลสาธารณะ"]["classifications"].append("ไม่มี"),
     "not listed under `classifications`"),
    (lambda d: d["treatments"].pop("withheld"), "treatments.withheld needs"),
    (lambda d: d.pop("categories"), "`categories` must be a non-empty mapping"),
])
def test_a_broken_policy_says_what_to_fix(edit, message):
    document = _document()
    edit(document)
    with pytest.raises(PolicyError, match=message):
        policy_from_mapping(document, source="classification.yaml")


def test_a_missing_file_names_it(tmp_path):
    with pytest.raises(PolicyError, match="cannot read the classification policy"):
        load_policy(tmp_path / "nope.yaml")


def test_the_architecture_guide_table_states_the_policy_file():
    guide = DEFAULT_POLICY_FILE.parents[1] / "docs" / "architecture.md"
    section = guide.read_text(encoding="utf-8").split("## The gate", 1)[1].split("\n## ", 1)[0]
    rows = [line.strip("|").split("|") for line in section.splitlines()
            if line.startswith("| ข้อมูล")]
    stated = {(cells[0].strip(), level.strip()): cells[2].strip()
              for cells in rows for level in cells[1].split(",")}
    listed = {(category, level): POLICY.treatment(category, level)
              for category, levels in POLICY.allowed.items() for level in levels}
    assert stated == listed
