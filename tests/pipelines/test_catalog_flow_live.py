"""The catalog flow under Prefect (the session's test harness), against the real test CKAN.

One temporary copy of the project goes through a chain of runs, each a module fixture that the
next builds on, so every flow run happens once however many tests look at it:

    cold    the three pilots, nothing cached: published, recorded, quality history uploaded
    warm    the same again: all unchanged, validation cached, no write call
    edited  one metadata field of one pilot changed: only that one validates and publishes
    broken  plus a dataset held back by a data error and one whose metadata is invalid

Writes to the catalog, so it runs only on the ``test`` stack instance (never the demo one).
"""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator
from uuid import UUID

import ckanapi
import pytest
import yaml
from click.testing import CliRunner, Result

from flows.catalog import CatalogClient
from flows.catalog.owned import KIND_FIELD
from flows.settings import StackSettings, read_secret_file
from tests.integration.publish_helpers import copy_project, download
from tests.pipelines.flow_helpers import FOREIGN_SETTINGS, ON_A_PROJECT, run_flow

pytestmark = pytest.mark.integration

TODAY = "2026-11-28"
PILOTS = ("senate-votes", "senator-votes", "senators")
INTERNAL = "senators-internal"     # the private companion of senators (personal columns)
EDITED = "senate-votes"            # the pilot whose metadata the "edited" run changes
NEW_INTERVAL = "2"
#: Keys of a run record (docs/architecture.md: the run-record format).
RECORD_KEYS = {"record_version", "run_id", "run_name", "dataset", "started_at", "finished_at",
               "today", "inputs", "validation", "catalog", "status", "reason", "reports",
               "duration_seconds"}
INPUT_KEYS = {"source_sha256", "schema_sha256", "suite_sha256", "metadata_sha256",
              "waivers_sha256", "input_hash"}
VALIDATION_KEYS = {"cached", "rows", "errors", "warnings", "waived", "verdict"}
CATALOG_KEYS = {"url", "decision", "write_calls", "datasets"}
_SUFFIX = uuid.uuid4().hex[:8]
HELD = f"zz-held-{_SUFFIX}"        # senate-votes without its waiver: a blocking error
BAD = f"zz-bad-{_SUFFIX}"          # senate-votes with an invalid DGA choice: describe fails
BAD_FIELD, BAD_VALUE = "geo_coverage", "ดาวอังคาร"


@dataclass
class FlowRun:
    """One flow run: its final state, its run records and the catalog right after it."""

    state: Any
    run_id: str
    records: dict[str, dict[str, Any]]          # this run's record of each dataset
    packages: dict[str, dict[str, Any] | None]  # package_show of each name (None: not found)


# --- fixtures ----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def project(tmp_path_factory, admin: CatalogClient) -> Iterator[Path]:
    """A copy of the project's declarations and CSVs (no raw files: the runs do not ingest)."""
    root = copy_project(tmp_path_factory.mktemp("flow-project"), PILOTS)
    yield root
    for name in (*PILOTS, INTERNAL, HELD, f"{HELD}-internal", BAD, f"{BAD}-internal"):
        try:
            admin.call("dataset_purge", id=name)
        except ckanapi.NotFound:
            pass


def _run(root: Path, admin: CatalogClient, **parameters: Any) -> FlowRun:
    state, run_id, by_dataset = run_flow(root, ingest_sources=False, today=TODAY, **parameters)
    names = (*PILOTS, INTERNAL, HELD, f"{HELD}-internal", BAD, f"{BAD}-internal")
    return FlowRun(state=state, run_id=run_id, records=by_dataset,
                   packages={name: _show(admin, name) for name in names})


def _show(client: CatalogClient, name: str) -> dict[str, Any] | None:
    try:
        return client.call("package_show", id=name)
    except ckanapi.NotFound:
        return None


@pytest.fixture(scope="module")
def cold(project: Path, admin: CatalogClient) -> FlowRun:
    return _run(project, admin)


@pytest.fixture(scope="module")
def warm(cold: FlowRun, project: Path, admin: CatalogClient) -> FlowRun:
    return _run(project, admin)


