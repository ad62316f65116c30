"""The Prefect flow the IT bureau runs and schedules: every dataset through the pipeline.

    catalog_flow(dataset_ids=None, groups=None, ingest_sources=True, today=None)

Per dataset: ingest → validate + describe (cached on the inputs' content hash) → quality history →
publish (retried, one catalog writer at a time) → run record. One dataset's failure is recorded
and the run goes on; the flow ends Failed naming every dataset held or failed. The stages are
plain functions (flows.pipelines.stages); this module only wires them into Prefect.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Sequence

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.concurrency.sync import concurrency
from prefect.context import TaskRunContext, get_run_context
from prefect.states import Completed, Failed, State

from flows import records
from flows.catalog import CatalogClient, ensure_layout
from flows.catalog.retry import RetryPolicy, call_with_retry
from flows.config import PipelineConfig, load_pipeline_config
from flows.datasets import DatasetSpec, discover_datasets, load_dataset
from flows.describe.stakeholders import load_organization_profile
from flows.errors import CatalogError, ConfigError, SenateCatalogError
from flows.logs import run_logging
from flows.pipeline import write_catalog_dictionary_of
from flows.describe.describe import add_resource
from flows.pipelines import stages
from flows.pipelines.derive import DeriveContext, ExtraFile, derive, derived_name, run_order
from flows.pipelines.artifacts import publish_artifacts
from flows.pipelines.fingerprint import (code_sha256, file_sha256, input_hashes, json_sha256,
                                         raw_sha256)
from flows.pipelines.outcome import NOT_PUBLISHED, DatasetOutcome, RunInfo, to_record
from flows.settings import PROJECT_ROOT, StackSettings

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
    """Retry only what retrying can fix: the catalog unreachable, timing out or failing (5xx);
    CKAN refusing the data is not fixed by asking again."""
    return _is_catalog_error(state)


@task(name="publish", task_run_name="publish-{prepared.dataset}", cache_policy=NO_CACHE,
      retries=1, retry_delay_seconds=20, retry_condition_fn=_catalog_failure)
def publish_task(prepared: stages.Prepared, client: CatalogClient, *, owner_org: str,
                 managed_groups: list[str], retry: RetryPolicy,
                 last_published: dict[str, Any] | None) -> stages.Registered:
    """Gate, skip if unchanged, else plan and publish; one catalog writer at a time."""
    return stages.register(client, prepared, owner_org=owner_org, managed_groups=managed_groups,
                           retry=retry, dry_run=False, last_published=last_published,
                           write_slot=_write_slot)


def _write_slot() -> Any:
    return concurrency(WRITE_LIMIT, occupy=1, strict=True)


# --- the flow --------------------------------------------------------------------------------

@flow(name="senate-catalog", log_prints=True)
def catalog_flow(dataset_ids: list[str] | None = None, groups: list[str] | None = None,
                 ingest_sources: bool = True, today: str | None = None,
                 project_root: str | None = None) -> State:
    """Run every (or the named, or the grouped) dataset through the pipeline into the catalog.

    ``groups`` selects datasets by their catalog group (e.g. ``["legislation", "senators"]``);
    ``today`` (YYYY-MM-DD) is the date rules such as "no future dates" compare with (default:
    today in Bangkok). ``project_root`` is the folder holding metadata/, schemas/ and datasets/
    (default: this checkout). Configuration: catalog_config/pipeline.yaml + environment.
    """
    root = Path(project_root).resolve() if project_root else PROJECT_ROOT
    settings = _flow_settings(root, dataset_ids or [], groups or [], today,
                              ingest=ingest_sources)
    config = settings.config
    with run_logging(config.out_dir / "runs" / "logs" / f"{_run_id()}.jsonl",
                     secrets=[config.token.reveal()]):
        return _run(settings)


def _run(settings: FlowSettings) -> State:
    logger = get_run_logger()
    config = settings.config
    client = CatalogClient(config.catalog)
    _check_catalog(client, config.retry)
    profile = load_organization_profile(settings.root / "catalog_config" / "organization.yaml")
    _ensure_write_limit(config.write_concurrency)
    with concurrency(WRITE_LIMIT, occupy=1, strict=True):
        ensure_layout(client, profile.layout)
    run = RunInfo(run_id=_run_id(), run_name=_run_name(), today=settings.today,
                  catalog_url=config.catalog_url, root=settings.root)
    history = records.read_history(config.history_file)
    for problem in history.problems:
        logger.warning("run history: %s", problem)
    outcomes = {spec_id: DatasetOutcome(dataset=spec_id, started_at=datetime.now(timezone.utc))
                for spec_id in settings.specs}
    if settings.ingest:  # all first, so foreign keys are checked against the new CSVs
        for spec in settings.specs.values():
            _ingest(outcomes[spec.id], spec)
    catalog_down: str | None = None
    for spec in settings.specs.values():
        outcome = outcomes[spec.id]
        if outcome.status != "failed" or outcome.reason is None:
            _one_dataset(outcome, spec, settings, client, profile, history.records, run,
                         catalog_down=catalog_down)
        if outcome.catalog_unreachable:
            catalog_down = outcome.reason
        record = to_record(outcome, run)
        records.append_records(config.history_file, [record])
        history.records.append(record)
        logger.info("%s: %s%s", spec.id, outcome.status,
                    f" ({outcome.reason})" if outcome.reason else "",
                    extra={"dataset": spec.id, "stage": "record"})
    outcomes = list(outcomes.values())
    write_catalog_dictionary_of([o.prepared.described if o.prepared else None
                                 for o in outcomes], config.out_dir)
    publish_artifacts(outcomes, run)
    return _final_state(outcomes, catalog_down)


def _one_dataset(outcome: DatasetOutcome, spec: DatasetSpec, settings: FlowSettings,
                 client: CatalogClient, profile: Any, history: list[dict[str, Any]],
                 run: RunInfo, *, catalog_down: str | None) -> None:
    try:
        extras = _derive(spec, settings, history, run)
        _prepare(outcome, spec, settings)
        if outcome.prepared is not None and outcome.prepared.error is None:
            for extra in extras:
                outcome.prepared.described = add_resource(outcome.prepared.described,
                                                          extra.kind, extra.path, extra.format)
            _register(outcome, settings, client, profile, history, run, catalog_down=catalog_down)
    except Exception as exc:  # noqa: BLE001 - one dataset must never stop the others
        get_run_logger().exception("%s failed", spec.id, extra={"dataset": spec.id})
        outcome.fail(f"internal error ({type(exc).__name__}): {exc}; see the run log")
    outcome.finished_at = datetime.now(timezone.utc)


def _progress(dataset: str, stage: str, message: str) -> None:
    """One line per stage, so a long run shows where it is (console, Prefect UI, JSON log)."""
    get_run_logger().info("%s: %s", dataset, message, extra={"dataset": dataset, "stage": stage})


def _derive(spec: DatasetSpec, settings: FlowSettings, history: list[dict[str, Any]],
            run: RunInfo) -> list[ExtraFile]:
    """Write a derived dataset's CSV (from the datasets and run records so far); its extras."""
    if derived_name(spec) is None:
        return []
    _progress(spec.id, "derive", "computing it from the other datasets and the run records")
    context = DeriveContext(root=settings.root, out_dir=settings.config.out_dir,
                            today=settings.today, catalog_url=run.catalog_url,
                            history=list(history))
    return derive(spec, context)


