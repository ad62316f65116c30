"""Run logs: JSON lines with the run context, and no secret or personal-data value anywhere."""

from __future__ import annotations

import io
import json
import logging
from pathlib import Path
from typing import Iterator

import pytest

from flows.logs import JsonFormatter, Redactor, redact_text, run_logging
from flows.validation.personal_data import is_valid_national_id

TOKEN = "eyJhbGciOiJIUzI1NiJ9.ckan-token-value"
THAI_DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")


def national_id(first12: str = "110370012345") -> str:
    """``first12`` completed with its valid check digit."""
    return next(first12 + str(d) for d in range(10) if is_valid_national_id(first12 + str(d)))


VALID_ID = national_id()
INVALID_ID = VALID_ID[:-1] + str((int(VALID_ID[-1]) + 1) % 10)


def read_lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture
def log_file(tmp_path: Path) -> Path:
    return tmp_path / "runs" / "run.log.jsonl"


@pytest.fixture
def stream_on() -> Iterator:
    """Attach a StreamHandler to a logger (as Prefect's console/API handlers are attached)
    before ``run_logging`` starts; removed after the test."""
    added: list[tuple[logging.Logger, logging.Handler]] = []

    def attach(name: str | None) -> io.StringIO:
        stream = io.StringIO()
        handler = logging.StreamHandler(stream)
        handler.setFormatter(logging.Formatter("%(message)s"))
        logging.getLogger(name).addHandler(handler)
        added.append((logging.getLogger(name), handler))
        return stream

    yield attach
    for logger, handler in added:
        logger.removeHandler(handler)


def test_json_lines_carry_the_run_context(log_file: Path) -> None:
    with run_logging(log_file, secrets=[TOKEN]):
        logging.getLogger("flows.orchestrate.plan_or_run").info(
            "ตรวจสอบ %s แล้ว: %d แถว", "senators", 252,
            extra={"dataset": "senators", "stage": "validate", "run_id": "r-1"})
    [line] = read_lines(log_file)
    assert line["message"] == "ตรวจสอบ senators แล้ว: 252 แถว"
    assert (line["level"], line["logger"]) == ("INFO", "flows.orchestrate.plan_or_run")
    assert (line["dataset"], line["stage"], line["run_id"]) == ("senators", "validate", "r-1")
    assert line["time"].endswith("+00:00")
    assert len(line["time"]) == len("2026-11-28T01:10:00.123+00:00")
    assert "exc" not in line and "task_run_id" not in line


def test_thai_text_is_written_as_utf8(log_file: Path) -> None:
    with run_logging(log_file, secrets=[]):
        logging.getLogger("flows").warning("สมาชิกวุฒิสภา ๒๕๖๗")
    raw = log_file.read_bytes()
    assert "สมาชิกวุฒิสภา ๒๕๖๗".encode("utf-8") in raw
    assert b"\\u0e" not in raw  # not escaped


def test_token_in_message_args_and_exception_is_replaced(log_file: Path) -> None:
    log = logging.getLogger("flows.catalog")
    with run_logging(log_file, secrets=[TOKEN]):
        log.info(f"calling CKAN with {TOKEN}")
        log.info("calling CKAN with %s", TOKEN)
        try:
            raise RuntimeError(f"CKAN refused the token {TOKEN}")
        except RuntimeError:
            log.exception("publish failed (token %r)", TOKEN)
    text = log_file.read_text(encoding="utf-8")
    assert TOKEN not in text
    first, second, third = read_lines(log_file)
    assert first["message"] == second["message"] == "calling CKAN with ***"
    assert third["message"] == "publish failed (token '***')"
    assert "Traceback" in third["exc"]
    assert "RuntimeError: CKAN refused the token ***" in third["exc"]


def test_headers_and_token_parameters_are_hidden() -> None:
    text = ("GET http://127.0.0.1:20500/api/3/action/x?token=abc123def&rows=1 "
            "{'Authorization': 'Bearer zzz999yyy', 'X-CKAN-API-Key': 'kkk777'}")
    redacted = redact_text(text, [])
    assert "token=***&rows=1" in redacted
    assert "'Authorization': 'Bearer ***'" in redacted
    assert "'X-CKAN-API-Key': '***'" in redacted
    for value in ("abc123def", "zzz999yyy", "kkk777"):
        assert value not in redacted


def test_short_secrets_are_ignored() -> None:
    assert redact_text("the abc of it", ["abc", ""]) == "the abc of it"
    assert redact_text("key abcdef here", ["abcdef"]) == "key *** here"


