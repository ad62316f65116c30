"""The personal-data scan: what it flags, what it must not flag, and that it never leaks."""

from __future__ import annotations

import pandas as pd
import pytest

import json
from datetime import date
from pathlib import Path
from typing import Any

from flows.datasets import discover_datasets
from flows.errors import ConfigError
from flows.validation import personal_data
from flows.validation.findings import Severity, mask_value
from flows.validation.personal_data import (ContactAllowList, PersonalDataHit,
                                            find_personal_data, is_valid_national_id,
                                            personal_data_rule, scan_personal_data)
from flows.validation.validate import validate_datasets

THAI = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")


def weighted_sum(first12: str) -> int:
    return sum(int(digit) * (14 - i) for i, digit in enumerate(first12, start=1))


def with_check_digit(first12: str) -> str:
    """The rule, written independently of the module: Σ dᵢ·(14−i), check = (11 − Σ mod 11) mod 10."""
    return first12 + str((11 - weighted_sum(first12) % 11) % 10)


def ids_covering_every_remainder() -> list[str]:
    """One valid ID per remainder of the weighted sum mod 11, so check digits 0 and 1 (the
    remainders 1 and 0, where 11 − r has two digits) are exercised too."""
    found: dict[int, str] = {}
    body = 310050000000
    while len(found) < 11:
        found.setdefault(weighted_sum(str(body)) % 11, with_check_digit(str(body)))
        body += 7919
    return [found[remainder] for remainder in range(11)]


def wrong_check_digit(national_id: str) -> str:
    return national_id[:-1] + str((int(national_id[-1]) + 1) % 10)


def dashed(national_id: str, sep: str = "-") -> str:
    n = national_id
    return sep.join([n[0], n[1:5], n[5:10], n[10:12], n[12]])


# Worked example: 1·13+1·12+0·11+1·10+7·9+0·8+0·7+1·6+2·5+3·4+4·3+5·2 = 148; 148 mod 11 = 5;
# (11 − 5) mod 10 = 6.
VALID_ID = "1101700123456"
GENERATED_IDS = ids_covering_every_remainder()


def frame_of(values: list, *, name: str = "note", dtype: Any = pd.StringDtype("pyarrow"),
             start: int = 2) -> pd.DataFrame:
    """A one-column frame per the typed-frame contract: index = row number (first data row 2)."""
    return pd.DataFrame({name: pd.Series(values, dtype=dtype,
                                         index=range(start, start + len(values)))})


def rules_of(findings) -> list[tuple[str, int | None]]:
    return [(f.rule, f.row) for f in findings]


# --- the check digit -------------------------------------------------------------------------

def test_worked_example_is_valid_and_matches_the_rule():
    assert with_check_digit(VALID_ID[:12]) == VALID_ID
    assert is_valid_national_id(VALID_ID)


def test_generated_ids_cover_every_check_digit_case_and_are_valid():
    assert {national_id[-1] for national_id in GENERATED_IDS} == set("0123456789")
    assert all(is_valid_national_id(national_id) for national_id in GENERATED_IDS)


@pytest.mark.parametrize("national_id", GENERATED_IDS)
def test_every_other_check_digit_is_invalid(national_id):
    for digit in "0123456789":
        candidate = national_id[:12] + digit
        assert is_valid_national_id(candidate) is (candidate == national_id)


@pytest.mark.parametrize("text", ["110170012345", "11017001234567", "110170012345x", ""])
def test_not_thirteen_digits_is_invalid(text):
    assert not is_valid_national_id(text)


def test_thai_digits_are_checked_like_ascii():
    assert is_valid_national_id(VALID_ID.translate(THAI))
    assert not is_valid_national_id(wrong_check_digit(VALID_ID).translate(THAI))


