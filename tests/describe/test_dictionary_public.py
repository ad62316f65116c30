"""The public data dictionary (``data-dictionary``): which datasets it covers, which fields, and
that it is derived the same way twice."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import pytest
import yaml

from flows.datasets import load_dataset
from flows.describe.dictionary import DICTIONARY_COLUMNS
from flows.describe.dictionary_public import public_dataset_ids, public_dictionary_entries
from flows.orchestrate import derive as derive_module
from flows.datasets import DeriveContext, run_order
from flows.orchestrate.derive import derive
from tests.integration.publish_helpers import copy_project

DICTIONARY = "data-dictionary"
DATASETS = ("senate-units", "kpi-2-3-ita", "senators", "kpi-1-3-conditions", DICTIONARY)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_project(tmp_path_factory.mktemp("project"), DATASETS)


def _record(dataset: str, status: str, decision: str, when: str = "2026-12-01") -> dict:
    return {"dataset": dataset, "status": status, "finished_at": f"{when}T00:00:00+00:00",
            "catalog": {"decision": decision}}


def _schema_fields(root: Path, dataset: str) -> list[dict]:
    return json.loads((root / "schemas" / f"{dataset}.schema.json").read_text())["fields"]


def test_only_what_the_gate_published_for_everyone_is_covered(project: Path) -> None:
    history = [
        _record("senate-units", "published", "public"),
        _record("senators", "published", "public", "2026-11-01"),
        _record("senators", "unchanged", "public"),                # confirmed since
        _record("kpi-2-3-ita", "published", "public", "2026-11-01"),
        _record("kpi-2-3-ita", "held", "hold"),                    # its newest run held it
        _record("kpi-1-3-conditions", "published", "private"),
        _record(DICTIONARY, "published", "public"),
    ]
    assert public_dataset_ids(project, history, exclude=[DICTIONARY]) == [
        "senate-units", "senators"]
    assert public_dataset_ids(project, [], exclude=[DICTIONARY]) == []


def test_a_dataset_declared_internal_now_is_left_out_whatever_its_record(tmp_path: Path) -> None:
    root = copy_project(tmp_path, ("senate-units", "kpi-2-3-ita"))
    path = root / "metadata" / "kpi-2-3-ita.yaml"
    metadata = yaml.safe_load(path.read_text(encoding="utf-8"))
    metadata["dga"].update(data_category="ข้อมูลใช้ภายใน",
                           data_classification="ชั้นเผยแพร่ภายในองค์กร")
    path.write_text(yaml.safe_dump(metadata, allow_unicode=True), encoding="utf-8")
    history = [_record("senate-units", "published", "public"),
               _record("kpi-2-3-ita", "published", "public")]   # from before the change
    assert public_dataset_ids(root, history) == ["senate-units"]


def test_rows_are_the_public_fields_of_the_public_datasets(project: Path) -> None:
    entries = public_dictionary_entries(project, ["senators", "senate-units"])
    expected = [(dataset, field["name"], field["description_th"])
                for dataset in ("senate-units", "senators")     # sorted by id
                for field in _schema_fields(project, dataset) if not field.get("personalData")]
    assert [(e["dataset"], e["field"], e["description_th"]) for e in entries] == expected
    assert "birthdate" not in {e["field"] for e in entries}
    assert not any(e["personal_data"] for e in entries)
    titles = {e["dataset"]: e["dataset_title"] for e in entries}
    assert titles["senators"] == yaml.safe_load(
        (project / "metadata/senators.yaml").read_text(encoding="utf-8"))["dga"]["title"]
    # examples come from the data, never from a personal column
    first_names = {e["field"]: e["examples"] for e in entries if e["dataset"] == "senators"}
    assert first_names["first_name"] and all(first_names.values())


def _context(root: Path, history: list[dict]) -> DeriveContext:
    return DeriveContext(root=root, out_dir=root / "out", today=date(2026, 12, 5),
                         catalog_url="http://catalog.example", history=history)


def test_the_dataset_is_derived_to_the_same_bytes_and_a_readable_page(project: Path) -> None:
    spec = load_dataset(project, DICTIONARY)
    history = [_record("senate-units", "published", "public"),
               _record("senators", "published", "public")]
    [page] = derive(spec, _context(project, history))
    first = (spec.csv_path.read_bytes(), page.path.read_bytes())
    [again] = derive(spec, _context(project, list(reversed(history))))
    assert (spec.csv_path.read_bytes(), again.path.read_bytes()) == first
    assert (page.kind, page.format) == ("catalog-dictionary-page", "HTML")
    assert page.path == project / "out" / DICTIONARY / "catalog-dictionary.html"
    text = first[0].decode("utf-8")
    assert not text.startswith("\ufeff")   # a data file, as every other: no byte-order mark
    rows = list(csv.DictReader(io.StringIO(text)))
    assert tuple(rows[0]) == DICTIONARY_COLUMNS
    public = sum(1 for d in ("senate-units", "senators") for f in _schema_fields(project, d)
                 if not f.get("personalData"))
    assert len(rows) == public and {r["dataset"] for r in rows} == {"senate-units", "senators"}
    html = page.path.read_text(encoding="utf-8")
    assert "ชุดข้อมูลที่เผยแพร่สาธารณะในบัญชีข้อมูล 2 ชุด" in html and "birthdate" not in html


def test_the_data_dictionary_is_derived_last() -> None:
    assert list(derive_module.DERIVERS)[-1] == "catalog/dictionary"


def test_a_deriver_never_sees_the_records_of_datasets_derived_after_it(
        project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: dict[str, set[str]] = {}

    def spy(name: str):
        def deriver(spec, context):
            seen[spec.id] = {record["dataset"] for record in context.history}
            return []
        return deriver

    for name in derive_module.DERIVERS:
        monkeypatch.setitem(derive_module.DERIVERS, name, spy(name))
    history = [_record(d, "published", "public") for d in DATASETS]
    specs = run_order([load_dataset(project, d) for d in DATASETS])
    assert [s.id for s in specs][-2:] == ["kpi-1-3-conditions", DICTIONARY]
    for spec in specs:
        derive(spec, _context(project, history))
    # the conditions report on the others, not on the dictionary derived after them, and the
    # dictionary covers the conditions: neither changes on the run after the other's
    assert seen["kpi-1-3-conditions"] == {"senate-units", "kpi-2-3-ita", "senators"}
    assert seen[DICTIONARY] == {"senate-units", "kpi-2-3-ita", "senators", "kpi-1-3-conditions"}