@pytest.fixture(scope="module")
def edited(warm: FlowRun, project: Path, admin: CatalogClient) -> FlowRun:
    path = project / "metadata" / f"{EDITED}.yaml"
    metadata = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert metadata["dga"].get("update_frequency_interval") != NEW_INTERVAL
    metadata["dga"]["update_frequency_interval"] = NEW_INTERVAL
    path.write_text(yaml.safe_dump(metadata, allow_unicode=True, sort_keys=False),
                    encoding="utf-8")
    return _run(project, admin)


@pytest.fixture(scope="module")
def broken(edited: FlowRun, project: Path, admin: CatalogClient) -> FlowRun:
    _clone(project, "senate-votes", HELD)                       # no waivers file: held
    _clone(project, "senate-votes", BAD, dga={BAD_FIELD: BAD_VALUE}, waivers=True)
    return _run(project, admin)


def _clone(root: Path, source: str, new: str, *, dga: dict[str, Any] | None = None,
           waivers: bool = False) -> None:
    """A new dataset ``new``: ``source``'s data and rules under a unique id and title."""
    (root / "datasets" / new).mkdir()
    shutil.copy(root / "datasets" / source / f"{source}.csv",
                root / "datasets" / new / f"{new}.csv")
    shutil.copy(root / "schemas" / f"{source}.schema.json",
                root / "schemas" / f"{new}.schema.json")
    suite = json.loads((root / "schemas" / f"{source}.expectations.json").read_text("utf-8"))
    suite["name"] = new
    (root / "schemas" / f"{new}.expectations.json").write_text(
        json.dumps(suite, ensure_ascii=False, indent=2), encoding="utf-8")
    if waivers:
        shutil.copy(root / "metadata" / "waivers" / f"{source}.yaml",
                    root / "metadata" / "waivers" / f"{new}.yaml")
    metadata = yaml.safe_load((root / "metadata" / f"{source}.yaml").read_text("utf-8"))
    metadata["id"] = new
    metadata["dga"]["title"] = f"ชุดข้อมูลทดสอบ {new} (test dataset)"
    metadata["dga"].update(dga or {})
    (root / "metadata" / f"{new}.yaml").write_text(
        yaml.safe_dump(metadata, allow_unicode=True, sort_keys=False), encoding="utf-8")


@pytest.fixture
def invoke(prefect_harness: str, project: Path,
           monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., Result]]:
    """Run the operator CLI in this process, on the temporary project (--project), in the
    harness: the CLI points Prefect at the stack's server unless PREFECT_API_URL is set (then
    it only checks that it answers), so setting it to the harness keeps the runs there. The
    CLI changes nothing in the process environment, so there is nothing to restore.
    """
    from flows.cli import cli

    monkeypatch.setenv("PREFECT_API_URL", prefect_harness)
    for name in FOREIGN_SETTINGS:
        monkeypatch.delenv(name, raising=False)

    def run(command: str, *args: str, env: dict[str, str] | None = None) -> Result:
        on_project = ["--project", str(project)] if command in ON_A_PROJECT else []
        before = _environment()
        result = CliRunner().invoke(cli, [command, *on_project, *args], env=env,
                                    catch_exceptions=False)
        assert _environment() == before, "the CLI changed the process environment"
        return result

    yield run


def _environment() -> dict[str, str]:
    # DO_NOT_TRACK is the one variable the loader sets (flows.config.opt_out_of_telemetry):
    # Prefect reads it from the environment, not from its settings.
    return {name: value for name, value in os.environ.items() if name != "DO_NOT_TRACK"}


# --- 1. cold run -------------------------------------------------------------------------------

