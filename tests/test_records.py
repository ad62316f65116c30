"""Run records: appending under a lock, tolerant reading, last runs, the quality history."""

from __future__ import annotations

import copy
import json
import multiprocessing
from pathlib import Path
from typing import Any

import pytest

from flows.records import (
    HISTORY_FILE, PUBLIC_HISTORY_COLUMNS, QUALITY_HISTORY_COLUMNS, append_records, bangkok_day,
    bangkok_time, history_path, public_history_rows,
    last_published, last_runs, quality_history_csv, quality_history_rows, read_history,
    status_rows, write_quality_history_csv,
)


def make_record(dataset: str = "senators", *, finished: str = "2026-11-28T01:10:07+00:00",
                status: str = "published", run_id: str = "run-1", input_hash: str = "h1",
                cached: bool = False, errors: int = 1, warnings: int = 3, waived: int = 1,
                rows: int = 252, verdict: str = "pass-with-notes",
                reason: str | None = None, **extra: Any) -> dict[str, Any]:
    """A run record in the documented format."""
    record = {
        "record_version": 1, "run_id": run_id, "run_name": "blue-echidna", "dataset": dataset,
        "started_at": "2026-11-28T01:10:00+00:00", "finished_at": finished,
        "today": finished[:10],
        "inputs": {"source_sha256": "s" + input_hash, "schema_sha256": "sc",
                   "suite_sha256": "su", "metadata_sha256": "m", "waivers_sha256": None,
                   "input_hash": input_hash},
        "validation": {"cached": cached, "rows": rows, "errors": errors, "warnings": warnings,
                       "waived": waived, "verdict": verdict},
        "catalog": {"url": "http://127.0.0.1:20500", "decision": "public", "write_calls": 6,
                    "datasets": [{"name": dataset, "id": "uuid-1", "private": False,
                                  "metadata_modified": "2026-11-28T01:10:06.123456",
                                  "resources": {"data": "uuid-2"}}]},
        "status": status, "reason": reason,
        "reports": {"html": f"out/{dataset}/report.html"}, "duration_seconds": 6.9,
    }
    record.update(extra)
    return record


# --- appending ---------------------------------------------------------------------------


def test_history_path_is_runs_history_jsonl_under_the_out_folder(tmp_path: Path) -> None:
    assert HISTORY_FILE == Path("runs/history.jsonl")
    assert history_path(tmp_path) == tmp_path / "runs" / "history.jsonl"


def test_append_creates_folders_and_writes_one_compact_sorted_line_per_record(
        tmp_path: Path) -> None:
    path = history_path(tmp_path)
    thai = make_record(status="held", reason="พบข้อผิดพลาด 1 รายการ / 1 blocking error")
    append_records(path, [make_record(), thai])
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2
    assert lines[0] == json.dumps(make_record(), ensure_ascii=False, sort_keys=True,
                                  separators=(",", ":"))
    assert "พบข้อผิดพลาด" in lines[1]  # Thai stays readable, not \u escapes
    assert path.read_bytes().endswith(b"\n")


def test_append_adds_after_existing_lines(tmp_path: Path) -> None:
    path = history_path(tmp_path)
    append_records(path, [make_record(run_id="a")])
    append_records(path, [make_record(run_id="b")])
    assert [r["run_id"] for r in read_history(path).records] == ["a", "b"]


def test_append_of_nothing_creates_nothing(tmp_path: Path) -> None:
    append_records(history_path(tmp_path), [])
    assert not history_path(tmp_path).exists()


@pytest.mark.parametrize("key", ["record_version", "run_id", "dataset", "started_at",
                                 "finished_at", "status"])
def test_append_refuses_a_record_without_a_required_key_and_names_it(
        tmp_path: Path, key: str) -> None:
    record = make_record()
    del record[key]
    with pytest.raises(ValueError, match=repr(key)):
        append_records(history_path(tmp_path), [make_record(), record])
    assert not history_path(tmp_path).exists()  # nothing written, not even the good one


def test_append_refuses_an_unknown_status(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="'done'.*published"):
        append_records(history_path(tmp_path), [make_record(status="done")])


def test_append_refuses_a_time_that_is_not_iso(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="finished_at"):
        append_records(history_path(tmp_path), [make_record(finished="yesterday")])


