"""Steward waivers: loading the YAML, matching findings, expiry, and the warnings about stale
waivers."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from flows.errors import ConfigError
from flows.validation.findings import Finding, Severity
from flows.validation.waivers import Waiver, apply_waivers, load_waivers

README = Path(__file__).resolve().parents[2] / "metadata" / "waivers" / "README.md"
TODAY = date(2026, 6, 1)


def finding(rule: str = "expectations/counts-present", *, field: str | None = "approve",
            row: int | None = 147, severity: Severity = Severity.ERROR) -> Finding:
    return Finding(rule=rule, severity=severity, message_th="ไม่มีคะแนน", message_en="no counts",
                   row=row, field=field)


def waiver(rule: str = "expectations/counts-present", *, field: str | None = None,
           rows: set[int] | None = None, expires: date = date(2027, 3, 31)) -> Waiver:
    return Waiver(rule=rule, reason="source has no counts yet", by="สมชาย ใจดี",
                  expires=expires, field=field,
                  rows=frozenset(rows) if rows is not None else None,
                  origin="metadata/waivers/senate-votes.yaml, waiver #1")


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "senate-votes.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def rules_of(findings: list[Finding]) -> list[str]:
    return [f.rule for f in findings]


#: What ``waiver()`` leaves on a finding it waives: who, why, and the last day it applies.
NOTE = "สมชาย ใจดี: source has no counts yet (until 2027-03-31)"


# --- loading ---------------------------------------------------------------------------------

def test_missing_file_means_no_waivers(tmp_path):
    assert load_waivers(tmp_path / "nothing-here.yaml") == []


@pytest.mark.parametrize("text", ["", "waivers:\n", "waivers: []\n"])
def test_empty_file_or_list_means_no_waivers(tmp_path, text):
    assert load_waivers(write(tmp_path, text)) == []


def test_the_readme_example_loads_as_documented(tmp_path):
    example = re.search(r"```yaml\n(.*?)```", README.read_text(encoding="utf-8"), re.S).group(1)
    [loaded] = load_waivers(write(tmp_path, example))
    assert loaded.rule == "expectations/counts-present"
    assert loaded.field == "approve" and loaded.rows == frozenset({147})
    assert loaded.expires == date(2027, 3, 31)
    assert loaded.by == "สมชาย ใจดี (data steward, สำนักการประชุม)"
    assert loaded.reason.startswith("ข้อมูลต้นทางยังไม่บันทึกคะแนน")


def test_single_row_and_quoted_date_are_accepted(tmp_path):
    [loaded] = load_waivers(write(tmp_path, """
waivers:
  - rule: schema/type-error
    row: 12
    reason: ok
    by: me
    expires: "2027-01-15"
