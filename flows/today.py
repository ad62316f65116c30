"""The agency's day: every command and the flow take "today" from here, in Bangkok.

A run at 02:00 in Bangkok is 19:00 UTC the day before: the machine's ``date.today()`` on a
UTC server would date it wrongly, and since the cache key includes the day, two commands
that disagree on the day would not share their validations.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flows.errors import ConfigError


def _bangkok() -> tzinfo:
    # Asia/Bangkok has been UTC+7 without daylight saving since 1920; the fixed offset is the
    # fallback where the system has no time-zone database.
    try:
        return ZoneInfo("Asia/Bangkok")
    except ZoneInfoNotFoundError:
        return timezone(timedelta(hours=7), "+07")


BANGKOK = _bangkok()
#: A year from here on is taken for a Buddhist-Era year (2567 BE = 2024 CE), not a Gregorian one.
BUDDHIST_ERA_FROM = 2400


def bangkok_today(now: datetime | None = None) -> date:
    """Today's date in Bangkok (at ``now``, an aware time; default: this moment)."""
    return (now or datetime.now(timezone.utc)).astimezone(BANGKOK).date()


def parse_day(value: str, *, source: str = "--today") -> date:
    """An ISO date (YYYY-MM-DD) in ASCII digits, or ConfigError saying what to give."""
    try:
        if not value.isascii():  # fromisoformat reads Thai digits: "๒๕๖๗-..." would pass
            raise ValueError(value)
        day = date.fromisoformat(value)
    except ValueError as exc:
        raise ConfigError(f"{source} {value!r} is not an ISO date (YYYY-MM-DD: a Gregorian "
                          "year in ASCII digits)") from exc
    if day.year >= BUDDHIST_ERA_FROM:
        raise ConfigError(f"{source} {value!r}: {day.year} looks like a Buddhist-Era year; give "
                          f"the Gregorian year ({day.year - 543}-{value[5:]})")
    return day
