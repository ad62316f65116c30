from flows.validation.findings import Finding, Severity
from flows.validation.reports import render_markdown
from tests.validation.report_samples import result_with, steward_result


def _warning(rule: str, count: int) -> list[Finding]:
    return [Finding(rule=rule, severity=Severity.WARNING, message_th="คำเตือน",
                    message_en="A warning", row=row) for row in range(2, 2 + count)]


def test_summary_states_dataset_verdict_and_counts() -> None:
    text = render_markdown(steward_result())
    lines = text.splitlines()
    assert lines[0] == "### ❌ `senate-votes`: ไม่ผ่าน — ระงับการเผยแพร่ / Fail — blocks publication"
    assert "| 5,124 | 3 | 2 | 6,000 |" in lines
    assert text.endswith("\n")


def test_top_rules_put_errors_first_then_the_biggest() -> None:
    lines = render_markdown(steward_result()).splitlines()
    rule_rows = [line for line in lines if line.startswith("| `")]
    assert rule_rows[0].startswith("| `schema/type-error` | ข้อผิดพลาด error | 5,123 | 0 |")
    assert rule_rows[-1].startswith("| `schema/blank-header` | คำเตือน warning | 1 | 1 |")


def test_only_the_top_rules_are_listed() -> None:
    findings = [f for index in range(12) for f in _warning(f"expectations/rule-{index:02d}", 1)]
    text = render_markdown(result_with(findings), top_rules=10)
    assert text.count("| `expectations/rule-") == 10
    assert "and 2 more rule(s)" in text
    assert text.splitlines()[0].startswith("### ⚠️ `senate-votes`: ผ่าน — เผยแพร่ได้พร้อมหมายเหตุ")


def test_markup_in_messages_cannot_break_the_table() -> None:
    finding = Finding(rule="expectations/odd", severity=Severity.ERROR,
                      message_th="ค่า a|b <script>", message_en="*bold* [link](x)\nsecond line")
    row = next(line for line in render_markdown(result_with([finding])).splitlines()
               if line.startswith("| `expectations/odd`"))
    assert "a\\|b &lt;script&gt;" in row
    assert "\\*bold\\* \\[link\\](x) second line" in row
    assert row.count(" | ") == 5  # six cells: the escaped pipe did not add one


def test_a_clean_dataset_says_pass() -> None:
    text = render_markdown(result_with([]))
    assert text.startswith("### ✅ `senate-votes`: ผ่าน / Pass")
    assert "No findings." in text
