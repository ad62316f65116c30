"""The bad-YAML neighbour, through the operator's CLI, on the real test CKAN.

A copy of the project holds two datasets under fresh ids: a copy of `senate-units` whose
metadata file has a YAML syntax error, and a copy of `kpi-2-3-ita` that references it by a
foreign key and a code list. `validate` reports the broken one with a failed verdict and exit
1 (a data problem, not 2); `run` publishes the healthy one, its references checked against the
broken neighbour's CSV, fails the broken one with its file, line and fix (exit 1), and a run of
the healthy one alone exits 0. Each step's exit code, duration and message are printed (-s).

Writes to the catalog, so it runs only on the ``test`` stack instance; the runs name their
datasets (a run of every dataset would withdraw other tests' records).
"""

from __future__ import annotations

import json
import shutil
import time
import uuid
from pathlib import Path
from typing import Callable, Iterator

import ckanapi
import pytest
import yaml
from click.testing import CliRunner, Result

from flows.catalog import CatalogClient
from flows.records import read_history
from flows.settings import PROJECT_ROOT
from tests.integration.publish_helpers import copy_project
from tests.pipelines.flow_helpers import FOREIGN_SETTINGS, ON_A_PROJECT

pytestmark = pytest.mark.integration

TODAY = "2026-11-28"
_SUFFIX = uuid.uuid4().hex[:8]
UNITS = f"zz-units-{_SUFFIX}"      # senate-units, its metadata file broken
TYPED = f"zz-typed-{_SUFFIX}"      # senate-units with update_frequency_interval: [1, 2]
ITA = f"zz-ita-{_SUFFIX}"          # kpi-2-3-ita, referencing UNITS (foreign key + code list)
#: "dga: [" (senate-units' "dga:" line) opens a flow sequence; its first entry (the next line)
#: may be a "key: value" pair, the next one needs a comma first (tests/pipelines/test_isolation.py):
#: the parser fails two lines below "dga:". Counted from the committed file, not hard-coded.
BROKEN_LINE = (PROJECT_ROOT / "metadata" / "senate-units.yaml").read_text(
    encoding="utf-8").splitlines().index("dga:") + 3


def _clone(root: Path, source: str, new: str, *, references: dict[str, str]) -> None:
    """``source``'s files under the id ``new`` (and a unique title), its schema's references
    renamed by ``references`` (its metadata read from ``metadata/<source>.yaml.orig``)."""
    (root / "datasets" / new).mkdir()
    shutil.copy(root / "datasets" / source / f"{source}.csv",
                root / "datasets" / new / f"{new}.csv")
    schema = json.loads((root / "schemas" / f"{source}.schema.json").read_text("utf-8"))
    for key in schema.get("foreignKeys") or []:
        key["reference"]["resource"] = references.get(key["reference"]["resource"],
                                                      key["reference"]["resource"])
    for field in schema["fields"]:
        if "codeList" in field:
            field["codeList"]["resource"] = references[field["codeList"]["resource"]]
    (root / "schemas" / f"{new}.schema.json").write_text(
        json.dumps(schema, ensure_ascii=False, indent=2), encoding="utf-8")
    suite = json.loads((root / "schemas" / f"{source}.expectations.json").read_text("utf-8"))
    suite["name"] = new
    (root / "schemas" / f"{new}.expectations.json").write_text(
        json.dumps(suite, ensure_ascii=False, indent=2), encoding="utf-8")
    metadata = yaml.safe_load((root / "metadata" / f"{source}.yaml.orig").read_text("utf-8"))
    metadata["id"] = new
    metadata["dga"]["title"] = f"ชุดข้อมูลทดสอบ {new} (test dataset)"
    (root / "metadata" / f"{new}.yaml").write_text(
        yaml.safe_dump(metadata, allow_unicode=True, sort_keys=False), encoding="utf-8")
    (root / "metadata" / f"{source}.yaml").unlink(missing_ok=True)


def _break_yaml(path: Path, dataset_id: str) -> None:
    """The metadata file of ``dataset_id`` (a copy of senate-units' own file, comments kept, so
    the lines are the committed file's) with "dga:" opening a flow sequence that never closes."""
    text = (path.parent / "senate-units.yaml.orig").read_text(encoding="utf-8")
    text = text.replace("id: senate-units\n", f"id: {dataset_id}\n", 1)
    path.write_text(text.replace("dga:\n", "dga: [\n", 1), encoding="utf-8")


@pytest.fixture(scope="module")
def project(tmp_path_factory, admin: CatalogClient) -> Iterator[Path]:
    root = copy_project(tmp_path_factory.mktemp("isolation-project"),
                        ["senate-units", "kpi-2-3-ita"])
    for source in ("senate-units", "kpi-2-3-ita"):   # kept aside: the ids are the clones'
        shutil.move(root / "metadata" / f"{source}.yaml", root / "metadata" / f"{source}.yaml.orig")
    _clone(root, "senate-units", UNITS, references={})
    _clone(root, "kpi-2-3-ita", ITA, references={"senate-units": UNITS})
    _break_yaml(root / "metadata" / f"{UNITS}.yaml", UNITS)
    _clone(root, "kpi-2-3-ita", TYPED, references={"senate-units": UNITS})
    typed = root / "metadata" / f"{TYPED}.yaml"
    metadata = yaml.safe_load(typed.read_text(encoding="utf-8"))
    metadata["dga"]["update_frequency_interval"] = [1, 2]
    typed.write_text(yaml.safe_dump(metadata, allow_unicode=True), encoding="utf-8")
    yield root
    for name in (UNITS, ITA, TYPED, f"{UNITS}-internal", f"{ITA}-internal"):
        try:
            admin.call("dataset_purge", id=name)
        except ckanapi.NotFound:
            pass


