"""A bad dataset id stops every command with exit 2 and the rule, before anything is written.

Each case runs on a copy of the project (one dataset) with the output folder, the stack folder
and PREFECT_HOME in the test's temporary folder, and compares that whole tree before and after:
no out/ folder, report, log, run record or Prefect state may appear. Configuration loading and
the flow are replaced by tripwires, so a regression fails here instead of running the pipeline.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import flows.cli.pipeline
import flows.cli.runs
from flows.cli import cli
from flows.dataset_ids import RULE
from tests.integration.publish_helpers import copy_project

DATASET = "senate-units"


def _tree(root: Path) -> dict[str, tuple[int, int]]:
    """Every path under ``root`` with its size and modification time."""
    return {str(path.relative_to(root)): (path.stat().st_size, path.stat().st_mtime_ns)
            for path in sorted(root.rglob("*"))}


def _tripwire(name: str):
    def reached(*_args, **_kwargs):
        raise AssertionError(f"{name} was reached with a bad dataset id")
    return reached


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = copy_project(tmp_path / "project", [DATASET])
    monkeypatch.setattr(flows.cli.pipeline, "checked_config",
                        _tripwire("the configuration check"))
    monkeypatch.setattr(flows.cli.pipeline, "run_flow", _tripwire("the Prefect flow"))
    for module in (flows.cli.pipeline, flows.cli.runs):
        monkeypatch.setattr(module, "load_config", _tripwire("the configuration"))
    return root


#: The commands that work on a project (--project): the ids are checked against its metadata/.
_ON_A_PROJECT = {"run", "publish", "validate", "plan", "ingest"}


def _invoke(tmp_path: Path, *args: str) -> Result:
    """Run the command on the project copy; assert it wrote nothing under ``tmp_path`` and
    exited 2 cleanly."""
    if args and args[0] in _ON_A_PROJECT:
        args = (args[0], "--project", str(tmp_path / "project"), *args[1:])
    env = {"SENATE_OUT_DIR": str(tmp_path / "out"), "SENATE_STACK_DIR": str(tmp_path / "stack"),
           "PREFECT_HOME": str(tmp_path / "prefect")}
    before = _tree(tmp_path)
    result = CliRunner().invoke(cli, list(args), env=env)
    assert _tree(tmp_path) == before
    assert not (tmp_path / "out").exists() and not (tmp_path / "prefect").exists()
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit)   # a message, not a traceback
    assert "Traceback" not in result.output
    return result


@pytest.mark.parametrize("args", [
    ("run", "../x"), ("run", "T-UPPER"), ("run", "ข้อมูล"), ("run", DATASET, "../x"),
    ("run", "a"), ("run", "x-internal"), ("publish", "../x"), ("validate", "../x"),
    ("plan", "../x"), ("ingest", "../x"), ("status", "../x"), ("report", "../x"),
], ids=" ".join)
def test_a_bad_id_argument_exits_2_with_the_rule_and_writes_nothing(
        project: Path, tmp_path: Path, args: tuple[str, ...]) -> None:
    bad = args[-1]
    result = _invoke(tmp_path, *args)
    assert result.output.startswith(f"Error: invalid dataset id {bad!r} (command-line argument): ")
    assert f"Rule: {RULE}." in result.output


@pytest.mark.parametrize(("bad", "output"), [
    ("../x", "it has the character(s) '.' '/'. Rule: {rule}.\n"),
    ("T-UPPER", "it has upper-case letters. Rule: {rule}. Use 't-upper' instead.\n"),
    ("ข้อมูล", "it has Thai characters. Rule: {rule}. Write it in Latin letters "
              "(e.g. a short English name).\n"),
])
def test_the_message_says_what_is_wrong_and_what_to_write(
        project: Path, tmp_path: Path, bad: str, output: str) -> None:
    result = _invoke(tmp_path, "run", bad)
    assert result.output == (f"Error: invalid dataset id {bad!r} (command-line argument): "
                             + output.format(rule=RULE))


@pytest.mark.parametrize("name", ["T-UPPER", "a", "x-internal", "ข้อมูล"])
@pytest.mark.parametrize("args", [("run",), ("run", DATASET), ("publish",), ("validate",),
                                  ("plan",), ("ingest",)], ids=" ".join)
def test_a_metadata_file_whose_name_is_no_id_stops_every_pipeline_command(
        project: Path, tmp_path: Path, name: str, args: tuple[str, ...]) -> None:
    path = project / "metadata" / f"{name}.yaml"
    path.write_text((project / "metadata" / f"{DATASET}.yaml").read_text(encoding="utf-8")
                    .replace(f"id: {DATASET}", f"id: {name}"), encoding="utf-8")
    result = _invoke(tmp_path, *args)
    assert result.output.startswith(f"Error: invalid dataset id {name!r} (file {path}): ")


def test_an_id_key_that_differs_from_the_file_name_stops_the_command(
        project: Path, tmp_path: Path) -> None:
    path = project / "metadata" / f"{DATASET}.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(f"id: {DATASET}", "id: ../evil"),
                    encoding="utf-8")
    result = _invoke(tmp_path, "validate")
    assert result.output.startswith(f"Error: {path}: id: '../evil' differs from the file name")


@pytest.mark.parametrize(("declare", "where"), [
    (lambda schema: schema.setdefault("foreignKeys", []).append(
        {"fields": "code", "reference": {"resource": "../../outside", "fields": "code"}}),
     "foreignKeys[{index}].reference.resource"),
    (lambda schema: schema["fields"][0].update(
        codeList={"resource": "../../outside", "field": "code"}),
     "field {name!r} codeList.resource"),
])
def test_a_schema_reference_to_a_bad_id_is_refused_not_read(
        project: Path, tmp_path: Path, declare, where: str) -> None:
    # A readable CSV and schema where the reference would lead, outside the project.
    (tmp_path / "outside.csv").write_text("code\n1\n", encoding="utf-8")
    (tmp_path / "outside.schema.json").write_text('{"fields": []}', encoding="utf-8")
    path = project / "schemas" / f"{DATASET}.schema.json"
    schema = json.loads(path.read_text(encoding="utf-8"))
    declare(schema)
    path.write_text(json.dumps(schema, ensure_ascii=False), encoding="utf-8")
    key = where.format(index=len(schema.get("foreignKeys", [])) - 1,
                       name=schema["fields"][0]["name"])
    for args in (("validate",), ("run", DATASET), ("plan",)):
        result = _invoke(tmp_path, *args)
        assert result.output.startswith(
            f"Error: invalid dataset id '../../outside' ({path}, {key}): ")


def test_help_still_works_whatever_metadata_holds(project: Path) -> None:
    (project / "metadata" / "T-UPPER.yaml").write_text("source: {}\n", encoding="utf-8")
    assert CliRunner().invoke(cli, ["run", "--help"]).exit_code == 0
