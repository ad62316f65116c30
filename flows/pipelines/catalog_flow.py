"""The Prefect flow the IT bureau runs and schedules: every dataset through the pipeline.

    catalog_flow(dataset_ids=None, groups=None, ingest_sources=True, today=None, purge=False,
                 project_root=None, out_dir=None)

The order, the decisions and the run records are the pipeline's one path
(flows.orchestrate.plan_or_run, also what `senate-catalog plan` runs). This module only makes
its steps Prefect tasks: ingest and validate + describe cached on the inputs' content hash,
publish retried and holding a slot of the ``ckan-writes`` limit, datasets side by side on
threads or on Dask (``flow.task_runner``), and adds the artifacts and the final state (Failed
naming every dataset held or failed).
"""

from __future__ import annotations

import logging
import threading
import time
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Sequence

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.concurrency.sync import concurrency
from prefect.concurrency._asyncio import ConcurrencySlotAcquisitionError
from prefect.context import TaskRunContext, get_run_context
from prefect.futures import as_completed
from prefect.states import Completed, Failed, State
from prefect.task_runners import TaskRunner

from flows import records
from flows.catalog import CatalogClient
from flows.catalog.client import CatalogTimeout
from flows.catalog.counting import ActionCaller
from flows.catalog.gate import Decision
from flows.catalog.preflight import check_pipeline_catalog
from flows.config import PipelineConfig, load_config
from flows.datasets import DatasetSpec, run_order
from flows.describe.described import DescribedDataset
from flows.describe.stakeholders import load_organization_profile
from flows.errors import CatalogError, OrchestrationError
from flows.logs import run_logging
from flows.bounded_work import windowed
from flows.orchestrate.plan_or_run import (Project, RunOptions, Steps, job_failed,
                                           orphan_scope, run_pipeline, select_datasets)
from flows.orchestrate import stages
from flows.pipelines.artifacts import publish_artifacts
from flows.orchestrate.fingerprint import code_sha256, file_sha256, json_sha256, raw_sha256
from flows.orchestrate.outcome import NOT_PUBLISHED, DatasetOutcome, RunInfo
from flows.pipelines.prefect_api import check_server, reporting_to_server
from flows.private_files import private_umask
from flows.settings import PROJECT_ROOT
from flows.today import bangkok_today, parse_day

log = logging.getLogger(__name__)

#: The Prefect global concurrency limit every catalog writer takes a slot of.
WRITE_LIMIT = "ckan-writes"
#: The outputs a cached validation must still find on disk (else it runs again).
_OUTPUTS = ("report.html", "validation.json", "summary.md", "dictionary.csv")


@dataclass(frozen=True)
class FlowSettings:
    """What every task of one run needs; built once at the start of the flow."""

    root: Path
    config: PipelineConfig
    today: date
    specs: dict[str, DatasetSpec]
    ingest: bool = True        # convert raw files first (False: use the committed CSVs)
    purge: bool = False        # delete, instead of withdraw, datasets that left the repository
    #: Which records of datasets gone from the repository this run may withdraw (RunOptions).
    orphan_groups: tuple[str, ...] | None = None


# --- tasks -----------------------------------------------------------------------------------

def _ingest_key(_context: TaskRunContext, parameters: dict[str, Any]) -> str | None:
    spec: DatasetSpec = parameters["spec"]
    raw = parameters["raw_sha256"]
    if raw is None:
        return None  # no reader: nothing to convert, nothing to cache
    return f"ingest-{spec.id}-{raw}-{file_sha256(spec.csv_path)}-{code_sha256()}"


@task(name="ingest", task_run_name="ingest-{spec.id}", cache_key_fn=_ingest_key,
      persist_result=True, cache_expiration=timedelta(days=30))
def ingest_task(spec: DatasetSpec, raw_sha256: str | None) -> list[str]:
    """Raw files → tidy CSV (skipped while the raw files and the CSV are unchanged)."""
    return stages.ingest(spec)


def _prepare_key(_context: TaskRunContext, parameters: dict[str, Any]) -> str:
    out_dir: Path = parameters["out_dir"]
    dataset_id: str = parameters["dataset_id"]
    # The reports name the output folder and describe names the catalog: both are in the key.
    where = json_sha256([str(out_dir.resolve()), parameters["catalog_url"]])[:16]
    return "-".join(["prepare", dataset_id, parameters["input_hash"],
                     parameters["today"].isoformat(), where])


@task(name="validate-describe", task_run_name="validate-{dataset_id}", cache_key_fn=_prepare_key,
      persist_result=True, cache_expiration=timedelta(days=2))
