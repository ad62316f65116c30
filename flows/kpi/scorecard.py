"""The weighted KPI scorecard of the FY2567 performance framework: one level per KPI, one total.

Inputs are the KPI register (``datasets/kpi-register/kpi-register.csv``: kpi_id, name_th,
component, component_th, weight, ...) and the progress reports (``datasets/kpi-progress/kpi-progress.csv``).
Everything here is a pure function of those rows; only ``read_csv_rows`` and
``write_scorecard_csv`` touch files.

How a level is read (the framework document, datasets/kpi-register/raw/kpi-framework-fy2567.txt,
e.g. lines 136-139 for KPI 1.1 and 412-415 for KPI 1.3): every KPI's scoring table has rows for
levels 1, 3 and 5 only. Level 1 is "a plan exists"; the level-3 row holds two bullets, "the plan
is 80 % done" and "the plan is 100 % done"; level 5 holds the KPI's own higher conditions (a
report to the head of the agency, a satisfaction survey, an ITA score, ...). We read the levels
as the usual five-step ladder the table compresses:

====  ===========================================================================
0     no plan (or no progress report at all)
1     a plan exists, less than 80 % of it done
2     80 % or more of the plan done, less than 100 %      (the table's first level-3 bullet)
3     100 % of the plan done                              (the table's second level-3 bullet)
4     100 % done and some, not all, of the KPI's own level-5 conditions met
5     100 % done and all of them met
====  ===========================================================================

Higher conditions count only once the plan is 100 % done (they build on level 3). How many a KPI
has is counted from the register's ``criteria_level_5`` (one per "●" bullet; a text without
bullets is one condition): KPIs 1.1, 1.3 and 2.1 have one, so meeting it is level 5, not 4.

KPIs declared in ``catalog_config/kpi_evidence_scoring.yaml`` (KPI 1.3) are scored from the
system's own evidence instead (``flows.kpi.evidence_scoring``): their latest round's plan_done_pct
is the share of their checklist's conditions met with evidence, their level follows that file,
and what the steward reported is kept in note_th for comparison.

Every reporting round of the KPI's latest fiscal year (6, 9 and 12 months) keeps its level in
level_6m/level_9m/level_12m, and ``trend`` compares the latest round with the one before it.

Weighted score of a KPI = weight × level / 5; the total is the sum over the KPIs, i.e.
``Σ weight × level / 5``. The weights sum to 100 (15+15+15+15 for component 1, 10+10+10+10 for
component 2), so the total is on a 0-100 scale: every KPI at level 5 gives 100, every KPI at
level 3 gives 60. The 5-point weighted average the Secretariat's own forms use is total / 20.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Mapping

from flows.atomic import write_text_atomic
from flows.csv_source import read_csv_records
from flows.errors import SenateCatalogError
from flows.kpi.evidence_scoring import EvidenceScore, evidence_level, is_presented

#: The scorecard CSV's columns, in order (schemas/kpi-scorecard.schema.json).
SCORECARD_FIELDS = ("kpi_id", "name_th", "component", "component_th", "weight", "fiscal_year_be",
                    "round_months", "reported_on", "plan_exists", "plan_done_pct",
                    "higher_conditions_met", "level", "weighted_score", "scored_from",
                    "level_6m", "level_9m", "level_12m", "trend", "evidence_url", "note_th")
#: The framework's reporting rounds (รอบ ๖ ๙ ๑๒ เดือน; kpi-progress's round_months), each with
#: its column of the scorecard.
ROUND_COLUMNS = {6: "level_6m", 9: "level_9m", 12: "level_12m"}
#: trend: the latest round's level against the round before it in the same fiscal year.
TRENDS = {"up": ("↑", "สูงขึ้น"), "down": ("↓", "ลดลง"), "same": ("→", "เท่าเดิม"),
          "first": ("•", "รอบแรก")}
PROGRESS_SOURCE = "kpi-progress"
MAX_LEVEL = 5
LEVEL_2_PCT = 80.0          # "ได้ร้อยละ ๘๐"
LEVEL_3_PCT = 100.0         # "ได้ร้อยละ ๑๐๐"
MAX_HIGHER_CONDITIONS = 2   # the most level-5 bullets a KPI has: 4 = some met, 5 = all
FULL_WEIGHT = 100.0
#: What kpi-progress writes in note_th of a pilot row (its quality rule `pilot-values` too).
PILOT_MARKER = "ค่าทดลองระบบ"
NO_REPORT_NOTE_TH = "ยังไม่มีรายงานความก้าวหน้าในชุดข้อมูล kpi-progress จึงนับเป็นระดับ 0"


class ScorecardError(SenateCatalogError):
    """The register and progress rows cannot make a scorecard (unknown KPI, duplicate row...)."""


@dataclass(frozen=True)
class ScorecardTotal:
    """The scorecard's total: Σ weight × level / 5 on a 0-100 scale."""

    weighted_total: float     # 0-100
    weight_sum: float         # 100 when the register is complete
    kpis: int
    kpis_reported: int        # KPIs with at least one progress row
    as_of: str | None         # the newest reported_on of the rows used (ISO), None if none
    pilot_kpis: int = 0       # KPIs scored from pilot values (PILOT_MARKER in note_th)

    @property
    def five_point(self) -> float:
        """The same total as a 0-5 weighted average level (total / 20)."""
        return round(self.weighted_total * MAX_LEVEL / FULL_WEIGHT, 2)


