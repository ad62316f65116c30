"""The pure rule functions of ckanext.senate_dga.rules (no CKAN needed)."""
from __future__ import annotations

import pytest

from ckanext.senate_dga import rules
from ckanext.senate_dga.classification import load_policy

#: The project's classification policy (catalog_config/classification.yaml).
POLICY = load_policy()

PUBLIC, INTERNAL, PERSONAL = "ข้อมูลสาธารณะ", "ข้อมูลใช้ภายใน", "ข้อมูลส่วนบุคคล"
SECURITY, SECRET = "ข้อมูลความมั่นคง", "ข้อมูลความลับทางราชการ"
OPEN, ORG_ONLY = "เปิดเผย", "ชั้นเผยแพร่ภายในองค์กร"


# --- selected_values -------------------------------------------------------

@pytest.mark.parametrize("value, expected", [
    (None, []),
    ("", []),
    ("อื่นๆ", ["อื่นๆ"]),
    (["CSV", "อื่นๆ"], ["CSV", "อื่นๆ"]),
    ('["CSV", "อื่นๆ"]', ["CSV", "อื่นๆ"]),  # as scheming_multiple_choice stores it
    ("[not json", ["[not json"]),
    ([], []),
])
def test_selected_values(value, expected):
    assert rules.selected_values(value) == expected


# --- อื่นๆ / *_other --------------------------------------------------------

def test_main_field_for():
    assert rules.main_field_for("resource_data_collect_other") == "resource_data_collect"
    with pytest.raises(ValueError):
        rules.main_field_for("objective")


@pytest.mark.parametrize("main_value", [
    "อื่นๆ", ["อื่นๆ"], ["พันธกิจหน่วยงาน", "อื่นๆ"], '["อื่นๆ"]',
])
@pytest.mark.parametrize("other_text", [None, "", "   "])
def test_other_choice_requires_text(main_value, other_text):
    problem = rules.other_text_problem("objective", main_value, other_text)
    assert problem and "Required" in problem


def test_data_type_other_choice_requires_text():
    other = "ข้อมูลประเภทอื่นๆ"
    problem = rules.other_text_problem("data_type", other, None, other_choice=other)
    assert problem and other in problem
    assert rules.other_text_problem(
        "data_type", other, "ข้อมูลเสียง", other_choice=other) is None
    assert rules.other_text_problem(
        "data_type", "ข้อมูลสถิติ", "ข้อมูลเสียง", other_choice=other)


@pytest.mark.parametrize("values, expected", [
    (["ปี", "อื่นๆ"], "อื่นๆ"),
    (["ข้อมูลระเบียน", "ข้อมูลประเภทอื่นๆ"], "ข้อมูลประเภทอื่นๆ"),
    (["เปิดเผย", "ลับ"], None),
])
def test_other_choice_in(values, expected):
    assert rules.other_choice_in(values) == expected


@pytest.mark.parametrize("main_value", [None, "ปี", ["CSV"], '["CSV"]'])
def test_stray_other_text_is_rejected(main_value):
    problem = rules.other_text_problem("data_format", main_value, "ไฟล์ DWG")
    assert problem and "Only allowed" in problem


@pytest.mark.parametrize("main_value, other_text", [
    ("อื่นๆ", "รายสองปี"),
    (["CSV", "อื่นๆ"], "ไฟล์ DWG"),
    ("ปี", None),
    ("ปี", ""),
    (None, None),
])
def test_other_pair_accepted(main_value, other_text):
    assert rules.other_text_problem("x", main_value, other_text) is None


# --- data_category / data_classification (§5) ------------------------------

@pytest.mark.parametrize("category, classification", [
    (PUBLIC, OPEN),
    (INTERNAL, ORG_ONLY),
    (PERSONAL, ORG_ONLY), (PERSONAL, "ลับ"), (PERSONAL, "ลับมาก"),
    (SECURITY, "ลับ"), (SECURITY, "ลับมาก"), (SECURITY, "ลับที่สุด"),
    (SECRET, "ลับ"), (SECRET, "ลับมาก"), (SECRET, "ลับที่สุด"),
])
def test_allowed_classifications(category, classification):
    assert rules.classification_problem(category, classification, policy=POLICY) is None


@pytest.mark.parametrize("category, classification", [
    (PUBLIC, ORG_ONLY), (PUBLIC, "ลับ"),
    (INTERNAL, OPEN), (INTERNAL, "ลับ"),
    (PERSONAL, OPEN), (PERSONAL, "ลับที่สุด"),
    (SECURITY, OPEN), (SECURITY, ORG_ONLY),
    (SECRET, OPEN), (SECRET, ORG_ONLY),
])
def test_disallowed_classifications(category, classification):
    assert rules.classification_problem(category, classification, policy=POLICY)


@pytest.mark.parametrize("category, classification", [
    (None, "ลับ"), (SECURITY, None), (SECURITY, ""), ("unknown", "ลับ"),
])
def test_classification_check_skips_empty_or_unknown(category, classification):
    assert rules.classification_problem(category, classification, policy=POLICY) is None


def test_table_covers_every_category():
    assert set(POLICY.allowed) == {PUBLIC, INTERNAL, PERSONAL, SECURITY, SECRET}


@pytest.mark.parametrize("category, classification", [
    (SECURITY, "ลับ"), (SECRET, "ลับที่สุด"), (PERSONAL, "ลับ"), (PERSONAL, "ลับมาก")])
