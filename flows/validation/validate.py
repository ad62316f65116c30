"""The validation stage: decode → table schema (+ Thai forms) → personal-data scan → formula
cells the public CSV neutralises → GX suite →
foreign keys and code lists across datasets → steward waivers, merged into one
``ValidationResult`` per dataset.

Bad data never raises here: every problem, including a dataset that cannot be read at all, becomes
a finding, and one failing dataset never stops the others.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass, replace
from functools import cache
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any, Iterable

import pandas as pd

from flows.dataset_problems import DatasetProblem
from flows.datasets import DatasetSpec
from flows.validation.code_lists import check_code_lists, referenced_code_lists
from flows.validation.declared_metadata import declared_metadata_check
from flows.csv_source import csv_encoding, read_csv_bytes
from flows.validation.expectations import check_suite, check_suite_file
from flows.validation.expectations.gx_frame import columns_read
from flows.validation.expectations.suite_file import SuiteError, read_suite_file
from flows.validation.field_descriptions import thai_description_findings
from flows.validation.findings import (Finding, Severity, ValidationResult, clip_value,
                                      mask_value)
from flows.validation.foreign_keys import check_foreign_keys
from flows.validation.finding_limits import limit_findings
from flows.validation.memory import give_back_memory
from flows.validation.one_per_cell import one_finding_per_problem
from flows.validation.record_keys import with_record_keys
from flows.validation.formula_cells import check_formula_cells
from flows.validation.personal_data import ContactAllowList, scan_personal_data
from flows.validation.primary_key import primary_key_findings
from flows.validation.table_schema import BatchOptions, check_source_file
from flows.validation.update_frequency import update_frequency_findings
from flows.validation.validated_table import ValidatedTable, validated_table
from flows.validation.waivers import apply_waivers, load_waivers

log = logging.getLogger(__name__)

#: Findings that mean the Table Schema itself is unusable (as opposed to the data).
_SCHEMA_BROKEN = {"schema/schema-error", "schema/field-error"}


@dataclass
class _TableRun:
    """One dataset's checks before the package-level ones (foreign keys, waivers)."""

    result: ValidationResult
    schema: dict[str, Any]
    frame: pd.DataFrame | None
    #: The checked table, for describe in this process (flows.validation.validated_table).
    table: ValidatedTable | None = None


@dataclass(frozen=True)
class CheckedDataset:
    """One dataset's result and the table it was checked on (None when none was read)."""

    result: ValidationResult
    table: ValidatedTable | None


def validate_table(csv_path: Path, *, schema_path: Path, suite_path: Path | None, dataset: str,
                   declared_encoding: str | None = None, waivers_path: Path | None = None,
                   today: date, allow: ContactAllowList | None = None) -> ValidationResult:
    """Validate one CSV on its own (no foreign keys to other datasets). ``allow``: contacts
    that are not personal data (none by default)."""
    run = _check_table(csv_path, schema_path=schema_path, suite_path=suite_path, dataset=dataset,
                       declared_encoding=declared_encoding, today=today, allow=allow)
    _mask_personal_values(run)
    _apply_waivers(run.result, waivers_path, today=today)
    _for_the_steward(run)
    return run.result


def validate_datasets(specs: Iterable[DatasetSpec], *, today: date,
                      allow: ContactAllowList | None = None) -> dict[str, ValidationResult]:
    """Validate every dataset, then the references between them, then apply waivers. ``allow``
    (by default the contact points of the project's ``catalog_config/organization.yaml``):
    contacts that are not personal data."""
    checked = validate_datasets_with_tables(specs, today=today, allow=allow)
    return {dataset_id: one.result for dataset_id, one in checked.items()}


