"""The pipeline, one path for `plan` and `run`: every dataset from its files into the catalog.

    ingest every dataset that has a reader (all before any validation reads them)
    for each dataset read from its source, max_workers at a time (one failure never stops
    the others):
      validate + describe → public-surface scan → gate → plan / publish / withdraw
      → run record (written here, by the run's one thread, as each finishes)
    then each derived dataset, in order: derive → the same steps
    then: withdraw the records whose datasets left the repository; the catalog-wide dictionary

``Steps`` runs each step directly, on threads: that is what `senate-catalog plan` (``dry_run``:
no write call, no run record) and the tests use. The Prefect flow (flows.pipelines.catalog_flow)
passes its own ``Steps`` whose methods are Prefect tasks (caches, retries, write slots) and
whose ``each`` may run on Dask; the order, the decisions and the records are this module's, so
a plan shows what a run would do.
"""

from __future__ import annotations

import logging
from contextlib import nullcontext
from dataclasses import dataclass, replace
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any, Callable, ContextManager, Iterable, Iterator, Sequence, TypeVar

import ckanapi

from flows import records
from flows.bounded_work import in_threads
from flows.catalog import ensure_layout, load_layout
from flows.catalog.organization import check_groups
from flows.catalog.counting import ActionCaller
from flows.catalog.exposure import scan_public_surface
from flows.catalog.gate import Decision, decide, decide_removed, decide_unreadable
from flows.catalog.orphans import marked_records, orphan_datasets
from flows.catalog.retry import RetryingCaller, RetryPolicy
from flows.datasets import (DatasetSpec, DeriveContext, ExtraFile, derived_name,
                            discover_datasets, load_dataset, run_order)
from flows.describe.describe import add_resource
from flows.describe.described import DescribedDataset
from flows.describe.quality_history import with_quality_trend
from flows.describe.dictionary import write_catalog_dictionary
from flows.describe.scheming import ClassificationPolicy, load_classification_policy
from flows.describe.stakeholders import OrganizationProfile, load_organization_profile
from flows.errors import CatalogError, DataFileError, OrchestrationError
from flows.onboard.todo import find_todos
from flows.orchestrate import stages
from flows.orchestrate.derive import derive
from flows.orchestrate.fingerprint import input_hashes
from flows.orchestrate.outcome import DatasetOutcome, RunInfo, to_record
from flows.private_files import make_private, private_umask
from flows.validation.personal_data import ContactAllowList
from flows.validation.validate_and_report import reference_closure
from flows.validation.report import write_reports

log = logging.getLogger(__name__)
J = TypeVar("J")
R = TypeVar("R")


@dataclass(frozen=True)
class RunOptions:
    """What one run does; read once at the entry point (CLI, flow) and passed in."""

    root: Path
    out_dir: Path
    today: date
    catalog_url: str
    retry: RetryPolicy = RetryPolicy()
    dry_run: bool = False          # plan only: read the catalog, write nothing, record nothing
    ingest: bool = True            # convert raw files first
    purge: bool = False            # delete, instead of withdraw, datasets that left the repo
    #: Which records that lost their dataset this run may withdraw: all (None: every dataset
    #: was selected), those in these catalog groups (a --group run), or none (named datasets).
    orphan_groups: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Project:
    """The declarations every dataset of a run shares, read once."""

    organization: OrganizationProfile
    policy: ClassificationPolicy
    allow: ContactAllowList
    known_ids: frozenset[str]      # every dataset of the project, selected or not

    @classmethod
    def load(cls, root: Path) -> "Project":
        organization_file = root / "catalog_config" / "organization.yaml"
        return cls(organization=load_organization_profile(organization_file),
                   policy=load_classification_policy(root),
                   allow=ContactAllowList.from_file(organization_file),
                   known_ids=frozenset(spec.id for spec in discover_datasets(root)))

    @property
    def owner_org(self) -> str:
        return self.organization.layout.organization["name"]

    @property
    def managed_groups(self) -> list[str]:
        return [group["name"] for group in self.organization.layout.groups]


