"""GX set-up: the suite files load in GX, the context is made once, and it prints nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from flows.validation.expectations import check_expectations, read_suite_file
from flows.validation.expectations import gx_runtime
from tests.validation.expectation_frames import TODAY, senator_votes_frame, senators_frame

SCHEMAS = Path(__file__).resolve().parents[2] / "schemas"
SUITES = sorted(SCHEMAS.glob("*.expectations.json"))


def test_every_dataset_has_its_suite_and_the_pilots_are_among_them():
    names = {path.name for path in SUITES}
    assert {"senate-votes.expectations.json", "senator-votes.expectations.json",
            "senators.expectations.json"} <= names
    datasets = {path.stem for path in (SUITES[0].parent.parent / "metadata").glob("*.yaml")}
    assert names == {f"{dataset}.expectations.json" for dataset in datasets}


@pytest.mark.parametrize("path", SUITES, ids=[path.name for path in SUITES])
def test_each_suite_file_builds_into_a_gx_suite_with_every_entry(path):
    suite_file = read_suite_file(path)
    suite = gx_runtime.build_gx_suite(suite_file)
    assert len(suite.expectations) == len(suite_file.expectations) > 0
    assert [e.meta["rule"] for e in suite.expectations] == [
        entry["meta"]["rule"] for entry in suite_file.expectations]


@pytest.mark.parametrize("path", SUITES, ids=[path.name for path in SUITES])
def test_each_suite_file_loads_through_gxs_own_suite_schema(path):
    import great_expectations as gx
    from great_expectations.core.expectation_suite import expectationSuiteSchema

    gx_runtime.build_gx_suite(read_suite_file(path))  # registers the custom expectations
    document = json.loads(path.read_text(encoding="utf-8"))
    suite = gx.ExpectationSuite(**expectationSuiteSchema.load(document))
    assert len(suite.expectations) == len(document["expectations"])


def test_the_gx_context_is_set_up_once_per_process(monkeypatch):
    """Setting GX up (context, data source) is the slow part: later validations reuse it, and
    give the same findings as the first."""
    import great_expectations as gx

    suite = SCHEMAS / "senators.expectations.json"
    frame = senators_frame(rows=150)   # with findings, so "the same" compares something
    first = check_expectations(frame, suite, today=TODAY)
    contexts: list = []
    real_get_context = gx.get_context

    def counted_get_context(*args, **kwargs):
        contexts.append(kwargs)
        return real_get_context(*args, **kwargs)

    monkeypatch.setattr(gx, "get_context", counted_get_context)
    again = [check_expectations(frame, suite, today=TODAY) for _ in range(2)]
    assert contexts == []
    assert first[0] and again == [first, first]


def test_gx_prints_no_progress_bars(capfd):
    check_expectations(senators_frame(), SCHEMAS / "senators.expectations.json", today=TODAY)
    captured = capfd.readouterr()
    assert "Calculating Metrics" not in captured.out + captured.err


def test_a_second_frame_is_not_answered_from_the_first_ones_cache():
    suite = SCHEMAS / "senators.expectations.json"
    assert check_expectations(senators_frame(), suite, today=TODAY)[0] == []
    assert check_expectations(senators_frame(rows=150), suite, today=TODAY)[0]


def test_setting_up_and_running_gx_opens_no_network_connection(monkeypatch):
    import socket
    import threading

    attempts: list = []
    # Threads other tests left running (a Prefect test server's log and event senders) may
    # connect meanwhile: only this thread, where GX runs, and threads started from now count.
    others = set(threading.enumerate()) - {threading.current_thread()}

    def refuse(self, address):
        if threading.current_thread() not in others:
            attempts.append(address)
        raise OSError("no network in tests")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    gx_runtime.batch_definition_of_process.cache_clear()   # a fresh context, set up here
    check_expectations(senators_frame(), SCHEMAS / "senators.expectations.json", today=TODAY)
    assert attempts == []


def test_the_whole_suite_runs_in_one_validation_on_one_load_of_the_frame(monkeypatch):
    from great_expectations.execution_engine import PandasExecutionEngine
    from great_expectations.validator.v1_validator import Validator

    calls: dict[str, list] = {"suite": [], "expectation": [], "load": []}

    def spy(cls, name: str, kind: str) -> None:
        real = getattr(cls, name)

        def counted(self, *args, **kwargs):
            outcome = real(self, *args, **kwargs)
            calls[kind].append(outcome)
            return outcome
        monkeypatch.setattr(cls, name, counted)

    spy(Validator, "validate_expectation_suite", "suite")
    spy(Validator, "validate_expectation", "expectation")
    spy(PandasExecutionEngine, "get_batch_data_and_markers", "load")
    suite = SCHEMAS / "senator-votes.expectations.json"
    check_expectations(senator_votes_frame(senators=3, votes=4), suite, today=TODAY)
    [outcome] = calls["suite"]
    assert outcome.statistics["evaluated_expectations"] == len(
        read_suite_file(suite).expectations) > 1
    assert calls["expectation"] == [] and len(calls["load"]) == 1
    # GX's frame fingerprint (a full hash of the frame, unused by us) is switched off.
    _, markers = calls["load"][0]
    assert "pandas_data_fingerprint" not in markers


def test_gx_holds_no_frame_after_the_validation():
    import gc
    import weakref

    suite_file = read_suite_file(SCHEMAS / "senators.expectations.json")
    frame = senators_frame()
    held = weakref.ref(frame)
    gx_runtime.validate_frame(frame, gx_runtime.build_gx_suite(suite_file),
                              parameters=gx_runtime.run_parameters(suite_file, today=TODAY))
    del frame
    gc.collect()
    assert held() is None
