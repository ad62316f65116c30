"""`senate-catalog validate`: on the real pilot datasets, and on a scratch copy of two datasets
where the test knows which one is clean and which one has a blocking finding (the exit code)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from flows.cli import cli
from flows.datasets import discover_datasets
from flows.settings import PROJECT_ROOT
from tests.integration.publish_helpers import copy_project

TODAY = "2026-11-28"
#: kpi-2-3-ita's CSV references senate-units (foreign key, code list): both validate clean.
UNITS, ITA = "senate-units", "kpi-2-3-ita"
#: SEC's row (file line 3): a score of 93.43 under the target of 95 cannot meet the target.
#: Only the suite's consistency rule catches it, so the cell has one finding to waive (a cell
#: two checks catch keeps its other, unwaived, finding: flows/validation/one_per_cell.py).
SEC_ROW, WRONG_SEC_ROW = "97.43,95.00,2567,true", "93.43,95.00,2567,true"
LINE, RULE, FIELD = 3, "expectations/meets-target-consistent", "meets_target"


@pytest.fixture(scope="module")
def validated(tmp_path_factory: pytest.TempPathFactory) -> tuple[object, Path]:
    out = tmp_path_factory.mktemp("out")
    result = CliRunner().invoke(cli, ["validate", "--out", str(out), "--today", "2026-11-28"])
    return result, out


@pytest.mark.slow  # validates every dataset of the project (fixture): ~2 s
def test_writes_three_reports_per_dataset_and_a_line_for_each(validated) -> None:
    result, out = validated
    documents = {path.parent.name: json.loads(path.read_text(encoding="utf-8"))
                 for path in out.glob("*/validation.json")}
    assert set(documents) == {spec.id for spec in discover_datasets(PROJECT_ROOT)}
    for dataset in documents:
        assert (out / dataset / "report.html").exists() and (out / dataset / "summary.md").exists()
    # the exit code of a known clean or failing project: the scratch-copy tests below
    assert result.exit_code in (0, 1), result.output
    assert sorted(_verdicts(result.output)) == sorted(documents)
    for dataset in ("senate-votes", "senators", "senator-votes"):
        document = documents[dataset]
        assert document["source_sha256"] and document["schema_version"] == "1.0.0"


@pytest.mark.slow  # validates every dataset of the project (fixture): ~2 s
def test_known_quirks_of_the_real_data_show_as_findings(validated) -> None:
    _, out = validated
    rules = {dataset: {f["rule"] for f in json.loads(
        (out / dataset / "validation.json").read_text(encoding="utf-8"))["findings"]}
        for dataset in ("senate-votes", "senators")}
    assert "expectations/counts-not-recorded" in rules["senate-votes"]  # all-null counts
    assert "expectations/passed-constant" in rules["senate-votes"]
    assert "expectations/legal-title-required" in rules["senate-votes"]  # the stub row 146
    assert "expectations/no-future-dates" in rules["senators"]  # born 2052


@pytest.mark.slow  # validates every dataset of the project (fixture): ~2 s
def test_no_birthdate_appears_in_clear_in_any_report(validated) -> None:
    _, out = validated
    with open(PROJECT_ROOT / "datasets/senators/senators.csv", encoding="utf-8") as handle:
        birthdates = {row["birthdate"] for row in csv.DictReader(handle) if row["birthdate"]}
    for path in (out / "senators").iterdir():
        text = path.read_text(encoding="utf-8")
        leaked = [b for b in birthdates if b in text]
        assert leaked == [], (path.name, leaked[:3])


def test_bad_today_is_a_usage_error() -> None:
    result = CliRunner().invoke(cli, ["validate", "--today", "28/11/2569"])
    assert result.exit_code == 2 and "not an ISO date" in result.output


def test_unknown_dataset_is_a_configuration_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["validate", "no-such-set", "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert "no dataset 'no-such-set'" in result.output and "senate-votes" in result.output


# -- the exit code, on a scratch copy whose findings the test knows ---------------------------

def _verdicts(output: str) -> dict[str, str]:
    """dataset -> verdict, from the table the command prints (a header line, one per dataset)."""
    return {line.split()[0]: line.split()[1] for line in output.splitlines()[1:]}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "project", [UNITS, ITA])


def _validate(project: Path, out: Path):
    return CliRunner().invoke(cli, ["validate", "--project", str(project), "--out", str(out),
                                    "--today", TODAY])


def _break_sec_row(project: Path) -> None:
    path = project / "datasets" / ITA / f"{ITA}.csv"
    text = path.read_text(encoding="utf-8")
    assert SEC_ROW in text.splitlines()[LINE - 1]
    path.write_text(text.replace(SEC_ROW, WRONG_SEC_ROW, 1), encoding="utf-8")


def _waive_it(project: Path, *, expires: str) -> None:
    folder = project / "metadata" / "waivers"
    folder.mkdir(exist_ok=True)
    (folder / f"{ITA}.yaml").write_text(f"""waivers:
  - rule: {RULE}
    field: {FIELD}
    rows: [{LINE}]
    reason: the score is being checked with the ITA office
    by: ผู้ดูแลข้อมูล
    expires: {expires}
""", encoding="utf-8")


def _findings(out: Path) -> list[tuple]:
    document = json.loads((out / ITA / "validation.json").read_text(encoding="utf-8"))
    return [(f["rule"], f["field"], f["row"], f["waived_by"]) for f in document["findings"]]


def test_clean_datasets_exit_0(project: Path, tmp_path: Path) -> None:
    result = _validate(project, tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert _verdicts(result.output) == {UNITS: "pass", ITA: "pass"}
    assert _findings(tmp_path / "out") == []


def test_an_unwaived_error_exits_1(project: Path, tmp_path: Path) -> None:
    _break_sec_row(project)
    result = _validate(project, tmp_path / "out")
    assert result.exit_code == 1, result.output
    assert _verdicts(result.output) == {UNITS: "pass", ITA: "fail"}
    assert _findings(tmp_path / "out") == [(RULE, FIELD, LINE, None)]


WAIVED = f"ผู้ดูแลข้อมูล: the score is being checked with the ITA office (until {TODAY})"


@pytest.mark.parametrize("expires, exit_code, findings", [
    (TODAY, 0, [(RULE, FIELD, LINE, WAIVED)]),
    ("2026-11-27", 1, [(RULE, FIELD, LINE, None), ("waivers/expired", FIELD, None, None)]),
], ids=["waived-until-today", "waiver-expired-yesterday"])
def test_a_waived_error_exits_0_until_the_waiver_expires(project: Path, tmp_path: Path,
                                                         expires: str, exit_code: int,
                                                         findings: list[tuple]) -> None:
    _break_sec_row(project)
    _waive_it(project, expires=expires)
    result = _validate(project, tmp_path / "out")
    assert result.exit_code == exit_code, result.output
    assert _findings(tmp_path / "out") == findings
