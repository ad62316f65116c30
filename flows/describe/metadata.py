"""Check DGA metadata by the rules the catalog enforces, before any network call.

The rules come from the scheming schema (``flows.describe.scheming``) and the extension's pure
rule functions; this module only walks the fields and words the problems so a steward can fix
them: each names the file, the field, the bad value and what is allowed. Each field's type comes
from the schema too (``FieldRule.kind``: one choice, a list, tags, a date, a whole number, one
text): a value of another type (a list or a mapping where one value is meant, a number where a
date is) is refused, never turned into its text as CKAN's ``unicode_safe`` would.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any, Iterable, Mapping

from flows.catalog.licences import OTHER, load_licence_map
from flows.describe.scheming import FieldRule, SchemaRules, rules
from flows.errors import ConfigError

#: CKAN's own patterns (ckan/logic/validators.py, 2.11), so a value passing here passes there.
_EMAIL = re.compile(
    r"^[\w.!#$%&'*+/=?^`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?"
    r"(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$")
_SLUG = re.compile(r"^[a-z0-9_-]{2,}$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TAG_MIN, _TAG_MAX = 2, 100  # CKAN's tag_length_validator


#: What each kind of field takes (``FieldRule.kind``), as the messages say it.
EXPECTED_TYPES = {
    "list": "a list of values from the allowed list (or one value)",
    "tags": "a list of tags, or one text of comma-separated tags",
    "choice": "one value of the allowed list",
    "date": "a date written YYYY-MM-DD (Gregorian, ค.ศ.)",
    "integer": "a whole number of at least 1, e.g. 1",
    "text": "one text (quote it in YAML)",
}


def normalize_dga_fields(raw: Mapping[str, Any], schema: SchemaRules) -> dict[str, Any]:
    """The values as CKAN takes them: YAML dates → ISO text, booleans → "True"/"False",
    multiple choices → lists, a tag list → a comma-separated ``tag_string``, numbers → text.

    A value of the wrong type for its field (``FieldRule.kind``: a list or a mapping where one
    value is expected, a number where a date is, ...) is left exactly as YAML read it, never
    turned into text, so ``dga_field_problems`` refuses it."""
    return {name: _normalized(schema.fields.get(name), value) for name, value in raw.items()}


def _normalized(rule: FieldRule | None, value: Any) -> Any:
    if rule is None:
        return _text(value)
    if type_problem(rule, value) is not None:
        return value
    if rule.kind == "list":
        return [_text(v) for v in (value if isinstance(value, list) else [value])
                if v not in (None, "")]
    if rule.kind == "tags" and isinstance(value, list):
        return ",".join(_text(v).strip() for v in value)
    return _text(value)


def type_problem(rule: FieldRule, value: Any) -> str | None:
    """Why ``value`` (as YAML read it, or normalised) is not of the type the field takes, or
    None. Names the value, what it is and what is expected."""
    if value is None:
        return None
    got = _wrong_type(rule.kind, value)
    if got is None:
        return None
    shown = value.isoformat() if isinstance(value, (date, datetime)) else repr(value)
    return f"{shown} is {got}; expected {EXPECTED_TYPES[rule.kind]}"


def _wrong_type(kind: str, value: Any) -> str | None:
    """What ``value`` is when the field's ``kind`` does not take it (None when it does)."""
    if isinstance(value, dict):
        return "a mapping"
    if kind in ("list", "tags"):
        items = value if isinstance(value, list) else [value]
        allowed = (str, int, float, bool) if kind == "list" else (str, int, float)
        bad = [item for item in items if not isinstance(item, allowed)]
        return f"a list holding {_kind_of(bad[0])}" if bad else None
    if isinstance(value, list):
        return "a list"
    accepted = {"choice": (str, int, float, bool, date), "date": (str, date),
                "integer": (str, int), "text": (str, int, float, date)}[kind]
    if isinstance(value, accepted) and not (isinstance(value, bool) and bool not in accepted):
        return None
    return _kind_of(value)