def validate_datasets_with_tables(specs: Iterable[DatasetSpec], *, today: date,
                                  allow: ContactAllowList | None = None
                                  ) -> dict[str, CheckedDataset]:
    """``validate_datasets``, each result with the table it checked, so that describe uses
    those cells instead of reading the file again (the tables hold every cell: keep them no
    longer than the dataset's describe)."""
    specs = list(specs)
    allow = allow if allow is not None else _contact_allow_list(specs)
    # Reports name the file relative to the project, so they are the same bytes wherever the
    # project lives or runs from (the HTML report is published; unchanged means no upload).
    # A dataset others reference (foreign keys, code lists) keeps every column in its frame,
    # however big: the references are checked against it afterwards.
    referenced = {target for spec in specs for target in referenced_datasets(spec)}
    runs = {spec.id: _check_table(spec.csv_path, schema_path=spec.schema_path,
                                  suite_path=spec.suite_path, dataset=spec.id,
                                  declared_encoding=csv_encoding(spec), today=today,
                                  source=spec.csv_path.relative_to(spec.root).as_posix(),
                                  allow=allow, keep_all=spec.id in referenced)
            for spec in specs}
    for spec in specs:   # its CSV and schema were still checked: others may reference them
        if spec.problem is not None:
            runs[spec.id].result.findings.insert(0, metadata_problem_finding(spec.problem))
    frames = {dataset_id: run.frame for dataset_id, run in runs.items()}
    metadata_check = declared_metadata_check(specs[0].root) if specs else None
    for spec in specs:
        run = runs[spec.id]
        run.result.findings += _guarded(spec.id, lambda: check_foreign_keys(
            spec.id, run.schema, frames))
        run.result.findings += _guarded(spec.id, lambda: check_code_lists(
            spec.id, run.schema, frames))
        if spec.problem is None:   # the update schedule the catalog counts from (freshness)
            run.result.findings += _guarded(spec.id, lambda: update_frequency_findings(
                spec.metadata, run.schema, dataset=spec.id))
        _mask_personal_values(run)
        _apply_waivers(run.result, spec.waivers_path, today=today)
        if metadata_check is not None and spec.problem is None:
            # plan's own metadata check, after the waivers: plan refuses these whatever is waived
            run.result.findings += _guarded(spec.id, lambda: metadata_check(spec))
        _for_the_steward(run)
    return {spec.id: CheckedDataset(runs[spec.id].result, runs[spec.id].table) for spec in specs}


def referenced_datasets(spec: DatasetSpec) -> list[str]:
    """The dataset ids ``spec``'s Table Schema references in its foreign keys and code lists
    (none if unreadable: the validation itself reports a broken schema)."""
    try:
        schema = json.loads(spec.schema_path.read_text(encoding="utf-8"))
        keys = schema.get("foreignKeys") or []
        targets = {key["reference"]["resource"] for key in keys} | set(
            referenced_code_lists(schema))
        return sorted(targets - {None, "", spec.id})
    except (OSError, ValueError, AttributeError, KeyError, TypeError):
        return []


def _check_table(csv_path: Path, *, schema_path: Path, suite_path: Path | None, dataset: str,
                 declared_encoding: str | None, today: date,
                 source: str | None = None, allow: ContactAllowList | None = None,
                 keep_all: bool = False) -> _TableRun:
    result = ValidationResult(dataset=dataset, source=source or _display_path(csv_path),
                              source_sha256="",
                              encoding="", schema_version="", suite_version="",
                              generated_at=datetime.now(timezone.utc).isoformat(timespec="seconds"))
    run = _TableRun(result=result, schema={}, frame=None)
    result.findings += _guarded(dataset, lambda: _run_checks(
        run, csv_path, schema_path, suite_path, declared_encoding, today, allow, keep_all))
    return run


def _run_checks(run: _TableRun, csv_path: Path, schema_path: Path, suite_path: Path | None,
                declared_encoding: str | None, today: date,
                allow: ContactAllowList | None, keep_all: bool = False) -> list[Finding]:
    result = run.result
    if not csv_path.exists():
        return [_missing_file(csv_path, "data file")]
    run.schema, findings = _load_schema(schema_path)
    result.schema_version = str(run.schema.get("version") or _file_digest(schema_path))
    if run.schema:
        schema_name = f"schemas/{schema_path.name}"
        findings += primary_key_findings(run.schema, schema_name=schema_name)
        findings += thai_description_findings(run.schema, schema_name=schema_name)
    # The file is read once, here (a plain UTF-8 file never whole); describe then works from
    # this stage's table. Without a usable schema it is still read, for its own problems.
    table, source = (check_source_file(csv_path, run.schema, name=result.dataset,
                                       encoding=declared_encoding,
                                       batches=_batch_options(run.schema, suite_path, allow,
                                                              keep_all=keep_all))
                     if run.schema else (None, None))
    if source is None:
        source = read_csv_bytes(csv_path, encoding=declared_encoding)
        findings += source.findings
    result.source_sha256, result.encoding = source.sha256, source.encoding
    if table is None:
        return findings + _suite_file_findings(suite_path)
    findings += table.findings   # the file's decoding findings first, when it was read
    if not table.read:
        return findings + _suite_file_findings(suite_path)
    if any(f.rule in _SCHEMA_BROKEN for f in table.findings):
        # an unusable schema: the data checks would be noise; the suite file is still checked
        return findings + _suite_file_findings(suite_path)
    run.frame = table.frame
    run.table = validated_table(table.raw, table.frame, encoding=result.encoding,
                                findings=table.findings)
    result.rows = len(run.frame)
    give_back_memory()   # what the Table Schema check freed, before GX's own peak
    if suite_path is not None:
        expectation_findings, result.suite_version = check_suite(
            run.frame, suite_path, today=today, personal_fields=_personal_fields(run.schema))
        findings += expectation_findings
    return findings