def _ingest(outcome: DatasetOutcome, spec: DatasetSpec) -> None:
    if not spec.source.get("reader"):
        return  # the CSV is the source
    _progress(spec.id, "ingest", "converting the raw files")
    ingested = ingest_task(spec, raw_sha256(spec), return_state=True)
    if ingested.is_failed():
        outcome.fail(f"ingest failed: {_error_text(ingested)}; the CSV was left as it was")
        outcome.finished_at = datetime.now(timezone.utc)
    else:
        outcome.ingest_notes = ingested.result()


def _prepare(outcome: DatasetOutcome, spec: DatasetSpec, settings: FlowSettings) -> None:
    outcome.hashes = input_hashes(spec, settings.specs)
    _progress(spec.id, "validate", "validating and describing (cached when nothing changed)")
    config = settings.config
    # A cached result is only worth reusing while its reports are still on disk; otherwise the
    # task runs again and overwrites the cache entry under the same key.
    reports_present = all((config.out_dir / spec.id / name).exists() for name in _OUTPUTS)
    prepared = prepare_task.with_options(refresh_cache=not reports_present)(
        settings.root, spec.id, out_dir=config.out_dir, today=settings.today,
        catalog_url=config.catalog_url, input_hash=outcome.hashes.input_hash, return_state=True)
    if prepared.is_failed():
        outcome.fail(f"validation crashed: {_error_text(prepared)}")
        return
    outcome.prepared = prepared.result()
    outcome.cached = prepared.name == "Cached"
    if outcome.prepared.error:
        outcome.fail(outcome.prepared.error)


