"""The personal-data scan: what it flags, what it must not flag, and that it never leaks."""

from __future__ import annotations

import pandas as pd
import pytest

from flows.validation import personal_data
from flows.validation.findings import Severity, mask_value
from flows.validation.personal_data import is_valid_national_id, scan_personal_data

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


def frame_of(values: list, *, name: str = "note", dtype: str = "object", start: int = 2) -> pd.DataFrame:
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
    "https://example.org/call/0812345678",                 # digits inside a URL
    "www.example.org/?tel=0812345678",
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


def test_chunk_boundaries_do_not_lose_or_shift_hits(monkeypatch):
    monkeypatch.setattr(personal_data, "_CHUNK_CELLS", 3)
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