def test_append_after_a_crash_mid_line_keeps_the_new_record_whole(tmp_path: Path) -> None:
    path = history_path(tmp_path)
    append_records(path, [make_record(run_id="a")])
    with open(path, "ab") as handle:
        handle.write(b'{"record_version":1,"run_id":"cut')  # the writer died here
    append_records(path, [make_record(run_id="b")])
    history = read_history(path)
    assert [r["run_id"] for r in history.records] == ["a", "b"]
    assert history.problems == ["history.jsonl line 2 is not JSON; ignored"]


def _append_many(path: str, worker: int, count: int) -> None:
    padding = "ข้อมูล" * 500  # long lines (> PIPE_BUF) make interleaving likely without a lock
    for index in range(count):
        append_records(Path(path), [make_record(run_id=f"{worker}-{index}", reason=padding),
                                    make_record("senate-votes", run_id=f"{worker}-{index}b")])


@pytest.mark.slow  # child processes: ~4 s
def test_concurrent_appends_from_several_processes_write_only_whole_lines(
        tmp_path: Path) -> None:
    path = history_path(tmp_path)
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_append_many, args=(str(path), worker, 25))
               for worker in range(6)]
    for process in workers:
        process.start()
    for process in workers:
        process.join(timeout=120)
        assert process.exitcode == 0
    history = read_history(path)
    assert history.problems == []
    assert len(history.records) == 6 * 25 * 2
    assert len({r["run_id"] for r in history.records}) == 6 * 25 * 2
    # each append's two records stay adjacent: one write per call
    lines = path.read_text(encoding="utf-8").splitlines()
    for first, second in zip(lines[::2], lines[1::2]):
        assert json.loads(second)["run_id"] == json.loads(first)["run_id"] + "b"


# --- reading -----------------------------------------------------------------------------


def test_a_missing_history_is_empty(tmp_path: Path) -> None:
    history = read_history(tmp_path / "nope.jsonl")
    assert history.records == [] and history.problems == []


def test_corrupt_and_invalid_lines_are_skipped_and_reported(tmp_path: Path) -> None:
    path = history_path(tmp_path)
    append_records(path, [make_record(run_id="a")])
    with open(path, "ab") as handle:
        handle.write(b"not json\n\n[1, 2]\n")
        handle.write(b'{"record_version":1}\n')
        handle.write(b"\xff\xfe\n")
        bad_status = make_record(run_id="x")
        bad_status["status"] = "exploded"
        handle.write(json.dumps(bad_status).encode() + b"\n")
    append_records(path, [make_record(run_id="b")])
    history = read_history(path)
    assert [r["run_id"] for r in history.records] == ["a", "b"]
    assert history.problems == [
        "history.jsonl line 2 is not JSON; ignored",
        "history.jsonl line 4 is not a JSON object; ignored",
        "history.jsonl line 5 has no 'run_id'; ignored",
        "history.jsonl line 6 is not JSON; ignored",
        "history.jsonl line 7 has status 'exploded', not one of published, unchanged, held, "
        "skipped, withdrawn, purged, failed, planned; ignored",
    ]


def test_a_record_of_an_invalid_dataset_id_is_ignored_never_used_as_a_path(
        tmp_path: Path) -> None:
    # An older version wrote records for ids such as ../evil; readers build paths from them.
    path = history_path(tmp_path)
    path.parent.mkdir(parents=True)
    path.write_text("".join(json.dumps(make_record(dataset)) + "\n"
                            for dataset in ("../evil", "T-UPPER", "senators")), encoding="utf-8")
    history = read_history(path)
    assert [r["dataset"] for r in history.records] == ["senators"]
    assert history.problems == [
        "history.jsonl line 1 has dataset '../evil', not a valid dataset id; ignored",
        "history.jsonl line 2 has dataset 'T-UPPER', not a valid dataset id; ignored"]
    with pytest.raises(ValueError, match="not a valid dataset id"):
        append_records(path, [make_record("../evil")])


# --- last runs ---------------------------------------------------------------------------