class Steps:
    """Each step, run here and now. The Prefect flow overrides them with tasks.

    ``max_workers`` datasets are worked on at the same time (threads here; the flow's steps use
    Prefect's task runner), each step of one dataset still in order."""

    def __init__(self, max_workers: int = 1) -> None:
        self.max_workers = max_workers

    def each(self, work: Callable[[J], R], jobs: Iterable[J]) -> Iterator[R]:
        """``work(job)`` for every job, ``max_workers`` at a time; results as they finish."""
        return in_threads(work, jobs, workers=self.max_workers, failed=job_failed)

    def ingest(self, spec: DatasetSpec) -> list[str]:
        return stages.ingest(spec)

    def prepare(self, spec: DatasetSpec, options: RunOptions,
                input_hash: str) -> tuple[stages.Prepared, bool]:
        """Validate and describe; (the result, whether it came from a cache)."""
        organization = load_organization_profile(
            options.root / "catalog_config" / "organization.yaml")
        return stages.prepare(options.root, spec.id, out_dir=options.out_dir,
                              today=options.today, organization=organization,
                              catalog_url=options.catalog_url), False

    def register(self, client: ActionCaller, name: str, decision: Decision, *,
                 described: DescribedDataset | None, project: Project, options: RunOptions,
                 last_published: dict[str, Any] | None) -> stages.Registered:
        return stages.register(client, name, decision, described=described,
                               owner_org=project.owner_org,
                               managed_groups=project.managed_groups, retry=options.retry,
                               dry_run=options.dry_run, today=options.today,
                               last_published=last_published, write_slot=self.write_slot)

    def write_slot(self) -> ContextManager[Any]:
        return nullcontext()

    def progress(self, dataset: str, stage: str, message: str) -> None:
        log.info("%s: %s", dataset, message, extra={"dataset": dataset, "stage": stage})


def run_pipeline(specs: Sequence[DatasetSpec], *, options: RunOptions, client: ActionCaller,
                 run: RunInfo, history: list[dict[str, Any]],
                 steps: Steps | None = None) -> list[DatasetOutcome]:
    """Every dataset of ``specs`` (in run order) through the pipeline; one outcome each, plus
    one per record withdrawn because its dataset left the repository.

    ``history`` is the run history so far (derived datasets and the quality history read it);
    this run's records are appended to it, and, unless ``options.dry_run``, to the history
    file. A catalog that stops answering fails the dataset at hand and the rest are marked
    "catalog unreachable" without being tried.
    """
    with private_umask():   # reports, copies and caches: the run user's only
        return _run(specs, options=options, client=client, run=run, history=history,
                    steps=steps or Steps())


def _run(specs: Sequence[DatasetSpec], *, options: RunOptions, client: ActionCaller,
         run: RunInfo, history: list[dict[str, Any]], steps: Steps) -> list[DatasetOutcome]:
    project = Project.load(options.root)
    state = _RunState(options=options, project=project, client=client, run=run,
                      history=history, steps=steps, specs={s.id: s for s in specs})
    if not options.dry_run:
        _ensure_layout(state)
    outcomes = {spec.id: DatasetOutcome(dataset=spec.id, started_at=_now()) for spec in specs}
    if options.ingest and not state.orchestrator_down:  # all first, so foreign keys are
        readers = [spec for spec in specs if spec.source.get("reader")]  # checked against
        for job in steps.each(ingest_job, (IngestJob(outcomes[spec.id], spec, steps)   # the
                                           for spec in readers)):                    # new CSVs
            outcomes[job.spec.id] = job.outcome
    # Datasets read from their sources in parallel; derived ones after them all, one by one, in
    # order: they report on the run records of the others (KPI 1.3, the scorecard).
    sourced = [spec for spec in specs if derived_name(spec) is None]
    for done in steps.each(run_dataset, (state.job(outcomes[spec.id], spec)
                                         for spec in sourced)):
        outcomes[done.outcome.dataset] = state.absorb(done)
    for spec in specs:
        if derived_name(spec) is not None:
            outcomes[spec.id] = state.absorb(
                run_dataset(state.job(outcomes[spec.id], spec, derived=True)))
    done = list(outcomes.values())
    done += [state.record(outcome) for outcome in _withdraw_orphans(state)]
    write_catalog_dictionary_of([o.prepared.described if o.prepared else None for o in done],
                                options.out_dir)
    return done


