"""Property: change any one input file of any dataset, and the input hash (the flow's cache key)
of exactly the datasets whose result depends on that file changes; every other key stays.

Hypothesis draws a small project — datasets, the foreign keys and code lists between them
(cycles, self-references and ids that are no dataset included), readers, waivers, encodings —
and one change. The expected set comes from the drawn graph, not from the code under test:

- a dataset depends on every input file of its own;
- on the CSV, the Table Schema and the declared encoding of every dataset its schema
  references, transitively (validation loads them all), whether or not they are in the run;
- not on a referenced dataset's suite, waivers, raw files or other metadata;
- on whether an id it references is a dataset (creating ``metadata/<id>.yaml`` counts);
- every dataset depends on the project's organisation and classification files and its
  scheming schema.

The run is drawn too: keys are computed with only some datasets selected, as `run <id>` does.
"""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from flows.datasets import discover_datasets
from flows.orchestrate.fingerprint import input_hashes

IDS = ("ds-a", "ds-b", "ds-c", "ds-d", "ds-e")
MISSING = "ds-gone"               # referenced, but no metadata/ds-gone.yaml (yet)
ENCODINGS = (None, "utf-8", "cp874")
SCHEMING = Path("catalog_config/ckanext-senate_dga/ckanext/senate_dga/schemas")
PROJECT_FILES = ("catalog_config/organization.yaml", "catalog_config/classification.yaml",
                 f"{SCHEMING}/dga_dataset.yaml")
#: Changes to one dataset's files; the second element: whether a dataset referencing it
#: depends on that change.
OWN_CHANGES = {"csv": True, "schema": True, "encoding": True, "suite": False, "title": False,
               "waivers": False, "raw": False}


@dataclass(frozen=True)
class Dataset:
    id: str
    references: tuple[tuple[str, str], ...]   # (target id, "fk" | "code-list")
    encoding: str | None
    reader: bool
    waivers: bool


@st.composite
def projects(draw: st.DrawFn) -> tuple[Dataset, ...]:
    ids = IDS[:draw(st.integers(min_value=2, max_value=len(IDS)))]
    targets = st.sampled_from([*ids, MISSING])
    return tuple(Dataset(
        id=dataset,
        references=tuple(draw(st.lists(st.tuples(targets, st.sampled_from(["fk", "code-list"])),
                                       max_size=3, unique_by=lambda ref: ref[0]))),
        encoding=draw(st.sampled_from(ENCODINGS)), reader=draw(st.booleans()),
        waivers=draw(st.booleans())) for dataset in ids)


@st.composite
def changes(draw: st.DrawFn, datasets: tuple[Dataset, ...]) -> tuple[str, str]:
    """(what, whose): one dataset's file, the missing dataset created, or a project file."""
    own = [(kind, d.id) for d in datasets for kind in OWN_CHANGES
           if kind != "raw" or d.reader]
    return draw(st.sampled_from([*own, ("create", MISSING),
                                 *(("project", path) for path in PROJECT_FILES)]))


# --- the oracle: from the drawn graph ----------------------------------------------------------

def closure(datasets: tuple[Dataset, ...], start: str) -> set[str]:
    """Every id ``start`` references, transitively; an id that is no dataset is not followed."""
    by_id = {d.id: d for d in datasets}
    found, pending = set(), [start]
    while pending:
        for target, _ in by_id[pending.pop()].references:
            if target not in found and target != start:
                found.add(target)
                if target in by_id:
                    pending.append(target)
    return found


def expected(datasets: tuple[Dataset, ...], change: tuple[str, str]) -> set[str]:
    kind, whose = change
    if kind == "project":
        return {d.id for d in datasets}
    if kind == "create":
        return {d.id for d in datasets if MISSING in closure(datasets, d.id)}
    return {d.id for d in datasets
            if d.id == whose or (OWN_CHANGES[kind] and whose in closure(datasets, d.id))}


# --- the project on disk -----------------------------------------------------------------------

def write_project(root: Path, datasets: tuple[Dataset, ...]) -> None:
    for relative in PROJECT_FILES:
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text(f"# {relative}\n", encoding="utf-8")
    for dataset in datasets:
        write_dataset(root, dataset)


