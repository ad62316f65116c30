"""The stack's Prefect worker: the environment its flow runs get, how it is told apart from
other instances' workers, and the lines `stack status` prints for the next scheduled runs.
(It runs a scheduled flow run for real in tests/pipelines/test_schedule_worker.py.)"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

from flows.pipelines.deployments import deployment_fingerprint
from flows.pipelines.scheduled_runs import next_run_line
from flows.settings import PROJECT_ROOT, StackSettings
from flows.stack import prefect_worker
from flows.stack.paths import StackPaths
from flows.config import load_stack_settings


def _settings(tmp_path: Path, instance: str) -> StackSettings:
    return load_stack_settings({"SENATE_STACK_DIR": str(tmp_path),
                                   "SENATE_STACK_INSTANCE": instance})


def test_flow_runs_reach_this_instance_whatever_the_shell_points_at(tmp_path: Path) -> None:
    settings = _settings(tmp_path, "test")
    shell = {"PATH": "/usr/bin", "PREFECT_API_URL": "http://elsewhere:4200/api",
             "PREFECT_API_KEY": "pnu_x", "CKAN_URL": "https://catalog.example.go.th",
             "CKAN_API_TOKEN": "secret",
             "PREFECT_WORKER_QUERY_SECONDS": "5"}
    environment = prefect_worker.worker_environment(settings, shell)
    assert environment["PREFECT_API_URL"] == settings.prefect_api_url
    assert environment["PREFECT_HOME"] == str(settings.prefect_home)
    assert environment["DO_NOT_TRACK"] == "1"
    assert environment["PREFECT_SERVER_ANALYTICS_ENABLED"] == "false"
    assert environment["SENATE_STACK_INSTANCE"] == "test"
    assert environment["CKAN_URL"] == settings.ckan_url
    assert environment["CKAN_API_TOKEN_FILE"] == str(settings.token_file)
    assert environment["SENATE_CKAN_PORT"] == str(settings.ports["ckan"])
    assert {"PREFECT_API_KEY", "CKAN_API_TOKEN"}.isdisjoint(environment)
    # Tuning the worker itself is still the operator's.
    assert environment["PREFECT_WORKER_QUERY_SECONDS"] == "5" and environment["PATH"]


def test_only_the_demo_instance_writes_to_the_projects_out_folder(tmp_path: Path) -> None:
    assert prefect_worker.out_dir(_settings(tmp_path, "test"), {}) == tmp_path / "test" / "out"
    assert prefect_worker.out_dir(_settings(tmp_path, "demo"), {}) == PROJECT_ROOT / "out"
    chosen = tmp_path / "chosen"
    assert prefect_worker.out_dir(_settings(tmp_path, "test"),
                                  {"SENATE_OUT_DIR": str(chosen)}) == chosen


def test_each_instance_has_its_own_worker_name_and_files(tmp_path: Path) -> None:
    demo, test = _settings(tmp_path, "demo"), _settings(tmp_path, "test")
    assert prefect_worker.worker_name(demo) != prefect_worker.worker_name(test)
    assert prefect_worker.pidfile(StackPaths(test)) == test.prefect_home / "worker.pid"
    # Nothing running: no PID, and `down` stops nothing.
    assert prefect_worker.running_pid(StackPaths(test)) is None
    assert prefect_worker.stop(StackPaths(test)) is False


def test_next_run_lines_give_bangkok_time_and_utc() -> None:
    line = next_run_line({"deployment": "legislative-daily",
                          "expected": "2026-12-05T19:00:00+00:00",
                          "schedules": ["cron 0 2 * * * (Asia/Bangkok)"]})
    assert "2026-12-06 02:00 Bangkok (2026-12-05 19:00 UTC)" in line
    idle = next_run_line({"deployment": "catalog-on-demand", "expected": None, "schedules": []})
    assert "nothing scheduled" in idle and "run on demand" in idle


def test_the_deployment_fingerprint_follows_prefect_yaml(tmp_path: Path) -> None:
    for name in ("catalog_config/prefect.yaml", "flows/pipelines/catalog_flow.py"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes((PROJECT_ROOT / name).read_bytes())
    before = deployment_fingerprint(tmp_path)
    assert deployment_fingerprint(tmp_path) == before
    with (tmp_path / "catalog_config" / "prefect.yaml").open("a", encoding="utf-8") as file:
        file.write("# changed\n")
    assert deployment_fingerprint(tmp_path) != before


def test_before_the_server_schedules_runs_the_cron_says_when() -> None:
    from types import SimpleNamespace

    from prefect.client.schemas.schedules import CronSchedule

    from flows.pipelines.scheduled_runs import _next_from_schedules

    daily = CronSchedule(cron="0 2 * * *", timezone="Asia/Bangkok")
    expected = _next_from_schedules([SimpleNamespace(active=True, schedule=daily)])
    now = datetime.now(timezone.utc)
    assert now < expected <= now + timedelta(days=1)
    assert expected.astimezone(ZoneInfo("Asia/Bangkok")).strftime("%H:%M") == "02:00"
    assert _next_from_schedules([SimpleNamespace(active=False, schedule=daily)]) is None
