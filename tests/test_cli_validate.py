"""`senate-catalog validate` on the real pilot datasets."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from flows.cli import cli
from flows.datasets import discover_datasets
from flows.settings import PROJECT_ROOT


@pytest.fixture(scope="module")
def validated(tmp_path_factory: pytest.TempPathFactory) -> tuple[object, Path]:
    out = tmp_path_factory.mktemp("out")
    result = CliRunner().invoke(cli, ["validate", "--out", str(out), "--today", "2026-11-28"])
    return result, out


def test_writes_three_reports_per_dataset_and_exits_1_on_blocking_errors(validated) -> None:
    result, out = validated
    documents = {path.parent.name: json.loads(path.read_text(encoding="utf-8"))
                 for path in out.glob("*/validation.json")}
    assert set(documents) == {spec.id for spec in discover_datasets(PROJECT_ROOT)}
    for dataset in documents:
        assert (out / dataset / "report.html").exists() and (out / dataset / "summary.md").exists()
    assert result.exit_code == (1 if any(d["blocking"] for d in documents.values()) else 0)
    for dataset, document in documents.items():
        assert f"{dataset}" in result.output
    for dataset in ("senate-votes", "senators", "senator-votes"):
        document = documents[dataset]
        assert document["source_sha256"] and document["schema_version"] == "1.0.0"


def test_known_quirks_of_the_real_data_show_as_findings(validated) -> None:
    _, out = validated
    rules = {dataset: {f["rule"] for f in json.loads(
        (out / dataset / "validation.json").read_text(encoding="utf-8"))["findings"]}
        for dataset in ("senate-votes", "senators")}
    assert "expectations/counts-not-recorded" in rules["senate-votes"]  # all-null counts
    assert "expectations/passed-constant" in rules["senate-votes"]
    assert "expectations/legal-title-required" in rules["senate-votes"]  # the stub row 146
    assert "expectations/no-future-dates" in rules["senators"]  # born 2052


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
