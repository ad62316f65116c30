"""Run records: one JSON object per dataset per run, appended to ``out/runs/history.jsonl``.

The history is what `senate-catalog status` reads, and what becomes each dataset's published
quality history (``quality_history_rows`` → ``write_quality_history_csv``). Records hold hashes,
counts and catalog ids only — never a value of the data, so never personal data.

Several runs (a schedule and an operator) may append at the same time: each append takes an
exclusive lock and writes whole lines. A reader never crashes on the history: a line that is not
a record (a crash mid-write, a hand edit) is skipped and reported as a problem.
"""

from __future__ import annotations

import csv
import fcntl
import io
import json
import os
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from flows.atomic import write_bytes_atomic
from flows.csv_safety import neutralise
from flows.dataset_ids import dataset_id_problems
from flows.today import BANGKOK
from flows.validation.reports.summary import Verdict

#: The history, relative to the output folder.
HISTORY_FILE = Path("runs") / "history.jsonl"

#: Keys every record must have (docs/architecture.md: the run record).
REQUIRED_KEYS = ("record_version", "run_id", "dataset", "started_at", "finished_at", "status")

#: What happened to a dataset in a run.
STATUSES = ("published", "unchanged", "held", "skipped", "withdrawn", "purged", "failed",
            "planned")

#: Statuses after which the catalog holds this run's (or an identical earlier run's) data.
PUBLISHED_STATUSES = ("published", "unchanged")

#: Statuses that need an operator (`status` exits 1 when a dataset's last run has one).
ALERT_STATUSES = ("held", "failed")

#: Keys of a quality-history row (``quality_history_rows``), in this order: the steward's view,
#: hashes included (which input changed). The published file has ``PUBLIC_HISTORY_COLUMNS``.
QUALITY_HISTORY_COLUMNS = (
    "validated_at", "run_id", "today", "rows", "errors", "warnings", "waived", "verdict",
    "input_hash", "source_sha256", "schema_sha256", "suite_sha256", "metadata_sha256",
    "waivers_sha256", "references_sha256",
)

#: What the validation of the data reads, each named as the published history says it
#: changed. The pipeline code, the catalog rules, the DGA metadata (a title or a description)
#: and the run's date are not among them: a new release of the pipeline, or a metadata edit,
#: that finds the same is no new row (it is one when the result changes).
_DATA_INPUTS = {
    "source_sha256": "ข้อมูล (data)",
    "schema_sha256": "โครงสร้างข้อมูล (Table Schema)",
    "suite_sha256": "กฎการตรวจสอบ (validation rules)",
    "waivers_sha256": "การยกเว้นของผู้ดูแลข้อมูล (waivers)",
    "references_sha256": "ข้อมูลที่อ้างอิง (referenced datasets)",
}
_COUNT_COLUMNS = ("errors", "warnings", "waived")
_RESULT_COLUMNS = ("verdict", *_COUNT_COLUMNS, "rows")
# Consecutive validations equal on these are one row of the quality history.
_QUALITY_KEY = (*_DATA_INPUTS, *_RESULT_COLUMNS)
_INPUT_COLUMNS = ("input_hash", "source_sha256", "schema_sha256", "suite_sha256",
                  "metadata_sha256", "waivers_sha256", "references_sha256")

#: The published quality history: (row key, header), Thai first. No hash, no run id: a
#: citizen reads when it was checked, what was found and what had changed.
PUBLIC_HISTORY_COLUMNS = (
    ("validated_at", "วันที่ตรวจ (checked at)"),
    ("rows", "จำนวนแถว (rows)"),
    ("errors", "ข้อผิดพลาด (errors)"),
    ("warnings", "ข้อสังเกต (warnings)"),
    ("waived", "ยกเว้นโดยผู้ดูแลข้อมูล (waived)"),
    ("verdict", "ผลการตรวจ (verdict)"),
    ("changed", "สิ่งที่เปลี่ยน (what changed)"),
)
_FIRST_ROW = "การตรวจครั้งแรกในประวัติ (first validation on record)"
_RESULT_ONLY = "ผลการตรวจ (result only)"




