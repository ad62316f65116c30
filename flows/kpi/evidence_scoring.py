"""KPIs scored from the system's own evidence, by ``catalog_config/kpi_evidence_scoring.yaml``.

KPI 1.3's plan is its seven conditions (``kpi-1-3-conditions``); its completion is the share of
them met, each counted only with a link to its evidence, and its level follows the framework's
scoring table as the rule file declares it. Before this module the scorecard took KPI 1.3's
level from a percentage a steward typed into kpi-progress, and disagreed with the KPI 1.3 report
built from the run records.

Pure functions, except ``load_evidence_rules`` (reads the rule file).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Mapping

import yaml

from flows.errors import ConfigError

RULE_FILE = Path("catalog_config") / "kpi_evidence_scoring.yaml"
_KEYS = frozenset({"conditions_dataset", "conditions_total", "met_status", "level_2_pct",
                   "level_3_pct", "level_5_conditions", "presented_needs_evidence_url"})
_LINK = re.compile(r"https?://[^\s|]+")


@dataclass(frozen=True)
class EvidenceRule:
    """How one KPI is scored from a conditions checklist (the rule file's entry)."""

    kpi_id: str
    conditions_dataset: str
    conditions_total: int
    met_status: str
    level_2_pct: float
    level_3_pct: float
    level_5_conditions: int = 1
    presented_needs_evidence_url: bool = True


@dataclass(frozen=True)
class EvidenceScore:
    """A KPI's completion as its checklist shows it."""

    rule: EvidenceRule
    met: tuple[int, ...]              # the numbers of the conditions met with evidence
    claimed_without_link: tuple[int, ...]   # marked met, but no evidence link: not counted
    page_url: str = ""                # the checklist's page in the catalog, cited as evidence

    @property
    def done_pct(self) -> float:
        return round(len(self.met) * 100 / self.rule.conditions_total, 2)


def load_evidence_rules(root: Path) -> dict[str, EvidenceRule]:
    """The rule file's KPIs, by id; ``ConfigError`` naming the file and the fix."""
    path = Path(root) / RULE_FILE
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"cannot read {RULE_FILE}: {exc}") from exc
    kpis = document.get("kpis") if isinstance(document, dict) else None
    if not isinstance(kpis, dict):
        raise ConfigError(f"{RULE_FILE}: write `kpis:` mapping KPI ids (\"1.3\") to their rule")
    return {str(kpi_id): _rule(str(kpi_id), entry) for kpi_id, entry in kpis.items()}


def _rule(kpi_id: str, entry: Any) -> EvidenceRule:
    where = f"{RULE_FILE}, KPI {kpi_id}"
    if not isinstance(entry, dict):
        raise ConfigError(f"{where}: write a mapping with {', '.join(sorted(_KEYS))}")
    unknown, missing = set(map(str, entry)) - _KEYS, _KEYS - {"level_5_conditions",
                                                             "presented_needs_evidence_url"}
    missing = missing - set(map(str, entry))
    if unknown or missing:
        raise ConfigError(f"{where}: unknown key(s) {sorted(unknown)}, missing {sorted(missing)}")
    try:
        rule = EvidenceRule(
            kpi_id=kpi_id, conditions_dataset=str(entry["conditions_dataset"]),
            conditions_total=int(entry["conditions_total"]), met_status=str(entry["met_status"]),
            level_2_pct=float(entry["level_2_pct"]), level_3_pct=float(entry["level_3_pct"]),
            level_5_conditions=int(entry.get("level_5_conditions", 1)),
            presented_needs_evidence_url=bool(entry.get("presented_needs_evidence_url", True)))
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"{where}: {exc}; conditions_total and level_5_conditions are whole "
                          "numbers, the *_pct keys numbers 0-100") from exc
    if rule.conditions_total < 1 or not 0 < rule.level_2_pct <= rule.level_3_pct <= 100:
        raise ConfigError(f"{where}: need conditions_total >= 1 and "
                          "0 < level_2_pct <= level_3_pct <= 100")
    return rule


def evidence_score(rule: EvidenceRule, rows: Iterable[Mapping[str, Any]], *,
                   page_url: str = "") -> EvidenceScore:
    """Completion from the checklist's rows (condition_no, status, evidence_url).

    Raises:
        ConfigError: the checklist does not hold exactly conditions 1..conditions_total.
    """
    rows = list(rows)
    numbers = sorted(int(str(row.get("condition_no"))) for row in rows
                     if str(row.get("condition_no") or "").strip().isdigit())
    if numbers != list(range(1, rule.conditions_total + 1)):
        raise ConfigError(f"{rule.conditions_dataset} holds conditions {numbers}, not 1-"
                          f"{rule.conditions_total} ({RULE_FILE}, KPI {rule.kpi_id}); "
                          "regenerate it with the pipeline")
    met, unlinked = [], []
    for row in rows:
        if str(row.get("status") or "").strip() != rule.met_status:
            continue
        target = met if has_link(row.get("evidence_url")) else unlinked
        target.append(int(str(row["condition_no"])))
    return EvidenceScore(rule, tuple(sorted(met)), tuple(sorted(unlinked)), page_url)


def has_link(value: Any) -> bool:
    """Whether an evidence_url cell ("|"-separated) holds at least one http(s) link."""
    return any(_LINK.fullmatch(part.strip()) for part in str(value or "").split("|"))


def is_presented(rule: EvidenceRule, *, higher_conditions_met: int, evidence_url: str) -> bool:
    """Whether the round's progress report evidences the level-5 condition (the outcome report
    presented to the head of the agency): claimed, and linked when the rule needs a link."""
    claimed = higher_conditions_met >= rule.level_5_conditions
    return claimed and (has_link(evidence_url) or not rule.presented_needs_evidence_url)


def evidence_level(rule: EvidenceRule, *, plan_exists: bool, done_pct: float,
                   presented: bool) -> int:
    """The level 0-5 by the rule file's reading of the framework's table (see its header)."""
    if not plan_exists:
        return 0
    if done_pct >= rule.level_3_pct:
        return 5 if presented else 3
    return 2 if done_pct >= rule.level_2_pct else 1
