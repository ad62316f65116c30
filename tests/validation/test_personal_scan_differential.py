"""The vectorised personal-data scan against the detector applied to every cell.

``scan_personal_data`` lets an RE2 prefilter (``personal_candidates``) pick the cells the
detector reads. ``reference_scan`` below is the scan without it, written independently: every
non-missing text cell goes through ``find_personal_data`` on its own, integers through the
13-digit rule. The two must give the same findings (rules, rows, fields, masked values, order,
messages) on the leak corpus, on every pilot dataset's typed frame and on generated text.
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from flows.validation.findings import Finding, Severity, clip_value, mask_value
from flows.validation.personal_candidates import candidate_positions
from flows.validation.personal_data import (DEFAULT_LIMIT_PER_COLUMN, ContactAllowList,
                                            find_personal_data, is_valid_national_id,
                                            personal_data_rule, scan_personal_data)
from flows.validation.personal_text import KINDS, fold_table
from flows.validation.table_schema import check_table_file
from tests.validation.leak_corpus import ORGANIZATION, load_corpus

pytestmark = pytest.mark.slow  # the scan against a reference scan on generated text: ~20 s

ROOT = Path(__file__).parents[2]
ARROW_TEXT = pd.StringDtype("pyarrow")
NO_SCHEMA: dict[str, Any] = {"fields": []}


# --- the reference: the detector on every cell ------------------------------------------------

def reference_scan(frame: pd.DataFrame, schema: dict[str, Any], *,
                   allow: ContactAllowList | None = None,
                   limit_per_column: int | None = DEFAULT_LIMIT_PER_COLUMN) -> list[Finding]:
    declared = {f["name"] for f in schema.get("fields", []) if f.get("personalData") is True}
    findings: list[Finding] = []
    for name in frame.columns:
        if name in declared:
            continue
        hits = _reference_hits(frame[name], allow)
        for kind in KINDS:
            if hits.get(kind):
                findings += _reference_findings(kind, str(name), hits[kind], limit_per_column)
    return findings


def _reference_hits(column: pd.Series, allow: ContactAllowList | None) -> dict[str, dict]:
    found: dict[str, dict] = {}
    if pd.api.types.is_bool_dtype(column):
        return found
    for row, value in column.dropna().items():
        if pd.api.types.is_integer_dtype(column):
            text = str(int(value))
            if 10**12 <= int(value) < 9 * 10**12 and is_valid_national_id(text):
                found.setdefault("nid", {})[row] = [text]
        elif pd.api.types.is_object_dtype(column) or pd.api.types.is_string_dtype(column):
            for hit in find_personal_data(str(value), allow=allow):
                found.setdefault(hit.kind, {}).setdefault(row, []).append(hit.text)
    return found


def _reference_findings(kind: str, field: str, cells: dict, limit: int | None) -> list[Finding]:
    rule, what_th, what_en = personal_data_rule(kind)
    message_th = f'คอลัมน์ "{field}" มี{what_th} ซึ่งเป็นข้อมูลส่วนบุคคล ห้ามเผยแพร่สู่สาธารณะ'
    message_en = f'Column "{field}" holds {what_en}: personal data that must not be published'
    hint_th = ('ระบุ "personalData": true ให้คอลัมน์นี้ใน schema เพื่อให้เก็บเป็นข้อมูลภายใน '
               "(ไม่เผยแพร่) หรือลบค่านี้ออกจากข้อมูล")
    hint_en = "mark the column personalData in the schema so it stays internal, or remove the value"
    rows = list(cells) if limit is None else list(cells)[:limit]
    findings = [Finding(rule=rule, severity=Severity.ERROR, message_th=message_th,
                        message_en=message_en, hint_th=hint_th, hint_en=hint_en, row=int(row),
                        field=field,
                        value=clip_value(", ".join(mask_value(t) or "" for t in cells[row])))
                for row in rows]
    if len(cells) > len(rows):
        more = len(cells) - len(rows)
        findings.append(Finding(rule=rule, severity=Severity.ERROR,
                                message_th=f"{message_th} (และอีก {more:,} เซลล์"
                                           "ที่ไม่ได้แสดงรายการ)",
                                message_en=f"{message_en} (and {more:,} more cells not listed)",
                                hint_th=hint_th, hint_en=hint_en, field=field))
    return findings


def assert_same_findings(frame: pd.DataFrame, schema: dict[str, Any] = NO_SCHEMA, *,
                         allow: ContactAllowList | None = None,
                         limit_per_column: int | None = DEFAULT_LIMIT_PER_COLUMN) -> list[Finding]:
    expected = reference_scan(frame, schema, allow=allow, limit_per_column=limit_per_column)
    found = scan_personal_data(frame, schema, allow=allow, limit_per_column=limit_per_column)
    assert [f.to_dict() for f in found] == [f.to_dict() for f in expected]
    return found


def text_frame(columns: dict[str, list], dtype: Any = ARROW_TEXT, start: int = 2) -> pd.DataFrame:
    size = len(next(iter(columns.values()), []))
    return pd.DataFrame({name: pd.Series(values, dtype=dtype, index=range(start, start + size))
                         for name, values in columns.items()})


# --- the reference itself, on known cells ------------------------------------------------------

def test_the_reference_finds_what_the_detector_finds_per_cell():
    frame = text_frame({"note": ["โทร 081-234-5678", None, "ไม่มี", "a@example.org"]})
    assert [(f.rule, f.row) for f in reference_scan(frame, NO_SCHEMA)] == [
        ("personal-data/phone-number", 2), ("personal-data/email", 5)]


# --- the leak corpus ---------------------------------------------------------------------------

def corpus_texts() -> list[str]:
    must_catch, look_alikes = load_corpus()
    return [case.text for case in must_catch + look_alikes]


@pytest.mark.parametrize("dtype", [ARROW_TEXT, object])
@pytest.mark.parametrize("allow", [None, ContactAllowList.from_file(ORGANIZATION)],
                         ids=["no-allow-list", "organization"])
def test_the_leak_corpus_gives_the_same_findings(dtype, allow):
    texts = corpus_texts()
    frame = text_frame({"note": texts, "reversed": texts[::-1]}, dtype=dtype)
    found = assert_same_findings(frame, allow=allow, limit_per_column=None)
    must_catch, _ = load_corpus()
    assert len({f.row for f in found if f.field == "note"}) >= len(must_catch)


def test_every_must_catch_text_of_the_corpus_is_a_candidate():
    must_catch, _ = load_corpus()
    cells = pa.array([case.text for case in must_catch])
    assert candidate_positions(cells).tolist() == list(range(len(must_catch)))


# --- the pilot datasets ------------------------------------------------------------------------

def pilot_datasets() -> list[str]:
    """Datasets whose CSV is in the repository (a derived dataset's CSV exists only once the
    pipeline has written it)."""
    return sorted(path.name.removesuffix(".schema.json")
                  for path in (ROOT / "schemas").glob("*.schema.json")
                  if _csv_of(path.name.removesuffix(".schema.json")).is_file())


def _csv_of(dataset: str) -> Path:
    return ROOT / "datasets" / dataset / f"{dataset}.csv"


def test_there_are_pilot_datasets():
    assert len(pilot_datasets()) >= 10


@pytest.mark.parametrize("dataset", pilot_datasets())
def test_every_pilot_dataset_gives_the_same_findings(dataset):
    schema = json.loads((ROOT / "schemas" / f"{dataset}.schema.json").read_text(encoding="utf-8"))
    checked = check_table_file(ROOT / "datasets" / dataset / f"{dataset}.csv", schema,
                               name=dataset)
    assert len(checked.frame) > 0
    assert_same_findings(checked.frame, schema, allow=ContactAllowList.from_file(ORGANIZATION))
    # and with every column scanned, personalData ones too, and no cap
    assert_same_findings(checked.frame, allow=None, limit_per_column=None)


# --- generated text ----------------------------------------------------------------------------

THAI_DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")
FULL_WIDTH = str.maketrans("0123456789@", "０１２３４５６７８９＠")
SEPARATORS = [" ", "  ", "-", " - ", ".", "\u00a0", "\u200b", "\u2060", "\u00ad", "–", "−",
              "(", ")", "+", "/", ":", ",", "\n", ""]
JOINERS = [" ", "-", " - ", ".", "\u00a0", "\u200b", "–", ""]   # what a written number may hold
WORDS = ["โทร", "เลขบัตร", "ประชาชน", "อีเมล", "ติดต่อ", "หนังสือเดินทาง", "passport", "PaSSport",
         "พาสปอร์ต", "ISBN", "+66", "0066", "(0)", "(02)",
         "ครั้งที่", "บาท", "ID:", "doc", "https://example.org/call/", "?tel=", "www.a.th/x?id=",
         "สมชาย", "แอท", "ดอท", "at", "dot", "Contact B", "ราคา", "@", "＠", "[", "]", "（", "）"]


def _national_id(body: int) -> str:
    first12 = f"{body:012d}"
    total = sum(int(d) * w for d, w in zip(first12, range(13, 1, -1)))
    return first12 + str((11 - total % 11) % 10)


def _script(text: str, which: int) -> str:
    return text if which == 0 else text.translate(THAI_DIGITS if which == 1 else FULL_WIDTH)


def _digit_strings(first: str, lengths: tuple[int, int]) -> st.SearchStrategy[str]:
    return st.tuples(st.sampled_from(first), st.text("0123456789", min_size=lengths[0] - 1,
                                                     max_size=lengths[1] - 1)).map("".join)


NUMBERS = st.one_of(
    st.integers(10**11, 9 * 10**11 - 1).map(_national_id),           # a valid ID
    _digit_strings("0", (10, 10)).map(lambda d: d[0] + "689"[int(d[1]) % 3] + d[2:]),  # mobile
    _digit_strings("0", (9, 9)).map(lambda d: d[0] + "234567"[int(d[1]) % 6] + d[2:]),  # landline
    _digit_strings("0123456789", (7, 14)),                            # any number
)


@st.composite
def written_numbers(draw) -> str:
    """A number cut into groups joined by one separator, in one digit script, maybe +66."""
    digits = draw(NUMBERS)
    cuts = sorted(draw(st.sets(st.integers(1, len(digits) - 1), max_size=5)))
    groups = [digits[a:b] for a, b in zip([0, *cuts], [*cuts, len(digits)])]
    separator = draw(st.sampled_from(JOINERS) | st.sampled_from(SEPARATORS))
    number = _script(separator.join(groups), draw(st.integers(0, 2)))
    if draw(st.booleans()):
        return number
    return "+66" + draw(st.sampled_from(["", " ", "-", " (0) "])) + number.lstrip("0๐０")


EMAILS = st.tuples(
    st.text("abcxyz019._", min_size=1, max_size=7),
    st.sampled_from(["@", "＠", " [at] ", "(AT)", "[ａｔ]", "[a\u200bt]", " (แอท) ", "[at\u00a0]",
                     "at"]),
    st.sampled_from(["example.com", "senate.go.th", "ตัวอย่าง.ไทย", "a [dot] co", "x.png"]),
).map("".join)
PASSPORTS = st.tuples(
    st.text("ABXZ", min_size=1, max_size=2), st.sampled_from(["", " ", "-"]),
    st.tuples(st.text("0123456789", min_size=6, max_size=8), st.integers(0, 2))
    .map(lambda digits: _script(*digits)),
).map("".join)
#: One personal-data form (or a near miss) in one of its written ways.
PERSONAL_FORMS = st.one_of(written_numbers(), EMAILS, PASSPORTS)


#: Look-alikes: dates and times, amounts, counts, codes, in any digit script.
LOOK_ALIKES = st.tuples(
    st.sampled_from(["{d}-{m}-{y} {h}:{n}", "{d}/{m}/{y}", "{y}-{m}-{d}T{h}:{n}:00",
                     "{y}{m}{d} {h}{n}", "{h}.{n} น. {d} {m} {y}", "{y} {h} {n} {d}",
                     "66{m} {y}", "0{d} {y} {h}{n}"]),
    st.integers(1, 31), st.integers(1, 12), st.integers(2500, 2600), st.integers(0, 23),
    st.integers(0, 59), st.integers(0, 2),
).map(lambda t: _script(t[0].format(d=f"{t[1]:02d}", m=f"{t[2]:02d}", y=t[3], h=f"{t[4]:02d}",
                                    n=f"{t[5]:02d}"), t[6]))


#: A cell: forms (twice as likely), look-alikes, words, separators and character soup, glued.
CELLS = st.lists(st.one_of(PERSONAL_FORMS, PERSONAL_FORMS, LOOK_ALIKES, st.sampled_from(WORDS),
                           st.sampled_from(SEPARATORS),
                           st.text(alphabet="0123456789๐๑๒๓๔๕๖๗๘๙ -.()+@กขคabcAB", max_size=16)),
                 min_size=1, max_size=6).map("".join)


@settings(max_examples=300, deadline=None, database=None, derandomize=True)
@given(st.lists(st.one_of(CELLS, st.none()), min_size=1, max_size=8))
def test_generated_text_gives_the_same_findings(values):
    assert_same_findings(text_frame({"a": values, "b": values[::-1]}), limit_per_column=None)


@settings(max_examples=300, deadline=None, database=None, derandomize=True)
@given(CELLS)
def test_every_generated_text_holding_a_hit_is_a_candidate(text):
    is_candidate = candidate_positions(pa.array([text])).tolist() == [0]
    assert is_candidate or find_personal_data(text) == []


# --- every code point in the places a written form allows one ----------------------------------

def _every_code_point() -> list[str]:
    table = fold_table()
    codes = [*range(0x20000), *range(0xE0000, 0xE0080)]   # the planes fold_table covers
    return [chr(code) for code in codes
            if code in table or unicodedata.category(chr(code)) not in ("Cs", "Cn")]


TEMPLATES = [
    "08123{}45678",      # between the digits of a phone: a separator, a dropped one, or not
    "02123456{}",        # the ninth digit of a landline number, in any script
    "{}812345678",       # the leading 0
    "+66{}812345678",    # after the country code
    "1101700{}23456",    # inside an ID
    "somchai{}example.com",          # an at sign, or not
    "somchai [{}t] example.com",     # the letters of an obfuscated one
    "somchai [a{}t] example.com",
    "somchai (แอ{}) example.com",
    "somchai {}at] example.com",     # its opening bracket
    "somchai [at{}example.com",      # its closing bracket
    "AB{}1234567",                   # between a passport number's letters and digits
    "A{}1234567",                    # its second letter
    "passport {}1234567",            # its only letter, after the word
    "pa{}sport A1234567",            # a letter of the word
]


@pytest.mark.parametrize("template", TEMPLATES)
def test_no_code_point_in_a_written_form_escapes_the_prefilter(template):
    """Each assigned code point in turn at one place of a written form: the texts the
    prefilter rejects, read by the detector all at once (one per line), hold no hit."""
    texts = [template.format(char) for char in _every_code_point() if char not in "\n\r"]
    candidates = set(candidate_positions(pa.array(texts)).tolist())
    rejected = [text for position, text in enumerate(texts) if position not in candidates]
    assert find_personal_data("\n".join(rejected)) == []
    assert len(candidates) < len(texts)   # the prefilter does reject something


def test_ordinary_numbers_dates_and_codes_are_not_candidates():
    """What makes the scan fast: values with many digits but no hit's shape never reach the
    detector (dates with times, amounts, vote counts, one-letter codes, URLs)."""
    ordinary = ["09-08-2562 14:30", "ประชุม 09-08-2562 14 น.", "2019-08-05T10:30:00",
                "3,200,000,000 บาท", "1234567.25", "เห็นด้วย 200 ไม่เห็นด้วย 0 งดออกเสียง 5",
                "R1234567", "สว 0014/1234 ลงวันที่ 5/8/2562", "๒๕๖๒-๐๘-๐๙ ๑๔:๓๐",
                "https://www.senate.go.th/document/Ext42/42835_0001.PDF", "SEN-0000001",
                "DOC2AB1234567"]
    assert candidate_positions(pa.array(ordinary)).tolist() == []


def test_a_passport_number_after_a_letter_is_a_code_and_after_a_space_a_candidate():
    texts = ["SEN-0000001", "S\u200bEN-0000001", "ผู้ยื่น EN-0000001", "(AB1234567)"]
    assert [bool(find_personal_data(text)) for text in texts] == [False, False, True, True]
    assert candidate_positions(pa.array(texts)).tolist() == [2, 3]


# --- frames the pipeline makes -----------------------------------------------------------------

def test_integer_object_and_pandas_str_columns_give_the_same_findings():
    valid = _national_id(110170012345)
    rows = range(2, 6)
    frame = pd.DataFrame({
        "ids": pd.Series([int(valid), -int(valid), int(valid) + 1, None], dtype="Int64",
                         index=rows),
        "mixed": pd.Series([int(valid), f"โทร {valid}", 3.5, None], dtype=object, index=rows),
        "str": pd.Series(["a@example.org", None, "x", "0812345678"], dtype="str", index=rows),
        "flag": pd.Series([True, False, None, True], dtype="boolean", index=rows),
    })
    found = assert_same_findings(frame)
    assert {(f.field, f.row) for f in found} >= {("ids", 2), ("mixed", 3), ("str", 2)}


def test_a_capped_column_gives_the_same_findings_and_summary():
    frame = text_frame({"phones": [f"08{k:08d}" for k in range(30)] + ["x"] * 5})
    found = assert_same_findings(frame, limit_per_column=7)
    assert [f.row for f in found][-1] is None and len(found) == 8


def test_a_lone_surrogate_in_an_object_column_is_still_scanned():
    frame = text_frame({"note": ["\ud800 โทร 0812345678", "x"]}, dtype=object)
    assert [(f.rule, f.row) for f in assert_same_findings(frame)] == [
        ("personal-data/phone-number", 2)]

