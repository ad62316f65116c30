"""CKAN-facing validators: thin wrappers around :mod:`ckanext.senate_dga.rules`.

How CKAN runs them (ckan/lib/navl/dictization_functions.py, 2.11): the
data is flattened to tuple keys, and keys are validated in the order
``(len(key), *key)``, so ``objective`` runs before ``objective_other`` and
top-level fields before ``('resources', n, field)``; ``ignore_missing``
pops a missing key; ``__after`` validators run once everything else has.
``errors`` is a plain dict with one list per schema key; appending to
``errors[key]`` is what makes ckanapi's ValidationError name that field.

Validators decorated with ``scheming_validator`` are factories: scheming's
``validators_from_string`` calls them with ``(field, schema)`` (the
preset-expanded field and schema) and uses the returned function.
"""
from __future__ import annotations

import datetime
from typing import Any, Callable

from ckan.plugins import toolkit
from ckanext.scheming.validation import scheming_validator

from ckanext.senate_dga import rules
from ckanext.senate_dga.classification import ClassificationPolicy, load_policy

missing = toolkit.missing
Invalid = toolkit.Invalid
StopOnError = toolkit.StopOnError

_TAGS = "tags"

FlatKey = tuple
FlatData = dict
FlatErrors = dict


def _value(value: Any) -> Any:
    """Map CKAN's ``missing`` marker to ``None``."""
    return None if value is missing else value


def _schema_field(schema: dict[str, Any], field_name: str) -> dict[str, Any]:
    for group in ("dataset_fields", "resource_fields"):
        for field in schema.get(group, []):
            if field["field_name"] == field_name:
                return field
    raise ValueError(f"field {field_name!r} is not in the schema")


@scheming_validator
def other_text(field: dict[str, Any], schema: dict[str, Any]) -> Callable:
    """``*_other`` field: required with ``อื่นๆ``, rejected without it.

    Place it first, before ``ignore_missing``, so it also runs when the text
    is missing. Works for dataset and resource fields alike, because the
    main field's key is the ``*_other`` key with its last part replaced.
    """
    main_name = rules.main_field_for(field["field_name"])
    choices = _schema_field(schema, main_name).get("choices", [])
    other_choice = rules.other_choice_in(c["value"] for c in choices)
    if other_choice is None:
        raise ValueError(f"{main_name} has no อื่นๆ choice for {field['field_name']}")

    def validator(
        key: FlatKey, data: FlatData, errors: FlatErrors, context: dict[str, Any]
    ) -> None:
        main_key = key[:-1] + (main_name,)
        if errors.get(main_key):
            return  # the main field's own error is the useful one
        problem = rules.other_text_problem(
            main_name,
            _value(data.get(main_key)),
            _value(data.get(key)),
            other_choice=other_choice,
        )
        if problem:
            errors[key].append(problem)
            raise StopOnError

    return validator


class _Policy:
    """The classification policy the validators use: set once when CKAN loads the plugin
    (``SenateDgaPlugin.configure``), read from the file ckan.ini names."""

    current: ClassificationPolicy | None = None


def configure_policy(policy: ClassificationPolicy) -> None:
    _Policy.current = policy


def _policy() -> ClassificationPolicy:
    if _Policy.current is None:  # e.g. validators used before configure (CLI tools)
        _Policy.current = load_policy()
    return _Policy.current


def _resource_count(data: FlatData) -> int:
    return len({key[1] for key in data if len(key) == 3 and key[0] == "resources"})


def governance(
    key: FlatKey, data: FlatData, errors: FlatErrors, context: dict[str, Any]
) -> None:
    """``__after``: data_category, data_classification, ``private`` and the resources agree
    with the classification policy (catalog_config/classification.yaml).

    Runs after every field so that all three are already validated; a field
    that already has an error is left alone.
    """
    category_key, classification_key = ("data_category",), ("data_classification",)
    category = None if errors.get(category_key) else _value(data.get(category_key))
    classification = (
        None if errors.get(classification_key)
        else _value(data.get(classification_key))
    )
    package = context.get("package")  # set by package_update, not by create
    private = rules.effective_private(
        _value(data.get(("private",))),
        current=package.private if package is not None else None,
    )
    problems = rules.governance_problems(
        category=category, classification=classification, private=private,
        policy=_policy(), resources=_resource_count(data),
    )
    for field_name, message in problems.items():
        field_errors = errors.setdefault((field_name,), [])
        if not field_errors:
            field_errors.append(message)


