"""The describe stage on the project's own metadata files, and its public copy."""

from pathlib import Path

import pytest

from flows.datasets import DatasetSpec, discover_datasets
from flows.describe.declared import load_declared_metadata
from flows.describe.describe import describe_dataset
from flows.describe.public_copy import public_copy_bytes
from flows.describe.scheming import load_schema_rules
from flows.describe.stakeholders import load_organization_profile
from flows.errors import ConfigError
from flows.settings import PROJECT_ROOT
from flows.validation.findings import ValidationResult

SCHEMA = load_schema_rules()
PROFILE = load_organization_profile(PROJECT_ROOT / "catalog_config" / "organization.yaml")
SPECS = {spec.id: spec for spec in discover_datasets(PROJECT_ROOT)}


@pytest.mark.parametrize("dataset_id", sorted(SPECS))
def test_project_metadata_files_pass_the_catalog_rules(dataset_id: str) -> None:
    declared = load_declared_metadata(SPECS[dataset_id], schema=SCHEMA, organization=PROFILE)
    assert set(declared.stakeholders) == {"data_owner", "data_steward", "data_custodian"}
    if str(SPECS[dataset_id].source.get("reader", "")).startswith("politician-directory/"):
        # The pilots come from ELECT's politician-directory: its MIT licence (the licence
        # table's "MIT License", catalog licence MIT) is credited in the access conditions.
        assert declared.dga["license_id_other"] == "MIT License"
        assert "© 2022 ELECT" in declared.dga["accessible_condition"]
        assert "ELECT" in declared.dga["notes"]


def test_metadata_errors_name_file_field_and_allowed_values() -> None:
    spec = SPECS["senate-votes"]
    bad = DatasetSpec(id=spec.id, root=spec.root, metadata={
        **spec.metadata, "groups": ["nope"], "extra": 1,
        "stakeholders": {"data_owner": "ict-custodian"},
        "dga": {**spec.metadata["dga"], "geo_coverage": "ดาวอังคาร", "name": "typed"}})
    with pytest.raises(ConfigError) as caught:
        load_declared_metadata(bad, schema=SCHEMA, organization=PROFILE)
    message = str(caught.value)
    assert message.startswith("metadata/senate-votes.yaml: ")
    for expected in ("extra: unknown top-level key", "dga.name: derived by the pipeline",
                     "dga.geo_coverage: 'ดาวอังคาร' is not an allowed value; allowed (one of): ไม่มี",
                     "groups: 'nope' is not a group", "stakeholders.data_owner: 'ict-custodian' is declared as data_custodian",
                     "stakeholders.data_steward: None is not a stakeholder"):
        assert expected in message


def _describe(dataset_id: str, out: Path):
    (out / dataset_id).mkdir(parents=True, exist_ok=True)
    (out / dataset_id / "report.html").write_text("<html>report</html>", encoding="utf-8")
    result = ValidationResult(dataset=dataset_id, source="", source_sha256="", encoding="utf-8",
                              schema_version="", suite_version="", rows=252)
    return describe_dataset(SPECS[dataset_id], result=result, out_dir=out, organization=PROFILE,
                            schema=SCHEMA)


def test_personal_fields_stay_out_of_public_files(tmp_path: Path) -> None:
    described = _describe("senators", tmp_path)
    data = next(r for r in described.resources if r.kind == "data")
    assert data.path == tmp_path / "senators" / "public.csv"
    assert "birthdate" not in data.path.read_text(encoding="utf-8").splitlines()[0]
    assert described.personal_fields == ["birthdate"]
    assert described.internal_data.path == SPECS["senators"].csv_path
    assert described.internal_data.extras["resource_private"] == "True"
    # Its only date column is personal: the declared source date, never the copy's snapshot date.
    assert described.fields["last_updated_date"] == \
        SPECS["senators"].metadata["freshness"]["source_date"].isoformat()
    assert described.fields["last_updated_date"] != \
        SPECS["senators"].source["snapshot_date"].isoformat()
    assert "`birthdate`" in described.fields["notes"]
    assert [r.kind for r in described.resources] == ["data", "dictionary", "dictionary-html",
                                                     "schema", "report"]


