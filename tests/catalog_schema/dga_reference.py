"""Parse the DGA metadata reference (catalog_config/reference/dga-metadata-standard.md).

The schema tests compare ``dga_dataset.yaml`` with what this parser reads
from the markdown, so the expected field names, labels and choice lists are
never copied into the tests.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

DATA_TYPES = {
    "REC": "ข้อมูลระเบียน",
    "STAT": "ข้อมูลสถิติ",
    "GIS": "ข้อมูลภูมิสารสนเทศเชิงพื้นที่",
    "MULTI": "ข้อมูลหลากหลายประเภท",
    "OTHER": "ข้อมูลประเภทอื่นๆ",
}

_TABLE_ROW = re.compile(r"^\|\s*`(\w+)`\s*\|")
_CHANGED = re.compile(r"^- `(\w+)`: v2\.2\.4 → label_th='([^']*)', required=(True|False)")
_CHOICE_LINE = re.compile(r"^- \*\*(\w+)\*\*(?P<v224> — \*\*v2\.2\.4 list\*\*)? \((\d+)\): (.*)$")
_CHOICE_ITEM = re.compile(r"^`([^`]+)`(?:\s*\((.*)\))?$")
_RESOURCE_PRIVATE = re.compile(
    r"`resource_private` \(([^:]+): `False`=([^/]+)/(\w+), `True`=([^/]+)/(\w+)\)"
)


@dataclass
class RefField:
    """One field row of a §3 table."""

    name: str
    label_th: str
    label_en: str
    required: bool
    widget: str
    scope: frozenset[str]


@dataclass
class RefChoice:
    value: str
    label_th: str | None = None
    label_en: str | None = None


@dataclass
class Reference:
    dataset_fields: dict[str, RefField] = field(default_factory=dict)
    resource_fields: dict[str, RefField] = field(default_factory=dict)
    choices: dict[str, list[RefChoice]] = field(default_factory=dict)
    mandatory: set[str] = field(default_factory=set)

    def multi_choice_fields(self) -> set[str]:
        return {
            f.name
            for group in (self.dataset_fields, self.resource_fields)
            for f in group.values()
            if f.widget.endswith("/ multi")
        }


def _section(text: str, number: int) -> str:
    start = text.index(f"\n## {number}.")
    end = text.find("\n## ", start + 1)
    return text[start:end if end != -1 else None]


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def _scope(text: str) -> frozenset[str]:
    if text == "ALL":
        return frozenset(DATA_TYPES.values())
    return frozenset(DATA_TYPES[code] for code in text.split(","))


def _parse_fields(section: str, ref: Reference) -> None:
    group = None
    for line in section.splitlines():
        lowered = line.lower()
        if "dataset-level fields" in lowered:
            group = ref.dataset_fields
        elif "resource-level fields" in lowered:
            group = ref.resource_fields
        row = _TABLE_ROW.match(line)
        if row and group is not None:
            name, th, en, req, widget, _validators, _enforced, scope = _cells(line)
            group[row.group(1)] = RefField(
                row.group(1), th, en, req == "**Y**", widget, _scope(scope)
            )
        changed = _CHANGED.match(line)
        if changed and group is not None:
            name, label_th, required = changed.groups()
            if label_th:
                group[name].label_th = label_th
            group[name].required = required == "True"
    _add_resource_private(section, ref)


def _add_resource_private(section: str, ref: Reference) -> None:
    match = _RESOURCE_PRIVATE.search(section)
    if not match:
        raise ValueError("resource_private note not found in §3")
    label, false_th, false_en, true_th, true_en = match.groups()
    ref.resource_fields["resource_private"] = RefField(
        "resource_private", label, "", False, "", _scope("ALL")
    )
    ref.choices["resource_private"] = [
        RefChoice("False", false_th, false_en),
        RefChoice("True", true_th, true_en),
    ]


def _parse_choice(item: str) -> RefChoice:
    match = _CHOICE_ITEM.match(item.strip())
    if not match:
        raise ValueError(f"cannot parse choice {item!r}")
    value, label = match.groups()
    if label is None:
        return RefChoice(value)
    if " / " in label:
        th, en = label.split(" / ", 1)
        return RefChoice(value, th.strip(), en.strip())
    return RefChoice(value, label, label)


def _parse_choices(section: str, ref: Reference) -> None:
    for line in section.splitlines():
        match = _CHOICE_LINE.match(line)
        if not match:
            continue
        name, count, rest = match.group(1), int(match.group(3)), match.group(4)
        choices = [_parse_choice(item) for item in re.split(r";\s+(?=`)", rest)]
        if len(choices) != count:
            raise ValueError(f"{name}: {len(choices)} choices parsed, {count} stated")
        # The v2.2.4 lists come after the older ones and replace them.
        ref.choices[name] = choices


def _parse_mandatory(section: str, ref: Reference) -> None:
    for line in section.splitlines():
        cells = _cells(line) if line.startswith("|") else []
        if len(cells) == 3 and cells[0].isdigit():
            ref.mandatory.add(re.search(r"`(\w+)`", cells[2]).group(1))


def load_reference(path: Path) -> Reference:
    """Parse §3 (fields), §4 (choice lists) and §6 (mandatory items)."""
    text = path.read_text(encoding="utf-8")
    ref = Reference()
    _parse_fields(_section(text, 3), ref)
    _parse_choices(_section(text, 4), ref)
    _parse_mandatory(_section(text, 6), ref)
    return ref
