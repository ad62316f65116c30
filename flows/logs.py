"""Structured, safe logs for pipeline runs: one JSON object per line, never a secret, never a
personal-data value.

- ``JsonFormatter`` writes a record as one JSON line (UTF-8, Thai kept as is) with the run's
  context: dataset, stage, run ids and Prefect's flow/task run names.
- ``Redactor`` is a ``logging.Filter`` that rewrites a record before a handler emits it: the
  secrets it was given become ``***``, credentials in HTTP headers and ``token=`` query
  parameters become ``***``, and every hit of ``find_personal_data`` (Thai national IDs, phone
  numbers, e-mail addresses, passport numbers, in every written form the validator knows) is
  masked with ``mask_value``.
- ``run_logging`` installs both for the length of a run and removes them afterwards.
- ``console_without_tracebacks`` keeps tracebacks off the terminal (each record still shows
  its one-line message); the run log keeps them, redacted.

Personal data is masked as the validator finds it, with one difference: no allow-list. The
agency's published mailboxes and phones are masked in logs too; a log has no need to show them,
and a masked contact costs nothing, where a missed one would leak.
"""

from __future__ import annotations

import json
import logging
import re
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterator, Sequence

from flows.validation.findings import mask_value
from flows.validation.personal_text import find_personal_data

#: Secrets shorter than this are ignored: replacing "abc" everywhere would mangle the logs
#: without protecting anything worth protecting.
MIN_SECRET_LENGTH = 6
MASK = "***"

#: Record attributes copied into the JSON line when present. Prefect's run loggers set the
#: flow_run_* / task_run_* ones; the pipeline passes dataset, stage and run_id as ``extra``.
CONTEXT_FIELDS = ("dataset", "stage", "run_id", "flow_run_id", "flow_run_name",
                  "task_run_id", "task_run_name")

# "Authorization: Bearer x", "'X-CKAN-API-Key': 'x'", "authorization=x": keep the name (and
# the auth scheme), hide the value.
_HEADER_VALUE = re.compile(
    r"(?i)(\b(?:authorization|x-ckan-api-key)['\"]?\s*[:=]\s*['\"]?"
    r"(?:(?:bearer|basic|token)\s+)?)[^\s'\",;}&]+")
# token=x, api_token=x, access_token=x, apikey=x, api_key=x in URLs and form bodies.
_TOKEN_PARAMETER = re.compile(r"(?i)(\b(?:[a-z_]*token|api_?key)=)[^&\s'\"#]+")
# http://user:password@host: CKAN names its search service's URL with the credentials.
_URL_USERINFO = re.compile(r"(?<=://)[^/\s@'\"]+@")


def redact_text(text: str, secrets: Sequence[str]) -> str:
    """``text`` with every secret, credential header/parameter value and personal-data value
    hidden. Secrets shorter than ``MIN_SECRET_LENGTH`` characters are ignored.

    Use it for anything that leaves the process besides logs: exception messages shown to
    the operator, artifact markdown, run-record reasons.
    """
    return _redact(text, _usable_secrets(secrets))


def _usable_secrets(secrets: Sequence[str]) -> tuple[str, ...]:
    """Non-trivial secrets, longest first so a secret containing another is replaced whole."""
    kept = {secret for secret in secrets if secret and len(secret) >= MIN_SECRET_LENGTH}
    return tuple(sorted(kept, key=len, reverse=True))


def _redact(text: str, secrets: tuple[str, ...]) -> str:
    # Secrets first: masking personal data first could cut a token in two and hide it from
    # the replacement.
    for secret in secrets:
        text = text.replace(secret, MASK)
    text = _HEADER_VALUE.sub(rf"\g<1>{MASK}", text)
    text = _TOKEN_PARAMETER.sub(rf"\g<1>{MASK}", text)
    text = _URL_USERINFO.sub(f"{MASK}@", text)
    return _mask_personal_data(text)


