"""Reader of ELECT's ``people.yaml`` → the ``senators`` table, one row per senator.

Kept: the records whose ``is_senator`` is true (252 of 1,040 people), in source order. A record
whose flag is not a boolean is left out and reported (``source/senator-flag-unclear``), since the
CSV cannot show a row it does not hold.

Mapped (source → column): ``id`` → senator_id; ``title`` (rank or title); ``name`` → first_name;
``lastname`` → last_name; ``en.name`` → first_name_en; ``en.lastname`` → last_name_en;
``senator_method`` → selection_method; ``gender``; ``occupation_group``; ``education``;
``birthdate`` (personal data).

Dropped on purpose (outside this table, or about MPs and cabinet members): ``en.title``,
``en.cabinet_position``, ``en.graduation``, ``en.degree``, ``en.ex_occupation``, ``en.bio``,
``is_mp``, ``is_senator`` (the filter), ``is_cabinet``, ``is_committee``, ``is_active``,
``party``, ``party_group``, ``mp_type``, ``mp_province``, ``mp_zone``, ``mp_list``, ``vote``,
``cabinet_position``, ``committee``, ``graduation``, ``degree``, ``ex_occupation``, ``quotes``,
``quotes_url``, ``asset``, ``debt``, ``facebook``, ``twitter``, ``bio``.

Nothing is corrected: impossible birth years (2052) and names shared by two ids stay as they are,
for the quality rules to report.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping, Sequence

import pandas as pd

from flows.sources.cells import tidy_frame, to_cell
from flows.sources.field_checks import unmapped_fields
from flows.sources.raw_yaml import SourceError, load_yaml_records, one_file
from flows.validation.findings import Finding, Severity, clip_value

READER = "politician-directory/senators"
COLUMNS = ("senator_id", "title", "first_name", "last_name", "first_name_en", "last_name_en",
           "selection_method", "gender", "occupation_group", "education", "birthdate")
MAPPED = ("id", "title", "name", "lastname", "en", "senator_method", "gender",
          "occupation_group", "education", "birthdate", "is_senator")
DROPPED = ("is_mp", "is_cabinet", "is_committee", "is_active", "party", "party_group", "mp_type",
           "mp_province", "mp_zone", "mp_list", "vote", "cabinet_position", "committee",
           "graduation", "degree", "ex_occupation", "quotes", "quotes_url", "asset", "debt",
           "facebook", "twitter", "bio")


def read_senators(files: Sequence[Path], *,
                  encoding: str = "utf-8") -> tuple[pd.DataFrame, list[Finding]]:
    """``people.yaml`` → (the senators frame, findings of the conversion)."""
    path = one_file(files, reader=READER)
    records = load_yaml_records(path, encoding=encoding)
    senators, findings = select_senators(records)
    findings += unmapped_fields(senators, known=(*MAPPED, *DROPPED), source=path.name)
    frame, text_findings = tidy_frame([senator_row(record) for record in senators], COLUMNS)
    return frame, findings + text_findings


def select_senators(records: Sequence[Mapping[str, Any]]
                    ) -> tuple[list[Mapping[str, Any]], list[Finding]]:
    """The records flagged ``is_senator: true``; a warning for each whose flag is not a boolean."""
    unclear = [record for record in records if not isinstance(record.get("is_senator"), bool)]
    findings = [Finding(
        rule="source/senator-flag-unclear", severity=Severity.WARNING,
        message_th="ระเบียนในไฟล์ต้นทางไม่ได้ระบุ is_senator เป็น true/false จึงไม่ได้นำเข้า",
        message_en="A raw record's is_senator is not true/false, so it was not converted",
        hint_th="ระบุ is_senator เป็น true หรือ false ในไฟล์ต้นทาง",
        hint_en="Set is_senator to true or false in the raw file",
        field="senator_id", value=clip_value(record.get("id"))) for record in unclear]
    return [record for record in records if record.get("is_senator") is True], findings


def senator_row(record: Mapping[str, Any]) -> dict[str, str | None]:
    """One senator's cells."""
    english = record.get("en") or {}
    if not isinstance(english, dict):
        raise SourceError(f"person {record.get('id')!r}: 'en' must be a mapping of English "
                          f"names, found {type(english).__name__}; is this ELECT's people.yaml?")
    return {
        "senator_id": to_cell(record.get("id")),
        "title": to_cell(record.get("title")),
        "first_name": to_cell(record.get("name")),
        "last_name": to_cell(record.get("lastname")),
        "first_name_en": to_cell(english.get("name")),
        "last_name_en": to_cell(english.get("lastname")),
        "selection_method": to_cell(record.get("senator_method")),
        "gender": to_cell(record.get("gender")),
        "occupation_group": to_cell(record.get("occupation_group")),
        "education": to_cell(record.get("education")),
        "birthdate": to_cell(record.get("birthdate")),
    }
