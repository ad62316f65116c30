import sys
from pathlib import Path

from flows.stack import processes


def _sleeper(tmp_path: Path, marker: str) -> tuple[int, Path]:
    pidfile = tmp_path / "svc.pid"
    pid = processes.spawn([sys.executable, "-c", "import time; time.sleep(60)", marker],
                          pidfile=pidfile, logfile=tmp_path / "svc.log")
    # Right after exec, /proc/<pid>/cmdline can read empty for a moment.
    assert processes.wait_until(lambda: processes.process_matches(pid, marker), timeout=5)
    return pid, pidfile


def test_spawn_records_pid_and_stop_ends_the_process(tmp_path: Path) -> None:
    marker = str(tmp_path / "marker-a")
    pid, pidfile = _sleeper(tmp_path, marker)
    assert processes.running_pid(pidfile, marker) == pid
    processes.stop_pid(pid, marker, timeout=5)
    assert processes.running_pid(pidfile, marker) is None


def test_a_pid_without_our_marker_is_not_ours(tmp_path: Path) -> None:
    marker = str(tmp_path / "marker-b")
    pid, pidfile = _sleeper(tmp_path, marker)
    try:
        # Same PID, another service's marker: `down` must leave this process alone.
        assert processes.running_pid(pidfile, "/some/other/instance") is None
        assert processes.process_matches(pid, marker)
    finally:
        processes.stop_pid(pid, marker, timeout=5)


def test_garbled_or_missing_pidfile(tmp_path: Path) -> None:
    (tmp_path / "bad.pid").write_text("not-a-pid\n")
    assert processes.read_pid(tmp_path / "bad.pid") is None
    assert processes.read_pid(tmp_path / "missing.pid") is None


def test_wait_until_gives_up_after_timeout() -> None:
    assert processes.wait_until(lambda: False, timeout=0.3, interval=0.1) is False
    assert processes.wait_until(lambda: True, timeout=0.3) is True