def prepare_task(root: Path, dataset_id: str, *, out_dir: Path, today: date, catalog_url: str,
                 input_hash: str) -> stages.Prepared:
    """Validate and describe; cached on ``input_hash`` (data, declarations, code) and the day."""
    organization = load_organization_profile(root / "catalog_config" / "organization.yaml")
    return stages.prepare(root, dataset_id, out_dir=out_dir, today=today,
                          organization=organization, catalog_url=catalog_url)


def _catalog_failure(_task: Any, _task_run: Any, state: State) -> bool:
    """Retry only what retrying can fix: the catalog unreachable or failing (5xx, its search
    service); CKAN refusing the data is not fixed by asking again. Nor is a catalog that timed
    out: the client already waited (retries + 1) x timeout on it (two minutes by default), and
    asking again 20 s later would double that before the run can say so."""
    return _is_catalog_error(state)


@task(name="publish", task_run_name="publish-{name}", cache_policy=NO_CACHE,
      retries=1, retry_delay_seconds=20, retry_condition_fn=_catalog_failure)
def publish_task(client: CatalogClient, name: str, decision: Decision, *,
                 described: DescribedDataset | None, project: Project, options: RunOptions,
                 last_published: dict[str, Any] | None) -> stages.Registered:
    """Skip if unchanged, else plan and publish or withdraw; one catalog writer at a time."""
    return Steps.register(_PREFECT_STEPS, client, name, decision, described=described,
                          project=project, options=options, last_published=last_published)


# --- the flow --------------------------------------------------------------------------------

@flow(name="senate-catalog", log_prints=True)
def catalog_flow(dataset_ids: list[str] | None = None, groups: list[str] | None = None,
                 ingest_sources: bool = True, today: str | None = None,
                 project_root: str | None = None, purge: bool = False,
                 out_dir: str | None = None) -> State:
    """Run every (or the named, or the grouped) dataset through the pipeline into the catalog.

    ``groups`` selects datasets by their catalog group (e.g. ``["legislation", "senators"]``);
    ``today`` (YYYY-MM-DD) is the date rules such as "no future dates" compare with (default:
    today in Bangkok). ``project_root`` is the folder holding metadata/, schemas/ and datasets/
    (default: this checkout). ``purge`` deletes the catalog records of datasets whose files
    left the repository instead of withdrawing them. ``out_dir``: the output folder (default:
    the configuration's). The rest of the configuration is read here, once, by flows.config
    (catalog_config/pipeline.yaml + environment): the flow is an entry point of its own when a
    worker runs it on schedule.
    """
    root = Path(project_root).resolve() if project_root else PROJECT_ROOT
    settings = _flow_settings(root, dataset_ids or [], groups or [], today,
                              ingest=ingest_sources, purge=purge,
                              out_dir=Path(out_dir) if out_dir else None)
    config = settings.config
    # Reports, logs and Prefect's cached results are the run user's only (flows.private_files).
    with private_umask(), run_logging(config.out_dir / "runs" / "logs" / f"{_run_id()}.jsonl",
                                      secrets=[config.token.reveal()]):
        try:
            return _run(settings)
        except Exception:
            # Prefect logs the flow's exception only after this log file is closed.
            log.exception("the run stopped before its datasets were done")
            raise


@task(name="dataset", task_run_name="{job.label}", cache_policy=NO_CACHE)
def dataset_task(work: Callable[[Any], Any], job: Any) -> Any:
    """One dataset's work (flows.orchestrate.plan_or_run: ingest_job or run_dataset) on the
    task runner."""
    return work(job)


