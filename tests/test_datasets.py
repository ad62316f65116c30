"""Discovery and loading isolate one dataset's broken metadata file: the spec carries the
problem (file, line, what to fix) and every other dataset loads as before. A bad *id* still
stops the command (tests/test_dataset_ids.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from flows.datasets import DatasetSpec, discover_datasets, load_dataset
from flows.errors import ConfigError

GOOD = "id: {name}\nsource: {encoding: utf-8}\ngroups: [performance]\n"


def _project(root: Path, **files: str) -> Path:
    """``metadata/<name>.yaml`` for each name (``_`` in a keyword stands for ``-``)."""
    (root / "metadata").mkdir(parents=True)
    for name, text in files.items():
        dataset_id = name.replace("_", "-")
        (root / "metadata" / f"{dataset_id}.yaml").write_text(
            text.replace("{name}", dataset_id), encoding="utf-8")
    return root


def _specs(root: Path) -> dict[str, DatasetSpec]:
    return {spec.id: spec for spec in discover_datasets(root)}


def test_a_yaml_syntax_error_is_that_datasets_problem_with_file_and_line(tmp_path) -> None:
    root = _project(tmp_path, good_one=GOOD,
                    broken="id: broken\nsource: {encoding: utf-8}\ndga:\n  title: [unclosed\n"
                           "  notes: x\n")
    specs = _specs(root)
    assert specs["good-one"].problem is None and specs["good-one"].groups == ["performance"]
    problem = specs["broken"].problem
    assert problem is not None and problem.rule == "config/metadata-unreadable"
    assert (problem.file, problem.line) == ("metadata/broken.yaml", 5)
    text = str(problem)
    assert text.startswith("metadata/broken.yaml, line 5: the metadata file is not valid YAML: ")
    assert "starts at line 4" in text and "Fix the YAML syntax at that line" in text
    assert specs["broken"].metadata == {} and specs["broken"].source == {}


@pytest.mark.parametrize(("text", "what"), [
    ("- a list\n- of things\n", "holds a list, not a mapping of metadata keys"),
    ("just some text\n", "holds a text, not a mapping"),
])
def test_a_file_that_is_no_mapping_is_a_problem(tmp_path, text: str, what: str) -> None:
    problem = _specs(_project(tmp_path, broken=text))["broken"].problem
    assert problem is not None and what in problem.message_en and problem.line is None


def test_a_file_that_is_not_utf8_is_a_problem(tmp_path) -> None:
    root = _project(tmp_path, good=GOOD)
    (root / "metadata" / "latin.yaml").write_bytes("title: caf\xe9\n".encode("latin-1"))
    problem = _specs(root)["latin"].problem
    assert problem is not None and "is not UTF-8 text" in problem.message_en
    assert problem.hint_en == "Save the file as UTF-8"


@pytest.mark.parametrize(("source", "complaint"), [
    ("[1, 2]", "source: is a list; write a mapping"),
    ("{encoding: utf-8, reeder: x}", "source.reeder: unknown key"),
    ("{reader: x, files: raw/a.yaml}", "source.files: 'raw/a.yaml' is not a list of file names"),
    ("{encoding: klingon}", "source.encoding: 'klingon' is not a known text encoding"),
    ("{encoding: [utf-8]}", "source.encoding: ['utf-8'] is not a known text encoding"),
    ("{derived: kpi/nothing}", "source.derived: 'kpi/nothing' is unknown; use one of"),
    ("{reader: x, derived: kpi/scorecard}", "source.derived: a dataset is read by a reader or "
                                            "derived, not both"),
    ("{reader: 5}", "source.reader: 5 is not a name"),
])
def test_a_malformed_source_block_is_a_problem_and_no_stage_reads_it(
        tmp_path, source: str, complaint: str) -> None:
    root = _project(tmp_path, good=GOOD, odd=f"source: {source}\ndga: {{title: t}}\n")
    spec = _specs(root)["odd"]
    assert spec.problem is not None and spec.problem.rule == "config/metadata-source"
    assert complaint in spec.problem.message_en
    assert spec.source == {} and spec.declared_encoding is None
    assert spec.metadata["dga"] == {"title": "t"}   # what could be read is kept


def test_a_well_formed_source_block_has_no_problem(tmp_path) -> None:
    root = _project(tmp_path, read=("source: {reader: politician-directory/senators, "
                                    "files: [raw/a.yaml], encoding: cp874, "
                                    "snapshot_date: 2026-11-28}\n"),
                    made="source: {derived: kpi/scorecard}\n", empty="")
    assert {spec.id: spec.problem for spec in discover_datasets(root)} == {
        "empty": None, "made": None, "read": None}


def test_loading_a_broken_dataset_by_id_returns_it_with_its_problem(tmp_path) -> None:
    root = _project(tmp_path, broken="dga: {title: [x}\n")
    spec = load_dataset(root, "broken")
    assert spec.problem is not None and spec.problem.line == 1


def test_a_bad_id_key_still_stops_discovery(tmp_path) -> None:
    root = _project(tmp_path, good=GOOD, other="id: not-other\n")
    with pytest.raises(ConfigError, match="differs from the file name"):
        discover_datasets(root)


def test_groups_of_a_spec_are_a_list_of_texts_or_none(tmp_path) -> None:
    root = _project(tmp_path, aa="groups: performance\n", bb="groups: [x, 1]\n")
    specs = _specs(root)
    assert specs["aa"].groups == [] and specs["bb"].groups == ["x", "1"]
