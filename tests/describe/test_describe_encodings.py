"""Describe reads the CSV as validation does (flows.csv_source): a cp874 dataset gets its dates,
its Thai dictionary examples and a UTF-8 public copy; the tidy file is never changed; a file
that is not a table stops its description with a ``DataFileError``, never a decode crash."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from flows.datasets import load_dataset
from flows.describe.describe import describe_dataset
from flows.describe.scheming import load_schema_rules
from flows.describe.stakeholders import load_organization_profile
from flows.errors import DataFileError
from flows.settings import PROJECT_ROOT
from flows.validation.findings import ValidationResult
from tests.csv_source_samples import (EMPTY, NUL_BINARY, SPARSE_THAI_CP874, SPARSE_THAI_TEXT,
                                      THAI_WORD, UNDECODABLE, add_csv_dataset)
from tests.integration.publish_helpers import copy_project

SCHEMA = load_schema_rules()
PROFILE = load_organization_profile(PROJECT_ROOT / "catalog_config" / "organization.yaml")
DATASET = "zz-encoding"


def _describe(root: Path, out: Path):
    (out / DATASET).mkdir(parents=True, exist_ok=True)
    (out / DATASET / "report.html").write_text("<html>report</html>", encoding="utf-8")
    result = ValidationResult(dataset=DATASET, source="", source_sha256="", encoding="",
                              schema_version="", suite_version="", rows=20)
    return describe_dataset(load_dataset(root, DATASET), result=result, out_dir=out,
                            organization=PROFILE, schema=SCHEMA)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "project", [])


@pytest.mark.parametrize("declared", ["cp874", None], ids=["declared", "detected"])
def test_a_cp874_dataset_publishes_a_utf8_copy_of_its_text(root: Path, tmp_path: Path,
                                                           declared: str | None) -> None:
    csv_path = add_csv_dataset(root, DATASET, SPARSE_THAI_CP874, encoding=declared)
    described = _describe(root, tmp_path / "out")
    data = next(r for r in described.resources if r.kind == "data")
    assert data.path == tmp_path / "out" / DATASET / "public.csv"
    assert data.path.read_bytes() == SPARSE_THAI_TEXT.encode("utf-8")
    assert data.sha256 == hashlib.sha256(data.path.read_bytes()).hexdigest()
    assert csv_path.read_bytes() == SPARSE_THAI_CP874  # the source is never changed
    assert described.fields["last_updated_date"] == "2024-01-20"
    [note] = [entry for entry in described.dictionary if entry["field"] == "note_th"]
    assert note["examples"] == ["open", THAI_WORD]


def test_a_utf8_dataset_publishes_its_own_file(root: Path, tmp_path: Path) -> None:
    csv_path = add_csv_dataset(root, DATASET, SPARSE_THAI_TEXT.encode("utf-8"), encoding="utf-8")
    data = next(r for r in _describe(root, tmp_path / "out").resources if r.kind == "data")
    assert data.path == csv_path


def test_the_internal_file_of_a_cp874_dataset_is_utf8_too(root: Path, tmp_path: Path) -> None:
    csv_path = add_csv_dataset(root, DATASET, SPARSE_THAI_CP874, encoding="cp874")
    schema_path = root / "schemas" / f"{DATASET}.schema.json"
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    schema["fields"][2]["personalData"] = True
    schema_path.write_text(json.dumps(schema, ensure_ascii=False), encoding="utf-8")
    described = _describe(root, tmp_path / "out")
    assert described.internal_data.path == tmp_path / "out" / DATASET / "internal.csv"
    assert described.internal_data.path.read_text(encoding="utf-8") == SPARSE_THAI_TEXT
    data = next(r for r in described.resources if r.kind == "data")
    assert THAI_WORD not in data.path.read_text(encoding="utf-8")
    assert csv_path.read_bytes() == SPARSE_THAI_CP874


@pytest.mark.parametrize(("data", "rule"), [(EMPTY, "structure/empty-file"),
                                            (NUL_BINARY, "encoding/binary-file"),
                                            (UNDECODABLE, "encoding/undecodable")],
                         ids=["empty", "nul", "undecodable"])
def test_a_file_that_is_not_a_table_stops_describe_with_a_clean_error(
        root: Path, tmp_path: Path, data: bytes, rule: str) -> None:
    csv_path = add_csv_dataset(root, DATASET, data)
    with pytest.raises(DataFileError) as raised:
        _describe(root, tmp_path / "out")
    message = str(raised.value)
    assert message.startswith(f"the data file {csv_path} cannot be read ({rule}): ")
    assert "\\x" not in message and "b'" not in message