class PrefectSteps(Steps):
    """The pipeline's steps as Prefect tasks: each dataset's work a task on the flow's task
    runner (threads, or Dask: ``task_runner``), cached ingest and validation, a retried publish
    task, catalog writes under the ``ckan-writes`` concurrency limit, the run logger."""

    def __init__(self, max_workers: int = 1, task_runner: str = "threads",
                 write_slots: int = 1) -> None:
        super().__init__(max_workers)
        self.task_runner = task_runner
        self.write_slots = write_slots

    def each(self, work: Callable[[Any], Any], jobs: Iterable[Any]) -> Iterator[Any]:
        if self.task_runner == "threads":
            # A dataset's own tasks (ingest, validate, publish) are its task runs; the work
            # around them runs on threads that carry the flow run's context. A task around
            # it too would cost the Prefect server a task run per dataset for nothing.
            yield from super().each(work, jobs)
            return
        with dask_task_runner(self.task_runner, self.max_workers) as runner:
            yield from windowed(
                jobs, submit=lambda job: runner.submit(dataset_task, {"work": work, "job": job}),
                first_done=lambda running: next(as_completed(list(running))),
                window=self.max_workers, failed=job_failed)

    def ingest(self, spec: DatasetSpec) -> list[str]:
        state = ingest_task(spec, raw_sha256(spec), return_state=True)
        return state.result()  # a failed ingest raises its error: the pipeline reports it

    def prepare(self, spec: DatasetSpec, options: RunOptions,
                input_hash: str) -> tuple[stages.Prepared, bool]:
        # A cached result is only worth reusing while its reports are still on disk; otherwise
        # the task runs again and overwrites the cache entry under the same key.
        present = all((options.out_dir / spec.id / name).exists() for name in _OUTPUTS)
        state = prepare_task.with_options(refresh_cache=not present)(
            options.root, spec.id, out_dir=options.out_dir, today=options.today,
            catalog_url=options.catalog_url, input_hash=input_hash, return_state=True)
        return state.result(), state.name == "Cached"

    def register(self, client: ActionCaller, name: str, decision: Decision, *,
                 described: DescribedDataset | None, project: Project, options: RunOptions,
                 last_published: dict[str, Any] | None) -> stages.Registered:
        # Unchanged (reads only): no task run, no write slot, no server to ask.
        unchanged = stages.unchanged_registration(
            client, name, decision, described=described, owner_org=project.owner_org,
            managed_groups=project.managed_groups, retry=options.retry,
            last_published=last_published)
        if unchanged is not None:
            return unchanged
        check_server()   # publishing needs the server (write slots): ask it first, in 2 s
        state = publish_task(client, name, decision, described=described, project=project,
                             options=options, last_published=last_published,
                             return_state=True)
        with reporting_to_server():
            return state.result()  # CatalogError or CKAN's refusal: the pipeline reports it

    @contextmanager
    def write_slot(self) -> Iterator[None]:
        check_server()
        # This process's datasets queue for a slot here, handed over the moment one is free;
        # asking the server for a taken slot would wait out its Retry-After (seconds) instead.
        with _local_slots(self.write_slots), reporting_to_server(), _write_slot():
            yield

    def progress(self, dataset: str, stage: str, message: str) -> None:
        """One line per stage, so a long run shows where it is (console, UI, JSON log)."""
        get_run_logger().info("%s: %s", dataset, message,
                              extra={"dataset": dataset, "stage": stage})


_PREFECT_STEPS = PrefectSteps()


_LOCAL_SLOTS: dict[int, threading.BoundedSemaphore] = {}
_LOCAL_SLOTS_LOCK = threading.Lock()


def _local_slots(slots: int) -> threading.BoundedSemaphore:
    """This process's gate in front of the ``ckan-writes`` limit, one per limit size."""
    with _LOCAL_SLOTS_LOCK:
        return _LOCAL_SLOTS.setdefault(slots, threading.BoundedSemaphore(slots))


@contextmanager
def _write_slot(attempts: int = 6) -> Iterator[None]:
    """A slot of the ``ckan-writes`` limit. Several datasets ask at once, and the local Prefect
    server (SQLite) answers 503 "retry" while another write holds its database: asked again,
    with backoff, before the dataset is failed for it."""
    with ExitStack() as held:
        for attempt in range(attempts):
            try:
                held.enter_context(concurrency(WRITE_LIMIT, occupy=1, strict=True))
                break
            except ConcurrencySlotAcquisitionError as exc:
                if attempt + 1 == attempts or not _server_said_retry(exc):
                    raise
                time.sleep(0.25 * 2 ** attempt)
        yield


def _server_said_retry(exc: BaseException) -> bool:
    """Whether the Prefect server (not the connection) answered 503 Service Unavailable."""
    while exc is not None:
        response = getattr(exc, "response", None)
        if getattr(response, "status_code", None) == 503 or "503 Service Unavailable" in str(exc):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def dask_task_runner(kind: str, max_workers: int) -> TaskRunner:
    """Prefect's Dask task runner: ``dask`` a local cluster of ``max_workers`` single-threaded
    processes on 127.0.0.1 (validation is CPU-bound Python), ``dask://host:port`` the existing
    scheduler there. Its workers reach the Prefect server and the catalog with the flow's
    settings (a local cluster inherits this process's environment; the workers of an existing
    scheduler need the same configuration)."""
    from prefect_dask import DaskTaskRunner

    if kind == "dask":
        return DaskTaskRunner(cluster_class="distributed.LocalCluster", cluster_kwargs={
            "n_workers": max_workers, "threads_per_worker": 1, "processes": True,
            "host": "127.0.0.1", "dashboard_address": None})
    return DaskTaskRunner(address="tcp://" + kind.removeprefix("dask://"))


