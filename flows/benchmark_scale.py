"""The scale benchmark (`make bench-scale N=1000`): the flow on N generated datasets.

On the stack instance of the environment (the demo stack: `make up`), in a scratch copy of the
project (flows.benchmark_scale_project), four runs of `senate-catalog run`, each in its own
process as the IT bureau runs it:

- cold: nothing validated, nothing in the catalog;
- warm: nothing changed (every validation from the cache; no write expected);
- one changed: one dataset's CSV changed;
- code list changed: a unit added to the code list a third of the datasets reference, so each
  of them must be validated again.

Then CKAN's ``package_search`` (a Thai word with facets) is timed at that size, and everything
the benchmark created is purged from the catalog. ``out/benchmark/scale.json`` keeps the
figures. Example:

    python -m flows.benchmark_scale --datasets 1000 --out out/benchmark
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Sequence

import click

from flows import records
from flows.benchmark_scale_project import (ORGANIZATION, ScaleProject, change_code_list,
                                           change_one, make_project)
from flows.catalog import CatalogClient
from flows.config import load_config
from flows.settings import PROJECT_ROOT, CatalogSettings, Secret

CLI = [sys.executable, "-m", "flows"]
#: Queries of the search timing: Thai words of the generated titles, with the catalog's facets.
SEARCH_WORDS = ("วุฒิสภา", "งบประมาณ", "การประชุม", "กรรมาธิการ", "ตัวชี้วัด", "ข้อมูล")
FACETS = ["organization", "groups", "tags", "res_format", "license_id"]


def run_flow(project: ScaleProject, out_dir: Path, env: dict[str, str]) -> dict[str, Any]:
    """One `senate-catalog run` on the project: seconds, exit code, and its run records."""
    started = time.monotonic()
    done = subprocess.run([*CLI, "run", "--no-ingest", "--project", str(project.root),
                           "--out", str(out_dir)], cwd=PROJECT_ROOT, env=env,
                          capture_output=True, text=True)
    took = time.monotonic() - started
    (out_dir / "runs").mkdir(parents=True, exist_ok=True)
    with open(out_dir / "runs" / "benchmark-console.log", "a", encoding="utf-8") as log:
        log.write(done.stdout + done.stderr)
    history = records.read_history(out_dir / "runs" / "history.jsonl").records
    run_ids = [r["run_id"] for r in history]
    last = [r for r in history if run_ids and r["run_id"] == run_ids[-1]]
    if done.returncode not in (0, 1) or not last:
        raise click.ClickException(f"the run failed (exit {done.returncode}); see "
                                   f"{out_dir}/runs/benchmark-console.log:\n"
                                   f"{(done.stdout + done.stderr)[-1500:]}")
    return {"seconds": round(took, 1), "exit_code": done.returncode, "records": last}


def summary(run: dict[str, Any]) -> dict[str, Any]:
    """What the scale.json keeps of a run: time, writes, statuses, validations that ran."""
    found = run["records"]
    statuses: dict[str, int] = {}
    for record in found:
        statuses[record["status"]] = statuses.get(record["status"], 0) + 1
    return {"seconds": run["seconds"], "exit_code": run["exit_code"],
            "datasets": len(found),
            "writes": sum((r.get("catalog") or {}).get("write_calls") or 0 for r in found),
            "validated": sorted(r["dataset"] for r in found if not _cached(r)),
            "statuses": statuses}


def _cached(record: dict[str, Any]) -> bool:
    return bool((record.get("validation") or {}).get("cached"))


def time_search(client: CatalogClient, *, rounds: int = 20) -> dict[str, Any]:
    """p50/p99 of package_search: each Thai word with facets, by score and by date, and within
    a group (anonymous requests, as the public's)."""
    seconds = []
    for _ in range(rounds):
        for word in SEARCH_WORDS:
            for extra in ({}, {"sort": "metadata_modified desc"},
                          {"fq": "groups:performance"}):
                started = time.perf_counter()
                client.call("package_search", q=word, rows=20, **extra,
                            **{"facet.field": json.dumps(FACETS), "facet.limit": 50})
                seconds.append(time.perf_counter() - started)
    seconds.sort()
    return {"queries": len(seconds), "p50_s": round(statistics.median(seconds), 4),
            "p99_s": round(seconds[int(len(seconds) * 0.99) - 1], 4),
            "max_s": round(seconds[-1], 4)}


def purge_benchmark(client: CatalogClient) -> int:
    """Purge every record of the benchmark's organisation, then the organisation itself."""
    purged = 0
    while True:
        page = client.call("package_search", fq=f'organization:"{ORGANIZATION}"',
                           include_private=True, include_drafts=True, rows=1000, fl="name")
        names = [package["name"] for package in page.get("results") or []]
        if not names:
            break
        for name in names:
            client.call("dataset_purge", id=name)
            purged += 1
    try:
        client.call("organization_purge", id=ORGANIZATION)
    except Exception:  # noqa: BLE001 - absent already: nothing to remove
        pass
    return purged


@click.command()
@click.option("--datasets", "count", type=click.IntRange(2, 20000), default=1000,
              show_default=True, help="How many datasets to generate (the code list included).")
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=Path("out/benchmark"),
              show_default=True, help="Where scale.json and the scratch project go.")
