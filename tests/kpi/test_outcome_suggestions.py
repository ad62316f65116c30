"""The KPI 1.3 report's suggestions name the responsible unit and the action in Thai, never a
repository file: its reader is the head of the agency."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import yaml

from flows.kpi import outcome_problems as opr
from flows.kpi.responsible_units import CONDITIONS_DATASET, load_responsible_units
from flows.validation.waivers import Waiver

ROOT = Path(__file__).resolve().parents[2]
TODAY = date(2026, 11, 28)
#: Anything that looks like a path of the repository or of the run output.
REPO_PATH = re.compile(r"(metadata|datasets|schemas|catalog_config|flows|out)/|\.ya?ml\b|"
                       r"\.json\b|\.html\b")
UNITS = load_responsible_units(ROOT)


def _stakeholder_units() -> dict[str, str]:
    """Stakeholder key → "unit bureau" in Thai, read from organization.yaml itself."""
    document = yaml.safe_load((ROOT / "catalog_config" / "organization.yaml").read_text("utf-8"))
    return {key: " ".join(v for v in (entry.get("unit_th"), entry.get("bureau_th")) if v)
            for key, entry in document["stakeholders"].items()}


def _unit_of(dataset: str, role: str) -> str:
    keys = yaml.safe_load((ROOT / "metadata" / f"{dataset}.yaml").read_text("utf-8"))
    return _stakeholder_units()[keys["stakeholders"][role]]


def _record(dataset: str, status: str, day: int) -> dict[str, Any]:
    finished = datetime(2026, 11, day, 3, tzinfo=timezone.utc).isoformat()
    return {"dataset": dataset, "status": status, "reason": "error 1", "run_id": f"r{day}",
            "finished_at": finished}


def _assert_thai_unit_and_no_path(problems: list[opr.Problem], unit_th: str) -> None:
    assert problems
    for problem in problems:
        thai, english = problem.suggestion
        assert thai.startswith(f"{unit_th}: "), thai
        assert re.search(r"[\u0E00-\u0E7F]", thai.split(": ", 1)[1])   # the action is Thai
        assert not REPO_PATH.search(thai) and not REPO_PATH.search(english), problem.suggestion


def test_a_held_dataset_is_its_data_stewards_to_fix():
    dataset = "senate-votes"
    records = [_record(dataset, "held", day) for day in (20, 21, 22)]
    problems = opr.recurring_failures(records, units=UNITS)
    _assert_thai_unit_and_no_path(problems, _unit_of(dataset, "data_steward"))


def test_a_failing_run_is_the_custodians_to_fix():
    dataset = "kpi-register"
    records = [_record(dataset, "failed", day) for day in (20, 21)]
    problems = opr.recurring_failures(records, units=UNITS)
    _assert_thai_unit_and_no_path(problems, _unit_of(dataset, "data_custodian"))


def test_an_expiring_waiver_is_the_data_stewards_to_renew():
    waiver = Waiver(rule="expectations/x", reason="r", by="steward",
                    expires=TODAY + timedelta(days=10))
    problems = opr.expiring_waivers({"senators": [waiver]}, today=TODAY, units=UNITS)
    _assert_thai_unit_and_no_path(problems, _unit_of("senators", "data_steward"))


def test_pending_conditions_name_the_kpi_owner_or_the_custodian():
    rows = [{"condition_no": n, "condition_th": f"เงื่อนไขที่ {n}", "status": "in-progress",
             "status_th": "อยู่ระหว่างดำเนินการ", "filled_by": by}
            for n, by in ((1, "steward"), (6, "pipeline"))]
    steward_part, pipeline_part = opr.pending_conditions(rows, units=UNITS)
    _assert_thai_unit_and_no_path([steward_part], _unit_of(CONDITIONS_DATASET, "data_owner"))
    _assert_thai_unit_and_no_path([pipeline_part],
                                  _unit_of(CONDITIONS_DATASET, "data_custodian"))
    # who records the evidence is named too, by unit
    assert _unit_of(CONDITIONS_DATASET, "data_steward") in steward_part.suggestion[0]


def test_a_dataset_without_metadata_names_the_role_not_a_file():
    records = [_record("unknown-set", "held", day) for day in (20, 21)]
    [problem] = opr.recurring_failures(records, units=UNITS)
    assert problem.suggestion[0].startswith("บริกรข้อมูลของชุดข้อมูล unknown-set: ")
    assert not REPO_PATH.search(" ".join(problem.suggestion))
