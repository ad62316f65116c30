from flows.sources.politician_directory.senate_votes import COLUMNS, read_senate_votes

VOTE = """\
- id: '1'
  title: ตั้ง กมธ.
  code: 05/08/62-1
  is_active: true
  en: {title: '', legal_title: ''}
  legal_title: ตั้งคณะกรรมาธิการสามัญ
  meeting: ประชุม ส.ว.
  type: ตั้ง กมธ. สามัญ
  vote_date: '2019-08-05'
  passed: false
  is_no_vote: false
  no_vote_description: ''
  approve: null
  disprove: null
  abstained: null
  field17: ''
  total_voter: null
  absent: null
  total_member: null
  description_th: คำอธิบายยาว
  description_en: ''
  document:
    - {title: บันทึกการประชุมวุฒิสภา ครั้งที่ 9, link: 'https://senate.example/r.pdf'}
    - {title: สรุปการประชุม, link: 'https://senate.example/s.pdf'}
  reference: ''
"""


def _vote(**changes: str) -> str:
    text = VOTE
    for old, new in changes.items():
        text = text.replace(old, new)
    return text


def test_columns_follow_the_contract_and_cells_are_text(raw_yaml):
    frame, findings = read_senate_votes([raw_yaml(VOTE)])
    assert tuple(frame.columns) == COLUMNS
    assert list(frame.index) == [2]            # the CSV row number
    row = frame.loc[2]
    assert row["vote_id"] == "1"
    assert row["sitting_code"] == "05/08/62-1"
    assert (row["sitting_date"], row["sitting_sequence"]) == ("2019-08-05", "1")
    assert row["vote_type"] == "ตั้ง กมธ. สามัญ"
    assert row["record_url"] == "https://senate.example/r.pdf"
    assert row["summary_url"] == "https://senate.example/s.pdf"
    assert all(dtype == object for dtype in frame.dtypes)
    assert findings == []


def test_null_counts_and_false_passed_are_kept_not_fixed(raw_yaml):
    frame, _ = read_senate_votes([raw_yaml(VOTE)])
    row = frame.loc[2]
    assert row["passed"] == "false"
    assert [row[c] for c in ("approve", "disprove", "abstained", "absent", "total_voter",
                             "total_member")] == [None] * 6


def test_counts_given_upstream_are_written_as_numbers(raw_yaml):
    frame, _ = read_senate_votes([raw_yaml(_vote(**{"approve: null": "approve: 210"}))])
    assert frame.loc[2, "approve"] == "210"


def test_unreadable_code_keeps_the_code_and_is_an_error_finding(raw_yaml):
    frame, findings = read_senate_votes([raw_yaml(_vote(**{"05/08/62-1": "31/02/62-1"}))])
    assert frame.loc[2, "sitting_code"] == "31/02/62-1"
    assert frame.loc[2, "sitting_date"] is None and frame.loc[2, "sitting_sequence"] is None
    assert [(f.rule, f.severity.value, f.row, f.field, f.value) for f in findings] == [
        ("source/sitting-code-unreadable", "error", 2, "sitting_code", "31/02/62-1")]


def test_code_disagreeing_with_vote_date_is_not_the_readers_business(raw_yaml):
    # The cross-check against vote_date is a quality rule: both columns are kept as they are.
    frame, findings = read_senate_votes([raw_yaml(_vote(**{"05/08/62-1": "06/08/62-1"}))])
    assert (frame.loc[2, "vote_date"], frame.loc[2, "sitting_date"]) == ("2019-08-05",
                                                                         "2019-08-06")
    assert findings == []


def test_stub_vote_with_empty_fields_is_kept(raw_yaml):
    stub = _vote(**{"legal_title: ตั้งคณะกรรมาธิการสามัญ": "legal_title: ''",
                    "meeting: ประชุม ส.ว.": "meeting: ''"})
    frame, _ = read_senate_votes([raw_yaml(stub)])
    assert len(frame) == 1
    assert (frame.loc[2, "legal_title"], frame.loc[2, "meeting"]) == (None, None)


def test_junk_field_holding_data_is_reported(raw_yaml):
    _, findings = read_senate_votes([raw_yaml(_vote(**{"field17: ''": "field17: 'x'"}))])
    assert [(f.rule, f.row, f.field, f.value) for f in findings] == [
        ("source/dropped-value", 2, "field17", "x")]


def test_unknown_upstream_field_is_reported_once(raw_yaml):
    text = VOTE + VOTE.replace("id: '1'", "id: '2'")
    text = text.replace("  reference: ''\n", "  reference: ''\n  new_field: 1\n")
    _, findings = read_senate_votes([raw_yaml(text)])
    assert [(f.rule, f.field, f.row) for f in findings] == [
        ("source/unmapped-field", "new_field", None)]


def test_deliberately_dropped_fields_are_not_reported(raw_yaml):
    # description_th always holds text; dropping it is documented, not a finding.
    _, findings = read_senate_votes([raw_yaml(VOTE)])
    assert findings == []


def test_document_value_of_unknown_shape_is_kept_whole(raw_yaml):
    text = (VOTE.split("  document:")[0]
            + "  document: 'https://senate.example/x.pdf'\n  reference: ''\n")
    frame, _ = read_senate_votes([raw_yaml(text)])
    assert frame.loc[2, "other_documents"] == "https://senate.example/x.pdf"
    assert (frame.loc[2, "record_url"], frame.loc[2, "summary_url"]) == (None, None)
