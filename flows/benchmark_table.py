"""The benchmark's generated table: a deterministic CSV with its Table Schema and GX suite.

Nine columns of the kinds Senate tables hold (an id primary key, a unique document code with a
pattern, a CE date, Thai and English text, an amount, a flag, an enum vote code, a score), and
about ``bad_share`` of the cells (0.1 % by default) bad, in every way the Table Schema stage
checks: a type error for each type, each constraint broken, duplicate keys, blank, short and
long rows, undeclared Thai digits, a Buddhist-Era year in a CE date, and personal data in the
free-text column. Every text cell holds a comma (so it is quoted) and about 1 % a doubled quote.

Rows are written as they are made (5,000,000 rows never sit in memory) and the file is kept per
(rows, seed, generator version) in the output folder: a second run reuses it. Next to it,
``<csv>.defects.json`` records what was planted where (kind → row numbers), so a test can ask
the validator to find each one.
"""

from __future__ import annotations

import csv
import json
import os
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from random import Random
from typing import Any, Callable, Iterator

from flows.atomic import write_text_atomic

DATASET = "benchmark"
DEFAULT_SEED = 1303
#: The share of bad cells: 0.1 % of the cells, i.e. about one row in 110 carries one defect.
DEFAULT_BAD_SHARE = 0.001
#: Part of the cached file's name: bump it when the rows change, so an old file is not reused.
GENERATOR_VERSION = 3
#: Fixed, so the findings of a run never depend on the day it ran.
BENCHMARK_TODAY = date(2026, 1, 1)

FIRST_DATE = date(2019, 1, 1)
DATE_SPAN_DAYS = 6 * 365
#: The vote code (an enum): 1 เห็นด้วย, 2 ไม่เห็นด้วย, 3 งดออกเสียง, 4 ไม่ลงคะแนนเสียง.
CATEGORIES = ("1", "2", "3", "4")
THAI_TOPICS = ("งบประมาณรายจ่ายประจำปี", "การศึกษาแห่งชาติ", "ภาษีสรรพสามิต",
               "การคุ้มครองข้อมูลส่วนบุคคล", "การบริหารราชการแผ่นดิน", "สาธารณสุข")
EN_TOPICS = ("the annual budget", "national education", "excise tax", "personal data protection",
             "public administration", "public health")
NULL_SCORE_SHARE = 0.1
QUOTED_SHARE = 0.01
DOC_CODE_PATTERN = "SEN-[0-9]{7}"
TITLE_MIN_LENGTH, TITLE_MAX_LENGTH = 8, 160
AMOUNT_MAX = 1_000_000


@dataclass(frozen=True)
class BenchmarkFiles:
    """The generated table, its declarations and the record of planted defects."""

    csv: Path
    schema: Path
    suite: Path
    defects: Path


def benchmark_schema() -> dict[str, Any]:
    """The Table Schema of the generated CSV: nine columns, every constraint kind declared."""
    def column(name: str, kind: str, title: str, description_th: str,
               **constraints: Any) -> dict[str, Any]:
        spec = {"name": name, "type": kind, "title": title, "description_th": description_th}
        return {**spec, "constraints": constraints} if constraints else spec

    return {
        "version": "2.0.0",
        "fields": [
            column("record_id", "integer", "รหัสรายการ", "รหัสรายการ ไม่ซ้ำกัน", required=True),
            column("doc_code", "string", "เลขที่เอกสาร", "เลขที่เอกสาร SEN- ตามด้วยเลข 7 หลัก",
                   unique=True, pattern=DOC_CODE_PATTERN),
            column("event_date", "date", "วันที่", "วันที่ของรายการ ปีคริสต์ศักราช"),
            column("title_th", "string", "ชื่อเรื่อง", "ชื่อเรื่องภาษาไทย", required=True,
                   minLength=TITLE_MIN_LENGTH, maxLength=TITLE_MAX_LENGTH),
            column("remark", "string", "หมายเหตุ", "หมายเหตุภาษาอังกฤษ ข้อความอิสระ"),
            column("amount", "number", "จำนวนเงิน", "จำนวนเงิน (บาท)",
                   minimum=0, maximum=AMOUNT_MAX),
            column("is_active", "boolean", "ยังมีผล", "รายการยังมีผลอยู่หรือไม่"),
            column("category", "string", "ผลการลงมติ",
                   "รหัสผลการลงมติ 1 เห็นด้วย 2 ไม่เห็นด้วย 3 งดออกเสียง 4 ไม่ลงคะแนนเสียง",
                   enum=list(CATEGORIES)),
            column("score", "integer", "คะแนน", "คะแนนของรายการ 0 ถึง 100",
                   minimum=0, maximum=100),
        ],
        "primaryKey": ["record_id"],
        "missingValues": [""],
    }


