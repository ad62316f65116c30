"""The three renderings of one ``ValidationResult``.

JSON for machines (gate, run record), HTML for data stewards, Markdown for reviewers.
"""

from flows.validation.reports.html_report import render_html
from flows.validation.reports.json_report import build_json_document, render_json
from flows.validation.reports.markdown_report import render_markdown
from flows.validation.reports.summary import RuleGroup, Verdict, group_findings, verdict_of

__all__ = ["RuleGroup", "Verdict", "build_json_document", "group_findings", "render_html",
           "render_json", "render_markdown", "verdict_of"]
