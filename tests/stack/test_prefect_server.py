import sys
import time
from pathlib import Path

import pytest

from flows import stack
from flows.errors import StackError
from flows.settings import StackSettings
from flows.stack import prefect_server, processes
from flows.stack.processes import free_port
from flows.stack.paths import StackPaths
from flows.config import load_stack_settings

pytestmark = pytest.mark.slow  # starts, waits on and stops real Prefect servers: ~10 s


def _settings(tmp_path: Path, port: int) -> StackSettings:
    # The `test` instance in a temporary folder on a free port: never the demo's data or ports.
    return load_stack_settings({"SENATE_STACK_DIR": str(tmp_path),
                                   "SENATE_STACK_INSTANCE": "test",
                                   "SENATE_PREFECT_PORT": str(port)})


def _fake_prefect(tmp_path: Path, body: str) -> Path:
    """A stand-in named ``prefect`` that never serves HTTP, so start's failure paths run fast."""
    script = tmp_path / "bin" / "prefect"
    script.parent.mkdir(parents=True, exist_ok=True)
    script.write_text(f"#!{sys.executable}\n{body}\n")
    script.chmod(0o755)
    return script


def test_the_pipeline_virtualenv_has_the_prefect_script() -> None:
    assert prefect_server.prefect_executable().parent == Path(sys.executable).parent


def test_a_server_that_exits_is_reported_at_once_with_its_log(tmp_path: Path,
                                                              monkeypatch) -> None:
    fake = _fake_prefect(tmp_path, "raise SystemExit('database is locked')")
    monkeypatch.setattr(prefect_server, "prefect_executable", lambda: fake)
    paths = StackPaths(_settings(tmp_path, free_port()))
    started = time.monotonic()
    with pytest.raises(StackError, match=r"stopped while starting; see .*/test/prefect/server"):
        prefect_server.start(paths, paths.settings, timeout=60)
    assert time.monotonic() - started < 30
    assert "database is locked" in prefect_server.logfile(paths).read_text()


def test_a_server_that_never_answers_times_out_and_stops(tmp_path: Path, monkeypatch) -> None:
    fake = _fake_prefect(tmp_path, "import time; time.sleep(60)")
    monkeypatch.setattr(prefect_server, "prefect_executable", lambda: fake)
    paths = StackPaths(_settings(tmp_path, free_port()))
    try:
        with pytest.raises(StackError, match="did not answer within 1 s; see .*server.log"):
            prefect_server.start(paths, paths.settings, timeout=1)
        assert prefect_server.running_pid(paths) is not None
    finally:
        assert prefect_server.stop(paths) is True
    assert prefect_server.running_pid(paths) is None


def test_a_prefect_server_on_another_port_is_not_ours(tmp_path: Path, monkeypatch) -> None:
    fake = _fake_prefect(tmp_path, "import time; time.sleep(60)")
    monkeypatch.setattr(prefect_server, "prefect_executable", lambda: fake)
    port = free_port()
    paths = StackPaths(_settings(tmp_path, port))
    with pytest.raises(StackError):
        prefect_server.start(paths, paths.settings, timeout=0)
    pid = processes.read_pid(paths.pidfile("prefect"))
    try:
        # Same pidfile, another port in the settings: `down` must leave that process alone.
        elsewhere = StackPaths(_settings(tmp_path, free_port(first=port + 1)))
        assert prefect_server.running_pid(elsewhere) is None
        assert prefect_server.stop(elsewhere) is False
    finally:
        prefect_server.stop(paths)
    assert pid is not None and not processes.process_matches(pid, "prefect server start")


def test_real_prefect_server_starts_answers_and_stops(tmp_path: Path) -> None:
    settings = _settings(tmp_path, free_port())
    paths = StackPaths(settings)
    started = time.monotonic()
    try:
        prefect_server.start(paths, settings)
        took = time.monotonic() - started
        report = stack.status(settings)["prefect"]
        assert report["pid"] == prefect_server.running_pid(paths) is not None
        assert report["answers"] is True and report["url"] == settings.prefect_ui_url
        assert (settings.prefect_home / "prefect.db").exists()  # the instance's own database
        print(f"Prefect server answered /api/health after {took:.1f} s")
    finally:
        stopped = stack.down(settings)
    assert stopped == ["prefect"]
    assert not prefect_server.answers(settings.prefect_api_url)