def achieved_level(*, plan_exists: bool, plan_done_pct: float | None,
                   higher_conditions_met: int = 0,
                   higher_conditions: int = MAX_HIGHER_CONDITIONS) -> int:
    """The level 0-5 one progress report reaches (the rule of the module docstring);
    ``higher_conditions`` is how many level-5 conditions the KPI has (1 or 2)."""
    if not 0 <= higher_conditions_met <= higher_conditions:
        raise ScorecardError(f"higher_conditions_met must be 0-{higher_conditions}, "
                             f"not {higher_conditions_met}")
    if plan_done_pct is not None and not 0 <= plan_done_pct <= 100:
        raise ScorecardError(f"plan_done_pct must be 0-100, not {plan_done_pct}")
    if not plan_exists:
        return 0
    done = plan_done_pct or 0.0
    if done >= LEVEL_3_PCT:
        if higher_conditions_met == 0:
            return 3
        return 5 if higher_conditions_met >= higher_conditions else 4
    return 2 if done >= LEVEL_2_PCT else 1


def higher_conditions_of(criteria_level_5: str) -> int:
    """How many level-5 conditions a KPI has: one per "●" bullet, else one."""
    return min(MAX_HIGHER_CONDITIONS, max(1, str(criteria_level_5 or "").count("●")))


def weighted_score(weight: float, level: int) -> float:
    """weight × level / 5, rounded to 2 decimals (exact for the framework's integer weights)."""
    return round(weight * level / MAX_LEVEL, 2)


def build_scorecard(register_rows: Iterable[Mapping[str, Any]],
                    progress_rows: Iterable[Mapping[str, Any]],
                    evidence: Mapping[str, EvidenceScore] | None = None) -> list[dict[str, Any]]:
    """One scorecard row per KPI of the register, from its latest progress report.

    Rows may hold text (as read from the CSVs) or typed values. The latest report is the one
    with the highest (fiscal_year_be, round_months). A KPI without any report scores level 0.
    ``evidence``: KPIs scored from their checklist (``flows.kpi.evidence_scoring``), by id;
    their latest round's completion and level come from it, not from the steward's percentage.
    """
    register = _register_by_id(register_rows)
    reports = progress_by_kpi(progress_rows)
    unknown = sorted(set(reports) - set(register), key=kpi_sort_key)
    if unknown:
        raise ScorecardError(f"kpi-progress names KPI(s) {', '.join(unknown)} that are not in "
                             f"the kpi-register; correct kpi_id or add them to the register")
    evidence = evidence or {}
    return [_scorecard_row(register[kpi_id], reports.get(kpi_id, []), evidence.get(kpi_id))
            for kpi_id in sorted(register, key=kpi_sort_key)]


