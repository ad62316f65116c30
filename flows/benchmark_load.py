"""How many requests a second does the catalog serve to 20 anonymous visitors at once?

20 client threads, each with its own keep-alive session (gunicorn's sync workers close each
connection nonetheless; nginx keeps the clients' open), send a fixed mix of what visitors and
API consumers ask for, for a fixed time, against the CKAN of the stack instance in the
environment (SENATE_STACK_INSTANCE; start it first: `make up`):

- ``package_search``: a Thai word (วุฒิสภา) with organisation, group and tag facets;
- ``package_show`` of the catalog's public datasets;
- ``datastore_search`` of their DataStore tables (the first 50 rows);
- ``dataset_page``: the HTML page /dataset/<name>; ``home``: the home page.

Reported: requests a second, p50 and p99 latency and errors, overall and per kind. With
``--compare-dev`` the same load also runs against a temporary `ckan run` (the threaded Werkzeug
dev server of `SENATE_CKAN_SERVER=dev`) on a spare port with the same ckan.ini, in the same run
and in alternating slices (these machines are noisy: only ratios from one run compare), and
the ratios gunicorn / dev are reported. The load generator runs on the same cores as CKAN. Example:

    python -m flows.benchmark_load --clients 20 --seconds 20 --compare-dev --out out/benchmark
"""

from __future__ import annotations

import json
import os
import random
import tempfile
import threading
import time
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

import click
import requests

from flows.config import load_config
from flows.settings import StackSettings
from flows.stack import ckan, processes
from flows.stack.paths import StackPaths

THAI_QUERY = "วุฒิสภา"
FACETS = json.dumps(["organization", "groups", "tags"])
#: How often each kind comes up in a client's mix: mostly API reads, some pages.
WEIGHTS = {"package_search": 3, "package_show": 3, "datastore_search": 2, "dataset_page": 1,
           "home": 1}
TIMEOUT = 60


@dataclass(frozen=True)
class Call:
    """One request of the mix: its kind, path and query parameters."""

    kind: str
    path: str
    params: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Sample:
    kind: str
    seconds: float
    error: str = ""  # "" for a 200 with a body, else the status or the exception's name

    @property
    def ok(self) -> bool:
        return not self.error


def discover_calls(url: str) -> list[Call]:
    """The mix for this catalog: its public datasets and the DataStore tables they hold."""
    with requests.Session() as session:
        found = _api(session, url, "package_search", rows="100", include_private="false")
    names = [package["name"] for package in found["results"]]
    tables = [resource["id"] for package in found["results"]
              for resource in package.get("resources", []) if resource.get("datastore_active")]
    if not names or not tables:
        raise click.ClickException(
            f"the catalog at {url} has {len(names)} public datasets and {len(tables)} DataStore "
            "tables; load some first: senate-catalog run")
    calls = [Call("package_search", "/api/3/action/package_search",
                  (("q", THAI_QUERY), ("facet.field", FACETS), ("rows", "10")))]
    calls += [Call("package_show", "/api/3/action/package_show", (("id", name),))
              for name in names]
    calls += [Call("datastore_search", "/api/3/action/datastore_search",
                   (("resource_id", table), ("limit", "50"))) for table in tables]
    calls += [Call("dataset_page", f"/dataset/{name}") for name in names]
    return calls + [Call("home", "/")]


def _api(session: requests.Session, url: str, action: str, **params: str) -> dict[str, Any]:
    response = session.get(f"{url}/api/3/action/{action}", params=params, timeout=TIMEOUT)
    response.raise_for_status()
    return response.json()["result"]


def client_plan(calls: list[Call], seed: int, length: int = 200) -> list[Call]:
    """A client's shuffled sequence: each kind of ``calls`` as often as WEIGHTS says."""
    rng = random.Random(seed)
    by_kind: dict[str, list[Call]] = {}
    for call in calls:
        by_kind.setdefault(call.kind, []).append(call)
    kinds = [kind for kind, weight in WEIGHTS.items() if kind in by_kind for _ in range(weight)]
    return [rng.choice(by_kind[rng.choice(kinds)]) for _ in range(length)]


def run_load(url: str, calls: list[Call], *, clients: int, seconds: float) -> dict[str, Any]:
    """``clients`` threads send their plans in a loop for ``seconds``; the summary."""
    return summarize(*load_samples(url, calls, clients=clients, seconds=seconds))