def _run(settings: FlowSettings) -> State:
    logger = get_run_logger()
    config = settings.config
    client = CatalogClient(config.catalog)
    _check_catalog(settings)
    with reporting_to_server():
        _ensure_write_limit(config.write_concurrency)
    run = RunInfo(run_id=_run_id(), run_name=_run_name(), today=settings.today,
                  catalog_url=config.catalog_url, root=settings.root)
    history = records.read_history(config.history_file)
    for problem in history.problems:
        logger.warning("run history: %s", problem)
    options = RunOptions(root=settings.root, out_dir=config.out_dir, today=settings.today,
                         catalog_url=config.catalog_url, retry=config.retry,
                         ingest=settings.ingest, purge=settings.purge,
                         orphan_groups=settings.orphan_groups)
    steps = PrefectSteps(config.max_workers, config.task_runner, config.write_concurrency)
    outcomes = run_pipeline(list(settings.specs.values()), options=options, client=client,
                            run=run, history=history.records, steps=steps)
    try:
        check_server()
        with reporting_to_server():
            publish_artifacts(outcomes, run)
    except OrchestrationError as exc:   # the run records are written: the summary is not lost
        return Failed(message=str(exc), data=[to_summary(o) for o in outcomes])
    catalog_down = next((o.reason for o in outcomes if o.catalog_unreachable), None)
    return _final_state(outcomes, catalog_down)


def _is_catalog_error(state: State) -> bool:
    """Whether a failed task failed because of the catalog (unreachable, 5xx, its search
    service), and did not time out (see ``_catalog_failure``)."""
    try:
        state.result()
    except CatalogTimeout:
        return False
    except CatalogError:
        return True
    except Exception:  # noqa: BLE001
        return False
    return False


def _final_state(outcomes: Sequence[DatasetOutcome], catalog_down: str | None) -> State:
    summary = [to_summary(o) for o in outcomes]
    failing = [o for o in outcomes if o.status in NOT_PUBLISHED]
    if not failing:
        return Completed(message=f"{len(outcomes)} dataset(s) in the catalog", data=summary)
    names = ", ".join(f"{o.dataset} ({o.status})" for o in failing)
    prefix = "catalog unreachable; " if catalog_down else ""
    return Failed(message=f"{prefix}{len(failing)} of {len(outcomes)} dataset(s) not published: "
                          f"{names}", data=summary)


def to_summary(outcome: DatasetOutcome) -> dict[str, Any]:
    return {"dataset": outcome.dataset, "status": outcome.status, "reason": outcome.reason}


# --- helpers ---------------------------------------------------------------------------------

def _flow_settings(root: Path, dataset_ids: list[str], groups: list[str],
                   today: str | None, *, ingest: bool, purge: bool = False,
                   out_dir: Path | None = None) -> FlowSettings:
    # The ids first: a bad one (a parameter of a scheduled run, or a file in metadata/) stops
    # the run before config.check() creates the output folder or anything else is written.
    specs = run_order(list(select_datasets(root, dataset_ids, groups).values()))
    config = load_config(out_dir=out_dir).pipeline
    config.check()
    return FlowSettings(root=root, config=config, today=_today(today),
                        specs={spec.id: spec for spec in specs}, ingest=ingest, purge=purge,
                        orphan_groups=orphan_scope(dataset_ids, groups))


def _today(value: str | None) -> date:
    return bangkok_today() if value is None else parse_day(value, source="today")


def _ensure_write_limit(slots: int) -> None:
    """Create (or resize) the global limit that every flow run's catalog writes share."""
    from prefect.client.orchestration import get_client

    with get_client(sync_client=True) as client:
        client.upsert_global_concurrency_limit_by_name(WRITE_LIMIT, slots)


def _check_catalog(settings: FlowSettings) -> None:
    """Fail the run at once (not dataset by dataset) when the catalog does not answer (exit 3)
    or does not accept the token (exit 2): one authenticated read, waiting a few seconds."""
    check_pipeline_catalog(settings.config, settings.root)


def _run_id() -> str:
    return str(get_run_context().flow_run.id)


def _run_name() -> str:
    return get_run_context().flow_run.name



