"""Bring CKAN's and our values to one shape before diffing, so an unchanged dataset is unchanged.

CKAN returns lists for multiple-choice fields (in choice order), tags as dicts, booleans as
JSON booleans and missing optional fields as None or ""; we send "a,b" tag strings, lists in our
order and ISO dates. Both sides go through ``normal``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

Normal = str | tuple[str, ...]


def normal(value: Any) -> Normal:
    """A comparable form: str for scalars ("" for nothing), a sorted tuple for lists."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (list, tuple, set)):
        items = sorted(str(normal(item)) for item in value)
        return tuple(item for item in items if item)
    return str(value).strip()


def same(catalog: Any, wanted: Any) -> bool:
    """Equal after normalising; a lone string equals a one-item list (multiple choice)."""
    left, right = normal(catalog), normal(wanted)
    if isinstance(left, tuple) and isinstance(right, str):
        right = (right,) if right else ()
    if isinstance(right, tuple) and isinstance(left, str):
        left = (left,) if left else ()
    return left == right


def tag_names(package: dict[str, Any]) -> tuple[str, ...]:
    """The tags of a package as CKAN returns it (``tags``) or as we send it (``tag_string``)."""
    if "tags" in package and "tag_string" not in package:
        return tuple(sorted(tag["name"] for tag in package.get("tags") or []))
    raw = package.get("tag_string") or ""
    items = raw if isinstance(raw, list) else raw.split(",")
    return tuple(sorted(item.strip() for item in items if item.strip()))