FIELD_NAMES = tuple(spec["name"] for spec in benchmark_schema()["fields"])


def benchmark_suite() -> dict[str, Any]:
    """Ten expectations in the project's suite-file shape: GX core ones and the project's own
    (``expect_column_values_to_not_be_buddhist_era_years``,
    ``expect_column_value_proportion_to_be_between``), with a ``today`` parameter."""
    return {
        "name": f"{DATASET}.expectations",
        "meta": {"version": "2.0.0",
                 "description": "The benchmark's suite: ten expectations, as a real dataset has."},
        "suite_parameters": {},
        "expectations": [_expectation(*entry) for entry in _SUITE_ENTRIES],
    }


_SUITE_ENTRIES: tuple[tuple[str, str, str | None, str, str, dict[str, Any]], ...] = (
    ("expect_table_row_count_to_be_between", "row-count", None,
     "ตารางไม่มีข้อมูล", "the table has no rows", {"min_value": 1}),
    ("expect_column_values_to_not_be_null", "record-id-present", "record_id",
     "ไม่มีรหัสรายการ", "record_id is missing", {}),
    ("expect_column_values_to_be_unique", "record-id-unique", "record_id",
     "รหัสรายการซ้ำ", "record_id is repeated", {}),
    ("expect_column_values_to_match_regex", "doc-code-shape", "doc_code",
     "เลขที่เอกสารไม่อยู่ในรูป SEN-เลข 7 หลัก", "doc_code is not SEN- and 7 digits",
     {"regex": f"^{DOC_CODE_PATTERN}$"}),
    ("expect_column_values_to_be_between", "no-future-dates", "event_date",
     "วันที่อยู่ในอนาคต", "event_date is in the future",
     {"max_value": {"$PARAMETER": "today"}}),
    ("expect_column_values_to_not_be_buddhist_era_years", "no-buddhist-era-years", "event_date",
     "ปีของวันที่เป็นปีพุทธศักราช", "event_date has a Buddhist-Era year", {}),
    ("expect_column_values_to_be_between", "amount-in-range", "amount",
     "จำนวนเงินอยู่นอกช่วงที่เป็นไปได้", "amount is out of range",
     {"min_value": 0, "max_value": AMOUNT_MAX}),
    ("expect_column_values_to_be_in_set", "category-known", "category",
     "ผลการลงมติไม่อยู่ในรายการที่กำหนด", "category is not a known value",
     {"value_set": list(CATEGORIES)}),
    ("expect_column_value_proportion_to_be_between", "yes-share", "category",
     "สัดส่วนผลการลงมติ 'เห็นด้วย' (1) ผิดปกติ", "the share of 'yes' votes (1) is unusual",
     {"value": CATEGORIES[0], "min_value": 0.1, "max_value": 0.5}),
    ("expect_column_values_to_be_between", "score-in-range", "score",
     "คะแนนอยู่นอกช่วง 0-100", "score is outside 0-100", {"min_value": 0, "max_value": 100}),
)