def _ensure_layout(state: "_RunState") -> None:
    """The organisation and groups, before any dataset; a catalog or Prefect server that fails
    here stops the run's catalog work (every dataset then says why), not the run."""
    try:
        with state.steps.write_slot():
            ensure_layout(RetryingCaller(state.client, state.options.retry),
                          state.project.organization.layout)
    except CatalogError as exc:
        state.catalog_down = _error_text(exc)
    except OrchestrationError as exc:
        state.orchestrator_down = _error_text(exc)


@dataclass
class _RunState:
    """What every dataset of one run shares, and the first catalog (or Prefect server) failure
    seen: after one, the rest of the run does not wait on that service again."""

    options: RunOptions
    project: Project
    client: ActionCaller
    run: RunInfo
    history: list[dict[str, Any]]
    steps: Steps
    specs: dict[str, DatasetSpec]
    catalog_down: str | None = None
    orchestrator_down: str | None = None
    _by_dataset: dict[str, list[dict[str, Any]]] | None = None

    def job(self, outcome: DatasetOutcome, spec: DatasetSpec, *,
            derived: bool = False) -> "DatasetJob":
        """What one dataset's work reads, as of now (a worker gets a copy, never this state).
        A derived dataset reads every run record so far; the others only their own."""
        if self._by_dataset is None:   # indexed once: 1,000 datasets x the whole history
            self._by_dataset = {}      # was the slowest part of a run with nothing to do
            for record in self.history:
                self._by_dataset.setdefault(record.get("dataset"), []).append(record)
        history = list(self.history) if derived else self._by_dataset.get(spec.id, [])
        references = reference_closure(spec, self.specs.get)
        return DatasetJob(spec=spec, outcome=outcome, options=self.options,
                          project=self.project, client=self.client, run=self.run,
                          steps=self.steps, history=history,
                          specs={i: self.specs[i] for i in references if i in self.specs},
                          catalog_down=self.catalog_down,
                          orchestrator_down=self.orchestrator_down)

    def absorb(self, done: "DatasetDone") -> DatasetOutcome:
        """A worker's result: the first Prefect server failure it saw, and its run record."""
        if done.orchestrator_down and not self.orchestrator_down:
            self.orchestrator_down = done.orchestrator_down
        return self.record(done.outcome)

    def record(self, outcome: DatasetOutcome) -> DatasetOutcome:
        """Append the outcome's run record (to the file unless dry run) and log it. Only the
        run's own thread records: one writer, in the order datasets finish."""
        outcome.finished_at = outcome.finished_at or _now()
        if outcome.catalog_unreachable and self.catalog_down is None:
            self.catalog_down = outcome.reason
        record = to_record(outcome, self.run)
        if not self.options.dry_run:
            records.append_records(records.history_path(self.options.out_dir), [record])
        self.history.append(record)
        if self._by_dataset is not None:
            self._by_dataset.setdefault(outcome.dataset, []).append(record)
        self.steps.progress(outcome.dataset, "record",
                            f"{outcome.status}" + (f" ({outcome.reason})" if outcome.reason
                                                   else ""))
        return outcome


@dataclass(frozen=True)
class IngestJob:
    """One dataset's raw files to convert (picklable: a Dask worker may run it)."""

    outcome: DatasetOutcome
    spec: DatasetSpec
    steps: Steps

    @property
    def label(self) -> str:
        return f"ingest-{self.spec.id}"


def ingest_job(job: IngestJob) -> IngestJob:
    """Convert the raw files; a failure is the dataset's, reported on its outcome."""
    job.steps.progress(job.spec.id, "ingest", "converting the raw files")
    try:
        job.outcome.ingest_notes = job.steps.ingest(job.spec)
    except Exception as exc:  # noqa: BLE001 - reported on the dataset; the others go on
        job.outcome.fail(f"ingest failed: {_error_text(exc)}; the CSV was left as it was")
        job.outcome.finished_at = _now()
    return job


@dataclass(frozen=True)
class DatasetJob:
    """Everything one dataset's work after ingest reads, and nothing shared with the run: a
    thread or a Dask worker runs it (it is picklable) and hands back a ``DatasetDone``."""

    spec: DatasetSpec
    outcome: DatasetOutcome
    options: RunOptions
    project: Project
    client: ActionCaller
    run: RunInfo
    steps: Steps
    history: list[dict[str, Any]]         # its run records (a derived dataset: all of them)
    specs: dict[str, DatasetSpec]         # the run's datasets its foreign keys reference
    catalog_down: str | None
    orchestrator_down: str | None

    @property
    def label(self) -> str:
        return f"dataset-{self.spec.id}"


