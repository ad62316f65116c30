import re
from html.parser import HTMLParser

from flows.validation.findings import Finding, Severity
from flows.validation.reports import render_html
from tests.validation.report_samples import result_with, steward_result, type_errors


class _Elements(HTMLParser):
    """Every start tag with its attributes, and the page's text."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _parse(page: str) -> _Elements:
    parser = _Elements()
    parser.feed(page)
    return parser


def _text(page: str) -> str:
    return " ".join(" ".join(_parse(page).text).split())


def test_page_is_self_contained_with_no_network_reference() -> None:
    page = render_html(steward_result())
    for tag, attrs in _parse(page).tags:
        if tag in {"link", "script", "img", "style", "iframe", "source", "object"}:
            for name in ("src", "href", "data"):
                assert not (attrs.get(name) or "").lower().startswith(("http", "//")), (tag, attrs)
    assert not any(tag in {"script", "link", "img", "iframe"} for tag, _ in _parse(page).tags)
    assert not re.search(r"https?://", page)
    assert "@import" not in page and "url(" not in page
    assert "default-src 'none'" in page  # the browser is told to load nothing either


def test_page_is_thai_first_with_a_thai_font_stack_and_mobile_viewport() -> None:
    page = render_html(steward_result())
    assert '<html lang="th">' in page
    assert '"Noto Sans Thai"' in page and '"Loma"' in page and '"Garuda"' in page
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    assert "@media (max-width: 720px)" in page
    text = _text(page)
    assert text.index("ไม่ผ่าน — ระงับการเผยแพร่") < text.index("Fail — blocks publication")


def test_summary_comes_before_samples_and_shows_counts_and_rules() -> None:
    text = _text(render_html(steward_result()))
    assert text.index("สรุปตามกฎการตรวจสอบ") < text.index("ตัวอย่างแถวที่ไม่ผ่าน")
    assert "5,124 ข้อผิดพลาด" in text and "3 คำเตือน" in text and "2 ได้รับการยกเว้น" in text
    for rule in ("schema/type-error", "expectations/no-future-dates",
                 "personal-data/thai-national-id"):
        assert rule in text


def test_samples_are_capped_and_always_say_how_many_are_shown() -> None:
    page = render_html(steward_result())
    text = _text(page)
    assert "แสดง 20 จาก 5,123 รายการ" in text and "showing 20 of 5,123" in text
    assert "showing 3 of 3" in text and "showing 1 of 1" in text
    sample_rows = re.findall(r'data-label="แถว / Row">(\d[\d,]*)</td>', page)
    assert "21" in sample_rows and "22" not in sample_rows  # rows 2..21 of the type errors


def test_every_value_is_escaped() -> None:
    page = render_html(steward_result())
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert "ชื่อเรื่องว่าง &lt;ต้องมีค่า&gt;" in page


def test_escaping_covers_dataset_names_and_waiver_notes() -> None:
    finding = Finding(rule="schema/x", severity=Severity.WARNING, message_th="ข้อความ",
                      message_en="m", row=2, waived_by='"><img src=x onerror=alert(1)>')
    page = render_html(result_with([finding], dataset="<b>ds</b>"))
    assert "<img" not in page and "<b>ds</b>" not in page
    assert "&lt;b&gt;ds&lt;/b&gt;" in page


def test_masked_personal_data_is_shown_as_given() -> None:
    assert "11*********51" in render_html(steward_result())


def test_verdicts_for_clean_and_warning_only_results() -> None:
    clean = _text(render_html(result_with([])))
    assert "ผ่าน Pass" in clean and "ไม่พบปัญหา" in clean
    warning = Finding(rule="expectations/w", severity=Severity.WARNING, message_th="เตือน",
                      message_en="warn", row=3)
    noted = _text(render_html(result_with([warning])))
    assert "ผ่าน — เผยแพร่ได้พร้อมหมายเหตุ" in noted and "Pass — publishes with notes" in noted


def test_rule_table_links_to_each_rules_samples() -> None:
    page = render_html(result_with(type_errors(2)))
    links = re.findall(r'href="#([^"]+)"', page)
    assert links and all(f'id="{anchor}"' in page for anchor in links)