# --- national IDs in text --------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    VALID_ID,
    dashed(VALID_ID),
    dashed(VALID_ID, " "),
    f"ผู้ร้อง เลขประจำตัวประชาชน {dashed(VALID_ID)} ที่อยู่ กรุงเทพฯ",
    f"เลขบัตร{VALID_ID}ครับ",          # glued to Thai text, as Thai is written
    VALID_ID.translate(THAI),
    dashed(VALID_ID).translate(THAI),
    f"ID: {VALID_ID}.",
])
def test_national_id_is_found(text):
    findings = scan_personal_data(frame_of([text]), {"fields": []})
    assert rules_of(findings) == [("personal-data/thai-national-id", 2)]


def test_every_generated_id_is_found_and_no_wrong_one():
    values = GENERATED_IDS + [wrong_check_digit(n) for n in GENERATED_IDS]
    findings = scan_personal_data(frame_of(values), {"fields": []})
    assert [f.row for f in findings] == list(range(2, 2 + len(GENERATED_IDS)))


@pytest.mark.parametrize("text", [
    wrong_check_digit(VALID_ID),
    dashed(wrong_check_digit(VALID_ID)),
    wrong_check_digit(VALID_ID).translate(THAI),
    VALID_ID + "7",                    # 14 digits: not an ID
    "9" + VALID_ID,
    f"{VALID_ID}.25",                  # a money amount with 13 integer digits
    "978-616-1017-00-1",               # ISBN-like grouping, not the ID grouping
])
def test_not_a_national_id(text):
    assert scan_personal_data(frame_of([text]), {"fields": []}) == []


def test_integer_column_holding_ids_is_scanned():
    frame = frame_of([int(VALID_ID), int(wrong_check_digit(VALID_ID)), 42, None], dtype="Int64")
    findings = scan_personal_data(frame, {"fields": []})
    assert rules_of(findings) == [("personal-data/thai-national-id", 2)]
    assert findings[0].value == mask_value(VALID_ID)


@pytest.mark.parametrize("dtype, value", [
    ("Float64", float(VALID_ID)),
    ("boolean", True),
    ("datetime64[ns]", pd.Timestamp("2019-08-05")),
])
def test_float_boolean_and_date_columns_are_skipped(dtype, value):
    assert scan_personal_data(frame_of([value, None], dtype=dtype), {"fields": []}) == []


# --- phone numbers ---------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "0812345678", "081-234-5678", "081 234 5678", "08-1234-5678", "0612345678", "0991234567",
    "+66812345678", "+66 81 234 5678", "+66-81-234-5678", "+66 (0) 81 234 5678",
    "021234567", "02-123-4567", "0 2831 9167", "0-2831-9167", "+66 2 123 4567",
    "053-123-456", "053123456", "076 123 456",
    "โทร 081-234-5678", "โทร.0812345678", "ติดต่อ:0812345678 (คุณสมชาย)",
    "โทร ๐๘๑ ๒๓๔ ๕๖๗๘", "๐๘๑๒๓๔๕๖๗๘",
    "https://www.senate.go.th/a.pdf โทร 0812345678",
    "www.example.org/?tel=0812345678",                     # a URL query value
])
def test_phone_number_is_found(text):
    findings = scan_personal_data(frame_of([text]), {"fields": []})
    assert rules_of(findings) == [("personal-data/phone-number", 2)]


@pytest.mark.parametrize("text", [
    "2019-08-05",                                          # ISO date
    "2019-08-05T10:30:00",
    "05/08/62-1",                                          # sitting code
    "09-08-2562 14:30",                                    # Thai date and time
    "ประชุม 09-08-2562 14 น.",                               # date + hour: 10 digits from 09
    "วันที่ 06 08 2562 10 นาฬิกา",
    "1,234,567.00",                                        # money
    "3,200,000,000 บาท",
    "0.0812345678",
    "https://www.senate.go.th/document/mRecordM/Ext42/42835_0001.PDF",
    "https://example.org/call/0812345678",                 # a URL path segment
    "เห็นด้วย 200 ไม่เห็นด้วย 0 งดออกเสียง 5 ไม่ลงคะแนน 0",     # vote counts
    "250 0 0 0 250",
    "0212345678",                                          # 02 + 8 digits: no such number
    "0112345678",                                          # 01 is not a Thai prefix
    "08123456",                                            # too short
    "08123456789",                                         # too long
    "doc0812345678",                                       # part of an identifier
    "file_0812345678.pdf",
    "ครั้งที่ 9 (สมัยสามัญประจำปีครั้งที่ 1) 2562",
])
def test_not_a_phone_number(text):
    assert scan_personal_data(frame_of([text]), {"fields": []}) == []