def _expectation(kind: str, rule: str, column: str | None, message_th: str, message_en: str,
                 kwargs: dict[str, Any]) -> dict[str, Any]:
    meta = {"rule": rule, "severity": "error", "message_th": message_th,
            "message_en": message_en,
            "hint_th": "ข้อมูลทดสอบสร้างขึ้นเอง ข้อผิดพลาดนี้ตั้งใจใส่ไว้",
            "hint_en": "Generated benchmark data; the defect was planted on purpose"}
    if column is None:
        return {"type": kind, "kwargs": kwargs, "meta": meta}
    return {"type": kind, "kwargs": {"column": column, **kwargs},
            "meta": {**meta, "field": column}}


# --- rows -----------------------------------------------------------------------------------

@dataclass
class _Draw:
    """The random source. Only ``Random.random()`` is used: Python guarantees its sequence for
    a seed across versions, which it does not for ``randrange`` or ``choice``."""

    rng: Random

    def share(self) -> float:
        return self.rng.random()

    def index(self, size: int) -> int:
        return int(self.rng.random() * size)

    def pick(self, values: tuple[str, ...]) -> str:
        return values[self.index(len(values))]


def _clean_row(record_id: int, draw: _Draw, dates: tuple[str, ...]) -> list[str]:
    topic, sitting = draw.index(len(THAI_TOPICS)), draw.index(500) + 1
    title_th = f"{THAI_TOPICS[topic]} ครั้งที่ {sitting}"
    if draw.share() < 0.1:
        title_th += f", วาระที่ {draw.index(3) + 1}"
    topic_en = EN_TOPICS[topic]
    if draw.share() < QUOTED_SHARE:
        topic_en = f'"{topic_en}"'   # written as ""...""  inside a quoted cell
    score = "" if draw.share() < NULL_SCORE_SHARE else str(draw.index(101))
    return [str(record_id), f"SEN-{record_id:07d}", draw.pick(dates), title_th,
            f"{topic_en}, sitting {sitting}",
            f"{draw.share() * (AMOUNT_MAX - 1):.2f}", "true" if draw.share() < 0.5 else "false",
            draw.pick(CATEGORIES), score]


def _national_id(draw: _Draw) -> str:
    """13 digits, first 1-8, with the mod-11 check digit of the Thai national ID."""
    digits = [draw.index(8) + 1] + [draw.index(10) for _ in range(11)]
    check = (11 - sum(d * (13 - i) for i, d in enumerate(digits)) % 11) % 10
    return "".join(map(str, digits + [check]))


def _set(field: str, value: str) -> Callable[[list[str], _Draw, dict[str, str]], list[str]]:
    position = FIELD_NAMES.index(field)

    def plant(cells: list[str], draw: _Draw, seen: dict[str, str]) -> list[str]:
        cells[position] = value.format(own=cells[0], **seen) if "{" in value else value
        return cells
    return plant


def _personal(template: str, make: Callable[[_Draw], str]):
    position = FIELD_NAMES.index("remark")

    def plant(cells: list[str], draw: _Draw, seen: dict[str, str]) -> list[str]:
        cells[position] = template.format(make(draw))
        return cells
    return plant


#: Each kind of defect: how it changes a clean row. ``seen`` holds the last clean row's id and
#: document code, so a duplicate repeats a value that really is in the file; ``{own}`` is the
#: row's own id.
DEFECTS: dict[str, Callable[[list[str], _Draw, dict[str, str]], list[str]]] = {
    "integer-type": _set("score", "12x"),
    "number-type": _set("amount", "12.5.0"),
    "boolean-type": _set("is_active", "maybe"),
    "date-type": _set("event_date", "2024-02-30"),
    "required": _set("title_th", ""),
    "enum": _set("category", "9"),
    "pattern": _set("doc_code", "SEN-{own}A"),   # its own id: not also a unique-error
    "minimum": _set("amount", "-250.00"),
    "maximum": _set("score", "150"),
    "min-length": _set("title_th", "ญัตติ"),   # 5 characters
    "max-length": _set("title_th", "ร่างพระราชบัญญัติ, " * 9),
    "primary-key": _set("record_id", "{record_id}"),
    "unique": _set("doc_code", "{doc_code}"),
    "thai-digits": _set("score", "๘๕"),
    "buddhist-era-year": _set("event_date", "2567-03-01"),
    "national-id": _personal("Petition by citizen ID {}, sitting 4", _national_id),
    "phone": _personal("Call back 08{}, sitting 4",
                       lambda d: f"{d.index(10)}-{d.index(900) + 100}-{d.index(9000) + 1000}"),
    "email": _personal("Sent by somchai.k{}@example.co.th, sitting 4",
                       lambda d: str(d.index(1000))),
    "blank-row": lambda cells, draw, seen: [""] * len(cells),
    "short-row": lambda cells, draw, seen: cells[:-2],
    "long-row": lambda cells, draw, seen: cells + ["เกิน, extra"],
}