@pytest.mark.parametrize("value", [
    VALID_ID,
    f"{VALID_ID[0]}-{VALID_ID[1:5]}-{VALID_ID[5:10]}-{VALID_ID[10:12]}-{VALID_ID[12]}",
    VALID_ID.translate(THAI_DIGITS),
    "081-234-5678",
    "+66 81 234 5678",
    "somchai.j@example.co.th",
])
def test_personal_data_is_masked(log_file: Path, value: str) -> None:
    with run_logging(log_file, secrets=[]):
        logging.getLogger("flows").info("แถว 12: ค่า %s ในคอลัมน์ note", value)
    [line] = read_lines(log_file)
    assert value not in line["message"]
    assert line["message"].startswith("แถว 12: ค่า ")
    assert line["message"].endswith(" ในคอลัมน์ note")
    assert "**" in line["message"]


def test_thirteen_digits_with_a_wrong_check_digit_are_not_an_id() -> None:
    assert not is_valid_national_id(INVALID_ID)
    assert redact_text(f"เลขที่หนังสือ {INVALID_ID}", []) == f"เลขที่หนังสือ {INVALID_ID}"


def test_existing_handlers_of_prefect_run_loggers_and_root_are_redacted(
        log_file: Path, stream_on) -> None:
    run_stream = stream_on("prefect.flow_runs")
    root_stream = stream_on(None)
    run_logger = logging.LoggerAdapter(logging.getLogger("prefect.flow_runs"), {
        "flow_run_id": "0b7e-uuid", "flow_run_name": "blue-echidna"})
    with run_logging(log_file, secrets=[TOKEN]):
        run_logger.warning("token %s, phone 081-234-5678", TOKEN)
        logging.getLogger("httpx").warning("header Authorization: %s", TOKEN)
    for output in (run_stream.getvalue(), root_stream.getvalue()):
        assert TOKEN not in output and "081-234-5678" not in output
    assert "token ***, phone 08********78" in run_stream.getvalue()
    assert "header Authorization: ***" in root_stream.getvalue()
    [line] = read_lines(log_file)  # httpx is not one of the loggers written to the file
    assert (line["flow_run_id"], line["flow_run_name"]) == ("0b7e-uuid", "blue-echidna")
    assert line["logger"] == "prefect.flow_runs"


def test_exception_object_is_not_left_for_other_handlers(log_file: Path, stream_on) -> None:
    stream = stream_on("flows.exc")
    log = logging.getLogger("flows.exc")
    with run_logging(log_file, secrets=[TOKEN]):
        try:
            raise ValueError(TOKEN)
        except ValueError:
            log.error("failed", exc_info=True)
    assert TOKEN not in stream.getvalue()
    assert "ValueError: ***" in stream.getvalue()


def test_bad_log_arguments_do_not_crash_the_run(log_file: Path) -> None:
    with run_logging(log_file, secrets=[TOKEN]):
        logging.getLogger("flows").info("two %s %s", TOKEN)
    [line] = read_lines(log_file)
    assert TOKEN not in line["message"] and "two %s %s" in line["message"]


def test_everything_added_is_removed_on_exit(log_file: Path, stream_on) -> None:
    stream_on("prefect.task_runs")
    watched = [logging.getLogger(name) for name in
               (None, "flows", "prefect", "prefect.flow_runs", "prefect.task_runs")]
    before = {lg.name: (list(lg.handlers), list(lg.filters), lg.level) for lg in watched}
    handler_filters = {id(h): list(h.filters) for lg in watched for h in lg.handlers}
    with run_logging(log_file, secrets=[TOKEN]) as redactor:
        assert isinstance(redactor, Redactor)
        assert redactor in logging.getLogger("prefect.task_runs").handlers[-1].filters
        assert logging.getLogger("flows").getEffectiveLevel() <= logging.INFO
    after = {lg.name: (list(lg.handlers), list(lg.filters), lg.level) for lg in watched}
    assert after == before
    assert handler_filters == {id(h): list(h.filters) for lg in watched for h in lg.handlers}


def test_formatter_alone_writes_one_json_line() -> None:
    record = logging.LogRecord("flows", logging.ERROR, __file__, 1, "บรรทัด\nสอง", None, None)
    record.stage = "publish"
    text = JsonFormatter().format(record)
    assert "\n" not in text
    assert json.loads(text)["stage"] == "publish"