@dataclass(frozen=True)
class DatasetDone:
    outcome: DatasetOutcome
    orchestrator_down: str | None = None   # the Prefect server failed while it ran


def run_dataset(job: DatasetJob) -> DatasetDone:
    """One dataset through derive, validate, describe, scan, gate and the catalog."""
    state = _RunState(options=job.options, project=job.project, client=job.client,
                      run=job.run, history=list(job.history), steps=job.steps,
                      specs=job.specs, catalog_down=job.catalog_down,
                      orchestrator_down=job.orchestrator_down)
    if not job.spec.source.get("reader"):   # its time is its own, not the queue's
        job.outcome.started_at = _now()
    with private_umask():   # a Dask worker's process too
        _one_dataset(job.outcome, job.spec, state)
    return DatasetDone(outcome=job.outcome, orchestrator_down=state.orchestrator_down)


def job_failed(job: IngestJob | DatasetJob, exc: BaseException) -> Any:
    """A job that crashed outside the pipeline's own handling (e.g. its worker died)."""
    log.error("%s failed: %s", job.label, exc, extra={"dataset": job.spec.id})
    job.outcome.fail(f"internal error ({type(exc).__name__}): {_error_text(exc)}; "
                     "see the run log")
    job.outcome.finished_at = _now()
    return job if isinstance(job, IngestJob) else DatasetDone(outcome=job.outcome)


def _one_dataset(outcome: DatasetOutcome, spec: DatasetSpec, state: _RunState) -> None:
    if state.orchestrator_down:   # every step of a flow run reports to that server
        outcome.fail(f"not tried: {state.orchestrator_down}")
        outcome.finished_at = _now()
        return
    try:
        if outcome.status == "failed" and outcome.reason:   # its ingest failed
            _close_undescribed(outcome, spec, state)
            return
        if spec.problem is not None and not spec.csv_path.exists():  # nothing to validate
            outcome.fail(str(spec.problem))
            _close_undescribed(outcome, spec, state)
            return
        todos = find_todos(spec.root, spec.id)
        if todos:   # drafted by `senate-catalog new`, not yet decided by its steward
            outcome.fail(f"{len(todos)} TODO(s) left to decide (docs/steward.md): "
                         + "; ".join(todos))
            _close_undescribed(outcome, spec, state)
            return
        if not spec.csv_path.exists() and derived_name(spec) is None:
            _register(outcome, spec.id, decide_removed(purge=state.options.purge), None, state)
            return
        extras = _derive(spec, state)
        if not _prepare(outcome, spec, state):
            _close_undescribed(outcome, spec, state)
            return
        described = _with_extras(outcome, spec, extras, state)
        result = _scan_surface(outcome, described, state)
        _register(outcome, spec.id, decide(described, result), described, state)
    except OrchestrationError as exc:   # the run's, not this dataset's: the rest are not tried
        state.orchestrator_down = _error_text(exc)
        outcome.fail(state.orchestrator_down)
    except DataFileError as exc:   # e.g. a derived dataset's source CSV cannot be read
        outcome.fail(str(exc))
    except Exception as exc:  # noqa: BLE001 - one dataset must never stop the others
        log.exception("%s failed", spec.id, extra={"dataset": spec.id})
        outcome.fail(f"internal error ({type(exc).__name__}): {_error_text(exc)}; "
                     "see the run log")
    finally:
        outcome.finished_at = _now()


def _derive(spec: DatasetSpec, state: _RunState) -> list[ExtraFile]:
    """Write a derived dataset's CSV (from the datasets and run records so far); its extras."""
    if derived_name(spec) is None:
        return []
    state.steps.progress(spec.id, "derive", "computing it from the other datasets and the "
                                            "run records")
    options = state.options
    # Its own records stay out: a derived dataset never reports on its own publication.
    others = [record for record in state.history if record.get("dataset") != spec.id]
    context = DeriveContext(root=options.root, out_dir=options.out_dir, today=options.today,
                            catalog_url=options.catalog_url, history=others)
    return derive(spec, context)