"""))
    assert loaded.rows == frozenset({12}) and loaded.field is None
    assert loaded.expires == date(2027, 1, 15)
    assert loaded.origin.endswith("senate-votes.yaml, waiver #1")


BASE = {"rule": "expectations/counts-present", "reason": "r", "by": "b", "expires": "2027-03-31"}


def entry_yaml(**changes: object) -> str:
    """A two-waiver file whose second waiver is BASE with ``changes`` (None deletes a key)."""
    fields = {**BASE, **changes}
    lines = [f"    {key}: {value}" for key, value in fields.items() if value is not None]
    good = "\n".join(f"    {key}: {value}" for key, value in BASE.items())
    return "waivers:\n  -\n" + good + "\n  -\n" + "\n".join(lines) + "\n"


@pytest.mark.parametrize("changes, expected", [
    ({"reason": None}, "waiver #2: missing 'reason'"),
    ({"by": None}, "waiver #2: missing 'by'"),
    ({"expires": None},
     "waiver #2: missing 'expires'; give the last day it applies as an ISO date"),
    ({"rule": None}, "waiver #2: missing 'rule'"),
    ({"feild": "approve"}, "waiver #2: unknown key 'feild'; allowed keys are by, expires, field"),
    ({"expires": "31/03/2027"},
     "waiver #2: 'expires' must be an ISO date YYYY-MM-DD (got '31/03/2027')"),
    ({"expires": "2027-02-30"}, "'expires' must be an ISO date YYYY-MM-DD (got '2027-02-30')"),
    ({"expires": "2027-03-31T12:00:00"}, "'expires' must be an ISO date YYYY-MM-DD"),
    ({"expires": "2027-03-31 12:00"}, "'expires' must be an ISO date YYYY-MM-DD"),
    ({"expires": "'2027-02-30'"}, "'expires' must be an ISO date YYYY-MM-DD (got '2027-02-30')"),
    ({"expires": "20270331"}, "'expires' must be an ISO date YYYY-MM-DD"),
    ({"rule": "counts-present"}, "'rule' must be a rule slug `<check>/<name>`"),
    ({"rule": "personal-data/phone-number"},
     "cannot be waived: personal data must never be published"),
    ({"rule": "waivers/unused"}, "'rule' waivers/unused cannot be waived"),
    ({"rows": "147"}, "'rows' must be a non-empty list of row numbers"),
    ({"rows": "[]"}, "'rows' must be a non-empty list of row numbers"),
    ({"rows": "[0]"}, "'rows' must be a non-empty list of row numbers"),
    ({"rows": "[true]"}, "'rows' must be a non-empty list of row numbers"),
    ({"rows": "[147]", "row": "147"}, "give either 'row' or 'rows', not both"),
    ({"field": "[a, b]"}, "'field' must be a column name"),
    ({"by": "42"}, "'by' must be text (got 42)"),
])
def test_malformed_waiver_names_file_entry_key_and_fix(tmp_path, changes, expected):
    path = write(tmp_path, entry_yaml(**changes))
    with pytest.raises(ConfigError) as error:
        load_waivers(path)
    assert str(error.value).startswith(f"{path}, waiver #2: ")
    assert expected in str(error.value)


@pytest.mark.parametrize("text, expected", [
    ("- rule: a/b\n", "must hold a single key `waivers:`"),
    ("waivers: []\nwaiver: []\n", "must hold a single key `waivers:`"),
    ("waivers:\n  rule: a/b\n", "`waivers:` must be a list"),
    ("waivers:\n  - just text\n", "waiver #1: must be a mapping"),
    ("waivers: [\n", "is not valid YAML"),
])
def test_malformed_file_says_what_is_wrong(tmp_path, text, expected):
    path = write(tmp_path, text)
    with pytest.raises(ConfigError, match=re.escape(expected)) as error:
        load_waivers(path)
    assert str(path) in str(error.value)


def test_file_not_in_utf8_says_so(tmp_path):
    path = tmp_path / "senate-votes.yaml"
    path.write_bytes("waivers:\n  - by: สมชาย\n".encode("cp874"))
    with pytest.raises(ConfigError, match="is not UTF-8 text: save it as UTF-8"):
        load_waivers(path)


# --- matching --------------------------------------------------------------------------------

def test_matching_finding_is_waived_with_who_why_and_until():
    [waived] = apply_waivers([finding()], [waiver(field="approve", rows={147})], today=TODAY)
    assert waived.waived_by == NOTE
    assert not waived.blocking
    # the finding itself is kept as it was: the report still shows what was waived
    assert (waived.rule, waived.severity, waived.field, waived.row) == (
        "expectations/counts-present", Severity.ERROR, "approve", 147)


@pytest.mark.parametrize("w, matched", [
    (waiver(), True),                                   # rule only: every field, every row
    (waiver(field="approve"), True),
    (waiver(field="disprove"), False),
    (waiver(rows={147, 200}), True),
    (waiver(rows={148}), False),
    (waiver(field="approve", rows={147}), True),
    (waiver(field="disprove", rows={147}), False),
    (waiver("expectations/counts-sum"), False),                   # exact rule, no prefix match
    (waiver("expectations"), False),
])
def test_waiver_matches_by_rule_field_and_rows(w, matched):
    assert w.matches(finding()) is matched


def test_field_or_row_waiver_does_not_match_table_level_findings():
    table_level = finding(field=None, row=None)
    assert waiver().matches(table_level)
    assert not waiver(field="approve").matches(table_level)
    assert not waiver(rows={147}).matches(table_level)


def test_only_matching_findings_are_waived_and_order_is_kept():
    findings = [finding(row=146), finding(row=147), finding("schema/type-error", row=147)]
    result = apply_waivers(findings, [waiver(rows={147})], today=TODAY)
    assert [f.waived_by for f in result] == [None, NOTE, None]
    assert [f.blocking for f in result] == [True, False, True]
    assert [(f.rule, f.row) for f in result] == [("expectations/counts-present", 146),
                                                 ("expectations/counts-present", 147),
                                                 ("schema/type-error", 147)]


def test_first_waiver_in_file_order_wins_and_the_other_is_unused():
    first = waiver(field="approve")
    second = Waiver(rule=first.rule, reason="other", by="someone", expires=first.expires)
    result = apply_waivers([finding()], [first, second], today=TODAY)
    assert result[0].waived_by == NOTE
    assert rules_of(result[1:]) == ["waivers/unused"]
    assert "someone" in result[1].message_en   # the unused one is the second, not the first


def test_already_waived_finding_is_left_alone():
    earlier = finding().waive("earlier note")
    result = apply_waivers([earlier], [waiver()], today=TODAY)
    assert result[0].waived_by == "earlier note"
    assert rules_of(result[1:]) == ["waivers/unused"]


def test_warnings_can_be_waived_too():
    warning = finding(severity=Severity.WARNING)
    [waived] = apply_waivers([warning], [waiver()], today=TODAY)
    assert waived.waived_by == NOTE and waived.severity is Severity.WARNING


def test_personal_data_findings_are_never_waived():
    """Even a Waiver built in code (the loader already refuses the rule) cannot waive them."""
    leak = finding("personal-data/phone-number", field="note", row=5)
    result = apply_waivers([leak], [waiver("personal-data/phone-number")], today=TODAY)
    assert result[0].waived_by is None and result[0].blocking
    assert rules_of(result[1:]) == ["waivers/unused"]


# --- expiry ----------------------------------------------------------------------------------

@pytest.mark.parametrize("today, waived_by, blocking, warnings", [
    (date(2026, 5, 31), "สมชาย ใจดี: source has no counts yet (until 2026-06-01)", False, []),
    (date(2026, 6, 1), "สมชาย ใจดี: source has no counts yet (until 2026-06-01)", False, []),
    (date(2026, 6, 2), None, True, ["waivers/expired"]),
], ids=["day-before", "expiry-day", "day-after"])
def test_a_waiver_applies_up_to_and_including_its_expiry_day(today, waived_by, blocking,
                                                              warnings):
    expires_june_1 = waiver(expires=date(2026, 6, 1))
    result = apply_waivers([finding()], [expires_june_1], today=today)
    assert (result[0].waived_by, result[0].blocking) == (waived_by, blocking)
    assert rules_of(result[1:]) == warnings


def test_expired_waiver_stops_applying_and_warns_once():
    expired = waiver(field="approve", rows={147}, expires=date(2026, 5, 31))
    result = apply_waivers([finding(row=147), finding(row=147)], [expired], today=TODAY)
    assert [f.waived_by for f in result[:2]] == [None, None]
    assert all(f.blocking for f in result[:2])
    [warning] = result[2:]
    assert warning.rule == "waivers/expired" and warning.severity is Severity.WARNING
    assert not warning.blocking and warning.field == "approve"
    for text in (warning.message_en, warning.message_th):
        assert "expectations/counts-present" in text
        assert "สมชาย ใจดี" in text
        assert "2026-05-31" in text
    assert "renew" in warning.hint_en and "senate-votes.yaml, waiver #1" in warning.hint_en
    assert "ต่ออายุ" in warning.hint_th


def test_unused_waiver_warns_naming_rule_field_rows_and_file():
    result = apply_waivers([finding(row=146)], [waiver(field="approve", rows={147, 9})],
                           today=TODAY)
    [warning] = [f for f in result if f.rule == "waivers/unused"]
    assert warning.severity is Severity.WARNING and not warning.blocking
    assert "expectations/counts-present, field approve, rows 9, 147" in warning.message_en
    assert "expectations/counts-present, field approve, rows 9, 147" in warning.message_th
    assert "senate-votes.yaml, waiver #1" in warning.hint_en


def test_no_waivers_returns_findings_unchanged():
    findings = [finding(), finding("schema/type-error")]
    assert apply_waivers(findings, [], today=TODAY) == findings


def test_loaded_file_applies_end_to_end(tmp_path):
    path = write(tmp_path, """
waivers:
  - rule: expectations/counts-present
    field: approve
    rows: [147]
    reason: "ต้นทางไม่มีคะแนน / source has no counts"
    by: "สมชาย ใจดี"
    expires: 2026-06-01
  - rule: schema/type-error
    reason: fixed long ago
    by: "สมหญิง"
    expires: 2026-01-01
""")
    result = apply_waivers([finding()], load_waivers(path), today=TODAY)
    assert result[0].waived_by == (
        "สมชาย ใจดี: ต้นทางไม่มีคะแนน / source has no counts (until 2026-06-01)")
    assert rules_of(result[1:]) == ["waivers/expired"]
