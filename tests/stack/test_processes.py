import http.server
import stat
import sys
import threading
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


def test_a_spawned_service_creates_private_files_and_logs_privately(tmp_path: Path) -> None:
    # What CKAN, Redis, the search service and Prefect write must not be readable by others.
    made = tmp_path / "data" / "row.txt"
    code = (f"import os; os.makedirs({str(made.parent)!r}); open({str(made)!r}, 'w').write('x');"
            " print('written', flush=True)")
    log = tmp_path / "svc.log"
    pid = processes.spawn([sys.executable, "-c", code], pidfile=tmp_path / "svc.pid", logfile=log)
    assert processes.wait_until(lambda: "written" in log.read_text(), timeout=10), pid
    assert stat.S_IMODE(made.stat().st_mode) == 0o600
    assert stat.S_IMODE(made.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(log.stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "svc.pid").stat().st_mode) == 0o600


class _BasicAuthOnly(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802
        ok = self.headers.get("Authorization") == "Basic dTpw"
        self.send_response(200 if ok else 401)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


def test_http_status_reports_401_and_http_ok_sends_headers() -> None:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _BasicAuthOnly)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/ping"
    try:
        assert processes.http_status(url) == 401
        assert processes.http_ok(url) is False
        assert processes.http_ok(url, headers={"Authorization": "Basic dTpw"}) is True
    finally:
        server.shutdown()
        server.server_close()
    assert processes.http_status(url, timeout=0.5) is None  # nothing listens any more
