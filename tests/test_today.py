"""One "today" for every command: the agency's day in Bangkok, and one --today option."""

from __future__ import annotations

from datetime import date, datetime, timezone

import click
import pytest

from flows.cli import cli
from flows.errors import ConfigError
from flows.today import bangkok_today, parse_day

#: The commands whose rules compare dates with today (validation, waivers, derived datasets).
DATED = {"ingest", "validate", "plan", "run", "publish", "demo", "new"}


def test_after_17_utc_it_is_already_tomorrow_in_bangkok() -> None:
    assert bangkok_today(datetime(2026, 12, 5, 16, 59, tzinfo=timezone.utc)) == date(2026, 12, 5)
    assert bangkok_today(datetime(2026, 12, 5, 17, 0, tzinfo=timezone.utc)) == date(2026, 12, 6)


@pytest.mark.parametrize("text", ["2024-13-45", "๒๐๒๔-๐๑-๐๑", "2567-01-01x", "", "01/02/2024"])
def test_a_day_that_is_not_an_iso_date_in_ascii_digits_is_refused(text: str) -> None:
    with pytest.raises(ConfigError, match=r"is not an ISO date \(YYYY-MM-DD"):
        parse_day(text)


def test_an_iso_day_is_read_as_written() -> None:
    assert parse_day("2024-02-29") == date(2024, 2, 29)


def test_a_buddhist_era_year_is_named_not_misread() -> None:
    with pytest.raises(ConfigError, match=r"2567 looks like a Buddhist-Era year; give the "
                                          r"Gregorian year \(2024-01-31\)"):
        parse_day("2567-01-31")


def test_every_dated_command_takes_the_one_today_option(monkeypatch) -> None:
    import flows.cli.options

    options = {name: next((p for p in command.params if p.name == "today"), None)
               for name, command in cli.commands.items()}
    assert {name for name, option in options.items() if option is not None} == DATED
    callbacks = {options[name].callback for name in DATED}
    assert len(callbacks) == 1   # the same parsing (flows/cli/options.py) everywhere
    context = click.Context(cli.commands["validate"])
    monkeypatch.setattr(flows.cli.options, "bangkok_today", lambda: date(2000, 1, 2))
    # no --today: the Bangkok day (not the machine's date.today())
    assert options["validate"].callback(context, options["validate"], None) == date(2000, 1, 2)
    assert options["validate"].callback(context, options["validate"], "2024-02-29") == date(
        2024, 2, 29)