def generate_rows(rows: int, *, seed: int = DEFAULT_SEED,
                  bad_share: float = DEFAULT_BAD_SHARE) -> Iterator[tuple[list[str], str | None]]:
    """Yield the header, then ``rows`` deterministic rows, each with the defect kind planted
    in it (None for a clean row). Kinds take turns, so each appears as soon as there are as
    many bad rows as kinds."""
    draw = _Draw(Random(seed))
    dates = tuple((FIRST_DATE + timedelta(days=day)).isoformat()
                  for day in range(DATE_SPAN_DAYS))
    kinds = list(DEFECTS)
    planted, seen = 0, {"record_id": "1", "doc_code": "SEN-0000001"}
    row_share = bad_share * len(FIELD_NAMES)
    yield list(FIELD_NAMES), None
    for record_id in range(1, rows + 1):
        cells = _clean_row(record_id, draw, dates)
        if record_id > 1 and draw.share() < row_share:
            kind = kinds[planted % len(kinds)]
            planted += 1
            yield DEFECTS[kind](cells, draw, seen), kind
            continue
        seen = {"record_id": cells[0], "doc_code": cells[1]}
        yield cells, None


def generate_dataset(out_dir: Path, *, rows: int, seed: int = DEFAULT_SEED,
                     bad_share: float = DEFAULT_BAD_SHARE) -> BenchmarkFiles:
    """The table for (rows, seed, bad_share) in ``out_dir``: reused when already there, else
    written row by row (a crash leaves no half file under the final name)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = f"{DATASET}-r{rows}-s{seed}-b{bad_share:g}-g{GENERATOR_VERSION}"
    files = BenchmarkFiles(csv=out_dir / f"{stem}.csv",
                           schema=out_dir / f"{DATASET}.schema.json",
                           suite=out_dir / f"{DATASET}.expectations.json",
                           defects=out_dir / f"{stem}.defects.json")
    for path, document in ((files.schema, benchmark_schema()), (files.suite, benchmark_suite())):
        write_text_atomic(path, json.dumps(document, ensure_ascii=False, indent=2) + "\n")
    # The defects file is written last: its presence means the CSV is complete.
    if not (files.csv.exists() and files.defects.exists()):
        defects = _write_csv(files.csv, generate_rows(rows, seed=seed, bad_share=bad_share))
        write_text_atomic(files.defects, json.dumps(defects, indent=1) + "\n")
    return files


def _write_csv(path: Path, rows: Iterator[tuple[list[str], str | None]]) -> dict[str, list[int]]:
    """Write the rows; return the row numbers (header = 1) of each planted defect kind."""
    defects: dict[str, list[int]] = {kind: [] for kind in DEFECTS}
    partial = path.with_name(f".{path.name}.partial")
    with partial.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        for number, (cells, kind) in enumerate(rows, start=1):
            writer.writerow(cells)
            if kind is not None:
                defects[kind].append(number)
    os.replace(partial, path)
    return defects


def read_defects(files: BenchmarkFiles) -> dict[str, list[int]]:
    """What was planted where: defect kind → row numbers (header = 1)."""
    return json.loads(files.defects.read_text(encoding="utf-8"))