def _prepare(outcome: DatasetOutcome, spec: DatasetSpec, state: _RunState) -> bool:
    """Validate and describe; False (the outcome says why) when that failed."""
    outcome.hashes = input_hashes(spec, state.specs)
    state.steps.progress(spec.id, "validate", "validating and describing (cached when nothing "
                                              "changed)")
    try:
        outcome.prepared, outcome.cached = state.steps.prepare(spec, state.options,
                                                               outcome.hashes.input_hash)
    except Exception as exc:  # noqa: BLE001 - a crash is this dataset's failure only
        outcome.fail(f"validation crashed: {_error_text(exc)}")
    else:
        if outcome.prepared.error is None:
            if outcome.prepared.described.personal_fields:  # its reports and copies too
                make_private(state.options.out_dir / spec.id)
            return True
        outcome.fail(outcome.prepared.error)
    return False


def _close_undescribed(outcome: DatasetOutcome, spec: DatasetSpec, state: _RunState) -> None:
    """A dataset that failed before the gate: still take out of public view what its declared
    classification closes (the failure stays its status)."""
    reason = outcome.reason or "failed"
    decision = decide_unreadable(spec.metadata, state.project.policy, reason)
    if decision.withdrawal is not None:
        _register(outcome, spec.id, decision, None, state)
        outcome.fail(reason)


def _with_extras(outcome: DatasetOutcome, spec: DatasetSpec, extras: list[ExtraFile],
                 state: _RunState) -> DescribedDataset:
    """The described dataset with the deriver's files and its quality history attached."""
    described = outcome.prepared.described
    for extra in extras:
        described = add_resource(described, extra.kind, extra.path, extra.format)
    pending = {**to_record(outcome, state.run), "status": "planned"}
    rows = records.quality_history_rows([*state.history, pending], spec.id)
    history_csv = records.write_quality_history_csv(
        rows, state.options.out_dir / spec.id / "quality-history.csv")
    described = stages.with_quality_history(described, history_csv)
    # quality_checked_at, the trend field and the report's chart: from the same rows
    described = with_quality_trend(described, rows, result=outcome.prepared.report.result,
                                   out_dir=state.options.out_dir)
    outcome.prepared = replace(outcome.prepared, described=described)
    return described


def _scan_surface(outcome: DatasetOutcome, described: DescribedDataset,
                  state: _RunState):
    """Scan what the public would see (metadata texts, every public file) for personal data;
    a hit is a blocking finding, added to the steward's report."""
    report = outcome.prepared.report
    found = scan_public_surface(described, allow=state.project.allow)
    if not found:
        return report.result
    result = replace(report.result, findings=[*report.result.findings, *found])
    write_reports(result, state.options.out_dir / described.id)
    outcome.prepared = replace(outcome.prepared,
                               report=replace(report, result=result))
    return result


def _register(outcome: DatasetOutcome, name: str, decision: Decision,
              described: DescribedDataset | None, state: _RunState) -> None:
    if state.catalog_down:
        outcome.fail(f"not tried, the catalog failed earlier in this run: {state.catalog_down}")
        outcome.catalog_unreachable = True
        return
    state.steps.progress(outcome.dataset, "publish",
                         f"{'planning' if state.options.dry_run else 'publishing'} "
                         f"to {state.options.catalog_url}")
    try:
        registered = state.steps.register(
            state.client, name, decision, described=described, project=state.project,
            options=state.options,
            last_published=records.last_published(state.history, outcome.dataset))
    except CatalogError as exc:   # its message names the service: CKAN or its search
        outcome.fail(_error_text(exc))
        outcome.catalog_unreachable = True
        return
    except (ckanapi.ValidationError, ckanapi.NotAuthorized, ckanapi.NotFound) as exc:
        outcome.fail(f"the catalog refused the dataset: {_error_text(exc)}")
        return
    outcome.registered = registered
    outcome.status = registered.status
    if registered.status not in records.PUBLISHED_STATUSES:
        outcome.reason = "; ".join(str(reason) for reason in decision.reasons)


