from flows.sources.politician_directory.document_links import read_document_links

MINUTES = {"title": "บันทึกการประชุมวุฒิสภา ครั้งที่ 9",
           "link": "https://senate.example/record.pdf"}
SUMMARY = {"title": "สรุปการประชุม", "link": "https://senate.example/summary.pdf"}
DRAFT = {"title": "ร่างข้อบังคับการประชุมวุฒิสภา", "link": "https://senate.example/draft.pdf"}
MEMO = {"title": "บันทึกข้อความ", "link": "https://senate.example/memo.pdf"}
PADDING = {"title": "", "link": ""}


def test_minutes_and_summary_get_their_own_columns():
    links = read_document_links([MINUTES, SUMMARY])
    assert links.record_url == "https://senate.example/record.pdf"
    assert links.summary_url == "https://senate.example/summary.pdf"
    assert links.other_documents is None


def test_other_entries_are_joined_as_title_pipe_url_in_source_order():
    links = read_document_links([DRAFT, SUMMARY, MEMO])
    assert links.record_url is None
    assert links.summary_url == "https://senate.example/summary.pdf"
    assert links.other_documents == (
        "ร่างข้อบังคับการประชุมวุฒิสภา | https://senate.example/draft.pdf"
        " ; บันทึกข้อความ | https://senate.example/memo.pdf")


def test_memo_is_not_mistaken_for_minutes():
    # บันทึกข้อความ (a memo) and บันทึกการประชุม (minutes) share their first word only.
    assert read_document_links([MEMO]).record_url is None


def test_a_second_summary_is_kept_in_other_documents():
    second = {"title": "สรุปการประชุม", "link": "https://senate.example/second.pdf"}
    links = read_document_links([SUMMARY, second])
    assert links.summary_url == "https://senate.example/summary.pdf"
    assert links.other_documents == "สรุปการประชุม | https://senate.example/second.pdf"


def test_padding_entries_are_dropped_and_not_reported():
    links = read_document_links([PADDING, PADDING])
    assert (links.record_url, links.summary_url, links.other_documents) == (None, None, None)
    assert links.incomplete == ()


def test_minutes_without_a_link_stay_in_other_documents_and_are_reported():
    links = read_document_links([{"title": "บันทึกการประชุม", "link": ""}])
    assert links.record_url is None
    assert links.other_documents == "บันทึกการประชุม | "
    assert [link.title for link in links.incomplete] == ["บันทึกการประชุม"]


def test_a_link_without_title_is_kept_and_reported():
    links = read_document_links([{"title": None, "link": "https://senate.example/x.pdf"}])
    assert links.other_documents == " | https://senate.example/x.pdf"
    assert [link.link for link in links.incomplete] == ["https://senate.example/x.pdf"]


def test_a_title_holding_a_separator_is_reported_as_ambiguous():
    entry = {"title": "ร่าง ก | ร่าง ข", "link": "https://senate.example/x.pdf"}
    links = read_document_links([entry])
    assert [link.title for link in links.ambiguous] == ["ร่าง ก | ร่าง ข"]
    assert read_document_links([DRAFT, MEMO]).ambiguous == ()