def _mask_personal_data(text: str) -> str:
    """``text`` with each personal-data value replaced by ``mask_value`` of it."""
    spans = _merged(_personal_data_spans(text))
    for start, end in reversed(spans):  # from the end, so earlier offsets stay valid
        text = text[:start] + (mask_value(text[start:end]) or "") + text[end:]
    return text


def _personal_data_spans(text: str) -> list[tuple[int, int]]:
    """Where the validator's detector finds personal data in ``text`` (no allow-list)."""
    return [(hit.start, hit.end) for hit in find_personal_data(text)]


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted spans with overlaps joined (the detector's hits do not overlap today; this keeps
    the masking right if they ever do)."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


class Redactor(logging.Filter):
    """Rewrites each record so no secret or personal-data value reaches a handler.

    The message is formatted first (``msg % args``) and then redacted, so a secret passed as
    an argument is caught too; ``args`` is cleared. The traceback is formatted into
    ``exc_text``, redacted, and ``exc_info`` is dropped: handlers that render the exception
    object themselves (rich tracebacks, Prefect's JSON formatter) would otherwise show the
    clear exception message. ``stack_info`` is redacted as well. Never drops a record.
    """

    def __init__(self, secrets: Sequence[str]) -> None:
        super().__init__()
        self._secrets = _usable_secrets(secrets)

    def redact(self, text: str) -> str:
        """``text`` redacted with this filter's secrets (see ``redact_text``)."""
        return _redact(text, self._secrets)

    def filter(self, record: logging.LogRecord) -> bool:
        """Redact ``record`` in place (once per filter); always keep it."""
        done: tuple[int, ...] = getattr(record, "_redacted_by", ())
        if id(self) in done:  # the same record meets this filter on each handler it reaches
            return True
        record.msg = self.redact(_message_of(record))
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        record.exc_info = None
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        record._redacted_by = (*done, id(self))  # ints: formatters that dump __dict__ cope
        return True


