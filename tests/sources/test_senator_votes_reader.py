from flows.sources.politician_directory.senator_votes import COLUMNS, read_senator_votes

VOTES = """\
- id: '526'
  title: พลเอก
  name: กนิษฐ์
  lastname: ชาญปรีชญา
  votelog:
    - {key: '1', value: '5'}
    - {key: '2', value: '1'}
    - {key: '3', value: '-'}
  field150: ''
- id: '527'
  title: นาย
  name: กรรณภว์
  lastname: ธนภรรคภวิน
  votelog:
    - {key: '1', value: '9'}
    - {key: '2', value: ''}
  field150: ''
"""


def test_one_row_per_senator_and_vote_with_labels(raw_yaml):
    frame, findings = read_senator_votes([raw_yaml(VOTES)])
    assert tuple(frame.columns) == COLUMNS
    assert frame.values.tolist()[:3] == [
        ["526", "1", "5", "ขาด", "absent"],
        ["526", "2", "1", "เห็นด้วย", "yes"],
        ["526", "3", "-", "ไม่เกี่ยวข้อง", "not applicable"],
    ]
    assert findings == []


def test_unknown_code_is_kept_with_empty_labels(raw_yaml):
    frame, findings = read_senator_votes([raw_yaml(VOTES)])
    assert frame.loc[5].tolist() == ["527", "1", "9", None, None]
    assert frame.loc[6].tolist() == ["527", "2", None, None, None]
    assert findings == []      # the schema's enum and required constraints report these


def test_senator_without_votes_is_reported(raw_yaml):
    text = VOTES + "- {id: '528', title: นาย, name: ก, lastname: ข, votelog: [], field150: ''}\n"
    frame, findings = read_senator_votes([raw_yaml(text)])
    assert "528" not in set(frame["senator_id"])
    assert [(f.rule, f.value) for f in findings] == [("source/senator-without-votes", "528")]


def test_junk_field150_holding_data_is_reported(raw_yaml):
    _, findings = read_senator_votes([raw_yaml(VOTES.replace("field150: ''", "field150: x", 1))])
    assert [(f.rule, f.field, f.row, f.value) for f in findings] == [
        ("source/dropped-value", "field150", None, "x")]
