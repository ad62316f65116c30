"""One dataset's broken declaration is that dataset's failure only.

A copy of the project with three datasets, `kpi-2-3-ita` and `kpi-register` referencing
`senate-units` by foreign key and code list, and one file of one of them broken. `validate`
reports the broken one with a failed verdict (exit 1, not 2) and the others pass, their
references checked against the broken neighbour's CSV; the pipeline (the one path of `plan`
and `run`, here on the fake catalog) fails the broken one with its file, line and fix, and
plans the others as usual. The same on the real CKAN and through `run`:
tests/pipelines/test_isolation_live.py.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from flows.cli import cli
from flows.orchestrate.plan_or_run import plan_or_run
from tests.catalog.fake_catalog import FakeCatalog
from tests.integration.publish_helpers import copy_project

TODAY = date(2026, 11, 28)
UNITS, ITA, REGISTER = "senate-units", "kpi-2-3-ita", "kpi-register"
#: The line the broken YAML below fails on: "dga: [" (line 20) opens a flow sequence, whose
#: first entry (line 21) may be a "key: value" pair, but the next one needs a comma first.
YAML_LINE = 22


def _break(root: Path, case: str) -> tuple[str, str]:
    """Break one file; (the dataset it breaks, what its failure must say)."""
    metadata = root / "metadata" / f"{UNITS}.yaml"
    if case == "yaml":
        text = metadata.read_text(encoding="utf-8").replace("dga:\n", "dga: [\n", 1)
        metadata.write_text(text, encoding="utf-8")
        return UNITS, f"metadata/{UNITS}.yaml, line {YAML_LINE}: the metadata file is not " \
                      "valid YAML"
    if case == "not-a-mapping":
        metadata.write_text("- id: senate-units\n", encoding="utf-8")
        return UNITS, f"metadata/{UNITS}.yaml: the metadata file holds a list"
    if case == "source":
        text = metadata.read_text(encoding="utf-8").replace("encoding: utf-8", "encoding: [x]")
        metadata.write_text(text, encoding="utf-8")
        return UNITS, "source.encoding: ['x'] is not a known text encoding"
    schema_path = root / "schemas" / f"{ITA}.schema.json"
    if case == "schema-json":
        schema_path.write_text('{"fields": [', encoding="utf-8")
        return ITA, "cannot describe it: The Table Schema kpi-2-3-ita.schema.json is not valid"
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    if case == "foreign-key-shape":
        schema["foreignKeys"] = [{"fields": ["agency_code"], "reference": UNITS}]
        expected = "cannot describe it: Schema Error"
    else:   # a code list of the wrong shape: a blocking finding, the dataset is held
        [field] = [f for f in schema["fields"] if "codeList" in f]
        field["codeList"] = UNITS
        expected = "blocking validation finding"
    schema_path.write_text(json.dumps(schema, ensure_ascii=False), encoding="utf-8")
    return ITA, expected


CASES = ["yaml", "not-a-mapping", "source", "schema-json", "foreign-key-shape", "code-list-shape"]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "project", [UNITS, ITA, REGISTER])


@pytest.mark.parametrize("case", CASES)
@pytest.mark.slow  # 6 pipeline runs: ~5 s
def test_the_pipeline_fails_the_broken_dataset_only(project: Path, tmp_path: Path,
                                                    case: str) -> None:
    broken, message = _break(project, case)
    catalog = FakeCatalog()
    outcomes = {o.dataset: o for o in plan_or_run(
        project, client=catalog, out_dir=tmp_path / "out", today=TODAY,
        catalog_url="http://catalog.test", dry_run=True)}
    assert set(outcomes) == {UNITS, ITA, REGISTER}
    assert outcomes[broken].status in ("failed", "held")
    assert message in outcomes[broken].reason
    assert "internal error" not in outcomes[broken].reason
    for other in {UNITS, ITA, REGISTER} - {broken}:
        assert outcomes[other].status == "published", (other, outcomes[other].reason)
        assert not outcomes[other].result.blocking
    assert (tmp_path / "out" / broken / "report.html").exists() or case == "not-a-mapping"


def test_a_broken_metadata_file_is_checked_before_any_call_for_it(project: Path,
                                                                  tmp_path: Path) -> None:
    _break(project, "yaml")
    catalog = FakeCatalog()
    plan_or_run(project, client=catalog, out_dir=tmp_path / "out", today=TODAY,
                catalog_url="http://catalog.test", dry_run=True, dataset_ids=[UNITS])
    # it failed before the gate: the catalog is only asked whether a public copy must be
    # withdrawn (the classification cannot be read: the closed side), never sent anything
    assert {action for action, _ in catalog.calls} <= {"package_show", "organization_show",
                                                        "group_show", "package_search"}


@pytest.fixture
def validate(project: Path, tmp_path: Path):
    def run(*ids: str):
        return CliRunner().invoke(cli, ["validate", *ids, "--project", str(project),
                                        "--out", str(tmp_path / "out"),
                                        "--today", TODAY.isoformat()])
    return run


def test_validate_reports_the_broken_yaml_as_a_failed_dataset_exit_1(project: Path,
                                                                     tmp_path: Path,
                                                                     validate) -> None:
    _break(project, "yaml")
    result = validate()
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output and "Error:" not in result.output
    verdicts = {line.split()[0]: line.split()[1] for line in result.output.splitlines()[1:]}
    assert verdicts == {UNITS: "fail", ITA: "pass", REGISTER: "pass"}
    document = json.loads((tmp_path / "out" / UNITS / "validation.json").read_text("utf-8"))
    [finding] = [f for f in document["findings"] if f["rule"] == "config/metadata-unreadable"]
    assert finding["severity"] == "error"
    assert finding["message_en"].startswith(f"metadata/{UNITS}.yaml, line {YAML_LINE}: ")
    assert finding["message_th"].endswith(f"บรรทัดที่ {YAML_LINE}")
    assert "Fix the YAML syntax" in finding["hint_en"] and finding["hint_th"]
    # its CSV and schema were still checked, so the neighbours' references were too
    ita = json.loads((tmp_path / "out" / ITA / "validation.json").read_text("utf-8"))
    assert not [f for f in ita["findings"] if f["rule"].endswith("unchecked")]


@pytest.mark.parametrize(("ids", "code"), [((ITA,), 0), ((UNITS,), 1), ((REGISTER, ITA), 0)])
def test_validate_of_named_datasets_is_not_stopped_by_a_neighbour(project: Path, validate,
                                                                   ids: tuple[str, ...],
                                                                   code: int) -> None:
    _break(project, "yaml")
    result = validate(*ids)
    assert result.exit_code == code, result.output
    assert [line.split()[0] for line in result.output.splitlines()[1:]] == list(ids)


def test_a_bad_file_name_in_metadata_still_stops_validate_with_2(project: Path,
                                                                 validate) -> None:
    _break(project, "yaml")
    (project / "metadata" / "Bad-Name.yaml").write_text("source: {}\n", encoding="utf-8")
    result = validate(ITA)
    assert result.exit_code == 2 and "invalid dataset id 'Bad-Name'" in result.output
