"""Table Schema fields → DataStore (PostgreSQL) columns, and each CSV cell cast to its column.

The public CSV was validated, but the DataStore gets typed values, so the cast is strict and a
value it cannot read is an error for the dataset, never a value pushed as something else:
Python's ``int("๒๕๖๗")`` is 2567 and ``strptime`` reads Thai digits, so Thai digits are only
read where the field declares ``"thaiDigits": true``, Buddhist-Era values only where it declares
``"calendar": "buddhist"`` (converted to CE), and a CE date or year from 2400 on is refused
as a Buddhist-Era year written into a CE field.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, Callable

from flows.validation.thai_columns import be_to_ce_text
from flows.validation.thai_forms import BE_YEAR_THRESHOLD, thai_digits_to_arabic

#: Table Schema type → PostgreSQL type; anything else (string, object, geopoint, ...) is text.
PG_TYPES = {"integer": "int8", "number": "numeric", "date": "date", "datetime": "timestamp",
            "boolean": "bool", "year": "int"}
_TRUE = ("true", "True", "TRUE", "1")
_FALSE = ("false", "False", "FALSE", "0")
_INTEGER = re.compile(r"[+-]?[0-9]+", re.ASCII)
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?", re.ASCII)
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)
_ISO_DATETIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9:.+\-Z]+", re.ASCII)


class CastError(ValueError):
    """A cell that does not read as its field's type; the message says what is expected."""


def pg_type(field: dict[str, Any]) -> str:
    """The DataStore column type of a Table Schema field."""
    return PG_TYPES.get(str(field.get("type") or "string"), "text")


def cast_cell(value: str | None, field: dict[str, Any], missing: frozenset[str]) -> Any:
    """The JSON value to push for one CSV cell (None for a missing value)."""
    if value is None or value in missing:
        return None
    caster = _CASTERS.get(str(field.get("type") or "string"))
    return value if caster is None else caster(value, field)


def _digits(value: str, field: dict[str, Any]) -> str:
    """The cell with Thai digits read as digits only where the field declares them."""
    text = value.strip()
    return thai_digits_to_arabic(text) if field.get("thaiDigits") is True else text


def _integer(value: str, field: dict[str, Any]) -> int:
    text = _digits(value, field)
    if field.get("groupChar"):
        text = text.replace(str(field["groupChar"]), "")
    if not _INTEGER.fullmatch(text):
        raise CastError(f"{value!r} is not an integer (digits 0-9; Thai digits only where the "
                        'field declares "thaiDigits": true)')
    return int(text)


def _number(value: str, field: dict[str, Any]) -> str:
    text = _digits(value, field)
    if field.get("groupChar"):
        text = text.replace(str(field["groupChar"]), "")
    if field.get("decimalChar"):
        text = text.replace(str(field["decimalChar"]), ".")
    if text in ("NaN", "INF", "-INF"):
        return {"NaN": "NaN", "INF": "Infinity", "-INF": "-Infinity"}[text]
    if not _NUMBER.fullmatch(text):
        raise CastError(f"{value!r} is not a number (e.g. 12.5)")
    try:   # exact decimal text: a float would lose digits of a numeric column
        return str(Decimal(text))
    except InvalidOperation as exc:
        raise CastError(f"{value!r} is not a number (e.g. 12.5)") from exc


def _boolean(value: str, field: dict[str, Any]) -> bool:
    text = value.strip()
    if text in field.get("trueValues", _TRUE):
        return True
    if text in field.get("falseValues", _FALSE):
        return False
    raise CastError(f"{value!r} is not one of the field's true/false values")


def _year(value: str, field: dict[str, Any]) -> int:
    if field.get("calendar") == "buddhist":
        return int(_buddhist(value, "year"))
    year = _integer(value, field)
    _refuse_be_year(value, year)
    return year


def _date(value: str, field: dict[str, Any]) -> str:
    if field.get("calendar") == "buddhist":
        return _buddhist(value, "date")
    text = _digits(value, field)
    if not text.isascii():
        raise CastError(f"{value!r} holds Thai digits; declare \"thaiDigits\": true on the field")
    fmt = str(field.get("format") or "default")
    try:
        if fmt in ("default", "any"):
            if not _ISO_DATE.fullmatch(text):
                raise ValueError("not YYYY-MM-DD")
            parsed = date.fromisoformat(text)
        else:
            parsed = datetime.strptime(text, fmt).date()
    except ValueError as exc:
        raise CastError(f"{value!r} is not a date in the field's format ({fmt})") from exc
    _refuse_be_year(value, parsed.year)
    return parsed.isoformat()


def _datetime(value: str, field: dict[str, Any]) -> str:
    if field.get("calendar") == "buddhist":
        return _buddhist(value, "datetime")
    text = _digits(value, field)
    fmt = str(field.get("format") or "default")
    try:
        if not text.isascii():
            raise ValueError("Thai digits")
        if fmt in ("default", "any"):
            if not _ISO_DATETIME.fullmatch(text):
                raise ValueError("not ISO 8601")
            parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
        else:
            parsed = datetime.strptime(text, fmt)
    except ValueError as exc:
        raise CastError(f"{value!r} is not a date-time in the field's format ({fmt})") from exc
    _refuse_be_year(value, parsed.year)
    return parsed.isoformat()


def _buddhist(value: str, kind: str) -> str:
    converted = be_to_ce_text(value.strip(), kind)
    if converted is None or int(converted[:4]) < BE_YEAR_THRESHOLD - 543:
        raise CastError(f"{value!r} is not a Buddhist-Era {kind} (e.g. 2567, 01/10/2567)")
    return converted


def _refuse_be_year(value: str, year: int) -> None:
    if year >= BE_YEAR_THRESHOLD:
        raise CastError(f"{value!r} has a Buddhist-Era year in a CE field; declare "
                        '"calendar": "buddhist" on the field or convert the value to CE')


_CASTERS: dict[str, Callable[[str, dict[str, Any]], Any]] = {
    "integer": _integer, "number": _number, "boolean": _boolean, "year": _year,
    "date": _date, "datetime": _datetime,
}