def test_last_runs_takes_the_newest_per_dataset_by_finish_time_then_file_order() -> None:
    records = [
        make_record("senators", finished="2026-11-28T03:00:00+00:00", run_id="late"),
        make_record("senators", finished="2026-11-28T01:00:00+00:00", run_id="early"),
        make_record("senate-votes", finished="2026-11-28T02:00:00+00:00", run_id="tie-1"),
        make_record("senate-votes", finished="2026-11-28T09:00:00+07:00", run_id="tie-2"),
    ]
    newest = last_runs(records)
    assert list(newest) == ["senate-votes", "senators"]  # sorted by id
    assert newest["senators"]["run_id"] == "late"
    assert newest["senate-votes"]["run_id"] == "tie-2"  # same instant: later in the file wins


def test_last_runs_of_nothing_is_empty() -> None:
    assert last_runs([]) == {}


def test_last_published_skips_held_failed_and_other_datasets() -> None:
    records = [
        make_record(finished="2026-11-26T00:00:00+00:00", run_id="old", status="published"),
        make_record(finished="2026-11-27T00:00:00+00:00", run_id="same", status="unchanged"),
        make_record(finished="2026-11-28T00:00:00+00:00", run_id="held", status="held"),
        make_record(finished="2026-11-29T00:00:00+00:00", run_id="crash", status="failed"),
        make_record("senate-votes", finished="2026-11-30T00:00:00+00:00", run_id="other"),
    ]
    assert last_published(records, "senators")["run_id"] == "same"
    assert last_published(records, "senator-votes") is None
    assert last_published([make_record(status="planned")], "senators") is None


# --- quality history ---------------------------------------------------------------------


def _at(day: int, **kwargs: Any) -> dict[str, Any]:
    return make_record(finished=f"2026-11-{day:02d}T01:00:00+00:00", run_id=f"r{day}", **kwargs)


def test_quality_history_collapses_repeats_keeping_the_first_time_seen() -> None:
    records = [_at(1), _at(2), _at(3), _at(4, errors=0, verdict="pass"), _at(5, errors=0,
               verdict="pass"), _at(6)]
    rows = quality_history_rows(records, "senators")
    assert [row["run_id"] for row in rows] == ["r1", "r4", "r6"]  # back to 1 error is a change
    assert rows[0]["validated_at"] == "2026-11-01T01:00:00+00:00"


@pytest.mark.parametrize("change", [{"input_hash": "h2"}, {"verdict": "fail"}, {"errors": 2},
                                    {"warnings": 0}, {"waived": 0}, {"rows": 253}])
def test_quality_history_starts_a_row_when_any_key_changes(change: dict[str, Any]) -> None:
    # input_hash "h2" changes the data's own hash (make_record: source_sha256 = "s" + hash)
    rows = quality_history_rows([_at(1), _at(2, **change)], "senators")
    assert [row["run_id"] for row in rows] == ["r1", "r2"]


@pytest.mark.parametrize("key", ["schema_sha256", "suite_sha256", "waivers_sha256",
                                 "references_sha256"])
def test_quality_history_starts_a_row_when_a_declaration_changes(key: str) -> None:
    later = _at(2)
    later["inputs"] = {**later["inputs"], key: "changed"}
    assert [row["run_id"] for row in quality_history_rows([_at(1), later], "senators")] == [
        "r1", "r2"]


def test_quality_history_ignores_a_metadata_edit_that_finds_the_same() -> None:
    later = _at(2)
    later["inputs"] = {**later["inputs"], "metadata_sha256": "new title"}
    assert [row["run_id"] for row in quality_history_rows([_at(1), later], "senators")] == [
        "r1"]


def test_quality_history_ignores_new_pipeline_code_that_finds_the_same() -> None:
    """The code and catalog rules are in input_hash (the cache key) but are not the dataset's
    inputs: a new release that finds the same adds no row."""
    later = _at(2)
    later["inputs"] = {**later["inputs"], "input_hash": "new-code",
                       "code_sha256": "c2", "rules_sha256": "r2"}
    assert [row["run_id"] for row in quality_history_rows([_at(1), later], "senators")] == [
        "r1"]


def test_quality_history_ignores_a_new_today_and_new_run_with_the_same_result() -> None:
    later = _at(2)
    later["today"] = "2027-01-01"
    assert [row["run_id"] for row in quality_history_rows([_at(1), later], "senators")] == ["r1"]