def test_two_phones_in_one_cell_make_one_finding_with_both_masked():
    findings = scan_personal_data(frame_of(["081-234-5678,089-876-5432"]), {"fields": []})
    assert len(findings) == 1
    assert findings[0].value == f"{mask_value('081-234-5678')}, {mask_value('089-876-5432')}"


# --- e-mail addresses ------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "somchai.j@senate.go.th", "ติดต่อ somchai.j@senate.go.th ได้", "อีเมลsomchai+votes@example.co.th",
    "<a.b_c-d@mail.example.com>",
])
def test_email_is_found(text):
    findings = scan_personal_data(frame_of([text]), {"fields": []})
    assert rules_of(findings) == [("personal-data/email", 2)]


@pytest.mark.parametrize("text", [
    "https://user@example.com/x",      # URL userinfo
    "@senate_thailand",                # a social-media handle
    "a@b",                             # no domain suffix
    "ราคา 10 @ 5 บาท",
])
def test_not_an_email(text):
    assert scan_personal_data(frame_of([text]), {"fields": []}) == []


# --- schema, rows, findings ------------------------------------------------------------------

def test_declared_personal_data_columns_are_skipped():
    frame = pd.DataFrame({"birthdate_note": ["0812345678"], "occupation": ["0812345678"]},
                         index=[2], dtype=object)
    schema = {"fields": [{"name": "birthdate_note", "type": "string", "personalData": True},
                         {"name": "occupation", "type": "string"}]}
    findings = scan_personal_data(frame, schema)
    assert [f.field for f in findings] == ["occupation"]


def test_rows_come_from_the_index_and_missing_cells_are_skipped():
    frame = frame_of([None, "ไม่มี", "โทร 0812345678", None, "a@example.org"], start=10)
    assert rules_of(scan_personal_data(frame, {"fields": []})) == [
        ("personal-data/phone-number", 12), ("personal-data/email", 14)]


def test_numbers_never_join_across_cells():
    frame = frame_of(["โทร 081", "2345678", VALID_ID[:6], VALID_ID[6:]])
    assert scan_personal_data(frame, {"fields": []}) == []


def test_the_end_of_one_cell_never_changes_what_the_next_one_holds():
    """Candidate cells are read as one text joined by line breaks: a Latin word or an "ISBN"
    label at the end of a cell must not count as glued to a number in the next one. (The
    addresses make every cell a candidate, so the cells do meet in one text.)"""
    frame = frame_of(["a@example.org Contact B", "0812345678", "a@example.org ISBN", VALID_ID,
                      "a@example.org passport", "A1234567 a@example.org"])
    assert rules_of(scan_personal_data(frame, {"fields": []})) == [
        ("personal-data/thai-national-id", 5), ("personal-data/phone-number", 3),
        ("personal-data/email", 2), ("personal-data/email", 4), ("personal-data/email", 6),
        ("personal-data/email", 7)]


def test_chunk_boundaries_do_not_lose_or_shift_hits(monkeypatch):
    monkeypatch.setattr(personal_data, "_CHUNK_CELLS", 2)   # chunks of candidate cells
    values = ["x", "0812345678", "y", "z", "w", VALID_ID, "a@example.org"]
    findings = scan_personal_data(frame_of(values), {"fields": []})
    assert rules_of(findings) == [("personal-data/thai-national-id", 7),
                                  ("personal-data/phone-number", 3),
                                  ("personal-data/email", 8)]


def test_finding_is_an_error_naming_the_column_in_both_languages():
    [finding] = scan_personal_data(frame_of(["โทร 0812345678"], name="contact"), {"fields": []})
    assert finding.severity is Severity.ERROR and finding.blocking
    assert finding.field == "contact"
    assert '"contact"' in finding.message_th and '"contact"' in finding.message_en
    assert "personalData" in finding.hint_en and "personalData" in finding.hint_th
    assert "remove the value" in finding.hint_en


