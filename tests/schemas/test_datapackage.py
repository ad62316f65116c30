"""The Data Package ties the pilots together, and frictionless finds the committed data valid.

Resource paths climb out of ``schemas/`` (``../datasets/...``), which frictionless treats as
unsafe unless the package is trusted: our own repository's files are, so validation runs in a
trusted context (``frictionless validate --trusted schemas/datapackage.json`` on the command line).
"""

import re
import shutil

import pytest
from frictionless import Package, system

from flows.settings import PROJECT_ROOT
from tests.schemas.conftest import PILOTS, SCHEMAS


def package_resources() -> list[str]:
    """Every dataset the package lists (the committed ones; derived datasets are not in it)."""
    import json
    package = json.loads((SCHEMAS / "datapackage.json").read_text(encoding="utf-8"))
    return [resource["name"] for resource in package["resources"]]


def _validate(descriptor_path):
    with system.use_context(trusted=True):
        return Package(str(descriptor_path)).validate(limit_errors=100_000)


@pytest.fixture(scope="module")
def report():
    return _validate(SCHEMAS / "datapackage.json")


def test_package_names_each_dataset_with_its_csv_and_schema(datapackage):
    names = [r["name"] for r in datapackage["resources"]]
    assert names[:3] == list(PILOTS)
    assert [(r["path"], r["schema"]) for r in datapackage["resources"]] == [
        (f"../datasets/{i}/{i}.csv", f"{i}.schema.json") for i in names]
    for resource in datapackage["resources"]:
        assert (SCHEMAS / resource["path"]).is_file() and (SCHEMAS / resource["schema"]).is_file()
        assert resource["encoding"] == "utf-8"


def test_package_credits_elect_under_mit_in_thai_and_english(datapackage):
    assert re.search(r"[\u0E00-\u0E7F]", datapackage["title"])
    assert re.search(r"[A-Za-z]{3,}", datapackage["title"])
    assert [(lic["name"], lic["title"]) for lic in datapackage["licenses"]] == [
        ("MIT", "MIT License, Copyright (c) 2022 ELECT")]
    paths = " ".join(source["path"] for source in datapackage["sources"])
    assert "github.com/electinth/politician-directory" in paths
    assert "senate.go.th" in paths and "parliament.go.th" in paths


def test_committed_data_is_valid_including_foreign_keys(report):
    assert report.flatten(["taskNumber", "rowNumber", "fieldName", "type", "note"]) == []
    assert [task.stats["rows"] for task in report.tasks][:3] == [146, 252, 36540]
    assert len(report.tasks) == len(package_resources())


def test_foreign_key_check_does_run(tmp_path):
    # Proves the clean result above is not a check that silently never ran.
    shutil.copytree(SCHEMAS, tmp_path / "schemas")
    for dataset_id in package_resources():
        csv_path = PROJECT_ROOT / "datasets" / dataset_id / f"{dataset_id}.csv"
        (tmp_path / "datasets" / dataset_id).mkdir(parents=True)
        shutil.copy(csv_path, tmp_path / "datasets" / dataset_id)
    with (tmp_path / "datasets/senator-votes/senator-votes.csv").open("a", encoding="utf-8") as f:
        f.write("526,999,1,เห็นด้วย,yes\n")
    report = _validate(tmp_path / "schemas" / "datapackage.json")
    assert report.flatten(["rowNumber", "type"]) == [[36542, "foreign-key"]]
