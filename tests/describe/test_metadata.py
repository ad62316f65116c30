"""Metadata problems are found before any network call, named by field, value and choices."""

from datetime import date

import pytest

from flows.describe.metadata import check_dga_fields, dga_field_problems, normalize_dga_fields
from flows.describe.scheming import load_schema_rules
from flows.errors import ConfigError

SCHEMA = load_schema_rules()
GOOD = {
    "data_type": "ข้อมูลระเบียน", "title": "ชุดข้อมูลทดสอบ", "name": "test-dataset",
    "owner_org": "senate-secretariat", "maintainer": "สำนักการประชุม",
    "maintainer_email": "meeting@senate.go.th", "tag_string": "วุฒิสภา,Senate",
    "notes": "รายละเอียด", "objective": ["พันธกิจหน่วยงาน"],
    "update_frequency_unit": "ไม่มีการปรับปรุงหลังจากการจัดเก็บข้อมูล", "geo_coverage": "ประเทศ",
    "data_source": "senate.go.th", "data_format": ["CSV"], "data_category": "ข้อมูลสาธารณะ",
    "data_classification": "เปิดเผย", "license_id": "Open Data Common",
}


def problems(**changes):
    fields = {k: v for k, v in {**GOOD, **changes}.items() if v is not None}
    return dga_field_problems(fields, SCHEMA, private=False)


def test_good_fields_pass() -> None:
    assert problems() == []


@pytest.mark.parametrize("changes, expected", [
    ({"colour": "red"}, "colour: unknown field"),
    ({"title": None}, "title: required but missing"),
    ({"geo_coverage": "โลกทั้งใบ"}, "geo_coverage: 'โลกทั้งใบ' is not an allowed value; allowed (one of): ไม่มี, โลก"),
    ({"objective": ["พันธกิจหน่วยงาน", "xx"]}, "objective: 'xx' is not an allowed value; allowed (one or more of)"),
    ({"license_id": "อื่นๆ"}, "license_id_other: Required when license_id is อื่นๆ"),
    ({"license_id_other": "MIT"}, "license_id_other: Only allowed when license_id is อื่นๆ"),
    ({"data_type": "ข้อมูลประเภทอื่นๆ"}, "data_type_other: Required when data_type is ข้อมูลประเภทอื่นๆ"),
    ({"data_classification": "ลับ"}, "data_classification: 'ลับ': ข้อมูลสาธารณะ allows only: เปิดเผย"),
    ({"created_date": "2562-01-01"}, "created_date: '2562-01-01': Year 2562 looks like a Buddhist Era year"),
    ({"created_date": "1/2/2020"}, "created_date: '1/2/2020' is not a date"),
    ({"maintainer_email": "not-an-email"}, "maintainer_email: 'not-an-email' is not an e-mail"),
    ({"name": "x" * 71}, "Must be at most 70 characters"),
    ({"name": "Bad Name"}, "must be at least 2 characters of a-z"),
    ({"tag_string": "ok,bad/tag"}, 'Tag "bad/tag" can only contain'),
])
def test_each_rule_names_field_value_and_allowed(changes, expected) -> None:
    assert any(expected in p for p in problems(**changes)), problems(**changes)


def test_public_dataset_must_be_public_open_data() -> None:
    fields = {**GOOD, "data_category": "ข้อมูลใช้ภายใน", "data_classification": "ชั้นเผยแพร่ภายในองค์กร"}
    assert dga_field_problems(fields, SCHEMA, private=True) == []
    public = dga_field_problems(fields, SCHEMA, private=False)
    assert [p.split(":")[0] for p in public] == ["data_category", "data_classification"]


def test_check_lists_every_problem_of_the_file() -> None:
    with pytest.raises(ConfigError) as caught:
        check_dga_fields({**GOOD, "title": "", "geo_coverage": "x"}, SCHEMA,
                         source="metadata/x.yaml", private=False)
    message = str(caught.value)
    assert message.startswith("metadata/x.yaml: 2 metadata problem(s)")
    assert "title: required" in message and "geo_coverage: 'x'" in message


def test_yaml_values_are_normalised_to_what_ckan_takes() -> None:
    fields = normalize_dga_fields({"created_date": date(2019, 8, 5), "allow_harvest": True,
                                   "objective": "พันธกิจหน่วยงาน", "tag_string": ["ก ข", "Senate"],
                                   "update_frequency_interval": 1}, SCHEMA)
    assert fields == {"created_date": "2019-08-05", "allow_harvest": "True",
                      "objective": ["พันธกิจหน่วยงาน"], "tag_string": "ก ข,Senate",
                      "update_frequency_interval": "1"}
