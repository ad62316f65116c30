"""Set-up from any folder: a copy of the project inside a 0700 folder (as ``mktemp -d`` makes,
or a home folder) brings its PostgreSQL up, CKAN's role and database included, through the real
stack code; the copy's own CLI then finds the cluster again (``status``) and removes it
(``reset``). Run as root (as `make test` and CI do), the server runs as ``postgres``, which cannot
enter the copy at all.

Only PostgreSQL is started, on free ports of its own, so the test stack of `make test` and the
demo stack are never touched. About 5 s.
"""

from __future__ import annotations

import json
import os
import pwd
import shutil
import stat
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Iterator

import pytest

from flows.settings import PROJECT_ROOT, StackSettings
from flows.stack import cluster_dir, postgres, processes, secrets_store
from flows.stack.paths import StackPaths
from flows.stack.shell import as_user
from flows.config import load_stack_settings

HOST = "127.0.0.1"
#: What a fresh clone does not have: state, virtualenvs, outputs, caches.
_NOT_IN_A_CLONE = shutil.ignore_patterns(".stack", ".venv", "out", ".git", "__pycache__",
                                         ".pytest_cache", "*.egg-info")


def _require_postgres_binaries() -> None:
    pg_bin = load_stack_settings().pg_bin
    if (pg_bin / "initdb").exists():
        return
    message = f"no PostgreSQL 15 binaries in {pg_bin}"
    if os.environ.get("SENATE_REQUIRE_STACK") == "1":
        pytest.fail(message)
    pytest.skip(message)


def _own_ports() -> dict[str, str]:
    """Free ports for every service (only PostgreSQL's is used), none of the stacks' ones."""
    ports: dict[str, str] = {}
    port = 22700
    for name in ("POSTGRES", "CKAN", "REDIS", "SEARCH", "PREFECT"):
        port = processes.free_port(HOST, first=port + 1)
        ports[f"SENATE_{name}_PORT"] = str(port)
    return ports


@pytest.fixture
def private_clone() -> Iterator[tuple[Path, dict[str, str]]]:
    """A copy of the project in a fresh ``mktemp -d`` folder, and the environment to run it
    with; whatever the test leaves running or on disk is stopped and removed afterwards."""
    _require_postgres_binaries()
    top = Path(tempfile.mkdtemp())
    clone = top / "clone"
    shutil.copytree(PROJECT_ROOT, clone, ignore=_NOT_IN_A_CLONE, symlinks=True)
    env = {**_own_ports(), "SENATE_STACK_INSTANCE": "demo"}
    try:
        yield clone, env
    finally:
        paths = StackPaths(_settings(clone, env))
        postgres.stop(paths)
        cluster_dir.remove(paths)
        shutil.rmtree(top)


def _settings(clone: Path, env: dict[str, str]) -> StackSettings:
    return load_stack_settings(env, project_root=clone)


def _cli(clone: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """``python -m flows`` run inside the copy, so it is the copy's code and state folder."""
    base = {key: value for key, value in os.environ.items() if not key.startswith("SENATE_")}
    return subprocess.run([sys.executable, "-m", "flows", *args], cwd=clone,
                          env={**base, **env}, capture_output=True, text=True, timeout=120,
                          check=False)


def _owner_and_mode(path: Path) -> tuple[str, int]:
    info = path.stat()
    return pwd.getpwuid(info.st_uid).pw_name, stat.S_IMODE(info.st_mode)


@pytest.mark.slow  # starts and stops a real PostgreSQL: ~2 s
def test_postgres_comes_up_from_a_clone_inside_a_private_folder(
        private_clone: tuple[Path, dict[str, str]]) -> None:
    clone, env = private_clone
    assert stat.S_IMODE(clone.parent.stat().st_mode) == 0o700
    settings = _settings(clone, env)
    paths = StackPaths(settings)
    assert settings.state_dir == clone / ".stack"
    port = settings.ports["postgres"]
    secrets = secrets_store.load_or_create(paths.secrets)

    # What `stack up` does for PostgreSQL, step by step.
    assert postgres.ensure_cluster(paths, secrets["postgres_superuser"]) is True
    postgres.start(paths, host=HOST, port=port)
    assert postgres.ensure_database(paths, host=HOST, port=port,
                                    superuser_password=secrets["postgres_superuser"],
                                    ckan_password=secrets["ckan_db"]) is True
    # CKAN's role logs in to its own database with its own password (no tables yet).
    assert postgres.has_table(host=HOST, port=port, password=secrets["ckan_db"],
                              table="package") is False
    pid = postgres.running_pid(paths)
    assert pid is not None

    cluster = cluster_dir.locate(paths)
    assert not cluster.initdb_pwfile.exists()
    if os.geteuid() == 0:
        _assert_cluster_is_postgres_alone(paths, clone, cluster)

    # A second `up` changes nothing; the copy's own CLI finds the server and then removes it.
    assert postgres.ensure_cluster(paths, secrets["postgres_superuser"]) is False
    status = _cli(clone, env, "stack", "status", "--json")
    assert json.loads(status.stdout)["postgres"]["pid"] == pid, status.stderr
    reset = _cli(clone, env, "stack", "reset", "--yes")
    assert reset.returncode == 0, reset.stdout + reset.stderr
    assert postgres.running_pid(paths) is None
    assert not cluster.root.exists() and not paths.instance.exists()


def _assert_cluster_is_postgres_alone(paths: StackPaths, clone: Path,
                                      cluster: cluster_dir.ClusterDir) -> None:
    """As root: postgres cannot enter the copy, so the cluster lives under its home, 0700."""
    entered = subprocess.run(as_user("postgres", ["test", "-x", str(clone)]), check=False)
    assert entered.returncode != 0
    assert paths.service_dir("postgres").resolve() == cluster.root == cluster_dir.home_dir(paths)
    for folder in (cluster.root, cluster.data, cluster.socket_dir):
        assert _owner_and_mode(folder) == ("postgres", 0o700), folder
    assert _owner_and_mode(cluster.logfile) == ("postgres", 0o600)
