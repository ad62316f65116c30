"""Solr dates: parsing ISO 8601 instants, formatting them, and date math such as ``NOW/DAY+7DAYS``.

Solr keeps dates as UTC instants with millisecond precision and writes them back as
``2024-05-01T10:11:12.123Z`` (or without the fraction when it is zero).
"""

from __future__ import annotations

import calendar
import re
from datetime import datetime, timedelta, timezone

_INSTANT_RE = re.compile(
    r"(?P<year>[+-]?\d{4,})-(?P<month>\d\d)-(?P<day>\d\d)"
    r"T(?P<hour>\d\d):(?P<minute>\d\d):(?P<second>\d\d)(?:\.(?P<fraction>\d{1,9}))?"
    r"(?P<zone>Z|[+-]\d\d:?\d\d)$", re.IGNORECASE)
_MATH_RE = re.compile(r"([+-])(\d+)([A-Z]+)|/([A-Z]+)", re.IGNORECASE)
_UNITS = {
    "YEAR": "year", "YEARS": "year", "MONTH": "month", "MONTHS": "month",
    "DAY": "day", "DAYS": "day", "DATE": "day", "HOUR": "hour", "HOURS": "hour",
    "MINUTE": "minute", "MINUTES": "minute", "SECOND": "second", "SECONDS": "second",
    "MILLI": "milli", "MILLIS": "milli", "MILLISECOND": "milli", "MILLISECONDS": "milli",
}
_ROUNDING_ORDER = ("year", "month", "day", "hour", "minute", "second", "milli")


class InvalidDate(ValueError):
    """The text is neither an ISO 8601 instant nor valid date math; worded like Solr."""

    def __init__(self, text: str) -> None:
        super().__init__(f"Invalid Date String:'{text}'")


def parse_instant(text: str) -> datetime:
    """Parse ``2024-01-31T12:00:00(.123)Z`` (an offset is converted to UTC); raise InvalidDate."""
    match = _INSTANT_RE.match(text.strip())
    if match is None:
        raise InvalidDate(text)
    parts = match.groupdict()
    micro = int((parts["fraction"] or "0")[:3].ljust(3, "0")) * 1000  # Solr keeps milliseconds
    try:
        value = datetime(int(parts["year"]), int(parts["month"]), int(parts["day"]),
                         int(parts["hour"]), int(parts["minute"]), int(parts["second"]),
                         micro, tzinfo=timezone.utc)
    except ValueError as exc:
        raise InvalidDate(text) from exc
    return value - _zone_offset(parts["zone"])


def _zone_offset(zone: str) -> timedelta:
    if zone.upper() == "Z":
        return timedelta(0)
    sign = -1 if zone[0] == "-" else 1
    digits = zone[1:].replace(":", "")
    return sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))


def format_instant(value: datetime) -> str:
    """Format as Solr does: UTC, ``Z``, milliseconds only when non-zero."""
    value = value.astimezone(timezone.utc)
    text = value.strftime("%Y-%m-%dT%H:%M:%S")
    millis = value.microsecond // 1000
    return f"{text}.{millis:03d}Z" if millis else f"{text}Z"


def parse_date_math(text: str, *, now: datetime | None = None) -> datetime:
    """Evaluate ``NOW``, an instant, either followed by math (``+1DAY``, ``-2MONTHS``, ``/DAY``)."""
    text = text.strip()
    now = now or datetime.now(timezone.utc)
    if text.upper().startswith("NOW"):
        base, math = now, text[3:]
    else:
        split = _math_start(text)
        base, math = parse_instant(text[:split]), text[split:]
    return _apply_math(base, math, original=text)


def _math_start(text: str) -> int:
    # Math follows the zone designator: "...Z+1DAY" or "...Z/DAY".
    z = text.upper().rfind("Z")
    return z + 1 if z != -1 else len(text)


def _apply_math(value: datetime, math: str, *, original: str) -> datetime:
    pos = 0
    while pos < len(math):
        match = _MATH_RE.match(math, pos)
        if match is None:
            raise InvalidDate(original)
        sign, amount, unit, round_unit = match.groups()
        if round_unit is not None:
            value = _round_down(value, _unit(round_unit, original))
        else:
            value = _add(value, int(amount) * (-1 if sign == "-" else 1), _unit(unit, original))
        pos = match.end()
    return value


def _unit(name: str, original: str) -> str:
    unit = _UNITS.get(name.upper())
    if unit is None:
        raise InvalidDate(original)
    return unit


def _add(value: datetime, amount: int, unit: str) -> datetime:
    if unit in ("year", "month"):
        months = value.month - 1 + amount * (12 if unit == "year" else 1)
        year, month = value.year + months // 12, months % 12 + 1
        day = min(value.day, calendar.monthrange(year, month)[1])
        return value.replace(year=year, month=month, day=day)
    step = {"day": timedelta(days=1), "hour": timedelta(hours=1),
            "minute": timedelta(minutes=1), "second": timedelta(seconds=1),
            "milli": timedelta(milliseconds=1)}[unit]
    return value + amount * step


def _round_down(value: datetime, unit: str) -> datetime:
    keep = _ROUNDING_ORDER.index(unit)
    reset = {"month": 1, "day": 1, "hour": 0, "minute": 0, "second": 0, "microsecond": 0}
    fields = ("month", "day", "hour", "minute", "second", "microsecond")
    changes = {f: reset[f] for f in fields[keep:]}
    if unit == "milli":
        changes = {"microsecond": value.microsecond // 1000 * 1000}
    return value.replace(**changes)
