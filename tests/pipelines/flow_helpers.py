"""What the live flow tests share: run the catalog flow on a project copy, read its records."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from flows.records import read_history

#: The commands that take --project (the tests run them on a copy of the project).
ON_A_PROJECT = ("ingest", "validate", "plan", "run", "publish")

#: Settings the flow must not pick up from the developer's shell: it writes to the test CKAN.
FOREIGN_SETTINGS = ("CKAN_URL", "CKAN_API_TOKEN", "CKAN_API_TOKEN_FILE", "SENATE_CONFIG",
                    "SENATE_PUBLISH_RETRIES", "SENATE_WRITE_CONCURRENCY", "SENATE_CKAN_TIMEOUT",
                    "SENATE_MAX_WORKERS", "SENATE_TASK_RUNNER")


def run_flow(root: Path, *, env: dict[str, str] | None = None,
             **parameters: Any) -> tuple[Any, str, dict[str, dict[str, Any]]]:
    """Run the flow on ``root`` (outputs in ``root/out``, settings ``env`` on top of the
    pipeline's defaults); its state, run id and this run's record of each dataset."""
    from flows.pipelines.catalog_flow import catalog_flow

    with pytest.MonkeyPatch.context() as patch:
        for name in FOREIGN_SETTINGS:
            patch.delenv(name, raising=False)
        for name, value in (env or {}).items():
            patch.setenv(name, value)
        state = catalog_flow(project_root=str(root), out_dir=str(root / "out"),
                             return_state=True, **parameters)
    run_id = str(state.state_details.flow_run_id)
    records = [r for r in read_history(root / "out" / "runs" / "history.jsonl").records
               if r["run_id"] == run_id]
    by_dataset = {record["dataset"]: record for record in records}
    assert len(by_dataset) == len(records), "a dataset has two records in one run"
    return state, run_id, by_dataset
