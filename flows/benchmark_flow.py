"""How long do the Prefect server and the catalog flow take, cold and warm, on this machine?

Measured in one invocation, each in its own process, as ratios against a baseline measured in the
same run (these machines are noisy):

- baseline: a Python process that only imports the flow module (what any run pays first);
- Prefect server start, cold (new database: migrations) and warm (database exists), up to
  ``/api/health`` answering, on a free loopback port with its own PREFECT_HOME;
- the flow on every dataset (`senate-catalog run --no-ingest`) cold (empty task cache) and warm
  (nothing changed: validation from the cache, publishing skipped), against the catalog and
  Prefect server of the stack instance in the environment (start it first: `make up`).

The cold flow run re-validates in a private PREFECT_HOME (no cached results) but writes to the
usual output folder: unchanged data gives the same quality-history rows, so the catalog is not
written. Example:

    python -m flows.benchmark_flow --out out/benchmark
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import click

from flows.config import load_config, prefect_environment
from flows.settings import PROJECT_ROOT
from flows.stack.prefect_server import prefect_executable
from flows.stack.processes import free_port, http_ok

CLI = [sys.executable, "-m", "flows"]


def time_process(command: list[str], env: dict[str, str]) -> float:
    """Wall-clock seconds of a command that must succeed."""
    started = time.monotonic()
    done = subprocess.run(command, cwd=PROJECT_ROOT, env=env, capture_output=True, text=True)
    took = time.monotonic() - started
    if done.returncode != 0:
        raise click.ClickException(f"{' '.join(command)} failed (exit {done.returncode}):\n"
                                   f"{(done.stdout + done.stderr)[-2000:]}")
    return took


def time_server_start(home: Path, env: dict[str, str], *, timeout: float = 120) -> float:
    """Seconds from `prefect server start` to /api/health answering; the server is stopped."""
    port = free_port()
    server_env = {**env, "PREFECT_HOME": str(home), "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
                  "DO_NOT_TRACK": "1"}
    server_env.pop("PREFECT_API_URL", None)
    started = time.monotonic()
    with open(home / "server.log", "ab") as log:
        process = subprocess.Popen([str(prefect_executable()), "server", "start", "--host",
                                    "127.0.0.1", "--port", str(port)], env=server_env,
                                   stdout=log, stderr=subprocess.STDOUT)
    try:
        while time.monotonic() - started < timeout:
            if http_ok(f"http://127.0.0.1:{port}/api/health"):
                return time.monotonic() - started
            if process.poll() is not None:
                break
            time.sleep(0.2)
        raise click.ClickException(f"the Prefect server did not answer; see {home}/server.log")
    finally:
        process.terminate()
        process.wait(timeout=30)


def run_benchmark() -> dict[str, Any]:
    config = load_config()
    base_env = config.stack.child_environment(prefect_environment(config.stack,
                                                                  config.stack.environ))
    if not http_ok(f"{base_env['PREFECT_API_URL']}/health"):
        raise click.ClickException(f"no Prefect server at {base_env['PREFECT_API_URL']}; "
                                   "run `make up` (or `senate-catalog stack up`) first")
    results: dict[str, Any] = {}
    results["baseline_import_s"] = time_process(
        [sys.executable, "-c", "import flows.pipelines.catalog_flow"], base_env)
    with tempfile.TemporaryDirectory(prefix="bench-prefect-server-") as home:
        results["server_start_cold_s"] = time_server_start(Path(home), base_env)
        results["server_start_warm_s"] = time_server_start(Path(home), base_env)
    with tempfile.TemporaryDirectory(prefix="bench-prefect-home-") as home:
        env = {**base_env, "PREFECT_HOME": home}  # no cached task results yet
        results["flow_cold_s"] = time_process([*CLI, "run", "--no-ingest"], env)
        results["flow_warm_s"] = time_process([*CLI, "run", "--no-ingest"], env)
    baseline = results["baseline_import_s"]
    results["ratios"] = {
        "server_start_cold_vs_import": round(results["server_start_cold_s"] / baseline, 2),
        "server_start_warm_vs_import": round(results["server_start_warm_s"] / baseline, 2),
        "flow_cold_vs_import": round(results["flow_cold_s"] / baseline, 2),
        "flow_warm_vs_import": round(results["flow_warm_s"] / baseline, 2),
        "flow_cold_vs_warm": round(results["flow_cold_s"] / results["flow_warm_s"], 2),
    }
    results["instance"] = config.stack.instance
    results["cpus"] = os.cpu_count()
    return results


@click.command()
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=Path("out/benchmark"),
              help="Where flow.json goes.")
def main(out_dir: Path) -> None:
    """Time the Prefect server start and the catalog flow (cold, warm) against a baseline."""
    results = run_benchmark()
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "flow.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    for key, value in results.items():
        if key != "ratios":
            click.echo(f"{key:<26} {value:.2f}" if isinstance(value, float)
                       else f"{key:<26} {value}")
    for key, value in results["ratios"].items():
        click.echo(f"ratio {key:<30} {value:.2f}x")
    click.echo(f"-> {out_dir / 'flow.json'}")



if __name__ == "__main__":
    main()
