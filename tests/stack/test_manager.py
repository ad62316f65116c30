import socket
from pathlib import Path

import pytest

from flows import stack
from flows.errors import StackError
from flows.settings import StackSettings
from flows.stack import manager, national
from flows.stack.paths import StackPaths
from flows.config import load_stack_settings


def _settings(tmp_path: Path) -> StackSettings:
    ports = {"SENATE_CKAN_PORT": "59981", "SENATE_POSTGRES_PORT": "59982",
             "SENATE_REDIS_PORT": "59983", "SENATE_SEARCH_PORT": "59984",
             "SENATE_PREFECT_PORT": "59985", "SENATE_NATIONAL_PORT": "59986",
             "SENATE_NATIONAL_SEARCH_PORT": "59987"}
    return load_stack_settings({"SENATE_STACK_DIR": str(tmp_path), **ports})


def test_reset_deletes_instance_data_but_keeps_ckan_venv(tmp_path: Path) -> None:
    paths = StackPaths(_settings(tmp_path))
    prefect_home = _settings(tmp_path).prefect_home
    for folder in (paths.service_dir("postgres") / "data", paths.ckan_storage, prefect_home,
                   paths.ckan_venv / "bin"):
        folder.mkdir(parents=True)
    paths.token.write_text("x")
    assert stack.reset(_settings(tmp_path)) == []  # nothing was running
    assert not paths.instance.exists() and not prefect_home.exists()
    assert paths.ckan_venv.exists()
    stack.reset(_settings(tmp_path), everything=True)
    assert not paths.ckan_venv.exists()


def test_a_foreign_program_on_a_port_is_named_not_killed(tmp_path: Path) -> None:
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", 0))
        squatter.listen()
        port = squatter.getsockname()[1]
        started = []
        with pytest.raises(StackError, match="SENATE_REDIS_PORT"):
            manager._start("redis", None, "127.0.0.1", port, lambda: started.append(1))
        assert started == []


def test_status_reports_every_service_stopped(tmp_path: Path) -> None:
    report = stack.status(_settings(tmp_path))
    assert set(manager.SERVICES) == {"postgres", "redis", "search", "ckan", "prefect"}
    assert set(report) == {*manager.SERVICES, "prefect_worker", "national", "national_search"}
    assert all(info["pid"] is None and not info["foreign"] for info in report.values())
    assert report["ckan"]["answers"] is False
    assert report["prefect"]["answers"] is False
    assert report["prefect"]["url"] == "http://127.0.0.1:59985"
    assert report["prefect"]["api_url"] == "http://127.0.0.1:59985/api"
    assert report["national"]["url"] == "http://127.0.0.1:59986"
    assert report["national"]["answers"] is False and report["national"]["token_file"] is None
    assert report["ckan"]["server"] is None and report["national"]["server"] is None
    assert report["prefect_worker"]["pool"] == "senate-catalog"
    assert report["prefect_worker"]["next_runs"] == []   # no server to ask


def test_an_instance_without_national_ports_has_no_national_catalog(tmp_path: Path) -> None:
    settings = load_stack_settings({"SENATE_STACK_DIR": str(tmp_path),
                                       "SENATE_STACK_INSTANCE": "demo"})
    bare = StackSettings(project_root=settings.project_root, state_dir=settings.state_dir,
                         instance="demo", host=settings.host,
                         ports={name: port for name, port in settings.ports.items()
                                if not name.startswith("national")})
    assert national.enabled(settings) and not national.enabled(bare)
    assert not {"national", "national_search"} & set(stack.status(bare))


def test_down_with_nothing_running_stops_nothing(tmp_path: Path) -> None:
    assert stack.down(_settings(tmp_path)) == []
