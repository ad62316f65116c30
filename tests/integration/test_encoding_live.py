"""A cp874 dataset end to end on the real CKAN, and files that are not tables through the CLI
(steward files in another encoding, files that are not tables).

The cp874 CSV has one Thai word among ASCII rows (frictionless' chardet reads it as
iso8859-15: mojibake). It is validated, described and published by the pipeline's one path;
what the public downloads is UTF-8, byte-identical to the local public copy, with the Thai
intact in the data and in the dictionary's examples, while the source file stays cp874.

An empty CSV and two binary files (NUL characters; bytes that are neither UTF-8 nor Thai) go
through `senate-catalog plan` and `run` in a child process, as an operator runs them: exit 1,
each with its finding and what to fix, no traceback, no byte of the files in the output, the
run records or the run log. Datasets are named (a run of every dataset would withdraw the
catalog's records of datasets this project copy lacks) and unique per test run.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import uuid
from datetime import date

import pytest

from flows.catalog import CatalogClient
from flows.catalog.counting import CountingClient
from flows.catalog.owned import KIND_FIELD
from flows.orchestrate.plan_or_run import plan_or_run
from tests.csv_source_samples import (EMPTY, NUL_BINARY, SPARSE_THAI_CP874, SPARSE_THAI_TEXT,
                                      THAI_WORD, UNDECODABLE, add_csv_dataset)
from tests.integration.publish_helpers import copy_project, download, purge_test_datasets

pytestmark = pytest.mark.integration

TODAY = date(2026, 12, 5)
TOKEN = uuid.uuid4().hex[:8]
CP874 = f"zz-cp874-{TOKEN}"
NOT_TABLES = {f"zz-empty-{TOKEN}": (EMPTY, "structure/empty-file"),
              f"zz-nul-{TOKEN}": (NUL_BINARY, "encoding/binary-file"),
              f"zz-undecodable-{TOKEN}": (UNDECODABLE, "encoding/undecodable")}

@pytest.fixture(scope="module")
def published(catalog_settings, stack_settings, tmp_path_factory):
    root = copy_project(tmp_path_factory.mktemp("project"), [])
    source = add_csv_dataset(root, CP874, SPARSE_THAI_CP874, encoding="cp874")
    client = CountingClient(CatalogClient(catalog_settings))
    [outcome] = plan_or_run(root, client=client, out_dir=root / "out", today=TODAY,
                            catalog_url=catalog_settings.url, run_id="cp874",
                            dataset_ids=[CP874])
    yield root, source, outcome
    purge_test_datasets(catalog_settings, stack_settings, [CP874])


def test_the_cp874_dataset_is_validated_and_published(published) -> None:
    _, _, outcome = published
    assert outcome.status == "published", outcome.reason
    assert outcome.result.encoding == "cp874"
    assert not outcome.result.blocking
    assert not [f for f in outcome.result.findings if f.rule.startswith("encoding/")]


def test_the_public_downloads_utf8_identical_to_the_local_copy(published,
                                                              ckan_anonymous) -> None:
    root, source, _ = published
    shown = ckan_anonymous.call("package_show", id=CP874)
    by_kind = {resource[KIND_FIELD]: resource for resource in shown["resources"]}
    data = download(by_kind["data"]["url"])
    assert data == (root / "out" / CP874 / "public.csv").read_bytes()
    assert data.decode("utf-8") == SPARSE_THAI_TEXT
    assert source.read_bytes() == SPARSE_THAI_CP874  # the source file is never changed
    dictionary = download(by_kind["dictionary"]["url"]).decode("utf-8-sig")
    assert THAI_WORD in dictionary
    assert shown["last_updated_date"].startswith("2024-01-20")


@pytest.fixture(scope="module")
def not_tables(catalog_settings, tmp_path_factory) -> dict:
    tmp = tmp_path_factory.mktemp("not-tables")
    root = copy_project(tmp / "project", [])
    for dataset, (data, _) in NOT_TABLES.items():
        add_csv_dataset(root, dataset, data)
    env = {**os.environ, "SENATE_OUT_DIR": str(tmp / "out"), "PREFECT_HOME": str(tmp / "prefect")}
    runs = {}
    for command in (["plan", *NOT_TABLES], ["run", *NOT_TABLES, "--no-ingest",
                                               "--today", TODAY.isoformat()]):
        started = time.monotonic()
        done = subprocess.run([sys.executable, "-m", "flows", command[0], "--project",
                               str(root), *command[1:]], env=env,
                              capture_output=True, text=True, timeout=300)
        runs[command[0]] = (done, time.monotonic() - started)
    return {"runs": runs, "out": tmp / "out"}


@pytest.mark.parametrize("command", ["plan", "run"])
def test_files_that_are_not_tables_exit_1_with_their_findings(not_tables, command) -> None:
    done, seconds = not_tables["runs"][command]
    output = done.stdout + done.stderr
    assert done.returncode == 1, output
    assert "Traceback" not in output
    for dataset, (_, rule) in NOT_TABLES.items():
        assert f"cannot be read ({rule})" in done.stdout, (dataset, done.stdout)
    _assert_no_file_bytes(output)
    print(f"{command}: exit {done.returncode} in {seconds:.1f} s")


def test_the_findings_are_in_the_reports_and_no_record_or_log_holds_a_byte(not_tables) -> None:
    out = not_tables["out"]
    for dataset, (_, rule) in NOT_TABLES.items():
        report = json.loads((out / dataset / "validation.json").read_text(encoding="utf-8"))
        assert rule in {finding["rule"] for finding in report["findings"]}
    records = (out / "runs" / "history.jsonl").read_text(encoding="utf-8")
    assert {json.loads(line)["status"] for line in records.splitlines()} == {"failed"}
    logs = [path.read_text(encoding="utf-8") for path in (out / "runs" / "logs").glob("*.jsonl")]
    assert logs
    for text in [records, *logs]:
        assert "Traceback" not in text
        _assert_no_file_bytes(text)


def _assert_no_file_bytes(text: str) -> None:
    for data, _ in NOT_TABLES.values():
        if data:
            assert data[:6].decode("latin-1") not in text
            assert repr(data[:8])[2:-1] not in text