def test_cold_run_publishes_every_pilot_with_a_complete_record(cold: FlowRun, project: Path,
                                                               catalog_settings,
                                                               prefect_harness) -> None:
    from prefect.client.orchestration import get_client

    assert cold.state.is_completed(), cold.state.message
    assert sorted(cold.records) == sorted(PILOTS)
    with get_client(sync_client=True) as client:
        run_name = client.read_flow_run(UUID(cold.run_id)).name
    for dataset, record in cold.records.items():
        assert RECORD_KEYS <= set(record), (dataset, RECORD_KEYS - set(record))
        assert INPUT_KEYS <= set(record["inputs"])
        assert VALIDATION_KEYS <= set(record["validation"])
        assert CATALOG_KEYS <= set(record["catalog"])
        assert re.fullmatch(r"[0-9a-f]{64}", record["inputs"]["input_hash"])
        assert (record["record_version"], record["run_name"], record["today"]) == (1, run_name,
                                                                                   TODAY)
        assert record["status"] == "published" and record["reason"] is None, record["reason"]
        assert record["validation"]["cached"] is False
        assert record["validation"]["errors"] == 0  # waived errors are not counted as errors
        assert record["catalog"]["url"] == catalog_settings.url
        assert record["catalog"]["decision"] == "public"
        assert (project / record["reports"]["html"]).is_file()


def test_cold_run_records_the_ids_the_catalog_holds(cold: FlowRun) -> None:
    for dataset, record in cold.records.items():
        entries = {entry["name"]: entry for entry in record["catalog"]["datasets"]}
        expected = {dataset, INTERNAL} if dataset == "senators" else {dataset}
        assert set(entries) == expected
        for name, entry in entries.items():
            shown = cold.packages[name]
            assert shown is not None, f"{name} is recorded but not in the catalog"
            assert entry["id"] == shown["id"]
            assert entry["private"] is shown["private"] is (name == INTERNAL)
            assert entry["metadata_modified"] == shown["metadata_modified"]
            assert entry["resources"] == {r[KIND_FIELD]: r["id"] for r in shown["resources"]
                                          if r.get(KIND_FIELD)}


def test_each_public_dataset_has_its_quality_history_byte_for_byte(cold: FlowRun, project: Path,
                                                                 ckan_anonymous) -> None:
    for dataset in PILOTS:
        shown = ckan_anonymous.call("package_show", id=dataset)
        [resource] = [r for r in shown["resources"] if r.get(KIND_FIELD) == "quality-history"]
        local = (project / "out" / dataset / "quality-history.csv").read_bytes()
        assert download(resource["url"]) == local, dataset
        # the cold run validated: its row is the first, in Thai first, with no run id or hash
        header, *rows = local.decode("utf-8").splitlines()
        assert header.startswith("วันที่ตรวจ (checked at),") and len(rows) == 1, dataset
        assert "(first validation on record)" in rows[0], dataset
        assert cold.run_id not in rows[0] and "sha256" not in header, dataset


def test_the_run_log_is_json_lines_naming_each_dataset(cold: FlowRun, project: Path) -> None:
    path = project / "out" / "runs" / "logs" / f"{cold.run_id}.jsonl"
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()
             if line.strip()]
    assert lines, f"{path} is empty"
    assert all({"time", "level", "logger", "message"} <= set(line) for line in lines)
    messages = "\n".join(line["message"] for line in lines)
    for dataset in PILOTS:
        assert f"{dataset}: published" in messages


# --- 2. warm rerun -----------------------------------------------------------------------------

def test_warm_rerun_changes_nothing(cold: FlowRun, warm: FlowRun) -> None:
    assert warm.state.is_completed(), warm.state.message
    assert sorted(warm.records) == sorted(PILOTS)
    for dataset, record in warm.records.items():
        assert record["status"] == "unchanged", (dataset, record["reason"])
        assert record["validation"]["cached"] is True
        assert record["catalog"]["write_calls"] == 0
        assert record["inputs"]["input_hash"] == cold.records[dataset]["inputs"]["input_hash"]
    for name in (*PILOTS, INTERNAL):
        assert warm.packages[name]["metadata_modified"] == cold.packages[name]["metadata_modified"]


# --- 3. one dataset changed --------------------------------------------------------------------