def _kind_of(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean (YAML reads unquoted yes, no, true and false as one)"
    if isinstance(value, (date, datetime)):
        return "a date"
    if isinstance(value, float):
        return "a fraction" if not value.is_integer() else "a number"
    if isinstance(value, int):
        return "a number"
    return {list: "a list", dict: "a mapping", str: "a text"}.get(type(value),
                                                                  type(value).__name__)


def single_text(value: Any) -> str | None:
    """``value`` when it is one text (a choice the classification policy can look up)."""
    return value if isinstance(value, str) and value else None


def dga_field_problems(fields: Mapping[str, Any], schema: SchemaRules, *,
                       private: bool, skip_required: Iterable[str] = ()) -> list[str]:
    """Every problem the catalog would report for these dataset fields, as "field: what".

    ``private`` is whether the dataset will be private (the public rule applies otherwise);
    ``skip_required`` names required fields another stage fills in (derived ones).
    """
    skipped = set(skip_required)
    problems = [f"{name}: unknown field; the catalog's fields are listed in the DGA schema "
                f"(dga_dataset.yaml)" for name in fields if name not in schema.fields]
    for name, rule in schema.fields.items():
        value = fields.get(name)
        wrong = type_problem(rule, value)
        if wrong is not None:
            problems.append(f"{name}: {wrong}")
            continue
        if _is_empty(value):
            if rule.required and name not in skipped:
                problems.append(f"{name}: required but missing{_allowed(rule)}")
            elif rule.other_of:
                problems += _other_problems(rule, value, fields, schema)
            continue
        problems += [f"{name}: {p}" for p in _value_problems(rule, value)]
        if rule.other_of:
            problems += _other_problems(rule, value, fields, schema)
    problems += _governance_problems(fields, private=private, schema=schema)
    problems += _licence_problems(fields, problems)
    return problems


def check_dga_fields(fields: Mapping[str, Any], schema: SchemaRules, *, source: str,
                     private: bool, skip_required: Iterable[str] = ()) -> None:
    """Raise ``ConfigError`` listing every problem of ``source`` (a file name), if any."""
    problems = dga_field_problems(fields, schema, private=private, skip_required=skip_required)
    if problems:
        raise ConfigError(f"{source}: {len(problems)} metadata problem(s):\n  - "
                          + "\n  - ".join(problems))


def _value_problems(rule: FieldRule, value: Any) -> list[str]:
    if rule.choices is not None:
        return _choice_problems(rule, value)
    if rule.date:
        return _date_problems(value)
    if rule.integer:   # the rule's message names the value
        problem = rules.positive_integer_problem(value)
        return [problem] if problem else []
    if rule.email and not _EMAIL.match(str(value)):
        return [f"{value!r} is not an e-mail address (e.g. data@senate.go.th)"]
    if rule.slug:
        return _slug_problems(value)
    if rule.tags:
        return _tag_problems(value)
    return []


def _choice_problems(rule: FieldRule, value: Any) -> list[str]:
    chosen = value if isinstance(value, list) else [value]
    if not rule.multiple and isinstance(value, list):
        return [f"takes one value, got a list {value!r}{_allowed(rule)}"]
    return [f"{item!r} is not an allowed value{_allowed(rule)}"
            for item in chosen if item not in (rule.choices or ())]


def _date_problems(value: Any) -> list[str]:
    text = str(value)
    try:
        if not _ISO_DATE.match(text):
            raise ValueError(text)
        year = date.fromisoformat(text).year
    except ValueError:
        return [f"{text!r} is not a date; write YYYY-MM-DD (Gregorian, ค.ศ.)"]
    problem = rules.buddhist_era_year_problem(year)
    return [f"{text!r}: {problem}"] if problem else []


def _slug_problems(value: Any) -> list[str]:
    problems = []
    if not _SLUG.match(str(value)):
        problems.append(f"{value!r} must be at least 2 characters of a-z, 0-9, - and _")
    length = rules.name_length_problem(str(value))
    return problems + ([f"{value!r}: {length}"] if length else [])


def _tag_problems(value: Any) -> list[str]:
    tags = rules.parse_tag_string(value)
    problems = [] if tags else ["at least one tag is required (ต้องระบุคำสำคัญอย่างน้อย 1 คำ)"]
    for tag in tags:
        if not _TAG_MIN <= len(tag) <= _TAG_MAX:
            problems.append(f"tag {tag!r} must be {_TAG_MIN}-{_TAG_MAX} characters long")
        problem = rules.tag_name_problem(tag)
        if problem:
            problems.append(problem)
    return problems


def _other_problems(rule: FieldRule, value: Any, fields: Mapping[str, Any],
                    schema: SchemaRules) -> list[str]:
    main = rule.other_of or ""
    other_choice = schema.other_choice(main) or "อื่นๆ"
    problem = rules.other_text_problem(main, fields.get(main), value, other_choice=other_choice)
    return [f"{rule.name}: {problem}"] if problem else []


def _governance_problems(fields: Mapping[str, Any], *, private: bool,
                         schema: SchemaRules) -> list[str]:
    # a value of the wrong type is reported on its own; the policy looks up texts only
    category = single_text(fields.get("data_category"))
    classification = single_text(fields.get("data_classification"))
    found = rules.governance_problems(category=category, classification=classification,
                                      private=private, policy=schema.policy)
    return [f"{name}: {fields.get(name)!r}: {message}" for name, message in sorted(found.items())]


def _licence_problems(fields: Mapping[str, Any], found: list[str]) -> list[str]:
    """The licence must be in the licence table (catalog_config/licence_map.yaml), which
    decides the catalog's licence id; skipped when the licence fields already have a problem."""
    license_id, other = fields.get("license_id"), fields.get("license_id_other")
    if not isinstance(license_id, str) or any(p.startswith("license_id") for p in found):
        return []
    if license_id == OTHER and _is_empty(other):
        return []
    problem = load_licence_map().licence_problem(license_id, other)
    return [f"license_id: {problem}"] if problem else []


def _allowed(rule: FieldRule) -> str:
    if not rule.choices:
        return ""
    kind = "one or more of" if rule.multiple else "one of"
    return f"; allowed ({kind}): " + ", ".join(rule.choices)


def _is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, (str, list)) and not
                             (value.strip() if isinstance(value, str) else value))


def _text(value: Any) -> Any:
    if isinstance(value, bool):  # YAML reads an unquoted True/False as a boolean
        return "True" if value else "False"
    if isinstance(value, (date, datetime)):  # YAML reads an unquoted 2020-01-31 as a date
        return value.isoformat()[:10]
    if isinstance(value, (int, float)):
        return str(value)
    return value