def _batch_options(schema: dict[str, Any], suite_path: Path | None,
                   allow: ContactAllowList | None, *, keep_all: bool) -> BatchOptions:
    """The personal-data scan and the formula cells the public CSV neutralises run on each
    batch's typed frame (the Table Schema check's findings limit their lists); a big file's
    final frame keeps what later checks read (``kept_columns``)."""
    # Only a big file's batches ask, so the suite file is read for it only then (once).
    keep = cache(lambda: None if keep_all else kept_columns(schema, suite_path))
    return BatchOptions(
        checks=(lambda frame: scan_personal_data(frame, schema, allow=allow,
                                                 limit_per_column=None),
                lambda frame: check_formula_cells(frame, schema, limit_per_column=None)),
        keep_column=lambda name: keep() is None or name in keep())


def kept_columns(schema: dict[str, Any], suite_path: Path | None) -> set[str] | None:
    """The columns a big file's frame keeps after its batches: every column that is not text,
    and text the suite reads or that a key, a reference or a code list uses (None: all, when
    the suite cannot be read: it reports itself). Free text is checked batch by batch only.
    A malformed part of the schema (its own check reports it) keeps nothing more."""
    fields = [field for field in _listed(schema.get("fields")) if isinstance(field, dict)]
    kept = {field.get("name") for field in fields
            if field.get("type", "string") not in TEXT_TYPES or field.get("codeList")
            or _mapping(field.get("constraints")).get("unique")
            or _mapping(field.get("constraints")).get("enum")}
    kept |= set(_names(schema.get("primaryKey")))
    for key in _listed(schema.get("foreignKeys")):
        kept |= set(_names(_mapping(key).get("fields")))
        kept |= set(_names(_mapping(_mapping(key).get("reference")).get("fields")))
    if suite_path is not None and suite_path.exists():
        try:
            entries = read_suite_file(suite_path).expectations
        except SuiteError:
            return None
        kept |= set(columns_read(entries, [field.get("name") for field in fields]))
    return kept


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _listed(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


#: Table Schema types the typed frame keeps as text.
TEXT_TYPES = frozenset({"string", "any", "time", "yearmonth", "duration", "geopoint", "geojson",
                        "object", "array", "list"})


def _names(value: Any) -> list[str]:
    return [value] if isinstance(value, str) else [v for v in _listed(value) if isinstance(v, str)]


def _suite_file_findings(suite_path: Path | None) -> list[Finding]:
    """The suite cannot run without the data: its file's own problems are still reported."""
    return check_suite_file(suite_path) if suite_path is not None else []


def _personal_fields(schema: dict[str, Any]) -> set[str]:
    """Fields the schema marks ``personalData``: their values are masked in every finding.
    A broken schema (reported by its own findings) has none, rather than crashing here."""
    fields = schema.get("fields") if isinstance(schema, dict) else None
    return {field.get("name") for field in fields if isinstance(field, dict)
            and field.get("personalData")} if isinstance(fields, list) else set()


def _contact_allow_list(specs: list[DatasetSpec]) -> ContactAllowList:
    """The contact allow-list of the specs' project (they come from one ``metadata/``), empty
    when it has no ``catalog_config/organization.yaml``; an unreadable file stops the run."""
    path = specs[0].root / "catalog_config" / "organization.yaml" if specs else None
    return ContactAllowList.from_file(path) if path and path.exists() else ContactAllowList.NONE


def _mask_personal_values(run: _TableRun) -> None:
    """Mask the value of every finding about a ``personalData`` column, whatever its rule: the
    reports are published, and a check that forgot to mask must not leak the value."""
    personal = _personal_fields(run.schema)
    if personal:
        run.result.findings = [
            replace(f, value=mask_value(f.value)) if f.field in personal and f.value else f
            for f in run.result.findings]


def _apply_waivers(result: ValidationResult, waivers_path: Path | None, *, today: date) -> None:
    if waivers_path is None:
        return
    try:
        waivers = load_waivers(waivers_path)
    except Exception as exc:  # a malformed waiver file is a finding, not a crash
        result.findings.append(_internal(result.dataset, exc, rule="waivers/unreadable"))
        return
    result.findings = apply_waivers(result.findings, waivers, today=today)


def _for_the_steward(run: _TableRun) -> None:
    """Last, once findings and waivers are final: one finding per problem (``one_per_cell``),
    the first findings of each rule and field with a summary of the rest (``finding_limits``:
    counts stay exact), and each listed row's primary key next to its row number
    (``record_keys``)."""
    findings = one_finding_per_problem(run.result.findings)
    findings = limit_findings(findings)
    run.result.findings = with_record_keys(findings, run.frame, run.schema)


def _guarded(dataset: str, check: Any) -> list[Finding]:
    """Run a check; an unexpected exception becomes an error finding for this dataset only."""
    try:
        return check()
    except Exception as exc:  # noqa: BLE001 - isolation is the point: report, go on
        log.exception("validation of %s failed", dataset)
        return [_internal(dataset, exc)]


def _load_schema(path: Path) -> tuple[dict[str, Any], list[Finding]]:
    if not path.exists():
        return {}, [_missing_file(path, "Table Schema")]
    try:
        schema = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        return {}, [_schema_unreadable(path, f"is not valid JSON: {exc}")]
    if not isinstance(schema, dict):
        return {}, [_schema_unreadable(path, "is not a JSON object (a Table Schema is "
                                             '{"fields": [...], ...})')]
    return schema, []


def _schema_unreadable(path: Path, what: str) -> Finding:
    return Finding(rule="config/schema-unreadable", severity=Severity.ERROR,
                   message_th=f"อ่านไฟล์ Table Schema {path.name} ไม่ได้",
                   message_en=f"The Table Schema {path.name} {what}",
                   hint_th="แก้ไฟล์ให้เป็น JSON ที่ถูกต้อง", hint_en="Fix the file's JSON syntax")


def metadata_problem_finding(problem: DatasetProblem) -> Finding:
    """A metadata file that could not be used, as this dataset's blocking finding."""
    line_th = f" บรรทัดที่ {problem.line}" if problem.line else ""
    where = f"{problem.file}, line {problem.line}" if problem.line else problem.file
    return Finding(rule=problem.rule, severity=Severity.ERROR,
                   message_th=f"{problem.message_th}{line_th}",
                   message_en=f"{where}: {problem.message_en}",
                   hint_th=problem.hint_th, hint_en=problem.hint_en,
                   value=clip_value(problem.file))


def _missing_file(path: Path, what: str) -> Finding:
    hint_th, hint_en = MISSING_FILE_HINTS[what]
    return Finding(rule="config/missing-file", severity=Severity.ERROR,
                   message_th=f"ไม่พบไฟล์ ({what}): {_display_path(path)}",
                   message_en=f"The {what} {_display_path(path)} does not exist",
                   hint_th=hint_th, hint_en=hint_en)


#: What to do about a missing file, naming only commands that exist (tests/validation check
#: each against the CLI): ingest converts a raw source, so it is no answer to a missing schema.
MISSING_FILE_HINTS = {
    "Table Schema": (
        "เขียนไฟล์ schemas/<id>.schema.json หรือให้ระบบร่างจากไฟล์ข้อมูลด้วยคำสั่ง "
        "`senate-catalog new <id> --from <ไฟล์ CSV หรือ Excel>` แล้วตรวจทานร่าง",
        "Write schemas/<id>.schema.json, or draft it from the data with "
        "`senate-catalog new <id> --from <CSV or Excel file>` and review the draft"),
    "data file": (
        "วางไฟล์ CSV (UTF-8) ไว้ตามชื่อที่กำหนด หรือถ้าชุดข้อมูลมีแหล่งข้อมูลดิบใน "
        "datasets/<id>/raw/ ให้แปลงด้วยคำสั่ง `senate-catalog ingest`",
        "Put the CSV (UTF-8) at this path or, when the dataset has a raw source in "
        "datasets/<id>/raw/, convert it with `senate-catalog ingest`"),
}


def _internal(dataset: str, exc: Exception, *, rule: str = "pipeline/internal-error") -> Finding:
    return Finding(rule=rule, severity=Severity.ERROR,
                   message_th=f"การตรวจสอบชุดข้อมูล {dataset} หยุดกลางคัน: {type(exc).__name__}",
                   message_en=f"Validating {dataset} stopped: {type(exc).__name__}: {exc}",
                   hint_th="แจ้งกลุ่มงานเทคโนโลยีสารสนเทศพร้อมรายงานนี้",
                   hint_en="Report this to the IT bureau with this report attached")


def _file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12] if path.exists() else ""


def _display_path(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)
