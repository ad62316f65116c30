"""DGA metadata rules as pure functions over plain values.

Nothing here imports CKAN, so every rule can be unit-tested on its own.
``validators.py`` adapts these functions to CKAN's validator signatures.
Each ``*_problem`` function returns an error message, or ``None`` when the
values are acceptable.
"""
from __future__ import annotations

import json
import re
from typing import Any, Iterable, Optional

from ckanext.senate_dga.classification import (PUBLIC, WITHHELD,
                                                   ClassificationPolicy)

#: Choice values meaning "other, see the paired ``*_other`` text field".
#: ``data_type`` uses its own wording; every other list uses ``อื่นๆ``.
OTHER_CHOICES = frozenset({"อื่นๆ", "ข้อมูลประเภทอื่นๆ"})
OTHER_SUFFIX = "_other"

#: The classification table (which category allows which classification, what may be
#: public) is not here: it is the policy file catalog_config/classification.yaml, read by
#: ``classification.load_policy`` and passed to the rules below.

#: thai_gdc package_name_validator limit (CKAN's own limit is 100).
NAME_MAX_LENGTH = 70

#: Gregorian years at or above this are taken to be Buddhist Era years
#: (พ.ศ. 2400 = ค.ศ. 1857; no catalogued data is dated that late in ค.ศ.).
BUDDHIST_ERA_MIN_YEAR = 2400

# CKAN's tag pattern plus the Thai block, as thai_gdc does: CKAN's plain
# ``\w`` rejects Thai vowel and tone marks (Unicode category Mn).
_TAG_NAME = re.compile(r"^[\wก-๙ \-.]*$")
_TRUE_STRINGS = frozenset({"true", "yes", "t", "y", "1"})


def selected_values(value: Any) -> list[str]:
    """Return the chosen values of a single- or multiple-choice field.

    Accepts what a validator may see: nothing, a plain string, a list,
    or the JSON list string that ``scheming_multiple_choice`` stores.
    """
    if value is None or value == "" or isinstance(value, bool):
        return []
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value if v not in (None, "")]
    if not isinstance(value, str):
        return []
    if value.startswith("["):
        try:
            loaded = json.loads(value)
        except ValueError:
            return [value]
        if isinstance(loaded, list):
            return [str(v) for v in loaded if v not in (None, "")]
    return [value]


def main_field_for(other_field: str) -> str:
    """Return the choice field an ``*_other`` field explains."""
    if not other_field.endswith(OTHER_SUFFIX):
        raise ValueError(f"{other_field!r} does not end with {OTHER_SUFFIX!r}")
    return other_field[: -len(OTHER_SUFFIX)]


def other_choice_in(choice_values: Iterable[str]) -> Optional[str]:
    """Return the "other" value among a field's choices, if it has one."""
    return next((v for v in choice_values if v in OTHER_CHOICES), None)


def other_text_problem(
    main_field: str,
    main_value: Any,
    other_text: Any,
    *,
    other_choice: str = "อื่นๆ",
) -> Optional[str]:
    """Check an ``อื่นๆ`` choice against its free-text ``*_other`` field.

    The text is required when the main field holds ``other_choice``
    (``อื่นๆ``; ``ข้อมูลประเภทอื่นๆ`` for data_type), and rejected otherwise,
    so that a stale ``*_other`` left behind after the choice changed cannot
    be published. Empty or blank text counts as absent.
    """
    chose_other = other_choice in selected_values(main_value)
    has_text = isinstance(other_text, str) and other_text.strip() != ""
    if chose_other and not has_text:
        return (
            f"Required when {main_field} is {other_choice} "
            f"(ต้องระบุรายละเอียดเมื่อเลือก {other_choice} ใน {main_field})"
        )
    if has_text and not chose_other:
        return (
            f"Only allowed when {main_field} is {other_choice}; remove it or "
            f"choose {other_choice} "
            f"(ระบุได้เฉพาะเมื่อเลือก {other_choice} ใน {main_field})"
        )
    return None


def classification_problem(category: Any, classification: Any, *,
                           policy: ClassificationPolicy) -> Optional[str]:
    """Check data_classification against data_category (the policy's table).

    Nothing to check when either value is empty or the category is unknown
    (the choice validators report unknown values).
    """
    allowed = policy.allowed_classifications(category)
    if not allowed or not classification or classification in allowed:
        return None
    listed = ", ".join(sorted(allowed))
    return (
        f"{category} allows only: {listed} "
        f"(หมวดหมู่ {category} ใช้ระดับชั้นข้อมูลได้เฉพาะ: {listed})"
    )