def _register(outcome: DatasetOutcome, settings: FlowSettings, client: CatalogClient,
              profile: Any, history: list[dict[str, Any]], run: RunInfo, *,
              catalog_down: str | None) -> None:
    config = settings.config
    pending = {**to_record(outcome, run), "status": "planned"}
    rows = records.quality_history_rows([*history, pending], outcome.dataset)
    history_csv = records.write_quality_history_csv(
        rows, config.out_dir / outcome.dataset / "quality-history.csv")
    prepared = outcome.prepared
    prepared.described = stages.with_quality_history(prepared.described, history_csv)
    if catalog_down:
        outcome.fail(f"catalog unreachable earlier in this run, not tried: {catalog_down}")
        outcome.catalog_unreachable = True
        return
    _progress(outcome.dataset, "publish", f"publishing to {config.catalog_url}")
    registered = publish_task(
        prepared, client, owner_org=profile.layout.organization["name"],
        managed_groups=[group["name"] for group in profile.layout.groups], retry=config.retry,
        last_published=records.last_published(history, outcome.dataset), return_state=True)
    if registered.is_failed():
        outcome.fail(_publish_failure(registered))
        outcome.catalog_unreachable = _is_catalog_error(registered)
        return
    outcome.registered = registered.result()
    outcome.status = outcome.registered.status
    decision = outcome.registered.decision
    if outcome.status in ("held", "skipped") and decision is not None:
        outcome.reason = "; ".join(str(reason) for reason in decision.reasons)


def _is_catalog_error(state: State) -> bool:
    """Whether a failed task failed because of the catalog (unreachable, timeout, 5xx)."""
    try:
        state.result()
    except CatalogError:
        return True
    except Exception:  # noqa: BLE001
        return False
    return False


def _publish_failure(state: State) -> str:
    try:
        state.result()
    except CatalogError as exc:
        return f"catalog unreachable or failing: {exc}"
    except Exception as exc:  # noqa: BLE001 - CKAN refused the data: say what it said
        return f"the catalog refused the dataset: {exc}"
    return "publish failed"


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
                   today: str | None, *, ingest: bool) -> FlowSettings:
    config = load_pipeline_config(StackSettings.from_env())
    config.check()
    specs = run_order(list(select_datasets(root, dataset_ids, groups).values()))
    return FlowSettings(root=root, config=config, today=_today(today),
                        specs={spec.id: spec for spec in specs}, ingest=ingest)


def select_datasets(root: Path, dataset_ids: Sequence[str],
                    groups: Sequence[str] = ()) -> dict[str, DatasetSpec]:
    """The named datasets (all when none), narrowed to those in any of ``groups``."""
    specs = [load_dataset(root, i) for i in dataset_ids] or discover_datasets(root)
    if groups:
        specs = [spec for spec in specs if set(spec.metadata.get("groups") or []) & set(groups)]
    return {spec.id: spec for spec in specs}


def _today(value: str | None) -> date:
    if value is None:  # the agency's day: 02:00 in Bangkok is 19:00 UTC the day before
        return datetime.now(records.BANGKOK).date()
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise ConfigError(f"today={value!r} is not an ISO date (YYYY-MM-DD)") from exc


def _ensure_write_limit(slots: int) -> None:
    """Create (or resize) the global limit that every flow run's catalog writes share."""
    from prefect.client.orchestration import get_client

    with get_client(sync_client=True) as client:
        client.upsert_global_concurrency_limit_by_name(WRITE_LIMIT, slots)


def _check_catalog(client: CatalogClient, retry: RetryPolicy) -> None:
    """Fail the run at once (not dataset by dataset) when the catalog does not answer."""
    call_with_retry(lambda: client.call("status_show"), retry, idempotent=True)


def _error_text(state: State) -> str:
    try:
        state.result()
    except SenateCatalogError as exc:
        return str(exc)
    except Exception as exc:  # noqa: BLE001
        return f"{type(exc).__name__}: {exc}"
    return state.message or "failed"


def _run_id() -> str:
    return str(get_run_context().flow_run.id)


def _run_name() -> str:
    return get_run_context().flow_run.name