@pytest.mark.parametrize("clear, cell", [
    (VALID_ID, f"เลขบัตร {VALID_ID}"),
    (dashed(VALID_ID), f"บัตร {dashed(VALID_ID)}"),
    ("081-234-5678", "โทร 081-234-5678"),
    ("somchai.j@senate.go.th", "อีเมล somchai.j@senate.go.th"),
])
def test_the_clear_value_never_appears_in_a_finding(clear, cell):
    [finding] = scan_personal_data(frame_of([cell]), {"fields": []})
    assert finding.value == mask_value(clear)
    digits_only = "".join(ch for ch in clear if ch.isdigit())
    for text in finding.to_dict().values():
        if isinstance(text, str):
            assert clear not in text
            assert not digits_only or digits_only not in text.replace("-", "").replace(" ", "")


def test_many_hits_in_a_column_are_capped_with_a_summary():
    frame = frame_of([f"08{k:08d}" for k in range(12)])
    findings = scan_personal_data(frame, {"fields": []}, limit_per_column=5)
    assert [f.row for f in findings] == [2, 3, 4, 5, 6, None]
    summary = findings[-1]
    assert summary.blocking and summary.field == "note" and summary.value is None
    assert "7 more cells" in summary.message_en and "7" in summary.message_th


def test_empty_and_all_missing_columns_give_nothing():
    assert scan_personal_data(frame_of([None, None]), {"fields": []}) == []
    assert scan_personal_data(frame_of([]), {"fields": []}) == []
    assert scan_personal_data(frame_of(["", ""]), {"fields": []}) == []


# --- find_personal_data: kinds and spans -------------------------------------------------------

@pytest.mark.parametrize("text, kind, written", [
    (f"เลขบัตร {dashed(VALID_ID)} ครับ", "nid", dashed(VALID_ID)),
    ("โทร (081) 234 5678 ค่ะ", "phone", "(081) 234 5678"),
    ("อีเมล สมชาย@ตัวอย่าง.ไทย", "email", "สมชาย@ตัวอย่าง.ไทย"),
    ("หนังสือเดินทาง AB 1234567", "passport", "AB 1234567"),
])
def test_a_hit_has_its_kind_and_its_span_in_the_text(text, kind, written):
    [hit] = find_personal_data(text)
    start = text.index(written)
    assert hit == PersonalDataHit(kind=kind, text=written, start=start, end=start + len(written))


def test_spans_index_the_original_text_across_dropped_format_characters():
    text = "\u200bID \u00ad1101\u200b700123456 โทร 08\u20601234\u200b5678"
    hits = find_personal_data(text)
    assert [(h.kind, h.text) for h in hits] == [
        ("nid", "1101\u200b700123456"), ("phone", "08\u20601234\u200b5678")]
    assert all(text[h.start:h.end] == h.text for h in hits)


def test_thai_and_full_width_digits_are_reported_as_written():
    assert [h.text for h in find_personal_data("โทร ๐๘๑-๒๓๔-๕๖๗๘ หรือ ０２-１２３-４５６７")] == [
        "๐๘๑-๒๓๔-๕๖๗๘", "０２-１２３-４５６７"]


@pytest.mark.parametrize("text", [
    "ISBN 978-616-000-003-6",   # passes the ID check, but 9 is reserved and it is labelled
    "9786160000036",
    "3 100 500 123 458 บาท",     # a thousands grouping whose digits pass the ID check
    "200 0 0 0 200 2562",        # vote counts and a year whose digits pass the check
])
def test_look_alikes_passing_the_check_digit_are_not_ids(text):
    assert find_personal_data(text) == []


def test_an_id_in_one_number_run_with_a_bracketed_phone_is_still_found():
    hits = find_personal_data(f"(02) 123 4567 {VALID_ID}")
    assert [(h.kind, h.text) for h in hits] == [("phone", "(02) 123 4567"), ("nid", VALID_ID)]


