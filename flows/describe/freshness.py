"""Whether a dataset is updated on the schedule its metadata declare: ``update_status``.

One declared rule, ``catalog_config/freshness.yaml`` (unit lengths, the "due soon" fraction,
the values that give no schedule, the status words). The data's own last update and ``today``
are passed in: nothing here reads the clock.

    rule = load_freshness_rule()
    freshness = assess_freshness(last_updated=date(2024, 9, 26), unit="ปี", interval="1",
                                 today=date(2026, 12, 5), rule=rule)
    freshness.status  # "เกินกำหนด";  freshness.next_due  # date(2025, 9, 26)
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from flows.errors import ConfigError
from flows.settings import PROJECT_ROOT
from flows.yaml_text import load_yaml

FRESHNESS_FILE = PROJECT_ROOT / "catalog_config" / "freshness.yaml"
_STATUS_KEYS = ("on_schedule", "due_soon", "overdue", "no_schedule")


@dataclass(frozen=True)
class UnitLength:
    """One unit of update_frequency_unit: whole calendar months, days or business days."""

    months: int = 0
    days: int = 0
    business_days: int = 0


@dataclass(frozen=True)
class FreshnessRule:
    """``catalog_config/freshness.yaml``, checked."""

    due_soon_fraction: float
    units: dict[str, UnitLength]
    no_schedule: tuple[str, ...]
    statuses: dict[str, dict[str, str]]   # key -> {"th": ..., "en": ...}

    def word(self, key: str) -> str:
        """The Thai status word the catalog field holds (e.g. ``overdue`` -> เกินกำหนด)."""
        return self.statuses[key]["th"]


@dataclass(frozen=True)
class Freshness:
    """A dataset's update status on ``today``; ``next_due`` is None without a schedule."""

    status: str
    status_key: str
    next_due: date | None = None
    period_days: int | None = None


def load_freshness_rule(path: Path = FRESHNESS_FILE) -> FreshnessRule:
    """Read and check the rule file; ``ConfigError`` says what to fix."""
    try:
        raw = load_yaml(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"cannot read the freshness rule {path}: {exc}") from exc
    return _checked_rule(raw, source=str(path))


@lru_cache(maxsize=4)
def freshness_rule(path: Path = FRESHNESS_FILE) -> FreshnessRule:
    """The rule, read once per process (every dataset of a run uses the same file)."""
    return load_freshness_rule(path)


def schedule_of(unit: str | None, interval: Any, rule: FreshnessRule) -> tuple[str, int] | None:
    """(unit, interval) the rule can count, or None: no unit, a no-schedule value, or a unit
    the rule does not know. A missing or unusable interval counts as 1 (DGA: "at least")."""
    if not unit or unit in rule.no_schedule or unit not in rule.units:
        return None
    try:
        count = int(str(interval).strip()) if interval not in (None, "") else 1
    except ValueError:
        count = 1
    return unit, max(count, 1)


def due_date(last_updated: date, *, unit: str, interval: int, rule: FreshnessRule) -> date:
    """The day the next update is due: ``interval`` units after the last one."""
    length = rule.units[unit]
    due = _add_months(last_updated, length.months * interval) + timedelta(
        days=length.days * interval)
    return _add_business_days(due, length.business_days * interval)


def assess_freshness(*, last_updated: date | None, unit: str | None, interval: Any,
                     today: date, rule: FreshnessRule) -> Freshness:
    """The status of a dataset last updated on ``last_updated`` (None: unknown) on ``today``.

    A scheduled dataset whose last update is unknown cannot show it is current: เกินกำหนด,
    with no due date (validation asks for a date column or a declared source date).
    """
    schedule = schedule_of(unit, interval, rule)
    if schedule is None:
        return _status("no_schedule", rule)
    if last_updated is None:
        return _status("overdue", rule)
    due = due_date(last_updated, unit=schedule[0], interval=schedule[1], rule=rule)
    period = (due - last_updated).days
    left = (due - today).days
    if left < 0:
        key = "overdue"
    elif left <= rule.due_soon_fraction * period:
        key = "due_soon"
    else:
        key = "on_schedule"
    return _status(key, rule, next_due=due, period_days=period)


def freshness_fields(*, last_updated: str | None, dga: dict[str, Any], today: date,
                     rule: FreshnessRule | None = None) -> dict[str, str]:
    """The dataset fields describe adds: ``update_status`` (one of the rule's words) and
    ``update_due_date`` (ISO; when the next update is due, absent without a schedule). Neither
    changes from day to day unless the status does: a re-run writes nothing."""
    rule = rule or freshness_rule()
    freshness = assess_freshness(
        last_updated=date.fromisoformat(last_updated) if last_updated else None,
        unit=dga.get("update_frequency_unit"), interval=dga.get("update_frequency_interval"),
        today=today, rule=rule)
    fields = {"update_status": freshness.status}
    if freshness.next_due is not None:
        fields["update_due_date"] = freshness.next_due.isoformat()
    return fields


def _status(key: str, rule: FreshnessRule, **extra: Any) -> Freshness:
    return Freshness(status=rule.word(key), status_key=key, **extra)


def _add_months(day: date, months: int) -> date:
    """``day`` plus whole calendar months, kept within the target month (31 Jan + 1 = 28 Feb)."""
    if not months:
        return day
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def _add_business_days(day: date, count: int) -> date:
    """``day`` plus ``count`` Monday-to-Friday days (public holidays are not declared)."""
    while count:
        day += timedelta(days=1)
        count -= 1 if day.weekday() < 5 else 0
    return day


def _checked_rule(raw: Any, *, source: str) -> FreshnessRule:
    if not isinstance(raw, dict):
        raise ConfigError(f"{source}: is not a mapping (due_soon_fraction, units, no_schedule, "
                          "statuses)")
    problems: list[str] = []
    fraction = raw.get("due_soon_fraction")
    if not isinstance(fraction, (int, float)) or not 0 <= fraction < 1:
        problems.append(f"due_soon_fraction: {fraction!r}; write a fraction such as 0.10")
    units = {}
    for name, length in (raw.get("units") or {}).items():
        counts = {key: (length or {}).get(key, 0) for key in ("months", "days", "business_days")}
        if not (all(isinstance(v, int) and v >= 0 for v in counts.values())
                and sum(counts.values()) > 0) or set(length or {}) - set(counts):
            problems.append(f"units.{name}: {length!r}; write {{months: N}}, {{days: N}} or "
                            "{business_days: N}")
        else:
            units[str(name)] = UnitLength(**counts)
    statuses = raw.get("statuses") or {}
    problems += [f"statuses.{key}: missing; write {{th: ..., en: ...}}" for key in _STATUS_KEYS
                 if not isinstance(statuses.get(key), dict) or not statuses[key].get("th")]
    if problems:
        raise ConfigError(f"{source}: {len(problems)} problem(s):\n  - " + "\n  - ".join(problems))
    return FreshnessRule(due_soon_fraction=float(fraction), units=units,
                         no_schedule=tuple(str(v) for v in raw.get("no_schedule") or ()),
                         statuses={k: {"th": str(v["th"]), "en": str(v.get("en", ""))}
                                   for k, v in statuses.items()})