@pytest.fixture(scope="module")
def invoke(prefect_harness: str, project: Path) -> Iterator[Callable[..., tuple[Result, float]]]:
    """The operator CLI in this process, on the project copy, in the session's Prefect
    harness (--project; PREFECT_API_URL names the harness); (result, seconds)."""
    from flows.cli import cli

    patch = pytest.MonkeyPatch()
    patch.setenv("PREFECT_API_URL", prefect_harness)
    for name in FOREIGN_SETTINGS:
        patch.delenv(name, raising=False)

    def run(*args: str) -> tuple[Result, float]:
        started = time.monotonic()
        on_project = ["--project", str(project)] if args[0] in ON_A_PROJECT else []
        result = CliRunner().invoke(cli, [args[0], *on_project, *args[1:]],
                                    catch_exceptions=False)
        took = time.monotonic() - started
        print(f"\n$ senate-catalog {' '.join(args)}\n  exit {result.exit_code} in {took:.1f} s"
              f"\n{result.output}")
        return result, took

    yield run
    patch.undo()


def _rows(output: str) -> dict[str, list[str]]:
    return {line.split()[0]: line.split() for line in output.splitlines()
            if line.split() and line.split()[0] in (UNITS, ITA)}


def test_validate_fails_the_broken_dataset_only_exit_1(invoke, project: Path) -> None:
    result, _ = invoke("validate", "--out", str(project / "out"), "--today", TODAY)
    assert result.exit_code == 1 and "Traceback" not in result.output
    rows = _rows(result.output)
    assert rows[UNITS][1] == "fail" and rows[ITA][1] == "pass"
    findings = json.loads((project / "out" / UNITS / "validation.json").read_text("utf-8"))
    [finding] = [f for f in findings["findings"] if f["rule"] == "config/metadata-unreadable"]
    assert finding["message_en"].startswith(f"metadata/{UNITS}.yaml, line {BROKEN_LINE}: the "
                                            "metadata file is not valid YAML")
    alone, _ = invoke("validate", ITA, "--out", str(project / "out"), "--today", TODAY)
    assert alone.exit_code == 0 and list(_rows(alone.output)) == [ITA]


def test_run_publishes_the_neighbour_and_fails_the_broken_one_exit_1(
        invoke, project: Path, ckan_anonymous: CatalogClient) -> None:
    result, _ = invoke("run", UNITS, ITA, "--no-ingest", "--today", TODAY,
                       "--out", str(project / "out"))
    assert result.exit_code == 1 and "Traceback" not in result.output
    rows = _rows(result.output)
    assert rows[ITA][1] == "published" and rows[UNITS][1] == "failed"
    records = {r["dataset"]: r for r in read_history(project / "out" / "runs" /
                                                      "history.jsonl").records}
    assert records[UNITS]["reason"].startswith(
        f"metadata/{UNITS}.yaml, line {BROKEN_LINE}: the metadata file is not valid YAML: ")
    assert "Fix the YAML syntax at that line" in records[UNITS]["reason"]
    shown = ckan_anonymous.call("package_show", id=ITA)   # public, with its files
    assert shown["private"] is False and shown["resources"]
    with pytest.raises((ckanapi.NotFound, ckanapi.NotAuthorized)):
        ckan_anonymous.call("package_show", id=UNITS)


def test_a_run_of_the_healthy_dataset_alone_exits_0(invoke, project: Path) -> None:
    result, _ = invoke("run", ITA, "--no-ingest", "--today", TODAY,
                       "--out", str(project / "out"))
    assert result.exit_code == 0, result.output
    assert _rows(result.output)[ITA][1] in ("unchanged", "published")


def test_a_wrongly_typed_field_fails_before_any_write(project: Path, admin: CatalogClient,
                                                      ckan_anonymous: CatalogClient) -> None:
    """update_frequency_interval: [1, 2] was published as the text '[1, 2]' once."""
    from datetime import date

    from flows.catalog.counting import CountingClient
    from flows.orchestrate.plan_or_run import plan_or_run

    client = CountingClient(admin)
    started = time.monotonic()
    [outcome] = plan_or_run(project, client=client, out_dir=project / "out-typed",
                            today=date.fromisoformat(TODAY), catalog_url=admin.url,
                            dataset_ids=[TYPED], run_id="typed")
    print(f"\nplan_or_run {TYPED}: {outcome.status} in {time.monotonic() - started:.1f} s, "
          f"write calls {client.write_count}: {outcome.reason}")
    assert outcome.status == "failed" and client.write_count == 0
    assert (f"metadata/{TYPED}.yaml: 1 metadata problem(s):\n  - dga.update_frequency_interval: "
            "[1, 2] is a list; expected a whole number of at least 1, e.g. 1") in outcome.reason
    with pytest.raises((ckanapi.NotFound, ckanapi.NotAuthorized)):
        ckan_anonymous.call("package_show", id=TYPED)
