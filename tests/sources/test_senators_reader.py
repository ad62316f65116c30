from flows.sources.politician_directory.senators import COLUMNS, read_senators

PEOPLE = """\
- id: '1'
  title: พลเอก
  name: ประยุทธ์
  lastname: จันทร์โอชา
  en: {title: General, name: Prayut, lastname: Chan-o-cha}
  is_senator: false
  is_mp: false
  senator_method: ''
  gender: ชาย
  birthdate: '1954-03-21'
  education: สถาบันทหาร
  occupation_group: ทหาร
- id: '537'
  title: นาย
  name: สมชาย
  lastname: ใจดี
  en: {title: Mr., name: Somchai, lastname: Jaidee}
  is_senator: true
  is_mp: false
  senator_method: เลือกโดย คสช.
  gender: ชาย
  birthdate: '2052-06-07'
  education: ปริญญาโท
  occupation_group: ''
- id: '538'
  title: นาง
  name: สมหญิง
  lastname: ใจดี
  en: {title: Mrs., name: '', lastname: ''}
  is_senator: true
  is_mp: false
  senator_method: เลือกกันเอง
  gender: หญิง
  birthdate: null
  education: ปริญญาเอก
  occupation_group: การศึกษา
"""


def test_only_senators_are_kept_in_source_order(raw_yaml):
    frame, findings = read_senators([raw_yaml(PEOPLE)])
    assert tuple(frame.columns) == COLUMNS
    assert list(frame["senator_id"]) == ["537", "538"]
    assert list(frame.index) == [2, 3]
    assert findings == []


def test_fields_are_mapped_and_empty_strings_become_empty_cells(raw_yaml):
    frame, _ = read_senators([raw_yaml(PEOPLE)])
    first = frame.loc[2].to_dict()
    assert first == {"senator_id": "537", "title": "นาย", "first_name": "สมชาย",
                     "last_name": "ใจดี", "first_name_en": "Somchai", "last_name_en": "Jaidee",
                     "selection_method": "เลือกโดย คสช.", "gender": "ชาย",
                     "occupation_group": None, "education": "ปริญญาโท",
                     "birthdate": "2052-06-07"}     # the impossible year is kept, not fixed
    second = frame.loc[3]
    assert (second["first_name_en"], second["last_name_en"], second["birthdate"]) == (
        None, None, None)


def test_same_name_under_two_ids_is_kept(raw_yaml):
    twin = PEOPLE.split("- id: '538'")[0].split("- id: '537'")[1]   # senator 537's fields
    frame, _ = read_senators([raw_yaml(PEOPLE + "- id: '999'" + twin)])
    assert list(frame["senator_id"]) == ["537", "538", "999"]
    assert list(frame["first_name"]) == ["สมชาย", "สมหญิง", "สมชาย"]


def test_unclear_senator_flag_is_left_out_and_reported(raw_yaml):
    text = PEOPLE.replace("is_senator: true\n  is_mp: false\n  senator_method: เลือกกันเอง",
                          "is_senator: 'yes'\n  is_mp: false\n  senator_method: เลือกกันเอง")
    frame, findings = read_senators([raw_yaml(text)])
    assert list(frame["senator_id"]) == ["537"]
    assert [(f.rule, f.value) for f in findings] == [("source/senator-flag-unclear", "538")]


def test_unquoted_yaml_date_is_written_iso(raw_yaml):
    frame, _ = read_senators([raw_yaml(PEOPLE.replace("'2052-06-07'", "1960-05-13"))])
    assert frame.loc[2, "birthdate"] == "1960-05-13"
