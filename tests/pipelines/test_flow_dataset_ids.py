"""The flow checks dataset ids itself (a scheduled deployment passes them as parameters, with no
CLI in front): a bad one stops the run before the output folder, a log or a run record exists.

The flow function is called without Prefect (``catalog_flow.fn``): the check comes first, so
nothing of Prefect is reached.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from flows.errors import ConfigError
from flows.pipelines.catalog_flow import catalog_flow, select_datasets
from tests.integration.publish_helpers import copy_project

DATASET = "senate-units"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SENATE_OUT_DIR", str(tmp_path / "out"))
    monkeypatch.setenv("SENATE_STACK_DIR", str(tmp_path / "stack"))
    return copy_project(tmp_path / "project", [DATASET])


@pytest.mark.parametrize("bad", ["../x", "T-UPPER", "ข้อมูล", "x-internal"])
def test_a_bad_id_parameter_stops_the_flow_before_anything_is_written(
        project: Path, tmp_path: Path, bad: str) -> None:
    with pytest.raises(ConfigError, match=r"^invalid dataset id .* \(dataset_ids parameter "
                                          r"of the flow\): .*Rule: "):
        catalog_flow.fn(dataset_ids=[DATASET, bad], project_root=str(project))
    assert not (tmp_path / "out").exists()


def test_a_bad_metadata_file_stops_the_flow_even_for_other_datasets(
        project: Path, tmp_path: Path) -> None:
    (project / "metadata" / "T-UPPER.yaml").write_text("source: {}\n", encoding="utf-8")
    for ids in ([], [DATASET]):
        with pytest.raises(ConfigError, match=r"^invalid dataset id 'T-UPPER' \(file .*"):
            catalog_flow.fn(dataset_ids=ids, project_root=str(project))
    assert not (tmp_path / "out").exists()


def test_select_datasets_returns_checked_specs(project: Path) -> None:
    assert list(select_datasets(project, [DATASET])) == [DATASET]
    with pytest.raises(ConfigError, match="no dataset 'nope'"):
        select_datasets(project, ["nope"])