def write_dataset(root: Path, dataset: Dataset) -> None:
    folder = root / "datasets" / dataset.id
    (folder / "raw").mkdir(parents=True, exist_ok=True)
    (folder / f"{dataset.id}.csv").write_text("code,name\nA,alpha\n", encoding="utf-8")
    (folder / "raw" / "source.yaml").write_text("rows: [A]\n", encoding="utf-8")
    fields = [{"name": "code", "type": "string", "description": "the code"}]
    keys = []
    for index, (target, how) in enumerate(dataset.references):
        name = f"ref_{index}"
        field = {"name": name, "type": "string"}
        if how == "code-list":
            field["codeList"] = {"resource": target, "field": "code"}
        else:
            keys.append({"fields": name, "reference": {"resource": target, "fields": "code"}})
        fields.append(field)
    schema = {"fields": fields, "primaryKey": "code", **({"foreignKeys": keys} if keys else {})}
    _write(root / "schemas" / f"{dataset.id}.schema.json", json.dumps(schema, indent=2))
    _write(root / "schemas" / f"{dataset.id}.expectations.json",
           json.dumps({"name": dataset.id, "expectations": []}))
    source = {"encoding": dataset.encoding} if dataset.encoding else {}
    if dataset.reader:
        source.update(reader="politician_directory", files=["raw/source.yaml"])
    _write(root / "metadata" / f"{dataset.id}.yaml", yaml.safe_dump(
        {"id": dataset.id, "source": source, "dga": {"title": f"title of {dataset.id}"}}))
    if dataset.waivers:
        _write(root / "metadata" / "waivers" / f"{dataset.id}.yaml", "waivers: []\n")


def apply(root: Path, datasets: tuple[Dataset, ...], change: tuple[str, str]) -> None:
    kind, whose = change
    by_id = {d.id: d for d in datasets}
    if kind == "project":
        _append(root / whose, "# changed\n")
    elif kind == "create":
        write_dataset(root, Dataset(MISSING, (), None, reader=False, waivers=False))
    elif kind == "csv":
        _append(root / "datasets" / whose / f"{whose}.csv", "B,beta\n")
    elif kind == "schema":   # a description only: the references stay as drawn
        path = root / "schemas" / f"{whose}.schema.json"
        schema = json.loads(path.read_text(encoding="utf-8"))
        schema["fields"][0]["description"] = "the code, described again"
        _write(path, json.dumps(schema, indent=2))
    elif kind == "suite":
        _write(root / "schemas" / f"{whose}.expectations.json",
               json.dumps({"name": whose, "expectations": [], "meta": {"edited": True}}))
    elif kind in ("title", "encoding"):
        path = root / "metadata" / f"{whose}.yaml"
        metadata = yaml.safe_load(path.read_text(encoding="utf-8"))
        if kind == "title":
            metadata["dga"]["title"] += " (edited)"
        else:
            other = next(e for e in ENCODINGS if e and e != by_id[whose].encoding)
            metadata["source"]["encoding"] = other
        _write(path, yaml.safe_dump(metadata))
    elif kind == "waivers":   # created when absent, edited when present
        _append(root / "metadata" / "waivers" / f"{whose}.yaml", "# renewed\n")
    elif kind == "raw":
        _append(root / "datasets" / whose / "raw" / "source.yaml", "# edited\n")


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _append(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as handle:
        handle.write(text)


def keys(root: Path, selected: set[str]) -> dict[str, str]:
    """Each dataset's input hash, computed in a run of ``selected`` only (as `run <id>`)."""
    specs = {spec.id: spec for spec in discover_datasets(root)}
    run = {dataset: spec for dataset, spec in specs.items() if dataset in selected}
    return {dataset: input_hashes(spec, run).input_hash for dataset, spec in specs.items()}


# --- the property ------------------------------------------------------------------------------


@pytest.mark.slow  # 150 generated projects hashed: ~3 s
@settings(max_examples=150, deadline=None, database=None, derandomize=True)
@given(data=st.data())
def test_one_changed_file_changes_the_keys_of_exactly_its_dependents(data: st.DataObject) -> None:
    datasets = data.draw(projects(), label="project")
    change = data.draw(changes(datasets), label="change")
    selected = set(data.draw(st.lists(st.sampled_from([d.id for d in datasets]), min_size=1),
                             label="run"))
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        write_project(root, datasets)
        before = keys(root, selected)
        apply(root, datasets, change)
        after = keys(root, selected)
    changed = {dataset for dataset in before if after[dataset] != before[dataset]}
    assert changed == expected(datasets, change)


def test_the_oracle_sees_a_reference_outside_the_run() -> None:
    """The issue's case in miniature: kpi-2-3-ita alone in the run, senate-units edited."""
    units = Dataset("ds-a", (), None, reader=False, waivers=False)
    ita = Dataset("ds-b", (("ds-a", "code-list"),), None, reader=False, waivers=False)
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        write_project(root, (units, ita))
        before = keys(root, {"ds-b"})
        apply(root, (units, ita), ("csv", "ds-a"))
        assert keys(root, {"ds-b"})["ds-b"] != before["ds-b"]
