"""The flow's cache keys: any input a dataset's result depends on changes its input_hash; a
file of another dataset does not (unless the foreign keys reference it)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from flows.datasets import discover_datasets
from flows.orchestrate.fingerprint import InputHashes, file_sha256, input_hashes
from flows.settings import PROJECT_ROOT

EXTENSION_SCHEMAS = Path("catalog_config/ckanext-senate_dga/ckanext/senate_dga/schemas")


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """The declarations, tidy CSVs and catalog rules of the three pilots (no raw files)."""
    for folder in ("metadata", "schemas", EXTENSION_SCHEMAS):
        shutil.copytree(PROJECT_ROOT / folder, tmp_path / folder)
    for rules in ("organization.yaml", "classification.yaml"):
        shutil.copy(PROJECT_ROOT / "catalog_config" / rules, tmp_path / "catalog_config" / rules)
    for dataset in ("senate-votes", "senator-votes", "senators"):
        (tmp_path / "datasets" / dataset).mkdir(parents=True)
        shutil.copy(PROJECT_ROOT / "datasets" / dataset / f"{dataset}.csv",
                    tmp_path / "datasets" / dataset / f"{dataset}.csv")
    return tmp_path


def hashes(root: Path) -> dict[str, InputHashes]:
    specs = {spec.id: spec for spec in discover_datasets(root)}
    return {dataset: input_hashes(spec, specs) for dataset, spec in specs.items()}


def touch(path: Path) -> None:
    """Change one byte of the file's content (the last one), keeping its size."""
    data = bytearray(path.read_bytes())
    data[-1] = ord(" ") if data[-1] != ord(" ") else ord("\n")
    path.write_bytes(bytes(data))


# (file under the root, the hash field that names it)
INPUTS = [
    ("datasets/senate-votes/senate-votes.csv", "source_sha256"),
    ("schemas/senate-votes.schema.json", "schema_sha256"),
    ("schemas/senate-votes.expectations.json", "suite_sha256"),
    ("metadata/senate-votes.yaml", "metadata_sha256"),
    ("metadata/waivers/senate-votes.yaml", "waivers_sha256"),
]


def test_the_hashes_are_of_content_only_and_repeatable(root: Path, tmp_path_factory) -> None:
    first = hashes(root)
    again = hashes(root)
    elsewhere = tmp_path_factory.mktemp("elsewhere") / "copy"
    shutil.copytree(root, elsewhere)
    assert first == again == hashes(elsewhere)
    assert len({h.input_hash for h in first.values()}) == len(first)  # no two share a key
    assert first["senate-votes"].source_sha256 == file_sha256(
        root / "datasets/senate-votes/senate-votes.csv")


@pytest.mark.parametrize(("relative", "field"), INPUTS, ids=[field for _, field in INPUTS])
def test_a_byte_changed_in_an_input_changes_that_dataset_key_only(root: Path, relative: str,
                                                                 field: str) -> None:
    before = hashes(root)
    touch(root / relative)
    after = hashes(root)
    assert getattr(after["senate-votes"], field) != getattr(before["senate-votes"], field)
    assert after["senate-votes"].input_hash != before["senate-votes"].input_hash
    # senators does not reference senate-votes: its key stays.
    assert after["senators"] == before["senators"]


@pytest.mark.parametrize("referenced", ["datasets/senators/senators.csv",
                                        "schemas/senators.schema.json"])
def test_a_referenced_dataset_changes_the_referencing_key(root: Path, referenced: str) -> None:
    before = hashes(root)
    touch(root / referenced)
    after = hashes(root)
    # senator-votes' foreign keys reference senators: its result may change, so must its key.
    assert after["senator-votes"].references_sha256 != before["senator-votes"].references_sha256
    assert after["senator-votes"].input_hash != before["senator-votes"].input_hash
    assert after["senator-votes"].source_sha256 == before["senator-votes"].source_sha256
    # senate-votes references nothing.
    assert after["senate-votes"] == before["senate-votes"]


def test_an_unreferenced_file_of_the_referenced_dataset_does_not(root: Path) -> None:
    """senator-votes depends on senators' CSV and schema, not on its metadata or suite."""
    before = hashes(root)
    touch(root / "metadata/senators.yaml")
    after = hashes(root)
    assert after["senators"].input_hash != before["senators"].input_hash
    assert after["senator-votes"] == before["senator-votes"]
    assert after["senate-votes"] == before["senate-votes"]


def test_creating_or_removing_waivers_changes_the_key(root: Path) -> None:
    (root / "metadata/waivers/senator-votes.yaml").unlink()   # start without one
    before = hashes(root)
    assert before["senator-votes"].waivers_sha256 is None  # no waivers file
    (root / "metadata/waivers/senator-votes.yaml").write_text("waivers: []\n", encoding="utf-8")
    created = hashes(root)
    assert created["senator-votes"].waivers_sha256 is not None
    assert created["senator-votes"].input_hash != before["senator-votes"].input_hash

    (root / "metadata/waivers/senate-votes.yaml").unlink()
    removed = hashes(root)
    assert removed["senate-votes"].waivers_sha256 is None
    assert removed["senate-votes"].input_hash != before["senate-votes"].input_hash


@pytest.mark.parametrize("rules", ["organization.yaml", "classification.yaml"])
def test_a_catalog_rule_change_changes_every_key(root: Path, rules: str) -> None:
    before = hashes(root)
    touch(root / "catalog_config" / rules)
    after = hashes(root)
    for dataset in before:
        assert after[dataset].rules_sha256 != before[dataset].rules_sha256
        assert after[dataset].input_hash != before[dataset].input_hash


def test_a_missing_file_is_a_state_of_its_own(root: Path) -> None:
    before = hashes(root)
    (root / "datasets/senate-votes/senate-votes.csv").unlink()
    after = hashes(root)
    assert after["senate-votes"].source_sha256 == "absent"
    assert after["senate-votes"].input_hash != before["senate-votes"].input_hash


def test_the_record_form_has_the_documented_keys(root: Path) -> None:
    record = hashes(root)["senate-votes"].as_record()
    assert {"source_sha256", "schema_sha256", "suite_sha256", "metadata_sha256",
            "waivers_sha256", "input_hash"} <= set(record)


def test_a_code_list_outside_the_run_changes_the_key(tmp_path: Path) -> None:
    """The issue's stale case: `run kpi-2-3-ita` after a row left senate-units (its code list)
    must not reuse the cached "pass": senate-units is not in that run, yet its key changes."""
    from tests.integration.publish_helpers import copy_project

    root = copy_project(tmp_path / "project", ["senate-units", "kpi-2-3-ita"])
    ita = {spec.id: spec for spec in discover_datasets(root) if spec.id == "kpi-2-3-ita"}

    def key() -> str:
        return input_hashes(ita["kpi-2-3-ita"], ita).input_hash

    before = key()
    units = root / "datasets/senate-units/senate-units.csv"
    lines = units.read_text(encoding="utf-8").splitlines(keepends=True)
    units.write_text("".join(line for line in lines if not line.startswith("HOR,")),
                     encoding="utf-8")
    assert key() != before