def test_the_readable_dictionary_is_published_next_to_the_csv(tmp_path: Path) -> None:
    """dictionary.html is a resource of its own: HTML, Thai-first name, every public field with
    its Thai description, no personal-data field."""
    import json

    described = _describe("senators", tmp_path)
    page = next(r for r in described.resources if r.kind == "dictionary-html")
    assert (page.format, page.path) == ("HTML", tmp_path / "senators" / "dictionary.html")
    assert page.name == "พจนานุกรมข้อมูล (HTML) / Data dictionary (HTML)"
    assert page.description.startswith("คำอธิบายทุกฟิลด์ของชุดข้อมูล")
    assert page.extras == {"resource_private": "False"}
    text = page.path.read_text(encoding="utf-8")
    from html import unescape
    schema = json.loads(SPECS["senators"].schema_path.read_text(encoding="utf-8"))
    for field in schema["fields"]:
        if field.get("personalData"):
            assert field["name"] not in text
        else:
            assert unescape(text).count(field["description_th"]) == 1, field["name"]
    data = next(r for r in described.resources if r.kind == "data")
    kinds = [r.kind for r in described.resources]
    assert kinds.index("dictionary-html") == kinds.index("dictionary") + 1   # next to the CSV
    assert data.path.parent == page.path.parent


def test_public_schema_and_dictionary_never_name_a_personal_field(tmp_path: Path) -> None:
    """They describe the public file, which has no birthdate column."""
    described = _describe("senators", tmp_path)
    by_kind = {r.kind: r for r in described.resources}
    for kind in ("data", "dictionary", "schema"):
        assert "birthdate" not in by_kind[kind].path.read_text(encoding="utf-8-sig"), kind
    assert by_kind["schema"].path == tmp_path / "senators" / "public.schema.json"
    import json
    public_fields = [f["name"] for f in json.loads(by_kind["schema"].path.read_text())["fields"]]
    header = by_kind["data"].path.read_text(encoding="utf-8").splitlines()[0].split(",")
    assert public_fields == header


def test_described_fields_are_derived_and_reproducible(tmp_path: Path) -> None:
    first = _describe("senate-votes", tmp_path / "a")
    again = _describe("senate-votes", tmp_path / "b")
    assert first.fields == again.fields
    assert [(r.kind, r.sha256, r.size) for r in first.resources] == [
        (r.kind, r.sha256, r.size) for r in again.resources]
    fields = first.fields
    assert (fields["name"], fields["owner_org"]) == ("senate-votes", "senate-secretariat")
    assert fields["last_updated_date"] == "2020-09-24"
    assert (fields["first_year_of_data"], fields["last_year_of_data"]) == ("2562", "2563")
    assert fields["data_format"] == ["CSV", "JSON", "HTML"]
    assert fields["maintainer_email"].endswith("@senate.go.th")
    assert first.internal_data is None


def test_missing_report_says_to_validate_first(tmp_path: Path) -> None:
    result = ValidationResult(dataset="senate-votes", source="", source_sha256="",
                              encoding="utf-8", schema_version="", suite_version="")
    with pytest.raises(ConfigError, match="run `senate-catalog validate senate-votes` first"):
        describe_dataset(SPECS["senate-votes"], result=result, out_dir=tmp_path,
                         organization=PROFILE, schema=SCHEMA)


def test_public_copy_drops_columns_and_is_byte_stable(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text('a,secret,b\n1,x,"q, r"\n2,y,\n', encoding="utf-8")
    assert public_copy_bytes(source, drop=["secret"]) == b'a,b\n1,"q, r"\n2,\n'
    assert public_copy_bytes(source, drop=["secret"]) == public_copy_bytes(source, drop=["secret"])
    with pytest.raises(ConfigError, match=r"no column\(s\) \['nope'\]"):
        public_copy_bytes(source, drop=["nope"])