@dataclass(frozen=True)
class History:
    """The records of a history file, in file order, and the lines that were skipped."""

    records: list[dict[str, Any]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def history_path(out_dir: Path) -> Path:
    """The history file of an output folder: ``<out_dir>/runs/history.jsonl``."""
    return Path(out_dir) / HISTORY_FILE


def record_problem(record: Any) -> str | None:
    """Why ``record`` is not a valid run record, or None when it is."""
    if not isinstance(record, dict):
        return "is not a JSON object"
    for key in REQUIRED_KEYS:
        if key not in record or record[key] is None:
            return f"has no {key!r}"
    if record["status"] not in STATUSES:
        return f"has status {record['status']!r}, not one of {', '.join(STATUSES)}"
    if not isinstance(record["dataset"], str) or not record["dataset"]:
        return "has an empty or non-text 'dataset'"
    if dataset_id_problems(record["dataset"]):  # readers build paths from it (outcome report)
        return f"has dataset {record['dataset']!r}, not a valid dataset id"
    for key in ("started_at", "finished_at"):
        if _parse_time(record[key]) is None:
            return f"has {key} {record[key]!r}, not an ISO-8601 time"
    return None


def append_records(path: Path, records: list[dict[str, Any]]) -> None:
    """Append ``records`` to the history at ``path``, one JSON line each, durably.

    Every record is checked before anything is written, so a bad record writes nothing.
    The lines are written in one call under an exclusive lock, so concurrent runs never
    interleave; if an earlier writer crashed mid-line, a newline first keeps ours whole.

    Raises:
        ValueError: a record lacks a required key or has an unknown status.
    """
    for index, record in enumerate(records):
        problem = record_problem(record)
        if problem:
            raise ValueError(f"run record {index} {problem}; required keys: "
                             f"{', '.join(REQUIRED_KEYS)}; statuses: {', '.join(STATUSES)}")
    if not records:
        return
    data = "".join(_record_line(record) + "\n" for record in records).encode("utf-8")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    # "a+": appends (O_APPEND) and lets us read the last byte.
    with open(path, "a+b") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            if _ends_mid_line(handle.fileno()):
                data = b"\n" + data
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def _record_line(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _ends_mid_line(fd: int) -> bool:
    size = os.fstat(fd).st_size
    return size > 0 and os.pread(fd, 1, size - 1) != b"\n"


def read_history(path: Path) -> History:
    """Read the history at ``path``; a missing file is an empty history.

    Lines that are not valid run records are skipped, each named in ``History.problems``
    (e.g. ``history.jsonl line 7 is not JSON; ignored``). Blank lines are ignored silently.
    """
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return History()
    history = History()
    for number, line in enumerate(raw.split(b"\n"), start=1):
        if not line.strip():
            continue
        record, problem = _parse_line(line)
        if problem:
            history.problems.append(f"{path.name} line {number} {problem}; ignored")
        else:
            history.records.append(record)
    return history


def _parse_line(line: bytes) -> tuple[dict[str, Any] | None, str | None]:
    try:
        record = json.loads(line.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None, "is not JSON"
    problem = record_problem(record)
    return (None, problem) if problem else (record, None)


def _parse_time(value: Any) -> datetime | None:
    """An aware datetime from an ISO-8601 string (naive means UTC), or None."""
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _chronological(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Records oldest first by finished_at; equal times keep file order."""
    epoch = datetime.min.replace(tzinfo=timezone.utc)
    return sorted(records, key=lambda record: _parse_time(record.get("finished_at")) or epoch)


def last_runs(records: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The newest record of each dataset (by finished_at, then file order), by dataset id."""
    newest: dict[str, dict[str, Any]] = {}
    for record in _chronological(records):
        newest[record["dataset"]] = record
    return dict(sorted(newest.items()))


def last_published(records: list[dict[str, Any]], dataset: str) -> dict[str, Any] | None:
    """The newest record of ``dataset`` whose status is published or unchanged, or None."""
    published = [record for record in _chronological(records)
                 if record.get("dataset") == dataset
                 and record.get("status") in PUBLISHED_STATUSES]
    return published[-1] if published else None


def quality_history_rows(records: list[dict[str, Any]], dataset: str) -> list[dict[str, Any]]:
    """The quality of ``dataset`` over time, one row per change, oldest first.

    Only records whose validation ran (not cached) and has counts take part. Consecutive
    records equal on what the validation reads (data, schema, suite, waivers, referenced
    datasets: not the pipeline's code nor the DGA metadata), verdict, counts and rows collapse
    into the first of them, so re-validating unchanged data leaves the rows (and the published
    file) as they were.
    Columns: ``QUALITY_HISTORY_COLUMNS``.
    """
    rows: list[dict[str, Any]] = []
    for record in _chronological(records):
        if record.get("dataset") != dataset or not _validation_ran(record):
            continue
        row = _quality_row(record)
        if not rows or _quality_key(rows[-1]) != _quality_key(row):
            rows.append(row)
    return rows


def _validation_ran(record: dict[str, Any]) -> bool:
    validation = record.get("validation")
    return (isinstance(validation, dict) and not validation.get("cached")
            and all(isinstance(validation.get(key), int) for key in _COUNT_COLUMNS))


def _quality_row(record: dict[str, Any]) -> dict[str, Any]:
    validation = record["validation"]
    inputs = record.get("inputs") or {}
    # validated_at is when the checks ran (the record of the run that validated); older
    # records without it fall back to the end of their run.
    row = {"validated_at": validation.get("validated_at") or record["finished_at"],
           "run_id": record["run_id"],
           "today": record.get("today"), "rows": validation.get("rows"),
           **{key: validation[key] for key in _COUNT_COLUMNS},
           "verdict": validation.get("verdict"),
           **{key: inputs.get(key) for key in _INPUT_COLUMNS}}
    return {column: row[column] for column in QUALITY_HISTORY_COLUMNS}


def _quality_key(row: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(row.get(key) for key in _QUALITY_KEY)


def public_history_rows(rows: list[dict[str, Any]]) -> list[dict[str, str]]:
    """The rows as published: ``PUBLIC_HISTORY_COLUMNS`` keys, Bangkok times, the verdict in
    Thai and English, and what changed since the row before (never a hash)."""
    public = []
    for index, row in enumerate(rows):
        previous = rows[index - 1] if index else None
        public.append({
            "validated_at": bangkok_time(str(row.get("validated_at") or "")),
            **{key: "" if row.get(key) is None else str(row[key])
               for key in ("rows", *_COUNT_COLUMNS)},
            "verdict": _verdict_words(row.get("verdict")),
            "changed": _what_changed(previous, row),
        })
    return public


def _verdict_words(verdict: Any) -> str:
    try:
        found = Verdict(verdict)
    except ValueError:
        return "" if verdict is None else str(verdict)
    return f"{found.label_th} ({found.label_en})"


def _what_changed(previous: dict[str, Any] | None, row: dict[str, Any]) -> str:
    if previous is None:
        return _FIRST_ROW
    changed = [name for key, name in _DATA_INPUTS.items() if previous.get(key) != row.get(key)]
    return ", ".join(changed) or _RESULT_ONLY


def quality_history_csv(rows: list[dict[str, Any]]) -> bytes:
    """The published quality history as UTF-8 CSV bytes: Thai-first headers
    (``PUBLIC_HISTORY_COLUMNS``), one line per row of ``public_history_rows``, '\\n' line ends.

    The same rows always give the same bytes; None is an empty cell. The file is published, so
    no cell may be a live spreadsheet formula (``flows.csv_safety``; a record is JSON anyone
    with write access to ``out/`` could edit).
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([header for _, header in PUBLIC_HISTORY_COLUMNS])
    for row in public_history_rows(rows):
        writer.writerow([neutralise(row[key]) for key, _ in PUBLIC_HISTORY_COLUMNS])
    return buffer.getvalue().encode("utf-8")


def write_quality_history_csv(rows: list[dict[str, Any]], path: Path) -> Path:
    """Write ``quality_history_csv(rows)`` to ``path`` (atomically; untouched if unchanged).

    Deterministic bytes mean the catalog's resource hash changes only when the rows do.
    """
    return write_bytes_atomic(path, quality_history_csv(rows))


def bangkok_time(value: str) -> str:
    """An ISO-8601 time as Bangkok local time, e.g. ``2026-11-28 08:10 (+07)``."""
    moment = _parse_time(value)
    if moment is None:
        return str(value)
    local = moment.astimezone(BANGKOK)
    offset = local.strftime("%z")  # "+0700"
    offset = offset[:3] if offset.endswith("00") else f"{offset[:3]}:{offset[3:]}"
    return f"{local:%Y-%m-%d %H:%M} ({offset})"


def bangkok_day(value: Any) -> str:
    """The Bangkok calendar day (YYYY-MM-DD) of an ISO-8601 time; '' when it is not one."""
    moment = _parse_time(value)
    return moment.astimezone(BANGKOK).date().isoformat() if moment else ""


def status_rows(records: list[dict[str, Any]]) -> list[dict[str, str]]:
    """One display row per dataset for its last run, sorted by dataset id.

    Keys: dataset, finished (Bangkok time), status, verdict, errors, warnings, waived,
    cached (yes/no), catalog_or_reason (the catalog page of the first catalog dataset when
    published, the reason otherwise).
    """
    return [_status_row(record) for record in last_runs(records).values()]


def _status_row(record: dict[str, Any]) -> dict[str, str]:
    validation = record.get("validation") or {}
    cached = validation.get("cached")
    return {
        "dataset": record["dataset"],
        "finished": bangkok_time(record["finished_at"]),
        "status": record["status"],
        "verdict": validation.get("verdict") or "-",
        **{key: _text(validation.get(key)) for key in _COUNT_COLUMNS},
        "cached": "-" if cached is None else ("yes" if cached else "no"),
        "catalog_or_reason": _catalog_or_reason(record),
    }


def _catalog_or_reason(record: dict[str, Any]) -> str:
    catalog = record.get("catalog") or {}
    datasets = catalog.get("datasets") or []
    if record["status"] in PUBLISHED_STATUSES and catalog.get("url") and datasets:
        first = datasets[0]
        link = f"{catalog['url'].rstrip('/')}/dataset/{first.get('name')}"
        return f"{link} (private)" if first.get("private") else link
    reason = record.get("reason")
    return " ".join(str(reason).split()) if reason else "-"


def _text(value: Any) -> str:
    return "-" if value is None else str(value)