def scorecard_total(rows: Iterable[Mapping[str, Any]]) -> ScorecardTotal:
    """The total of ``build_scorecard``'s rows."""
    rows = list(rows)
    dates = [row["reported_on"] for row in rows if row.get("reported_on")]
    return ScorecardTotal(
        weighted_total=round(sum(row["weight"] * row["level"] / MAX_LEVEL for row in rows), 2),
        weight_sum=round(sum(row["weight"] for row in rows), 2),
        kpis=len(rows),
        kpis_reported=sum(1 for row in rows if row.get("round_months") is not None),
        as_of=max(dates) if dates else None,
        pilot_kpis=sum(1 for row in rows if PILOT_MARKER in str(row.get("note_th") or "")))


def progress_by_kpi(progress_rows: Iterable[Mapping[str, Any]]
                    ) -> dict[str, list[dict[str, Any]]]:
    """Each KPI's progress rows (typed), oldest round first; a repeated (KPI, year, round) or a
    round the framework does not have is an error."""
    reports: dict[str, list[dict[str, Any]]] = {}
    seen: set[tuple[str, int, int]] = set()
    for raw in progress_rows:
        row = _typed_progress(raw)
        key = (row["kpi_id"], row["fiscal_year_be"], row["round_months"])
        if key in seen:
            raise ScorecardError(f"kpi-progress has two rows for KPI {key[0]}, fiscal year "
                                 f"{key[1]}, round {key[2]} months; keep one")
        if key[2] not in ROUND_COLUMNS:
            rounds = ", ".join(map(str, ROUND_COLUMNS))
            raise ScorecardError(f"kpi-progress KPI {key[0]}: round_months {key[2]} is not a "
                                 f"round of the framework; use {rounds}")
        seen.add(key)
        reports.setdefault(row["kpi_id"], []).append(row)
    return {kpi_id: sorted(rows, key=lambda r: (r["fiscal_year_be"], r["round_months"]))
            for kpi_id, rows in reports.items()}


def latest_progress(progress_rows: Iterable[Mapping[str, Any]]) -> dict[str, dict[str, Any]]:
    """Each KPI's latest progress row (typed); a repeated (KPI, year, round) is an error."""
    return {kpi_id: rows[-1] for kpi_id, rows in progress_by_kpi(progress_rows).items()}


def trend_of(levels: list[int]) -> str:
    """``TRENDS`` key of the last level against the one before it (rounds oldest first)."""
    if len(levels) < 2:
        return "first"
    return "up" if levels[-1] > levels[-2] else "down" if levels[-1] < levels[-2] else "same"


def kpi_sort_key(kpi_id: str) -> tuple[int, ...]:
    """"1.2" before "1.10": KPI ids sort by their numbers."""
    try:
        return tuple(int(part) for part in kpi_id.split("."))
    except ValueError as exc:
        raise ScorecardError(f"kpi_id {kpi_id!r} is not like '1.3'") from exc


def read_csv_rows(path: Path, *, encoding: str | None = None) -> list[dict[str, str | None]]:
    """The rows of a dataset's CSV as dicts of text, read as every stage reads it
    (``flows.csv_source``: ``encoding`` declared, else UTF-8 with or without BOM, else Thai
    cp874); ``DataFileError`` when it cannot be read."""
    return read_csv_records(path, encoding=encoding)