def test_withheld_dataset_may_be_a_record_without_files_only(category, classification):
    assert rules.governance_problems(category=category, classification=classification,
                                     private=True, policy=POLICY) == {}
    problems = rules.governance_problems(category=category, classification=classification,
                                         private=True, policy=POLICY, resources=1)
    assert set(problems) == {"data_classification"}
    assert "no resources" in problems["data_classification"]


@pytest.mark.parametrize("category, classification", [
    (PUBLIC, OPEN), (INTERNAL, ORG_ONLY), (PERSONAL, ORG_ONLY)])
def test_other_datasets_keep_their_files(category, classification):
    private = category != PUBLIC
    assert rules.governance_problems(category=category, classification=classification,
                                     private=private, policy=POLICY, resources=4) == {}


# --- public datasets -------------------------------------------------------

def test_public_dataset_open_is_fine():
    assert rules.governance_problems(category=PUBLIC, classification=OPEN, private=False, policy=POLICY) == {}


def test_public_dataset_needs_classification():
    problems = rules.governance_problems(category=PUBLIC, classification=None, private=False, policy=POLICY)
    assert set(problems) == {"data_classification"}


def test_public_dataset_must_be_public_category():
    problems = rules.governance_problems(category=INTERNAL, classification=ORG_ONLY, private=False, policy=POLICY)
    assert set(problems) == {"data_category", "data_classification"}


def test_public_dataset_mismatch_reports_each_field_once():
    problems = rules.governance_problems(category=PUBLIC, classification="ลับ", private=False, policy=POLICY)
    assert set(problems) == {"data_classification"}
    assert "allows only" in problems["data_classification"]


def test_public_dataset_missing_category_left_to_required_check():
    problems = rules.governance_problems(category=None, classification=OPEN, private=False, policy=POLICY)
    assert problems == {}


def test_private_dataset_may_omit_classification():
    assert rules.governance_problems(category=SECRET, classification=None, private=True, policy=POLICY) == {}


def test_private_dataset_still_checks_consistency():
    problems = rules.governance_problems(category=SECRET, classification=OPEN, private=True, policy=POLICY)
    assert set(problems) == {"data_classification"}


@pytest.mark.parametrize("value, current, expected", [
    (None, None, False),       # create without private: CKAN makes it public
    ("", None, False),
    (None, True, True),        # update without private keeps the stored value
    (None, False, False),
    (True, None, True), (False, True, False),
    ("True", None, True), ("true", None, True), ("yes", None, True),
    ("False", True, False), ("no", None, False),
])
def test_effective_private(value, current, expected):
    assert rules.effective_private(value, current=current) is expected


# --- tags ------------------------------------------------------------------

@pytest.mark.parametrize("value, expected", [
    ("ประชุม, วุฒิสภา ,", ["ประชุม", "วุฒิสภา"]),
    (["ประชุม", " ", "กฎหมาย"], ["ประชุม", "กฎหมาย"]),
    (None, []),
    ("", []),
])
def test_parse_tag_string(value, expected):
    assert rules.parse_tag_string(value) == expected


@pytest.mark.parametrize("tag_string, tag_names", [
    ("คำสำคัญ", []),
    (["คำสำคัญ"], []),
    (None, ["วุฒิสภา"]),        # package_show -> package_update round trip
])
def test_tags_present(tag_string, tag_names):
    assert rules.tags_problem(tag_string, tag_names) is None


@pytest.mark.parametrize("tag_string, tag_names", [
    (None, []), ("", []), (" , ", []), ([], [""]),
])
def test_tags_missing(tag_string, tag_names):
    assert rules.tags_problem(tag_string, tag_names)


@pytest.mark.parametrize("name", [
    "คำสำคัญ", "การประชุมวุฒิสภา", "ร่าง พ.ร.บ.", "open-data_2567", "Senate 2024",
])
def test_thai_tag_names_allowed(name):
    assert rules.tag_name_problem(name) is None


@pytest.mark.parametrize("name", ["a/b", "ข้อมูล,", "tag#1", "<script>"])
def test_bad_tag_names(name):
    assert rules.tag_name_problem(name)


# --- name, dates, title ----------------------------------------------------

def test_name_length():
    assert rules.name_length_problem("a" * rules.NAME_MAX_LENGTH) is None
    assert rules.name_length_problem("a" * (rules.NAME_MAX_LENGTH + 1))
    assert rules.NAME_MAX_LENGTH == 70


@pytest.mark.parametrize("year, bad", [(2024, False), (2399, False), (2400, True), (2567, True)])
def test_buddhist_era_year(year, bad):
    assert bool(rules.buddhist_era_year_problem(year)) is bad


def test_buddhist_era_message_suggests_gregorian_year():
    assert "2024" in rules.buddhist_era_year_problem(2567)


def test_duplicate_title_message_names_the_title():
    assert "รายงานการประชุม" in rules.duplicate_title_message("รายงานการประชุม")


# --- positive_integer_problem (update_frequency_interval) ----------------------------------

@pytest.mark.parametrize("value", ["1", "12", " 2 ", 3, "", None])
def test_positive_integer_accepts_whole_numbers_and_nothing(value):
    assert rules.positive_integer_problem(value) is None


@pytest.mark.parametrize("value", [[1, 2], "[1, 2]", {"n": 1}, "1.5", 1.5, "0", 0, "-1",
                                   "abc", "๑", True])
def test_positive_integer_refuses_what_would_be_stored_as_its_text(value):
    problem = rules.positive_integer_problem(value)
    assert problem.startswith("Must be a whole number of at least 1, e.g. 1; got ")
    assert repr(value) in problem and "(ต้องเป็นจำนวนเต็มตั้งแต่ 1 ขึ้นไป" in problem