def test_quality_history_uses_only_validations_that_ran_for_that_dataset() -> None:
    no_counts = _at(3)
    no_counts["validation"] = None  # crashed before validating
    missing = _at(4)
    del missing["validation"]
    records = [_at(1), _at(2, cached=True, errors=9), no_counts, missing,
               make_record("senate-votes", finished="2026-11-05T00:00:00+00:00", errors=7),
               _at(6, errors=5)]
    rows = quality_history_rows(records, "senators")
    assert [(row["run_id"], row["errors"]) for row in rows] == [("r1", 1), ("r6", 5)]


def test_quality_history_is_chronological_whatever_the_file_order() -> None:
    rows = quality_history_rows([_at(5, errors=0), _at(1)], "senators")
    assert [row["run_id"] for row in rows] == ["r1", "r5"]


def test_quality_history_row_has_the_documented_columns_in_order() -> None:
    (row,) = quality_history_rows([_at(1)], "senators")
    assert tuple(row) == QUALITY_HISTORY_COLUMNS
    assert row == {
        "validated_at": "2026-11-01T01:00:00+00:00", "run_id": "r1", "today": "2026-11-01",
        "rows": 252, "errors": 1, "warnings": 3, "waived": 1, "verdict": "pass-with-notes",
        "input_hash": "h1", "source_sha256": "sh1", "schema_sha256": "sc",
        "suite_sha256": "su", "metadata_sha256": "m", "waivers_sha256": None,
        "references_sha256": None,
    }


def test_quality_history_of_an_unknown_dataset_is_empty() -> None:
    assert quality_history_rows([_at(1)], "nope") == []


# --- quality history CSV (published) -----------------------------------------------------

_HEADER = ("วันที่ตรวจ (checked at),จำนวนแถว (rows),ข้อผิดพลาด (errors),ข้อสังเกต (warnings),"
           "ยกเว้นโดยผู้ดูแลข้อมูล (waived),ผลการตรวจ (verdict),สิ่งที่เปลี่ยน (what changed)")


def test_quality_history_csv_has_thai_first_headers_and_no_hash_or_run_id() -> None:
    rows = quality_history_rows([_at(1), _at(2, input_hash="h2", errors=0, verdict="pass")],
                                "senators")
    text = quality_history_csv(rows).decode("utf-8")
    lines = text.split("\n")
    assert lines[0] == _HEADER
    assert [header for _, header in PUBLIC_HISTORY_COLUMNS] == _HEADER.split(",")
    for secret in ("h1", "h2", "sh1", "sh2", "sc", "su", "r1", "r2", "sha256"):
        assert secret not in text.replace("(checked at)", "")  # no hash, no run id anywhere
    assert lines[1] == ("2026-11-01 08:00 (+07),252,1,3,1,"
                        "ผ่าน — เผยแพร่ได้พร้อมหมายเหตุ (Pass — publishes with notes),"
                        "การตรวจครั้งแรกในประวัติ (first validation on record)")
    assert lines[2] == "2026-11-02 08:00 (+07),252,0,3,1,ผ่าน (Pass),ข้อมูล (data)"


def test_public_history_names_each_changed_input_and_a_result_only_change() -> None:
    schema_change = _at(2)
    schema_change["inputs"] = {**schema_change["inputs"], "schema_sha256": "sc2",
                               "waivers_sha256": "w"}
    rows = quality_history_rows([_at(1), schema_change, _at(3, errors=4)], "senators")
    # _at(3) has the first schema again: the schema and the waivers changed back
    changed = [row["changed"] for row in public_history_rows(rows)]
    assert changed[1] == ("โครงสร้างข้อมูล (Table Schema), "
                          "การยกเว้นของผู้ดูแลข้อมูล (waivers)")
    assert changed[2] == changed[1]
    same_inputs = quality_history_rows([_at(1), _at(2, errors=4)], "senators")
    assert public_history_rows(same_inputs)[1]["changed"] == "ผลการตรวจ (result only)"


def test_quality_history_csv_is_deterministic_with_a_header_and_lf_endings(
        tmp_path: Path) -> None:
    rows = quality_history_rows([_at(1), _at(2, errors=0, verdict="pass")], "senators")
    first = write_quality_history_csv(rows, tmp_path / "a" / "quality-history.csv")
    second = write_quality_history_csv(copy.deepcopy(rows), tmp_path / "b.csv")
    data = first.read_bytes()
    assert data == second.read_bytes() == quality_history_csv(rows)
    assert b"\r" not in data and data.endswith(b"\n")
    assert len(data.decode("utf-8").split("\n")) == 4  # header, two rows, the final newline