def scorecard_csv_text(rows: Iterable[Mapping[str, Any]]) -> str:
    """The scorecard as CSV text: SCORECARD_FIELDS in order, "\\n" line endings, empty = missing."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(SCORECARD_FIELDS)
    writer.writerows([_cell(row.get(name)) for name in SCORECARD_FIELDS] for row in rows)
    return buffer.getvalue()


def write_scorecard_csv(rows: Iterable[Mapping[str, Any]], path: Path) -> Path:
    """Write the scorecard CSV (UTF-8, no BOM): the same rows give the same bytes."""
    return write_text_atomic(path, scorecard_csv_text(rows))


def _register_by_id(register_rows: Iterable[Mapping[str, Any]]) -> dict[str, dict[str, Any]]:
    register: dict[str, dict[str, Any]] = {}
    for raw in register_rows:
        kpi_id = _text(raw.get("kpi_id"))
        if not kpi_id or kpi_id in register:
            raise ScorecardError(f"kpi-register row with kpi_id {kpi_id!r}: empty or repeated")
        register[kpi_id] = {"kpi_id": kpi_id, "name_th": _text(raw.get("name_th")),
                            "component": _text(raw.get("component")),
                            "component_th": _text(raw.get("component_th")),
                            "weight": _number(raw.get("weight"), "weight", kpi_id),
                            "higher_conditions": higher_conditions_of(
                                _text(raw.get("criteria_level_5")))}
    return register


def _typed_progress(raw: Mapping[str, Any]) -> dict[str, Any]:
    kpi_id = _text(raw.get("kpi_id"))
    higher = _number(raw.get("higher_conditions_met") or 0, "higher_conditions_met", kpi_id)
    return {"kpi_id": kpi_id,
            "fiscal_year_be": int(_number(raw.get("fiscal_year_be"), "fiscal_year_be", kpi_id)),
            "round_months": int(_number(raw.get("round_months"), "round_months", kpi_id)),
            "reported_on": _text(raw.get("reported_on")) or None,
            "plan_exists": _boolean(raw.get("plan_exists"), kpi_id),
            "plan_done_pct": _optional_number(raw.get("plan_done_pct"), "plan_done_pct", kpi_id),
            "higher_conditions_met": int(higher),
            "evidence_url": _text(raw.get("evidence_url")),
            "note_th": _text(raw.get("note_th"))}


def _scorecard_row(kpi: dict[str, Any], reports: list[dict[str, Any]],
                   evidence: EvidenceScore | None) -> dict[str, Any]:
    if not reports:
        return {**kpi, "fiscal_year_be": None, "round_months": None, "reported_on": None,
                "plan_exists": None, "plan_done_pct": None, "higher_conditions_met": None,
                "level": 0, "weighted_score": 0.0, "scored_from": PROGRESS_SOURCE,
                **{column: None for column in ROUND_COLUMNS.values()}, "trend": None,
                "evidence_url": "", "note_th": NO_REPORT_NOTE_TH}
    progress = reports[-1]
    year = [row for row in reports if row["fiscal_year_be"] == progress["fiscal_year_be"]]
    levels = [_reported_level(kpi, row) for row in year[:-1]]
    if evidence is None:
        latest = {name: progress[name] for name in SCORECARD_FIELDS if name in progress}
        latest.update(level=_reported_level(kpi, progress), scored_from=PROGRESS_SOURCE)
    else:
        latest = _evidence_row(progress, evidence)
    levels.append(latest["level"])
    rounds = {column: None for column in ROUND_COLUMNS.values()}
    rounds.update({ROUND_COLUMNS[row["round_months"]]: level for row, level in zip(year, levels)})
    return {**kpi, **latest, **rounds, "trend": trend_of(levels),
            "weighted_score": weighted_score(kpi["weight"], latest["level"])}


def _reported_level(kpi: dict[str, Any], progress: dict[str, Any]) -> int:
    return achieved_level(plan_exists=progress["plan_exists"],
                          plan_done_pct=progress["plan_done_pct"],
                          higher_conditions_met=progress["higher_conditions_met"],
                          higher_conditions=kpi.get("higher_conditions", MAX_HIGHER_CONDITIONS))


def _evidence_row(progress: dict[str, Any], evidence: EvidenceScore) -> dict[str, Any]:
    """The latest round of an evidence-scored KPI: completion and level from its checklist;
    the plan's existence and the presentation of the report from the progress report."""
    rule = evidence.rule
    presented = is_presented(rule, higher_conditions_met=progress["higher_conditions_met"],
                             evidence_url=progress["evidence_url"])
    level = evidence_level(rule, plan_exists=progress["plan_exists"],
                           done_pct=evidence.done_pct, presented=presented)
    links = [link for link in (evidence.page_url, progress["evidence_url"] if presented else "")
             if link]
    return {**{name: progress[name] for name in SCORECARD_FIELDS if name in progress},
            "plan_done_pct": evidence.done_pct, "higher_conditions_met": int(presented),
            "level": level, "scored_from": rule.conditions_dataset,
            "evidence_url": "|".join(links),
            "note_th": _evidence_note(progress, evidence, presented)}


