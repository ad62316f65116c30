"""The draft Table Schema: frictionless' own ``describe``, then made Thai-aware from the
column profiles (frictionless reads "๒๕๖๗" as 2567 and "01/10/2567" as text, and knows nothing
of the Buddhist Era or personal data)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from frictionless import Schema

from flows.onboard.profile import ColumnProfile, is_thai
from flows.onboard.todo import TODO


def draft_schema(csv_path: Path, profiles: list[ColumnProfile]) -> dict[str, Any]:
    """The Table Schema of the UTF-8 tidy CSV at ``csv_path`` as a dict."""
    described = Schema.describe(str(csv_path), encoding="utf-8").to_descriptor()
    by_name = {field["name"]: field for field in described.get("fields", [])}
    fields = [_field(by_name.get(profile.name, {"name": profile.name}), profile)
              for profile in profiles]
    schema: dict[str, Any] = {"version": "0.1.0", "fields": fields}
    key = primary_key_guess(profiles)
    if key:
        schema["primaryKey"] = [key]
    return schema


def primary_key_guess(profiles: list[ColumnProfile]) -> str | None:
    """The first unique, complete column; an integer or a name with "id"/"รหัส" preferred."""
    unique = [p for p in profiles if p.unique and not p.personal]
    preferred = [p for p in unique if p.kind == "integer" or "id" in p.name.lower()
                 or "รหัส" in p.name]
    chosen = (preferred or unique)[:1]
    return chosen[0].name if chosen else None


def _field(described: dict[str, Any], profile: ColumnProfile) -> dict[str, Any]:
    field: dict[str, Any] = {
        "name": profile.name,
        "title": profile.name if is_thai(profile.name) else TODO,
        "description": TODO,
        "description_th": TODO,
        "type": _type(described, profile),
        "format": profile.date_format if profile.kind == "date" else "default",
    }
    if profile.thai_digits and field["type"] in ("integer", "number", "date", "year"):
        field["thaiDigits"] = True
    if profile.buddhist and field["type"] == "date":
        field["calendar"] = "buddhist"
    if profile.personal:
        field["personalData"] = True
    constraints = _constraints(profile, field["type"])
    if constraints:
        field["constraints"] = constraints
    return field


def _type(described: dict[str, Any], profile: ColumnProfile) -> str:
    # The profile reads Thai digits, BE dates and leading-zero codes; frictionless the rest
    # (booleans, datetimes, ...). Empty columns stay what frictionless says (string).
    if profile.kind != "string" or profile.filled == 0:
        return profile.kind if profile.filled else described.get("type", "string")
    kind = described.get("type", "string")
    return "string" if kind in ("integer", "number", "date", "year") else kind


def _constraints(profile: ColumnProfile, kind: str) -> dict[str, Any]:
    constraints: dict[str, Any] = {}
    if profile.complete:
        constraints["required"] = True
    if profile.unique:
        constraints["unique"] = True
    if profile.values and kind == "string" and not profile.personal:
        constraints["enum"] = profile.values
    if profile.year_like and profile.buddhist:
        # The project's BE-year convention (integer, range): no CE year can slip in.
        constraints["minimum"], constraints["maximum"] = 2400, 2800
    return constraints