def test_an_email_is_one_hit_not_a_phone_inside_it():
    assert [h.kind for h in find_personal_data("0812345678@example.com")] == ["email"]


# --- passport numbers -------------------------------------------------------------------------

@pytest.mark.parametrize("text", ["AA1234567", "AB 1234567", "หนังสือเดินทางเลขที่ AC-7654321",
                                  "passport: A1234567", "เลขพาสปอร์ต B2345678"])
def test_passport_number_is_found(text):
    findings = scan_personal_data(frame_of([text]), {"fields": []})
    assert rules_of(findings) == [("personal-data/passport-number", 2)]


@pytest.mark.parametrize("text", ["A1234567", "aa1234567", "XAA1234567", "AA12345678",
                                  "AA123456", "AA1234567B"])
def test_ordinary_codes_are_not_passport_numbers(text):
    assert find_personal_data(text) == []


def test_every_kind_has_a_rule_and_texts_in_both_languages():
    rules = {kind: personal_data_rule(kind) for kind in ("nid", "phone", "email", "passport")}
    assert rules["passport"][0] == "personal-data/passport-number"
    assert len({rule for rule, _, _ in rules.values()}) == 4
    assert all(rule.startswith("personal-data/") and th and en for rule, th, en in rules.values())


def test_a_passport_finding_masks_the_number():
    [finding] = scan_personal_data(frame_of(["เลขที่หนังสือเดินทาง AA1234567"]), {"fields": []})
    assert finding.value == mask_value("AA1234567") and "1234567" not in finding.value
    assert "หนังสือเดินทาง" in finding.message_th and "passport" in finding.message_en


# --- the contact allow-list -------------------------------------------------------------------

ORGANIZATION = {
    "organization": {"name": "senate-secretariat", "description": "ติดต่อ saraban@senate.go.th"},
    "stakeholders": {"owner": {"role": "data_owner", "email": "meeting@senate.go.th"}},
    "contact_points": [{"email": "info@ตัวอย่าง.ไทย", "phone": "+66 2 831 9167"}],
}


def test_the_allow_list_takes_every_mailbox_and_the_contact_points():
    allow = ContactAllowList.from_organization(ORGANIZATION)
    assert allow.allows("email", "meeting@senate.go.th")
    assert allow.allows("email", "SARABAN@Senate.go.th")                 # found in a description
    assert allow.allows("email", "meeting [at] senate [dot] go [dot] th")
    assert allow.allows("email", "info@xn--72c1a1bt4awk9o.xn--o3cw4h")  # IDNA-equal
    assert not allow.allows("email", "somchai@senate.go.th")


@pytest.mark.parametrize("written", ["02-831-9167", "0 2831 9167", "+66 2 831 9167",
                                     "(02) 831 9167", "๐๒๘๓๑๙๑๖๗", "0066 2 831 9167"])
def test_allow_listed_phones_match_in_any_written_form(written):
    allow = ContactAllowList.from_organization(ORGANIZATION)
    assert allow.allows("phone", written)
    assert find_personal_data(f"โทร {written}", allow=allow) == []
    assert [h.kind for h in find_personal_data(f"โทร {written}")] == ["phone"]


def test_allow_listed_values_are_not_reported_but_others_in_the_same_cell_are():
    allow = ContactAllowList.from_organization(ORGANIZATION)
    frame = frame_of(["ติดต่อ meeting@senate.go.th หรือ somchai@example.com โทร 02-831-9167"])
    [finding] = scan_personal_data(frame, {"fields": []}, allow=allow)
    assert finding.rule == "personal-data/email"
    assert finding.value == mask_value("somchai@example.com")
    assert scan_personal_data(frame_of(["meeting@senate.go.th"]), {"fields": []}, allow=allow) == []
    assert len(scan_personal_data(frame_of(["meeting@senate.go.th"]), {"fields": []})) == 1


def test_the_empty_allow_list_allows_nothing():
    assert ContactAllowList.NONE == ContactAllowList()
    assert not ContactAllowList.NONE.allows("email", "meeting@senate.go.th")