def _evidence_note(progress: dict[str, Any], evidence: EvidenceScore, presented: bool) -> str:
    rule = evidence.rule
    met = ", ".join(map(str, evidence.met)) or "ไม่มี"
    parts = [f"คิดจากหลักฐานในชุดข้อมูล {rule.conditions_dataset}: ดำเนินการแล้วพร้อมลิงก์หลักฐาน "
             f"{len(evidence.met)} จาก {rule.conditions_total} เงื่อนไข (เงื่อนไขที่ {met})"]
    if evidence.claimed_without_link:
        parts.append("เงื่อนไขที่ " + ", ".join(map(str, evidence.claimed_without_link))
                     + " ระบุว่าดำเนินการแล้วแต่ไม่มีลิงก์หลักฐาน จึงยังไม่นับ")
    if progress["higher_conditions_met"] and not presented:
        parts.append("รายงานความก้าวหน้าระบุว่าเสนอรายงานผลต่อหัวหน้าส่วนราชการแล้ว "
                     "แต่ไม่มีลิงก์หลักฐาน จึงยังไม่นับ")
    elif presented:
        parts.append("เสนอรายงานผลต่อหัวหน้าส่วนราชการแล้ว (ลิงก์หลักฐานในรายงานความก้าวหน้า)")
    if progress["plan_done_pct"] is not None:
        parts.append(f"รายงานความก้าวหน้ารอบนี้ระบุร้อยละ {_cell(progress['plan_done_pct'])} "
                     "ซึ่งไม่ใช้คิดระดับ")
    if PILOT_MARKER in progress["note_th"]:
        parts.append(f"การมีแผนอ่านจากรายงานความก้าวหน้าที่เป็น{PILOT_MARKER}")
    return "; ".join(parts)


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _optional_number(value: Any, name: str, kpi_id: str) -> float | None:
    return None if _text(value) == "" else _number(value, name, kpi_id)


def _number(value: Any, name: str, kpi_id: str) -> float:
    if isinstance(value, bool):
        raise ScorecardError(f"KPI {kpi_id}: {name} must be a number, not {value!r}")
    try:
        return float(value)
    except (TypeError, ValueError) as exc:
        raise ScorecardError(f"KPI {kpi_id}: {name} must be a number, not {value!r}") from exc


def _boolean(value: Any, kpi_id: str) -> bool:
    if isinstance(value, bool):
        return value
    text = _text(value).lower()
    if text not in ("true", "false"):
        raise ScorecardError(f"KPI {kpi_id}: plan_exists must be true or false, not {value!r}")
    return text == "true"


def _cell(value: Any) -> str:
    """A value as the CSV writes it: empty for None, true/false, numbers without trailing .0."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".")
    return str(value)