def public_dataset_problems(category: Any, classification: Any, *,
                            policy: ClassificationPolicy) -> dict[str, str]:
    """Problems that stop a dataset from being public, keyed by field.

    A public dataset needs a category and a classification that the policy
    treats as public; an empty category is left to the required-field check.
    """
    problems = {}
    categories = " / ".join(policy.public_categories)
    classifications = " / ".join(policy.public_classifications)
    if category and policy.category_treatments.get(category) != PUBLIC:
        problems["data_category"] = (
            f"A public dataset must be {categories}; "
            f"set private to true or change the category "
            f"(ชุดข้อมูลสาธารณะต้องเป็น {categories})"
        )
    if policy.classifications.get(classification) != PUBLIC:
        problems["data_classification"] = (
            f"A public dataset must be classified {classifications}; "
            f"set private to true or change the classification "
            f"(ชุดข้อมูลสาธารณะต้องมีระดับชั้นข้อมูล {classifications})"
        )
    return problems


def governance_problems(
    *, category: Any, classification: Any, private: bool, policy: ClassificationPolicy,
    resources: int = 0,
) -> dict[str, str]:
    """All category/classification/visibility problems, one per field.

    ``resources`` is how many resources the dataset will have: a withheld
    dataset (classified ลับ and above) may at most be a metadata-only record.
    """
    problems = {}
    mismatch = classification_problem(category, classification, policy=policy)
    if mismatch:
        problems["data_classification"] = mismatch
    if not private:
        found = public_dataset_problems(category, classification, policy=policy)
        for field, message in found.items():
            problems.setdefault(field, message)
    if resources and category and classification and \
            policy.treatment(category, classification) == WITHHELD:
        problems.setdefault("data_classification", (
            f"A dataset classified {classification} keeps its data off the catalog: "
            "at most a private record with no resources "
            f"(ชุดข้อมูลชั้น {classification} ลงทะเบียนได้เฉพาะคำอธิบายข้อมูล ห้ามมีไฟล์ข้อมูล)"
        ))
    return problems


def effective_private(value: Any, *, current: Optional[bool] = None) -> bool:
    """Return whether the dataset will be private after this create/update.

    CKAN creates a dataset public when ``private`` is omitted, and keeps the
    stored value when an update omits it (``current``).
    """
    if value is None or value == "":
        return bool(current) if current is not None else False
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() in _TRUE_STRINGS


def parse_tag_string(value: Any) -> list[str]:
    """Split a comma-separated tag string (or a list) into tag names."""
    if isinstance(value, str):
        items: Iterable[Any] = value.split(",")
    elif isinstance(value, (list, tuple)):
        items = value
    else:
        return []
    return [str(item).strip() for item in items if item and str(item).strip()]


def tags_problem(tag_string: Any, tag_names: Iterable[Any]) -> Optional[str]:
    """Require at least one tag, from ``tag_string`` or from ``tags``."""
    names = parse_tag_string(tag_string) + parse_tag_string(list(tag_names))
    if names:
        return None
    return "At least one tag is required (ต้องระบุคำสำคัญอย่างน้อย 1 คำ)"


def tag_name_problem(name: str) -> Optional[str]:
    """Allow letters (Thai included), digits, space, ``-``, ``_`` and ``.``."""
    if _TAG_NAME.match(name):
        return None
    return (
        f'Tag "{name}" can only contain letters (Thai included), digits, '
        f'spaces, "-", "_" or "." (คำสำคัญมีอักขระที่ไม่อนุญาต)'
    )


def name_length_problem(name: Any) -> Optional[str]:
    """Limit the URL name to thai_gdc's 70 characters."""
    if isinstance(name, str) and len(name) > NAME_MAX_LENGTH:
        return (
            f"Must be at most {NAME_MAX_LENGTH} characters "
            f"(ชื่อ URL ยาวได้ไม่เกิน {NAME_MAX_LENGTH} ตัวอักษร)"
        )
    return None


def buddhist_era_year_problem(year: int) -> Optional[str]:
    """Reject dates whose year looks like พ.ศ. rather than ค.ศ."""
    if year >= BUDDHIST_ERA_MIN_YEAR:
        return (
            f"Year {year} looks like a Buddhist Era year; send the Gregorian "
            f"date (subtract 543) as YYYY-MM-DD (ใช้ปี ค.ศ. เช่น {year - 543})"
        )
    return None


def positive_integer_problem(value: Any) -> Optional[str]:
    """A whole number of at least 1, as digits or an integer (``update_frequency_interval``:
    every N units). Empty means not given; a list, a fraction or a word is refused, so the
    catalog never stores e.g. the text "[1, 2]"."""
    if value is None or value == "":
        return None
    text = str(value).strip() if isinstance(value, (str, int)) and not isinstance(
        value, bool) else None
    if text is not None and text.isascii() and text.isdigit() and int(text) >= 1:
        return None
    return (
        f"Must be a whole number of at least 1, e.g. 1; got {value!r} "
        f"(ต้องเป็นจำนวนเต็มตั้งแต่ 1 ขึ้นไป เช่น 1)"
    )


def duplicate_title_message(title: str) -> str:
    """Message for a title that another dataset already uses."""
    return (
        f'That title is already in use: "{title}" '
        f"(ชื่อชุดข้อมูลนี้ถูกใช้แล้ว)"
    )