def unique_title(
    key: FlatKey, data: FlatData, errors: FlatErrors, context: dict[str, Any]
) -> None:
    """Title unused by any other non-deleted dataset (thai_gdc rule)."""
    title = _value(data.get(key))
    if not isinstance(title, str) or not title.strip():
        return
    model, session = context["model"], context["session"]
    query = session.query(model.Package.id).filter(
        model.Package.title == title,
        model.Package.state != model.State.DELETED,
    )
    package = context.get("package")
    package_id = package.id if package is not None else _value(
        data.get(key[:-1] + ("id",))
    )
    if package_id:
        query = query.filter(model.Package.id != package_id)
    if session.query(query.exists()).scalar():
        errors[key].append(rules.duplicate_title_message(title))


def _free_tag_names(data: FlatData) -> list[Any]:
    """Names of the non-vocabulary tags sent as ``tags`` (list of dicts)."""
    return [
        value for key, value in data.items()
        if len(key) == 3 and key[0] == _TAGS and key[2] == "name"
        and not _value(data.get((_TAGS, key[1], "vocabulary_id")))
    ]


def tags_required(
    key: FlatKey, data: FlatData, errors: FlatErrors, context: dict[str, Any]
) -> None:
    """At least one tag, from ``tag_string`` or ``tags``.

    Put on ``tag_string`` before ``ignore_missing``: a package_show ->
    package_update round trip sends ``tags`` and no ``tag_string``.
    """
    problem = rules.tags_problem(_value(data.get(key)), _free_tag_names(data))
    if problem:
        errors[key].append(problem)
        raise StopOnError


def tag_string_convert(
    key: FlatKey, data: FlatData, errors: FlatErrors, context: dict[str, Any]
) -> None:
    """CKAN's ``tag_string_convert`` with Thai-aware tag name checking.

    The core version calls ``ckan.logic.validators.tag_name_validator``
    directly, which rejects Thai vowel and tone marks.
    """
    names = rules.parse_tag_string(_value(data.get(key)))
    last = max(
        [int(k[1]) for k in data if len(k) == 3 and k[0] == _TAGS] + [-1]
    )
    for number, name in enumerate(names, start=last + 1):
        data[(_TAGS, number, "name")] = name
    length_validator = toolkit.get_validator("tag_length_validator")
    for name in names:
        length_validator(name, context)
        thai_tag_name_validator(name, context)


def thai_tag_name_validator(value: Any, context: dict[str, Any]) -> Any:
    """Replaces CKAN's ``tag_name_validator`` so Thai tags are accepted."""
    problem = rules.tag_name_problem(value)
    if problem:
        raise Invalid(problem)
    return value


def name_length(value: Any) -> Any:
    """URL name at most 70 characters."""
    problem = rules.name_length_problem(_value(value))
    if problem:
        raise Invalid(problem)
    return value


def gregorian_date(value: Any) -> Any:
    """After ``isodate``: reject a date whose year is a พ.ศ. year."""
    if isinstance(value, datetime.date):
        problem = rules.buddhist_era_year_problem(value.year)
        if problem:
            raise Invalid(problem)
    return value


def data_last_modified(
    key: FlatKey, data: FlatData, errors: FlatErrors, context: dict[str, Any]
) -> None:
    """On ``resource_last_updated_date``, after ``isodate``: the resource's ``last_modified``
    becomes that date (the data's own last update), at midnight.

    CKAN's uploader sets ``last_modified`` to the upload time on every resource_create and
    resource_patch with a file, before the package is validated; this runs in that validation,
    so the API, the resource page and DCAT tell one date. ``last_modified`` was validated
    already (keys run in order, and it sorts first), so the value set here is final.
    """
    value = data.get(key)
    if errors.get(key) or not isinstance(value, datetime.date):
        return
    day = value if not isinstance(value, datetime.datetime) else value.date()
    data[key[:-1] + ("last_modified",)] = datetime.datetime.combine(day, datetime.time())


def positive_integer(value: Any) -> Any:
    """A whole number of at least 1 (``update_frequency_interval``); after ``ignore_missing``,
    before ``unicode_safe``, which would turn a list into its text."""
    problem = rules.positive_integer_problem(_value(value))
    if problem:
        raise Invalid(problem)
    return value


def get_validators() -> dict[str, Callable]:
    """Validators registered through IValidators, by schema name."""
    return {
        "senate_dga_other_text": other_text,
        "senate_dga_governance": governance,
        "senate_dga_unique_title": unique_title,
        "senate_dga_tags_required": tags_required,
        "senate_dga_tag_string_convert": tag_string_convert,
        "senate_dga_name_length": name_length,
        "senate_dga_gregorian_date": gregorian_date,
        "senate_dga_positive_integer": positive_integer,
        "senate_dga_data_last_modified": data_last_modified,
        # Overrides the core validator used by the ``tags`` sub-schema, so
        # Thai tags also pass when sent as a list of dicts.
        "tag_name_validator": thai_tag_name_validator,
    }