def test_quality_history_csv_holds_no_live_spreadsheet_formula() -> None:
    """The file is published: a record edited to hold a formula reaches it neutralised."""
    (row,) = quality_history_rows([_at(1)], "senators")
    row = {**row, "verdict": '=HYPERLINK("http://x","y")', "rows": -3, "errors": "@SUM(1+1)"}
    line = quality_history_csv([row]).decode("utf-8").split("\n")[1]
    assert line == ("2026-11-01 08:00 (+07),-3,'@SUM(1+1),3,1,"  # a number stays a number
                    '"\'=HYPERLINK(""http://x"",""y"")",'
                    "การตรวจครั้งแรกในประวัติ (first validation on record)")


def test_rewriting_the_same_rows_leaves_the_file_untouched(tmp_path: Path) -> None:
    rows = quality_history_rows([_at(1)], "senators")
    path = write_quality_history_csv(rows, tmp_path / "quality-history.csv")
    before = path.stat().st_mtime_ns
    path.chmod(0o444)  # a rewrite would have to replace the file
    assert write_quality_history_csv(rows, path) == path
    assert path.stat().st_mtime_ns == before
    assert not list(tmp_path.glob(".*.tmp"))


def test_an_empty_quality_history_is_just_the_header() -> None:
    assert quality_history_csv([]) == (_HEADER + "\n").encode()


def test_csv_quotes_cells_that_need_it() -> None:
    rows = quality_history_rows([_at(1, verdict='pass, "mostly"')], "senators")
    assert b'"pass, ""mostly"""' in quality_history_csv(rows)


def test_bangkok_day_is_the_local_calendar_day() -> None:
    assert bangkok_day("2026-11-30T18:30:00+00:00") == "2026-12-01"
    assert bangkok_day("not a time") == ""


# --- status rows -------------------------------------------------------------------------


def test_bangkok_time_shows_local_time_with_the_offset() -> None:
    assert bangkok_time("2026-11-28T01:10:07+00:00") == "2026-11-28 08:10 (+07)"
    assert bangkok_time("2026-11-28T20:00:00+00:00") == "2026-11-29 03:00 (+07)"
    assert bangkok_time("2026-11-28T01:10:07") == "2026-11-28 08:10 (+07)"  # naive is UTC


def test_status_rows_show_the_last_run_with_a_link_or_the_reason() -> None:
    records = [
        _at(1, status="published"),
        _at(2, status="held", reason="พบข้อผิดพลาด\n1 blocking error", cached=False),
        make_record("senate-votes", status="unchanged", cached=True,
                    finished="2026-11-28T01:10:07+00:00"),
        make_record("senator-votes", status="failed", validation=None,
                    reason="CKAN unreachable", catalog=None),
    ]
    rows = {row["dataset"]: row for row in status_rows(records)}
    assert list(rows) == ["senate-votes", "senator-votes", "senators"]
    assert rows["senate-votes"] == {
        "dataset": "senate-votes", "finished": "2026-11-28 08:10 (+07)", "status": "unchanged",
        "verdict": "pass-with-notes", "errors": "1", "warnings": "3", "waived": "1",
        "cached": "yes", "catalog_or_reason": "http://127.0.0.1:20500/dataset/senate-votes",
    }
    assert rows["senators"]["status"] == "held"
    assert rows["senators"]["cached"] == "no"
    assert rows["senators"]["catalog_or_reason"] == "พบข้อผิดพลาด 1 blocking error"
    assert rows["senator-votes"]["verdict"] == "-" and rows["senator-votes"]["errors"] == "-"
    assert rows["senator-votes"]["cached"] == "-"
    assert rows["senator-votes"]["catalog_or_reason"] == "CKAN unreachable"


def test_status_rows_mark_a_private_dataset() -> None:
    record = make_record("senators-internal")
    record["catalog"]["datasets"][0]["private"] = True
    (row,) = status_rows([record])
    assert row["catalog_or_reason"] == ("http://127.0.0.1:20500/dataset/senators-internal "
                                        "(private)")
