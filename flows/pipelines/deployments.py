"""Schedules: apply catalog_config/prefect.yaml to a Prefect server, and run a worker.

    deploy(project_root, environment)        -> the deployment names applied
    worker_command(run_once=False)           -> the argv of a process worker on our pool

Both run Prefect's own CLI (exactly what an operator would type), with the environment that
points it at the stack's Prefect server (flows.settings.prefect_environment).
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Mapping

import yaml

from flows.errors import ConfigError, StackError
from flows.stack.prefect_server import prefect_executable

PREFECT_FILE = Path("catalog_config") / "prefect.yaml"
WORK_POOL = "senate-catalog"
FLOW_NAME = "senate-catalog"


def declared_deployments(project_root: Path) -> list[dict]:
    """The deployments of prefect.yaml (name, schedules, parameters), for checks and printing."""
    path = project_root / PREFECT_FILE
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"{path} cannot be read: {exc}") from exc
    deployments = document.get("deployments") or []
    for deployment in deployments:
        if (deployment.get("work_pool") or {}).get("name") != WORK_POOL:
            raise ConfigError(f"{path}: deployment {deployment.get('name')!r} must use the "
                              f"work pool {WORK_POOL!r} (the one `senate-catalog worker` polls)")
    return deployments


def deploy(project_root: Path, environment: Mapping[str, str]) -> list[str]:
    """Create the process work pool if missing, then apply every deployment of prefect.yaml."""
    names = [d["name"] for d in declared_deployments(project_root)]
    if not _prefect(["work-pool", "inspect", WORK_POOL], project_root, environment, check=False):
        _prefect(["work-pool", "create", WORK_POOL, "--type", "process"], project_root,
                 environment)
    _prefect(["--no-prompt", "deploy", "--all", "--prefect-file", str(PREFECT_FILE)],
             project_root, environment)
    return [f"{FLOW_NAME}/{name}" for name in names]


def worker_command(*, run_once: bool = False) -> list[str]:
    """A process worker on our pool: it runs each scheduled flow run in a subprocess."""
    command = [str(prefect_executable()), "worker", "start", "--pool", WORK_POOL,
               "--type", "process", "--limit", "1"]
    return command + (["--run-once"] if run_once else [])


def _prefect(arguments: list[str], cwd: Path, environment: Mapping[str, str], *,
             check: bool = True) -> bool:
    completed = subprocess.run([str(prefect_executable()), *arguments], cwd=cwd,
                               env=dict(environment), capture_output=True, text=True,
                               timeout=300)
    if completed.returncode != 0 and check:
        output = (completed.stdout + completed.stderr).strip()[-2000:]
        raise StackError(f"`prefect {' '.join(arguments)}` failed (exit {completed.returncode}):"
                         f"\n{output}")
    return completed.returncode == 0