def test_a_metadata_edit_revalidates_and_publishes_only_that_dataset(warm: FlowRun,
                                                                    edited: FlowRun,
                                                                    project: Path) -> None:
    assert edited.state.is_completed(), edited.state.message
    changed = edited.records[EDITED]
    assert changed["validation"]["cached"] is False
    assert changed["status"] == "published"
    assert changed["catalog"]["write_calls"] > 0
    before = warm.records[EDITED]["inputs"]
    assert changed["inputs"]["metadata_sha256"] != before["metadata_sha256"]
    assert changed["inputs"]["source_sha256"] == before["source_sha256"]
    shown = edited.packages[EDITED]
    assert shown["update_frequency_interval"] == NEW_INTERVAL
    assert shown["metadata_modified"] != warm.packages[EDITED]["metadata_modified"]
    history = (project / "out" / EDITED / "quality-history.csv").read_text(encoding="utf-8")
    # a metadata edit re-validates, but neither the data inputs nor the result changed: the
    # public quality history keeps its one row (header + the cold run's validation)
    assert len(history.splitlines()) == 2 and edited.run_id not in history
    for dataset in set(PILOTS) - {EDITED}:
        record = edited.records[dataset]
        assert (record["status"], record["validation"]["cached"],
                record["catalog"]["write_calls"]) == ("unchanged", True, 0), dataset
        assert (edited.packages[dataset]["metadata_modified"]
                == warm.packages[dataset]["metadata_modified"])


# --- 4. one broken dataset does not stop the others --------------------------------------------

def test_broken_datasets_fail_the_run_but_not_the_others(broken: FlowRun) -> None:
    assert broken.state.is_failed()
    assert HELD in broken.state.message and BAD in broken.state.message, broken.state.message
    assert sorted(broken.records) == sorted([*PILOTS, HELD, BAD])
    for dataset in PILOTS:
        assert broken.records[dataset]["status"] == "unchanged", broken.records[dataset]["reason"]
    held = broken.records[HELD]
    assert held["status"] == "held" and held["reason"]
    assert held["validation"]["errors"] > 0 and held["catalog"]["write_calls"] == 0
    bad = broken.records[BAD]
    assert bad["status"] == "failed" and BAD_FIELD in bad["reason"], bad["reason"]
    for name in (HELD, f"{HELD}-internal", BAD, f"{BAD}-internal"):
        assert broken.packages[name] is None, f"{name} reached the catalog"


# --- 5. artifacts ------------------------------------------------------------------------------

def test_the_run_leaves_summary_table_and_report_link_artifacts(cold: FlowRun,
                                                                catalog_settings) -> None:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import (ArtifactFilter, ArtifactFilterFlowRunId,
                                                ArtifactFilterKey)

    keys = ["catalog-run-summary", "catalog-run-datasets", *(f"report-{d}" for d in PILOTS)]
    with get_client(sync_client=True) as client:
        artifacts = client.read_artifacts(artifact_filter=ArtifactFilter(
            key=ArtifactFilterKey(any_=keys),
            flow_run_id=ArtifactFilterFlowRunId(any_=[UUID(cold.run_id)])))
    by_key = {artifact.key: artifact for artifact in artifacts}
    assert sorted(by_key) == sorted(keys)

    summary = by_key["catalog-run-summary"]
    assert summary.type == "markdown"
    for text in (*PILOTS, "ผลการทำงานรอบ", "เผยแพร่แล้ว", catalog_settings.url):
        assert text in summary.data, text

    table = by_key["catalog-run-datasets"]
    assert table.type == "table"
    rows = json.loads(table.data) if isinstance(table.data, str) else table.data
    assert {row["dataset"]: row["status"] for row in rows} == {d: "published" for d in PILOTS}
    assert all(row["validation"] == "ran" and row["link"] for row in rows)

    for dataset in PILOTS:
        report_id = cold.records[dataset]["catalog"]["datasets"][0]["resources"]["report"]
        link = f"{catalog_settings.url}/dataset/{dataset}/resource/{report_id}"
        assert f"({link})" in by_key[f"report-{dataset}"].data


# --- 7. the operator CLI: exit codes ------------------------------------------------------------

def error_line(result: Result) -> str:
    """The CLI's own one-line error (not Prefect's log of the traceback)."""
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error: ")]
    assert len(errors) == 1, result.output
    return errors[0]


def test_cli_run_exits_3_naming_the_catalog_when_it_is_unreachable(invoke, tmp_path) -> None:
    closed = "http://127.0.0.1:1"
    result = invoke("run", "--no-ingest", "--out", str(tmp_path / "out"),
                    env={"CKAN_URL": closed, "SENATE_PUBLISH_RETRIES": "0"})
    assert result.exit_code == 3, result.output
    assert closed in error_line(result)


