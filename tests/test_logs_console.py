"""Tracebacks go to the run log, not to the operator's terminal."""

from __future__ import annotations

import io
import json
import logging
from pathlib import Path

from flows.logs import console_without_tracebacks, redact_text, run_logging


def test_the_terminal_gets_one_line_and_the_run_log_the_traceback(tmp_path: Path) -> None:
    terminal = io.StringIO()
    console = logging.StreamHandler(terminal)
    console.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
    logger = logging.getLogger("flows.test_console")
    logger.addHandler(console)
    log_file = tmp_path / "run.jsonl"
    try:
        with run_logging(log_file, secrets=[]), console_without_tracebacks():
            try:
                raise RuntimeError("the search service went away")
            except RuntimeError:
                logger.exception("publish failed")
        with console_without_tracebacks():
            pass
    finally:
        logger.removeHandler(console)
    assert terminal.getvalue() == "ERROR publish failed\n"
    [entry] = [json.loads(line) for line in log_file.read_text(encoding="utf-8").splitlines()
               if "publish failed" in line]
    assert "Traceback" in entry["exc"] and "the search service went away" in entry["exc"]
    assert console.formatter is not None and not hasattr(console.formatter, "inner")


def test_credentials_in_a_url_are_redacted() -> None:
    text = "Failed to connect to server at http://ckan:s3cretpw@127.0.0.1:20983/solr/ckan"
    assert redact_text(text, []) == ("Failed to connect to server at "
                                     "http://***@127.0.0.1:20983/solr/ckan")
