"""Schedules: apply catalog_config/prefect.yaml to a Prefect server, and run a worker.

    deploy(project_root, environment)            -> the deployment names applied
    deploy_if_changed(project_root, environment, stamp=...) -> the same, or [] when unchanged
    ensure_work_pool(project_root, environment)  -> True if the pool had to be created
    worker_command(run_once=False, name=None)    -> the argv of a process worker on our pool

They run Prefect's own CLI (exactly what an operator would type), with the environment that
points it at the stack's Prefect server (flows.settings.prefect_environment).
"""

from __future__ import annotations

import hashlib
import subprocess
from importlib import metadata
from pathlib import Path
from typing import Mapping

import yaml

from flows.errors import ConfigError, StackError

PREFECT_FILE = Path("catalog_config") / "prefect.yaml"
WORK_POOL = "senate-catalog"
FLOW_NAME = "senate-catalog"
#: What `prefect deploy` records besides prefect.yaml: the flow's parameters (its signature).
FLOW_FILE = Path("flows") / "pipelines" / "catalog_flow.py"


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


def ensure_work_pool(project_root: Path, environment: Mapping[str, str]) -> bool:
    """Create the process work pool when the server has none of that name; True if created."""
    if _prefect(["work-pool", "inspect", WORK_POOL], project_root, environment, check=False):
        return False
    _prefect(["work-pool", "create", WORK_POOL, "--type", "process"], project_root, environment)
    return True


def deploy(project_root: Path, environment: Mapping[str, str]) -> list[str]:
    """Create the process work pool if missing, then apply every deployment of prefect.yaml."""
    names = [d["name"] for d in declared_deployments(project_root)]
    ensure_work_pool(project_root, environment)
    _prefect(["--no-prompt", "deploy", "--all", "--prefect-file", str(PREFECT_FILE)],
             project_root, environment)
    return [f"{FLOW_NAME}/{name}" for name in names]


def deploy_if_changed(project_root: Path, environment: Mapping[str, str], *,
                      stamp: Path) -> list[str]:
    """``deploy`` unless ``stamp`` holds the fingerprint of what was last applied and the
    server still has every declared deployment; [] when nothing had to be applied.

    `prefect deploy` takes about 10 s even when nothing changed (three CLI starts), which
    would be paid by every `senate-catalog demo`.
    """
    fingerprint = deployment_fingerprint(project_root)
    wanted = {d["name"] for d in declared_deployments(project_root)}
    if (_read_stamp(stamp) == fingerprint
            and wanted <= _deployed_names(environment["PREFECT_API_URL"])):
        return []
    applied = deploy(project_root, environment)
    stamp.write_text(fingerprint + "\n", encoding="ascii")
    return applied


def deployment_fingerprint(project_root: Path) -> str:
    """What `prefect deploy` sends, as one hash: prefect.yaml, the flow's source (its parameter
    schema), the project folder (the worker's working directory) and Prefect's version."""
    digest = hashlib.sha256()
    for path in (project_root / PREFECT_FILE, project_root / FLOW_FILE):
        digest.update(path.read_bytes())
    digest.update(str(project_root.resolve()).encode("utf-8"))
    digest.update(metadata.version("prefect").encode("ascii"))
    return digest.hexdigest()


def worker_command(*, run_once: bool = False, name: str | None = None) -> list[str]:
    """A process worker on our pool: it runs each scheduled flow run in a subprocess, one at a
    time (``--limit 1``: runs of the catalog flow write to the same catalog)."""
    command = [str(_prefect_executable()), "worker", "start", "--pool", WORK_POOL,
               "--type", "process", "--limit", "1"]
    command += ["--name", name] if name else []
    return command + (["--run-once"] if run_once else [])


def _deployed_names(api_url: str) -> set[str]:
    from prefect.client.orchestration import SyncPrefectClient
    from prefect.client.schemas.filters import WorkPoolFilter, WorkPoolFilterName

    pool = WorkPoolFilter(name=WorkPoolFilterName(any_=[WORK_POOL]))
    with SyncPrefectClient(api_url) as client:
        return {d.name for d in client.read_deployments(work_pool_filter=pool)}


def _read_stamp(stamp: Path) -> str | None:
    try:
        return stamp.read_text(encoding="ascii").strip()
    except OSError:
        return None


def _prefect(arguments: list[str], cwd: Path, environment: Mapping[str, str], *,
             check: bool = True) -> bool:
    completed = subprocess.run([str(_prefect_executable()), *arguments], cwd=cwd,
                               env=dict(environment), capture_output=True, text=True,
                               timeout=300)
    if completed.returncode != 0 and check:
        output = (completed.stdout + completed.stderr).strip()[-2000:]
        raise StackError(f"`prefect {' '.join(arguments)}` failed (exit {completed.returncode}):"
                         f"\n{output}")
    return completed.returncode == 0


def _prefect_executable() -> Path:
    # Imported here: flows.stack (which imports this module for its worker) is then complete.
    from flows.stack.prefect_server import prefect_executable

    return prefect_executable()