@pytest.mark.parametrize("points, message", [
    ([{"phone": "1111"}], "not a Thai phone number"),
    ([{"email": "meeting at senate"}], "not an e-mail address"),
    ([{"mail": "x@example.org"}], "unknown keys"),
    ({"email": "x@example.org"}, "must be a list"),
])
def test_a_wrong_contact_point_is_a_config_error(points, message):
    with pytest.raises(ConfigError, match=message):
        ContactAllowList.from_organization({"contact_points": points})


def test_the_allow_list_is_read_from_the_project_file(tmp_path):
    path = tmp_path / "organization.yaml"
    path.write_text("stakeholders:\n  a: {email: Meeting@Senate.go.th}\ncontact_points:\n"
                    "  - {phone: 0 2831 9167}\n", encoding="utf-8")
    allow = ContactAllowList.from_file(path)
    assert allow.emails == {"meeting@senate.go.th"} and allow.phones == {"028319167"}
    with pytest.raises(ConfigError, match="cannot read"):
        ContactAllowList.from_file(tmp_path / "missing.yaml")


# --- the validation stage: the project's allow-list, masked personalData findings ---------------

TODAY = date(2026, 11, 28)


def _project(root: Path, datasets: dict[str, tuple[str, dict]]) -> None:
    """A project in ``root`` with one stakeholder mailbox and the given ``{id: (csv, schema)}``."""
    for folder in ("catalog_config", "schemas", "metadata"):
        (root / folder).mkdir(parents=True)
    (root / "catalog_config" / "organization.yaml").write_text(
        "stakeholders:\n  owner: {role: data_owner, email: meeting@senate.go.th}\n",
        encoding="utf-8")
    for dataset_id, (csv, schema) in datasets.items():
        (root / "metadata" / f"{dataset_id}.yaml").write_text(
            f"id: {dataset_id}\nsource: {{encoding: utf-8}}\n", encoding="utf-8")
        (root / "datasets" / dataset_id).mkdir(parents=True)
        (root / "datasets" / dataset_id / f"{dataset_id}.csv").write_text(csv, encoding="utf-8")
        (root / "schemas" / f"{dataset_id}.schema.json").write_text(
            json.dumps(schema, ensure_ascii=False), encoding="utf-8")


def test_validation_uses_the_projects_allow_list(tmp_path):
    schema = {"fields": [{"name": "id", "type": "integer", "description_th": "รหัสรายการ"},
                         {"name": "contact", "type": "string", "description_th": "ช่องทางติดต่อ"}],
              "primaryKey": ["id"]}
    _project(tmp_path, {"units": ("id,contact\n1,meeting@senate.go.th\n2,somchai@example.com\n",
                                  schema)})
    result = validate_datasets(discover_datasets(tmp_path), today=TODAY)["units"]
    assert [(f.rule, f.row) for f in result.findings
            if f.check not in ("suite", "metadata")] == [("personal-data/email", 3)]


def test_any_finding_on_a_personal_data_column_carries_a_masked_value(tmp_path):
    """A foreign-key finding does not mask by itself; on a personalData column it must be."""
    people = {"fields": [{"name": "national_id", "type": "string",
                          "description_th": "เลขประจำตัวประชาชน"}],
              "primaryKey": ["national_id"]}
    cards = {"fields": [{"name": "national_id", "type": "string", "personalData": True,
                         "description_th": "เลขประจำตัวประชาชน"}],
             "primaryKey": ["national_id"],
             "foreignKeys": [{"fields": ["national_id"],
                              "reference": {"resource": "people", "fields": ["national_id"]}}]}
    _project(tmp_path, {"people": (f"national_id\n{GENERATED_IDS[0]}\n", people),
                        "cards": (f"national_id\n{VALID_ID}\n", cards)})
    [finding] = [f for f in validate_datasets(discover_datasets(tmp_path), today=TODAY)["cards"]
                 .findings if f.check not in ("suite", "metadata")]   # no suite, no frequency
    assert finding.rule == "schema/foreign-key"
    assert finding.field == "national_id" and finding.value == mask_value(VALID_ID)