def _withdraw_orphans(state: _RunState) -> list[DatasetOutcome]:
    """Records carrying the pipeline's mark whose dataset is no longer in the repository:
    withdrawn (``--purge``: deleted), within the run's selection."""
    groups = state.options.orphan_groups
    if groups is not None and not groups:
        return []
    if state.catalog_down or state.orchestrator_down:
        return []
    try:
        found = marked_records(state.client, organization=state.project.owner_org,
                               retry=state.options.retry)
    except (CatalogError, ckanapi.CKANAPIError) as exc:  # the datasets' own work is done
        log.warning("could not list the catalog's records to find datasets removed from the "
                    "repository (the next run tries again): %s", exc)
        return []
    orphans = orphan_datasets(found, known_ids=state.project.known_ids, groups=groups)
    outcomes = []
    for dataset in orphans:
        outcome = DatasetOutcome(dataset=dataset, started_at=_now())
        _register(outcome, dataset, decide_removed(purge=state.options.purge), None, state)
        outcomes.append(outcome)
    return outcomes


def plan_or_run(root: Path, *, client: ActionCaller, out_dir: Path, today: date,
                catalog_url: str, dataset_ids: Sequence[str] = (), dry_run: bool = False,
                purge: bool = False, ingest: bool = False, retry: RetryPolicy = RetryPolicy(),
                run_id: str = "plan", max_workers: int = 1) -> list[DatasetOutcome]:
    """The pipeline without Prefect on the project at ``root``: `senate-catalog plan` (dry run),
    and the tests that publish for real. Datasets are selected, ordered and their run history
    read as the flow does."""
    specs = run_order(list(select_datasets(root, dataset_ids).values()))
    options = RunOptions(root=root, out_dir=out_dir, today=today, catalog_url=catalog_url,
                         retry=retry, dry_run=dry_run, ingest=ingest, purge=purge,
                         orphan_groups=orphan_scope(dataset_ids, ()))
    run = RunInfo(run_id=run_id, run_name=run_id, today=today, catalog_url=catalog_url,
                  root=root)
    history = records.read_history(records.history_path(out_dir)).records
    return run_pipeline(specs, options=options, client=client, run=run, history=history,
                        steps=Steps(max_workers))


def select_datasets(root: Path, dataset_ids: Sequence[str],
                    groups: Sequence[str] = ()) -> dict[str, DatasetSpec]:
    """The named datasets (all when none), narrowed to those in any of ``groups``.

    Every group and id is checked (``ConfigError``): the groups against organization.yaml,
    the named ids, and those of ``metadata/`` (file names, ``id:`` keys, schema references),
    which validation reads whatever is named. A
    dataset whose metadata file cannot be used is selected like any other (by id, or in a run
    of all) and fails on its own; its problem stops no other dataset.
    """
    if groups:
        check_groups(load_layout(root / "catalog_config" / "organization.yaml"), groups,
                     source="groups parameter of the flow")
    every = discover_datasets(root)
    specs = [load_dataset(root, i, source="dataset_ids parameter of the flow")
             for i in dataset_ids] or every
    if groups:
        unknown = [spec.id for spec in specs if spec.problem is not None and not spec.groups]
        if unknown:
            log.warning("not in this --group run, as their groups cannot be read (run or "
                        "validate them by id to see why): %s", ", ".join(unknown))
        specs = [spec for spec in specs if set(spec.groups) & set(groups)]
    return {spec.id: spec for spec in specs}


def orphan_scope(dataset_ids: Sequence[str], groups: Sequence[str]) -> tuple[str, ...] | None:
    """Which records of datasets that left the repository a run may withdraw: all of them when
    it runs every dataset, those filed in its groups for a --group run, none for named ids."""
    if dataset_ids:
        return ()
    return tuple(groups) if groups else None


def write_catalog_dictionary_of(described: Sequence[DescribedDataset | None],
                                out_dir: Path) -> None:
    """One dictionary of every described dataset (the agency's metadata repository)."""
    entries = [entry for each in described if each is not None for entry in each.dictionary]
    if entries:
        write_catalog_dictionary(entries, out_dir / "catalog")


def _error_text(exc: BaseException) -> str:
    return str(exc) if str(exc) else type(exc).__name__


def _now() -> datetime:
    return datetime.now(timezone.utc)