def _message_of(record: logging.LogRecord) -> str:
    """``record.getMessage()``, or msg and args side by side when they do not fit together:
    a filter that raises would turn a bad log call into a crash of the pipeline."""
    try:
        return record.getMessage()
    except Exception:  # any formatting error: %-mismatch, a failing __str__, ...
        return f"{record.msg!s} (log arguments: {record.args!r})"


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC, ms), level, logger, message, run context, exc.

    The formatter does not redact by itself; pair it with a ``Redactor`` on the same handler
    (``run_logging`` does), which has already redacted the message and ``exc_text``.
    """

    def format(self, record: logging.LogRecord) -> str:
        """The record as one line of JSON, Thai text as is (``ensure_ascii=False``)."""
        entry: dict[str, Any] = {
            "time": _utc_time(record.created),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update({name: getattr(record, name) for name in CONTEXT_FIELDS
                      if getattr(record, name, None) is not None})
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            entry["exc"] = record.exc_text
        if record.stack_info:
            entry["stack"] = record.stack_info
        return json.dumps(entry, ensure_ascii=False, default=str)


def _utc_time(created: float) -> str:
    return datetime.fromtimestamp(created, tz=timezone.utc).isoformat(timespec="milliseconds")


@contextmanager
def run_logging(log_file: Path, *, secrets: Sequence[str],
                loggers: Sequence[str] = ("flows", "prefect")) -> Iterator[Redactor]:
    """Log ``loggers`` to ``log_file`` as JSON lines and redact every log output while active.

    Adds a UTF-8 ``FileHandler`` (INFO, ``JsonFormatter``) to ``loggers``, lowering a logger's
    level to INFO where it was higher. Installs one ``Redactor`` on that handler, on the root
    logger's handlers, on ``loggers`` and their existing descendants (Prefect's run loggers
    ``prefect.flow_runs`` / ``prefect.task_runs``, whose records carry the run context) and on
    all of their handlers (Prefect's console handler on root, its API handler on the run
    loggers). On exit removes exactly what it added and restores the levels.

    Handlers and loggers created after entry are not covered by the handler filters; records
    of the existing descendants are still redacted at the logger, before any handler. Enter
    it after Prefect has configured logging (``import prefect`` does) and do not reconfigure
    logging inside it. Yields the ``Redactor``, for redacting text that is not a log record.
    """
    redactor = Redactor(secrets)
    file_handler = _json_file_handler(log_file, redactor)
    named = [logging.getLogger(name) for name in loggers]
    covered = _with_descendants(named)
    filtered = _unique([logging.getLogger(), *covered]
                       + [h for lg in [logging.getLogger(), *covered] for h in lg.handlers])
    targets = [lg for lg in named if not _has_ancestor_in(lg, named)]  # no line twice
    levels = {lg: lg.level for lg in targets if lg.getEffectiveLevel() > logging.INFO}
    for item in filtered:
        item.addFilter(redactor)
    for lg in targets:
        lg.addHandler(file_handler)
    for lg in levels:
        lg.setLevel(logging.INFO)
    try:
        yield redactor
    finally:
        _undo(redactor, file_handler, filtered, targets, levels)


def _json_file_handler(log_file: Path, redactor: Redactor) -> logging.FileHandler:
    log_file.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(log_file, encoding="utf-8")
    handler.setLevel(logging.INFO)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(redactor)
    return handler


def _with_descendants(named: list[logging.Logger]) -> list[logging.Logger]:
    """``named`` plus every logger that exists now below one of them."""
    existing = [lg for lg in list(logging.root.manager.loggerDict.values())
                if isinstance(lg, logging.Logger)]
    below = [lg for lg in existing
             if any(lg.name.startswith(parent.name + ".") for parent in named)]
    return _unique([*named, *below])


def _has_ancestor_in(logger: logging.Logger, others: list[logging.Logger]) -> bool:
    return any(logger.name.startswith(other.name + ".") for other in others)


def _unique(items: list[Any]) -> list[Any]:
    """``items`` without repeats, by identity (one handler often serves several loggers)."""
    return list({id(item): item for item in items}.values())


def _undo(redactor: Redactor, file_handler: logging.FileHandler,
          filtered: list[logging.Filterer], targets: list[logging.Logger],
          levels: dict[logging.Logger, int]) -> None:
    for lg, level in levels.items():
        lg.setLevel(level)
    for lg in targets:
        lg.removeHandler(file_handler)
    file_handler.close()
    for item in filtered:
        item.removeFilter(redactor)


@contextmanager
def console_without_tracebacks() -> Iterator[None]:
    """While active, every handler that writes to the terminal (a ``StreamHandler`` that is
    not a file: Prefect's console handler, its internal one) prints a record's message line
    without the traceback or stack attached to it. Other handlers (the run log) still get
    them. Operators read one line saying what failed; the run log holds the why."""
    wrapped: dict[logging.Handler, logging.Formatter | None] = {}
    for handler in _terminal_handlers():
        wrapped[handler] = handler.formatter
        handler.setFormatter(_WithoutTraceback(handler.formatter or logging.Formatter()))
    try:
        yield
    finally:
        for handler, formatter in wrapped.items():
            handler.setFormatter(formatter)  # type: ignore[arg-type]


class _WithoutTraceback(logging.Formatter):
    """Formats a copy of the record with no exception or stack, through ``inner``."""

    def __init__(self, inner: logging.Formatter) -> None:
        super().__init__()
        self.inner = inner

    def format(self, record: logging.LogRecord) -> str:
        bare = logging.makeLogRecord(record.__dict__)
        bare.exc_info, bare.exc_text, bare.stack_info = None, None, None
        return self.inner.format(bare)


def _terminal_handlers() -> list[logging.Handler]:
    """Every stream handler of every existing logger that is not a file (the terminal, or
    whatever stands in for it)."""
    loggers = [logging.getLogger(), *(lg for lg in list(logging.root.manager.loggerDict.values())
                                      if isinstance(lg, logging.Logger))]
    handlers = _unique([h for lg in loggers for h in lg.handlers])
    return [h for h in handlers
            if isinstance(h, logging.StreamHandler) and not isinstance(h, logging.FileHandler)]
