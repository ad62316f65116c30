"""Dataset ids: one check for every place an id enters, so nothing is built from an unchecked one.

An id enters from a file name in ``metadata/``, that file's ``id:`` key, a command-line argument,
a flow parameter (a scheduled run), and the references of a Table Schema
(``foreignKeys[].reference.resource``, ``fields[].codeList.resource``). Each is checked there;
``flows.datasets.DatasetSpec`` refuses an unchecked one, so no path is ever made from it.

A dataset's id IS its CKAN name (``/dataset/<id>``), so the rule is CKAN's name rule in lower
case, ``^[a-z0-9][a-z0-9_-]{1,99}$``, plus what keeps two ids from ever naming one dataset:

- lower case only: folding ``T-UPPER`` to ``t-upper`` would make two ids one CKAN dataset;
- at most 70 characters, the DGA (thai_gdc) limit on a CKAN name: a longer id would have to be
  shortened, and two shortened ids could meet;
- no id ends in ``-internal``: that suffix names the private companion of a dataset with
  personal data (``flows.catalog.payload.internal_name``).
"""

from __future__ import annotations

import re
from typing import Any

from flows.describe.scheming import rules
from flows.errors import ConfigError

#: CKAN's package name rule (ckan.logic.validators.name_validator), lower case only.
DATASET_ID_PATTERN = re.compile(r"[a-z0-9][a-z0-9_-]{1,99}")
#: The DGA (thai_gdc) limit on a CKAN name (CKAN's own is 100).
MAX_LENGTH = rules.NAME_MAX_LENGTH
#: The suffix of the private companion datasets (flows.catalog.payload.INTERNAL_SUFFIX).
RESERVED_SUFFIX = "-internal"
#: The rule, as every message states it.
RULE = (f"a dataset id is its CKAN name: 2 to {MAX_LENGTH} characters of lower-case a-z, 0-9, "
        f"'-' and '_', starting with a letter or digit, not ending in '{RESERVED_SUFFIX}' "
        "(reserved for the private companion datasets)")

_ALLOWED = frozenset("abcdefghijklmnopqrstuvwxyz0123456789-_")
_THAI = re.compile(r"[\u0e00-\u0e7f]")


def check_dataset_id(value: Any, *, source: str) -> str:
    """``value`` when it is a valid dataset id, else a ``ConfigError`` that names it, where it
    came from (``source``: the file or the argument), the rule, and a valid id when one is
    obvious (e.g. the id lower-cased).

    Example: ``check_dataset_id("T-UPPER", source="command-line argument")`` raises
    ``invalid dataset id 'T-UPPER' (command-line argument): it has upper-case letters. ...``
    """
    problems = dataset_id_problems(value)
    if not problems:
        return value
    suggestion = suggest_dataset_id(value)
    advice = (f" Use {suggestion!r} instead." if suggestion else
              " Write it in Latin letters (e.g. a short English name)."
              if isinstance(value, str) and _THAI.search(value) else "")
    raise ConfigError(f"invalid dataset id {value!r} ({source}): {'; '.join(problems)}. "
                      f"Rule: {RULE}.{advice}")


def dataset_id_problems(value: Any) -> list[str]:
    """What is wrong with ``value`` as a dataset id (empty when it is a valid one)."""
    if not isinstance(value, str):
        return [f"it is {type(value).__name__}, not text"]
    problems = []
    if _THAI.search(value):
        problems.append("it has Thai characters")
    if any("A" <= char <= "Z" for char in value):
        problems.append("it has upper-case letters")
    other = sorted({char for char in value if char not in _ALLOWED
                    and not _THAI.match(char) and not "A" <= char <= "Z"})
    if other:
        problems.append(f"it has the character(s) {' '.join(repr(char) for char in other)}")
    if value and value[0] in "-_":
        problems.append(f"it starts with {value[0]!r}")
    if len(value) < 2:
        problems.append("it is shorter than 2 characters")
    if len(value) > MAX_LENGTH:
        problems.append(f"it is {len(value)} characters long, over {MAX_LENGTH}")
    if value.endswith(RESERVED_SUFFIX):
        problems.append(f"it ends in the reserved suffix '{RESERVED_SUFFIX}'")
    if not problems and not DATASET_ID_PATTERN.fullmatch(value):  # a safety net for the above
        problems.append("it does not match CKAN's name rule")
    return problems


def suggest_dataset_id(value: Any) -> str | None:
    """A valid id ``value`` obviously stands for (lower-cased, separators as ``-``), or None.

    Only for Latin text that is not a path: nothing obvious is left of a Thai id, a path names
    a file rather than a dataset, and no id is made up.
    """
    if not isinstance(value, str) or not value.isascii() or "/" in value or "\\" in value:
        return None
    candidate = re.sub(r"[^a-z0-9_-]+", "-", value.lower())
    candidate = re.sub(r"-{2,}", "-", candidate).strip("-_")
    return candidate if candidate != value and not dataset_id_problems(candidate) else None


def check_schema_references(schema: Any, *, source: str) -> list[str]:
    """The dataset ids a Table Schema references, each checked (``ConfigError`` naming the
    schema and the key otherwise): ``foreignKeys[].reference.resource`` ("" is the table
    itself) and ``fields[].codeList.resource``. Malformed declarations (not text, not an
    object) are left to validation, which reports them as findings."""
    if not isinstance(schema, dict):
        return []
    found = [(f"{source}, foreignKeys[{index}].reference.resource",
              _get(key, "reference", "resource"))
             for index, key in enumerate(_list(schema.get("foreignKeys")))]
    found += [(f"{source}, field {_get(field, 'name')!r} codeList.resource",
               _get(field, "codeList", "resource"))
              for field in _list(schema.get("fields"))]
    return [check_dataset_id(value, source=where) for where, value in found
            if isinstance(value, str) and value != ""]


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _get(value: Any, *keys: str) -> Any:
    for key in keys:
        value = value.get(key) if isinstance(value, dict) else None
    return value