@click.option("--keep", is_flag=True, help="Leave the datasets in the catalog (to look at).")
def main(count: int, out_dir: Path, keep: bool) -> None:
    out_dir = out_dir.resolve()
    work = out_dir / "scale"
    loaded = load_config()
    stack, config = loaded.stack, loaded.pipeline
    config.check()
    client = CatalogClient(config.catalog)
    anonymous = CatalogClient(CatalogSettings(url=config.catalog_url, token=Secret(""),
                                              timeout=config.timeout))
    env = stack.child_environment({"SENATE_STACK_INSTANCE": stack.instance})
    click.echo(f"Generating {count} datasets in {work / 'project'} ...")
    project = make_project(work / "project", count)
    run_out = work / "out"
    if run_out.exists():
        shutil.rmtree(run_out)
    purge_benchmark(client)   # a crashed earlier benchmark may have left some
    result: dict[str, Any] = {"datasets": count, "instance": stack.instance,
                              "catalog": config.catalog_url, "cpus": os.cpu_count()}
    try:
        runs = {}
        for name, change in (("cold", None), ("warm", None), ("one_changed", change_one),
                             ("code_list_changed", change_code_list)):
            changed = change(project) if change else None
            click.echo(f"{name} run ...")
            runs[name] = summary(run_flow(project, run_out, env))
            runs[name]["changed"] = changed
            click.echo(f"  {runs[name]['seconds']} s, {runs[name]['writes']} writes, "
                       f"{len(runs[name]['validated'])} validated, {runs[name]['statuses']}")
            if name == "cold":
                result["package_search"] = time_search(anonymous)
                click.echo(f"  package_search at {count} datasets: {result['package_search']}")
        result.update(_headline(runs, project))
        result["runs"] = runs
    finally:
        if not keep:
            click.echo(f"Purged {purge_benchmark(client)} benchmark records from the catalog")
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "scale.json").write_text(json.dumps(result, indent=1, ensure_ascii=False),
                                        encoding="utf-8")
    _print_verdicts(result)


def _headline(runs: dict[str, dict[str, Any]], project: ScaleProject) -> dict[str, Any]:
    dependents = set(project.dependents)
    revalidated = set(runs["code_list_changed"]["validated"])
    return {"cold_s": runs["cold"]["seconds"], "warm_s": runs["warm"]["seconds"],
            "warm_writes": runs["warm"]["writes"],
            "one_changed_s": runs["one_changed"]["seconds"],
            "code_list_changed_s": runs["code_list_changed"]["seconds"],
            "code_list_dependents": len(project.dependents),
            "dependents_revalidated": len(dependents & revalidated),
            "every_dependent_revalidated": dependents | {project.datasets[0]} <= revalidated,
            "writes": {name: run["writes"] for name, run in runs.items()}}


def _print_verdicts(result: dict[str, Any]) -> None:
    if "cold_s" not in result:
        return
    checks: Sequence[tuple[str, bool]] = (
        (f"cold {result['cold_s']} s <= 600 s", result["cold_s"] <= 600),
        (f"warm {result['warm_s']} s <= 60 s with {result['warm_writes']} writes",
         result["warm_s"] <= 60 and result["warm_writes"] == 0),
        (f"one changed {result['one_changed_s']} s <= 60 s", result["one_changed_s"] <= 60),
        (f"code list changed: {result['dependents_revalidated']} of "
         f"{result['code_list_dependents']} dependents validated again",
         result["every_dependent_revalidated"]),
        (f"package_search p99 {result['package_search']['p99_s']} s < 0.3 s",
         result["package_search"]["p99_s"] < 0.3))
    for text, ok in checks:
        click.echo(f"  {'PASS' if ok else 'FAIL'}  {text}")


if __name__ == "__main__":
    main()
