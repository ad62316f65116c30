import json

import pytest

from flows.settings import PROJECT_ROOT
from flows.sources.politician_directory.senator_votes import VOTE_LABELS, vote_labels


@pytest.mark.parametrize("code, labels", [
    ("1", ("เห็นด้วย", "yes")),
    ("2", ("ไม่เห็นด้วย", "no")),
    ("3", ("งดออกเสียง", "abstain")),
    ("4", ("ไม่ลงคะแนนเสียง", "not voting")),
    ("5", ("ขาด", "absent")),
    ("-", ("ไม่เกี่ยวข้อง", "not applicable")),
])
def test_known_codes_have_thai_and_english_labels(code, labels):
    assert vote_labels(code) == labels


@pytest.mark.parametrize("code", ["6", "0", "yes", " 1", None, ""])
def test_unknown_or_missing_code_has_no_labels(code):
    assert vote_labels(code) == (None, None)


def test_labels_match_the_schema_enums():
    schema = json.loads((PROJECT_ROOT / "schemas" / "senator-votes.schema.json").read_text())
    fields = {field["name"]: field for field in schema["fields"]}
    assert list(VOTE_LABELS) == fields["vote_code"]["constraints"]["enum"]
    assert [th for th, _ in VOTE_LABELS.values()] == fields["vote_label_th"]["constraints"]["enum"]
    assert [en for _, en in VOTE_LABELS.values()] == fields["vote_label_en"]["constraints"]["enum"]