def test_cli_run_exits_2_naming_an_unknown_setting(invoke, tmp_path) -> None:
    config = tmp_path / "pipeline.yaml"
    config.write_text("catalog:\n  url:\n  colour: blue\noutput_dir: out\n", encoding="utf-8")
    result = invoke("run", "--no-ingest", env={"SENATE_CONFIG": str(config)})
    assert result.exit_code == 2, result.output
    assert "catalog.colour" in error_line(result)


def test_cli_run_exits_1_when_a_dataset_is_held(broken: FlowRun, invoke, project: Path) -> None:
    result = invoke("run", HELD, "--no-ingest", "--today", TODAY, "--out", str(project / "out"))
    assert result.exit_code == 1, result.output
    [line] = [line for line in result.output.splitlines() if line.startswith(HELD)]
    assert line.split()[1] == "held"


# --- least privilege on the host ------------------------------------------------------------

def test_cached_results_and_personal_outputs_are_private_to_the_run_user(
        cold: FlowRun, project: Path) -> None:
    import stat

    import prefect.settings

    storage = Path(prefect.settings.get_current_settings().results.local_storage_path)
    # the task caches (validate-describe, ingest) this module's runs wrote
    results = [path for path in storage.rglob("prepare-*") if path.is_file()]
    assert results, f"no cached task result under {storage}"
    personal = project / "out" / "senators"
    outputs = [path for path in personal.rglob("*") if path.is_file()]
    assert {"report.html", "public.csv", "dictionary.csv"} <= {path.name for path in outputs}
    for path in [*results, *outputs]:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    for folder in [storage, personal]:
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder


# --- 8. status ----------------------------------------------------------------------------------

def test_cli_status_shows_the_last_status_of_every_dataset(broken: FlowRun, invoke,
                                                           project: Path) -> None:
    result = invoke("status", "--out", str(project / "out"))
    assert result.exit_code == 1, result.output  # a dataset's last run was held or failed
    expected = {**{dataset: "unchanged" for dataset in PILOTS}, HELD: "held", BAD: "failed"}
    rows = [re.match(r"(\S+)\s+\d{4}-\d\d-\d\d \d\d:\d\d \(\+07\)\s+(\S+)", line)
            for line in result.output.splitlines()[1:] if line.strip()]
    shown = {row[1]: row[2] for row in rows if row}
    assert len(shown) == len(rows), result.output
    assert shown == expected, result.output


# --- 6. no secret, no personal value ------------------------------------------------------------

def test_no_token_and_no_personal_value_in_records_logs_artifacts_or_reports(
        broken: FlowRun, project: Path, stack_settings: StackSettings) -> None:
    from prefect.client.orchestration import get_client

    token = read_secret_file(stack_settings.token_file)
    assert len(token) >= 20
    with (project / "datasets" / "senators" / "senators.csv").open(encoding="utf-8") as handle:
        birthdates = {row["birthdate"] for row in csv.DictReader(handle) if row["birthdate"]}
    assert len(birthdates) > 100

    history = (project / "out" / "runs" / "history.jsonl").read_text(encoding="utf-8")
    logs = {path: path.read_text(encoding="utf-8")
            for path in (project / "out" / "runs" / "logs").glob("*.jsonl")}
    assert broken.run_id in "".join(str(path) for path in logs)
    with get_client(sync_client=True) as client:
        artifacts = client.read_artifacts()
    assert {artifact.key for artifact in artifacts} >= {"catalog-run-summary", f"report-{HELD}"}
    artifact_text = "\n".join(f"{a.description}\n{a.data}" for a in artifacts)
    reports = {path: path.read_text(encoding="utf-8") for path in (project / "out").rglob("*")
               if path.suffix in (".md", ".html", ".json", ".csv")}

    for where, text in {"history": history, "artifacts": artifact_text, **logs,
                        **reports}.items():
        assert token not in text, f"the API token is in {where}"
    for where, text in {"history": history, "artifacts": artifact_text, **logs}.items():
        leaked = sorted(value for value in birthdates if value in text)
        assert not leaked, f"birthdates {leaked[:3]} are in {where}"