def load_samples(url: str, calls: list[Call], *, clients: int,
                 seconds: float) -> tuple[list[Sample], float]:
    """Every request's sample, and how long the load lasted."""
    samples: list[list[Sample]] = [[] for _ in range(clients)]
    window: dict[str, float] = {}

    def open_window() -> None:  # run once, when every client has connected
        window["began"] = time.perf_counter()
        window["deadline"] = window["began"] + seconds

    ready = threading.Barrier(clients, action=open_window)

    def client(index: int) -> None:
        plan = client_plan(calls, seed=index)
        with requests.Session() as session:
            _send(session, url, plan[0])  # opens the connection; not measured
            ready.wait()
            position = 0
            while time.perf_counter() < window["deadline"]:
                call = plan[position % len(plan)]
                began = time.perf_counter()
                error = _send(session, url, call)
                samples[index].append(Sample(call.kind, time.perf_counter() - began, error))
                position += 1

    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # The last requests end after the deadline: divide by the time the load really lasted.
    return [s for own in samples for s in own], time.perf_counter() - window["began"]


def alternate_loads(urls: dict[str, str], calls: list[Call], *, clients: int, seconds: float,
                    rounds: int) -> dict[str, dict[str, Any]]:
    """Each server of ``urls`` loaded for ``seconds`` in all, in ``rounds`` slices taken in
    turn (A B, B A, ...), so what else the machine does weighs on each alike; summaries."""
    samples: dict[str, list[Sample]] = {name: [] for name in urls}
    lasted = dict.fromkeys(urls, 0.0)
    for turn in range(rounds):
        for name in (list(urls) if turn % 2 == 0 else list(reversed(urls))):
            got, took = load_samples(urls[name], calls, clients=clients,
                                     seconds=seconds / rounds)
            samples[name] += got
            lasted[name] += took
    return {name: summarize(samples[name], lasted[name]) for name in urls}


def _send(session: requests.Session, url: str, call: Call) -> str:
    """Send one call; "" if it got a 200 with a body, else what went wrong."""
    try:
        response = session.get(url + call.path, params=call.params, timeout=TIMEOUT)
    except requests.RequestException as exc:
        return type(exc).__name__
    if response.status_code != 200:
        return f"HTTP {response.status_code}"
    return "" if response.content else "empty body"


def summarize(samples: list[Sample], seconds: float) -> dict[str, Any]:
    """Requests a second, p50/p99 (ms) and errors, overall and per kind."""
    kinds = sorted({sample.kind for sample in samples})
    return {"seconds": round(seconds, 2), **_figures(samples, seconds),
            "per_kind": {kind: _figures([s for s in samples if s.kind == kind], seconds)
                         for kind in kinds}}


def _figures(samples: list[Sample], seconds: float) -> dict[str, Any]:
    latencies = sorted(sample.seconds for sample in samples)
    return {"requests": len(samples), "requests_per_s": round(len(samples) / seconds, 1),
            "p50_ms": _percentile_ms(latencies, 50), "p99_ms": _percentile_ms(latencies, 99),
            "errors": sum(not sample.ok for sample in samples),
            "error_kinds": dict(Counter(sample.error for sample in samples if sample.error))}


