"""The open-data score rule, ``catalog_config/open_data_score.yaml``, read and checked.

The file declares the DGA's ten characteristics (Thai and English names, the DGA's definition),
what each case the code can find counts as (pass, partial, fail) with its Thai reason, the
points of each mark, and KPI 1.3 condition 7's threshold. ``CASES`` is the code's side of the
contract: which cases (and parameters) each characteristic's function in
``flows.describe.open_data`` gives, so a rule file missing one, or naming one the code never
gives, is refused when it is read, not when a dataset happens to reach that case.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping

import yaml

from flows.errors import ConfigError
from flows.settings import PROJECT_ROOT
from flows.yaml_text import load_yaml

OPEN_DATA_RULE_FILE = PROJECT_ROOT / "catalog_config" / "open_data_score.yaml"
MARKS = ("pass", "partial", "fail")

#: Characteristic → (the cases its function gives, the placeholders its reasons may use), in
#: the DGA's order (๑-๑๐).
CASES: dict[str, tuple[tuple[str, ...], frozenset[str]]] = {
    "complete": (("complete", "noted", "incomplete", "not_public"),
                 frozenset({"count", "rules", "scope", "dataset"})),
    "primary": (("originating", "derived", "secondary", "undeclared"),
                frozenset({"source", "dataset"})),
    "timely": (("ตรงตามรอบ", "ใกล้ครบกำหนด", "ไม่กำหนดรอบ", "เกินกำหนด"),
               frozenset({"frequency", "last_updated", "dataset"})),
    "accessible": (("web_and_api", "web_only", "not_public"), frozenset({"name", "scope", "dataset"})),
    "machine_readable": (("structured", "no_schema", "unstructured"),
                         frozenset({"formats", "fields", "dataset"})),
    "non_discriminatory": (("anonymous", "restricted"), frozenset({"scope", "dataset"})),
    "non_proprietary": (("open", "mixed", "closed"),
                        frozenset({"formats", "closed", "dataset"})),
    "licence_free": (("open", "restricted", "unreviewed", "unknown"),
                     frozenset({"licence", "dataset"})),
    "permanent": (("kept", "history_private", "unstable"),
                  frozenset({"name", "scope", "dataset"})),
    "free_of_charge": (("free", "charged", "undeclared"), frozenset({"dataset"})),
}
#: Parameters a characteristic needs from the file, and their kind (a list of texts, a text,
#: or a list of finding matchers).
PARAMETERS: dict[str, dict[str, str]] = {
    "complete": {"incomplete_findings": "matchers"},
    "accessible": {"data_api_formats": "texts"},
    "machine_readable": {"formats": "texts"},
    "non_proprietary": {"open_formats": "texts"},
    "permanent": {"version_plugin": "text"},
}
_CHARACTERISTIC_KEYS = frozenset({"key", "th", "en", "definition_th", "decided_by", "cases"})


@dataclass(frozen=True)
class Case:
    """What one case counts as, and the Thai reason shown (a template)."""

    mark: str
    th: str


@dataclass(frozen=True)
class Characteristic:
    """One of the ten, as declared."""

    key: str
    th: str
    en: str
    definition_th: str
    cases: Mapping[str, Case]
    params: Mapping[str, Any]


@dataclass(frozen=True)
class OpenDataRules:
    """The whole rule: the ten characteristics in order, points per mark, condition 7."""

    characteristics: tuple[Characteristic, ...]
    points: Mapping[str, float]
    marks: Mapping[str, tuple[str, str]]     # mark -> (Thai, English)
    min_score: float                          # KPI 1.3 condition 7
    source: str = ""

    def characteristic(self, key: str) -> Characteristic:
        return next(c for c in self.characteristics if c.key == key)

    @property
    def max_score(self) -> float:
        return len(self.characteristics) * self.points["pass"]


@lru_cache(maxsize=4)
def load_open_data_rules(path: Path = OPEN_DATA_RULE_FILE) -> OpenDataRules:
    """Read and check the rule file; ``ConfigError`` lists every problem with what to write."""
    shown = _shown(path)
    try:
        document = load_yaml(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ConfigError(f"cannot read the open-data score rule {shown}: {exc}") from exc
    if not isinstance(document, dict):
        raise ConfigError(f"{shown}: write a mapping with points, marks, condition_7 and "
                          "characteristics")
    problems: list[str] = []
    points = _points(document.get("points"), problems)
    marks = _marks(document.get("marks"), problems)
    min_score = _min_score(document.get("condition_7"), problems)
    characteristics = _characteristics(document.get("characteristics"), problems)
    if problems:
        raise ConfigError(f"{shown}: {len(problems)} problem(s) in the open-data score rule:\n  - "
                          + "\n  - ".join(problems))
    return OpenDataRules(characteristics=characteristics, points=points, marks=marks,
                         min_score=min_score, source=shown)


def _points(value: Any, problems: list[str]) -> dict[str, float]:
    if not isinstance(value, dict) or set(value) != set(MARKS) or not all(
            isinstance(v, (int, float)) and not isinstance(v, bool) for v in value.values()):
        problems.append("points: give a number for each of pass, partial and fail, e.g. "
                        "{pass: 1, partial: 0.5, fail: 0}")
        return {"pass": 1.0, "partial": 0.5, "fail": 0.0}
    found = {mark: float(value[mark]) for mark in MARKS}
    if not found["pass"] > found["partial"] >= found["fail"] >= 0:
        problems.append(f"points: {value} must satisfy pass > partial >= fail >= 0")
    return found


def _marks(value: Any, problems: list[str]) -> dict[str, tuple[str, str]]:
    found = {}
    for mark in MARKS:
        entry = value.get(mark) if isinstance(value, dict) else None
        if not (isinstance(entry, dict) and _text(entry.get("th")) and _text(entry.get("en"))):
            problems.append(f"marks.{mark}: give its name as {{th: ..., en: ...}}")
            entry = {"th": mark, "en": mark}
        found[mark] = (str(entry["th"]), str(entry["en"]))
    return found


def _min_score(value: Any, problems: list[str]) -> float:
    score = value.get("min_score") if isinstance(value, dict) else None
    if isinstance(score, bool) or not isinstance(score, (int, float)) or not 0 <= score <= 10:
        problems.append("condition_7.min_score: give the lowest score (0-10) with which a public "
                        "dataset counts towards KPI 1.3 condition 7, e.g. 8")
        return 0.0
    return float(score)


def _characteristics(value: Any, problems: list[str]) -> tuple[Characteristic, ...]:
    if not isinstance(value, list):
        problems.append(f"characteristics: list the ten characteristics in order "
                        f"({', '.join(CASES)})")
        return ()
    keys = [entry.get("key") if isinstance(entry, dict) else None for entry in value]
    if keys != list(CASES):
        problems.append(f"characteristics: the keys must be exactly, in this order: "
                        f"{', '.join(CASES)}; found {keys}")
    return tuple(found for entry in value if isinstance(entry, dict)
                 and entry.get("key") in CASES
                 for found in [_characteristic(entry, problems)])


def _characteristic(entry: dict[str, Any], problems: list[str]) -> Characteristic:
    key = entry["key"]
    where = f"characteristics.{key}"
    for name in ("th", "en", "definition_th"):
        if not _text(entry.get(name)):
            problems.append(f"{where}.{name}: write its text")
    params = PARAMETERS.get(key, {})
    unknown = sorted(set(entry) - _CHARACTERISTIC_KEYS - set(params))
    if unknown:
        problems.append(f"{where}: unknown key(s) {', '.join(unknown)}; allowed: "
                        f"{', '.join(sorted(_CHARACTERISTIC_KEYS | set(params)))}")
    return Characteristic(key=key, th=str(entry.get("th") or ""), en=str(entry.get("en") or ""),
                          definition_th=str(entry.get("definition_th") or ""),
                          cases=_cases(entry.get("cases"), key, problems),
                          params={name: _parameter(entry.get(name), kind, f"{where}.{name}",
                                                   problems)
                                  for name, kind in params.items()})


def _cases(value: Any, key: str, problems: list[str]) -> dict[str, Case]:
    wanted, placeholders = CASES[key]
    where = f"characteristics.{key}.cases"
    value = value if isinstance(value, dict) else {}
    missing = [case for case in wanted if case not in value]
    extra = [str(case) for case in value if case not in wanted]
    if missing or extra:
        problems.append(f"{where}: give exactly the cases {', '.join(wanted)}"
                        + (f"; missing {', '.join(missing)}" if missing else "")
                        + (f"; unknown {', '.join(extra)}" if extra else ""))
    found = {}
    for case in wanted:
        entry = value.get(case)
        if not isinstance(entry, dict) or entry.get("mark") not in MARKS \
                or not _text(entry.get("th")):
            if case in value:
                problems.append(f"{where}.{case}: write {{mark: pass|partial|fail, th: reason}}")
            continue
        bad = _unknown_placeholders(str(entry["th"]), placeholders)
        if bad:
            problems.append(f"{where}.{case}.th: unknown placeholder(s) {', '.join(bad)}; "
                            f"this characteristic fills {', '.join(sorted(placeholders))}")
        found[case] = Case(mark=str(entry["mark"]), th=str(entry["th"]))
    return found


def _unknown_placeholders(template: str, allowed: frozenset[str]) -> list[str]:
    try:
        names = [name for _, name, _, _ in string.Formatter().parse(template) if name is not None]
    except ValueError:
        return ["(unbalanced { or })"]
    return sorted({name for name in names if name not in allowed})


def _parameter(value: Any, kind: str, where: str, problems: list[str]) -> Any:
    if kind == "text":
        if not _text(value):
            problems.append(f"{where}: write a text")
        return str(value or "")
    if kind == "texts":
        if not isinstance(value, list) or not value or not all(_text(v) for v in value):
            problems.append(f"{where}: list one or more texts, e.g. [CSV, JSON]")
            return ()
        return tuple(str(v) for v in value)
    if not isinstance(value, list) or not value or not all(
            isinstance(v, dict) and _text(v.get("rule")) and set(v) <= {"rule", "contains"}
            for v in value):
        problems.append(f"{where}: list finding matchers as {{rule: <check>/<name>, "
                        "contains: <text of its English message, optional>}")
        return ()
    return tuple((str(v["rule"]), str(v.get("contains") or "")) for v in value)


def _text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _shown(path: Path) -> str:
    try:
        return str(Path(path).resolve().relative_to(PROJECT_ROOT))
    except ValueError:
        return str(path)
