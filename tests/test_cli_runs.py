"""`status` and `report` on a synthetic history and synthetic reports (no services needed)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from flows.cli import cli
from flows.records import append_records, history_path
from tests.test_records import make_record


def invoke(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)


@pytest.fixture
def out(tmp_path: Path) -> Path:
    append_records(history_path(tmp_path), [
        make_record("senators", finished="2026-11-27T01:00:00+00:00", status="held",
                    reason="old", run_id="r0"),
        make_record("senators", finished="2026-11-28T01:10:07+00:00", status="published",
                    run_id="r1"),
        make_record("senate-votes", finished="2026-11-28T01:11:00+00:00", status="unchanged",
                    cached=True, run_id="r2"),
    ])
    return tmp_path


def add_run(out: Path, dataset: str, status_: str, reason: str | None = None) -> None:
    append_records(history_path(out), [make_record(
        dataset, finished="2026-11-29T00:00:00+00:00", status=status_, reason=reason,
        run_id=f"{dataset}-{status_}")])


# --- status ------------------------------------------------------------------------------


def test_status_shows_the_last_run_of_each_dataset_and_exits_0_when_all_are_fine(
        out: Path) -> None:
    result = invoke("status", "--out", str(out))
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split()[:3] == ["dataset", "last", "run"]
    assert len(lines) == 3
    assert lines[1].startswith("senate-votes") and "unchanged" in lines[1]
    assert "2026-11-28 08:11 (+07)" in lines[1] and "yes" in lines[1]
    assert lines[2].startswith("senators") and "published" in lines[2]
    assert lines[2].endswith("http://127.0.0.1:20500/dataset/senators")
    assert "old" not in result.output  # the earlier held run is not the last one


@pytest.mark.parametrize("alert", ["held", "failed"])
def test_status_exits_1_when_a_last_run_is_held_or_failed(out: Path, alert: str) -> None:
    add_run(out, "senators", alert, reason="ข้อมูลผิดพลาด 2 รายการ / 2 blocking errors")
    result = invoke("status", "--out", str(out))
    assert result.exit_code == 1
    assert "ข้อมูลผิดพลาด 2 รายการ / 2 blocking errors" in result.output
    # naming only the healthy dataset: nothing to alert on
    assert invoke("status", "senate-votes", "--out", str(out)).exit_code == 0


def test_status_of_named_datasets_shows_only_those(out: Path) -> None:
    result = invoke("status", "senators", "--out", str(out))
    assert result.exit_code == 0
    assert "senators" in result.output and "senate-votes" not in result.output


def test_status_of_an_unknown_dataset_is_a_usage_error_listing_the_known_ones(
        out: Path) -> None:
    result = invoke("status", "senators", "nope", "--out", str(out))
    assert result.exit_code == 2
    assert "nope" in result.output and "known: senate-votes, senators" in result.output


def test_status_json_prints_the_last_records(out: Path) -> None:
    result = CliRunner().invoke(cli, ["status", "--out", str(out), "--json"])
    assert result.exit_code == 0
    records = json.loads(result.stdout)
    assert [(r["dataset"], r["run_id"]) for r in records] == [("senate-votes", "r2"),
                                                               ("senators", "r1")]


def test_status_json_keeps_thai_and_exits_1_on_a_held_run(out: Path) -> None:
    add_run(out, "senators", "held", reason="ถูกระงับ")
    result = CliRunner().invoke(cli, ["status", "senators", "--out", str(out), "--json"])
    assert result.exit_code == 1
    (record,) = json.loads(result.stdout)
    assert record["reason"] == "ถูกระงับ" and "ถูกระงับ" in result.stdout


def test_status_without_history_says_how_to_make_one_and_exits_0(tmp_path: Path) -> None:
    result = invoke("status", "--out", str(tmp_path))
    assert result.exit_code == 0
    assert result.output.strip() == (f"no runs recorded yet in {history_path(tmp_path)}; "
                                     "run `senate-catalog run`")
    as_json = CliRunner().invoke(cli, ["status", "--out", str(tmp_path), "--json"])
    assert as_json.exit_code == 0 and json.loads(as_json.stdout) == []


def test_status_reports_corrupt_lines_on_stderr_and_still_shows_the_rest(out: Path) -> None:
    with open(history_path(out), "ab") as handle:
        handle.write(b'{"record_version": 1, "run_id": "cut\n')
    result = CliRunner().invoke(cli, ["status", "--out", str(out), "--json"])
    assert result.exit_code == 0
    assert "warning: history.jsonl line 4 is not JSON; ignored" in result.stderr
    assert len(json.loads(result.stdout)) == 2


def test_status_reads_the_out_folder_from_senate_out_dir(out: Path) -> None:
    result = invoke("status", env={"SENATE_OUT_DIR": str(out)})
    assert result.exit_code == 0 and "senators" in result.output


# --- report ------------------------------------------------------------------------------


@pytest.fixture
def reports(tmp_path: Path) -> Path:
    folder = tmp_path / "senators"
    folder.mkdir()
    (folder / "summary.md").write_text("# รายงานผลการตรวจสอบ · senators\n\nผ่าน\n",
                                       encoding="utf-8")
    (folder / "validation.json").write_text('{"dataset": "senators", "blocking": false}\n',
                                            encoding="utf-8")
    (folder / "report.html").write_text("<html></html>\n", encoding="utf-8")
    return tmp_path


def test_report_prints_the_thai_markdown_summary_by_default(reports: Path) -> None:
    result = invoke("report", "senators", "--out", str(reports))
    assert result.exit_code == 0
    assert result.stdout_bytes == ("# รายงานผลการตรวจสอบ · senators\n\nผ่าน\n").encode("utf-8")


def test_report_json_prints_validation_json(reports: Path) -> None:
    result = invoke("report", "senators", "--out", str(reports), "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.output) == {"dataset": "senators", "blocking": False}


def test_report_paths_prints_the_three_absolute_paths(reports: Path) -> None:
    result = invoke("report", "senators", "--out", str(reports), "--format", "paths")
    assert result.exit_code == 0
    paths = [Path(line) for line in result.output.splitlines()]
    assert [path.name for path in paths] == ["report.html", "validation.json", "summary.md"]
    assert all(path.is_absolute() and path.is_file() for path in paths)


def test_report_of_a_dataset_never_validated_exits_2_and_says_what_to_run(
        reports: Path) -> None:
    result = invoke("report", "senate-votes", "--out", str(reports))
    assert result.exit_code == 2
    assert (f"no report for senate-votes in {reports / 'senate-votes'}; "
            "run `senate-catalog validate senate-votes` first") in result.output


def test_report_paths_needs_all_three_files(reports: Path) -> None:
    (reports / "senators" / "report.html").unlink()
    assert invoke("report", "senators", "--out", str(reports), "--format", "paths").exit_code == 2
    assert invoke("report", "senators", "--out", str(reports)).exit_code == 0


@pytest.mark.parametrize("bad", ["../senators", "..", "a/b"])
def test_report_refuses_a_path_as_a_dataset_id(reports: Path, bad: str) -> None:
    assert invoke("report", bad, "--out", str(reports)).exit_code == 2


def test_report_refuses_an_unknown_format(reports: Path) -> None:
    assert invoke("report", "senators", "--out", str(reports), "--format", "pdf").exit_code == 2