def _percentile_ms(ordered: list[float], percent: int) -> float | None:
    """Nearest-rank percentile, in milliseconds."""
    if not ordered:
        return None
    rank = max(1, -(-percent * len(ordered) // 100))
    return round(ordered[rank - 1] * 1000, 1)


@contextmanager
def dev_server(paths: StackPaths, host: str) -> Iterator[str]:
    """A temporary `ckan run` (threaded) with the instance's ckan.ini on a spare port; its
    URL. It is stopped afterwards by its own PID file, never the stack's server."""
    port = processes.free_port(host)
    with tempfile.TemporaryDirectory(prefix="bench-ckan-dev-") as folder:
        pidfile, logfile = Path(folder) / "ckan.pid", Path(folder) / "ckan.log"
        url = f"http://{host}:{port}"
        try:
            ckan.start_server(paths, ini=paths.ckan_ini, host=host, port=port, url=url,
                              pidfile=pidfile, logfile=logfile, what="the dev server",
                              server="dev")
            yield url
        finally:
            ckan.stop_server(pidfile, paths.ckan_ini)


def run_benchmark(settings: StackSettings, *, clients: int, seconds: float,
                  compare_dev: bool, rounds: int = 4) -> dict[str, Any]:
    """The load against the stack's CKAN, and with ``compare_dev`` against the dev server."""
    paths = StackPaths(settings)
    server = ckan.describe_server(paths.pidfile(ckan.SERVICE), paths.ckan_ini)
    if server is None or not ckan.api_answers(settings.ckan_url):
        raise click.ClickException(f"no CKAN of instance {settings.instance} at "
                                   f"{settings.ckan_url}; run `senate-catalog stack up` first")
    calls = discover_calls(settings.ckan_url)
    results: dict[str, Any] = {
        "instance": settings.instance, "cpus": os.cpu_count(), "clients": clients,
        "duration_s": seconds, "weights": WEIGHTS, "query": THAI_QUERY,
        "datasets": sum(call.kind == "package_show" for call in calls),
        "datastore_tables": sum(call.kind == "datastore_search" for call in calls)}
    if not compare_dev:
        results["stack"] = {"server": server, **run_load(settings.ckan_url, calls,
                                                          clients=clients, seconds=seconds)}
        return results
    with dev_server(paths, settings.host) as url:
        loads = alternate_loads({"stack": settings.ckan_url, "dev": url}, calls,
                                clients=clients, seconds=seconds, rounds=rounds)
    results["rounds"] = rounds
    results["stack"] = {"server": server, **loads["stack"]}
    results["dev"] = {"server": {"kind": "dev", "workers": None}, **loads["dev"]}
    results["ratios"] = _ratios(results["stack"], results["dev"])
    return results


def _ratios(stack: dict[str, Any], dev: dict[str, Any]) -> dict[str, float | None]:
    """Stack server / dev server: throughput (higher is better), latencies (lower is better)."""
    def ratio(a: float | None, b: float | None) -> float | None:
        return round(a / b, 2) if a and b else None
    ratios = {"requests_per_s": ratio(stack["requests_per_s"], dev["requests_per_s"]),
              "p50": ratio(stack["p50_ms"], dev["p50_ms"]),
              "p99": ratio(stack["p99_ms"], dev["p99_ms"])}
    for kind, figures in stack["per_kind"].items():
        ratios[f"{kind}_p50"] = ratio(figures["p50_ms"], dev["per_kind"][kind]["p50_ms"])
    return ratios


def _print(results: dict[str, Any]) -> None:
    for name in ("stack", "dev"):
        if name not in results:
            continue
        run = results[name]
        server = run["server"]
        label = (f"gunicorn, {server['workers']} workers" if server["kind"] == "gunicorn"
                 else "ckan run (dev server)")
        click.echo(f"{name}: {label}: {run['requests_per_s']} req/s, p50 {run['p50_ms']} ms, "
                   f"p99 {run['p99_ms']} ms, {run['errors']} errors / {run['requests']}"
                   f"{' ' + str(run['error_kinds']) if run['error_kinds'] else ''}")
        for kind, figures in run["per_kind"].items():
            click.echo(f"  {kind:<17} {figures['requests']:>6} req  {figures['p50_ms']:>8} ms "
                       f"p50 {figures['p99_ms']:>8} ms p99  {figures['errors']} errors")
    for key, value in results.get("ratios", {}).items():
        click.echo(f"ratio stack/dev {key:<24} {value}x")


@click.command()
@click.option("--clients", default=20, show_default=True, help="Concurrent anonymous clients.")
@click.option("--seconds", default=20.0, show_default=True, help="How long each load lasts.")
@click.option("--compare-dev", is_flag=True,
              help="Also measure a temporary `ckan run` with the same ini; report the ratios.")
@click.option("--rounds", default=4, show_default=True,
              help="With --compare-dev: slices per server, taken in turn (A B, B A, ...).")
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=Path("out/benchmark"),
              show_default=True, help="Where load.json goes.")
def main(clients: int, seconds: float, compare_dev: bool, rounds: int, out_dir: Path) -> None:
    """Load the stack's CKAN with concurrent anonymous clients; write load.json."""
    results = run_benchmark(load_config().stack, clients=clients, seconds=seconds,
                            compare_dev=compare_dev, rounds=rounds)
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "load.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n",
                                       encoding="utf-8")
    _print(results)
    click.echo(f"-> {out_dir / 'load.json'}")


if __name__ == "__main__":
    main()
