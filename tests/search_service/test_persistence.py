"""The index survives restarts and kills; the process starts and stops as the stack expects."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import threading
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

import pytest
from solr_compat.params import Params
from solr_compat.schema import load_schema
from solr_compat.search import run_select
from solr_compat.store import open_store
from solr_compat.update_messages import AddDocs

from tests.search_service import wire
from tests.search_service.conftest import SCHEMA_XML, SERVICE_DIR, SolrClient

STARTUP_TIMEOUT = 10.0


class ServiceProcess:
    """``python -m solr_compat`` on a free port, as the stack manager runs it."""

    def __init__(self, data_dir: Path, schema_xml: Path = SCHEMA_XML, *,
                 extra_args: tuple[str, ...] = (), authorization: str | None = None) -> None:
        env = {**os.environ, "PYTHONPATH": str(SERVICE_DIR)}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "solr_compat", "--host", "127.0.0.1", "--port", "0",
             "--data-dir", str(data_dir), "--schema-xml", str(schema_xml), "--core", "ckan",
             *extra_args],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True)
        self.client = SolrClient(self._wait_for_url(), authorization)

    def _wait_for_url(self) -> str:
        assert self.proc.stdout is not None
        ready, _, _ = select.select([self.proc.stdout], [], [], STARTUP_TIMEOUT)
        line = self.proc.stdout.readline() if ready else ""
        if "listening on " not in line:
            self.proc.kill()
            _, err = self.proc.communicate(timeout=5)
            pytest.fail(f"service did not start: {line!r} {err}")
        return line.split("listening on ", 1)[1].strip()

    def stop(self, sig: int = signal.SIGTERM) -> tuple[int, str]:
        """Send ``sig``, wait, and return (exit code, stderr)."""
        self.proc.send_signal(sig)
        _, err = self.proc.communicate(timeout=10)
        return self.proc.returncode, err


@pytest.fixture
def processes() -> Iterator[list[ServiceProcess]]:
    """Started services are appended here and killed after the test if still running."""
    started: list[ServiceProcess] = []
    yield started
    for service in started:
        if service.proc.poll() is None:
            service.proc.kill()
            service.proc.communicate(timeout=5)


def test_committed_documents_survive_a_kill(tmp_path: Path,
                                             processes: list[ServiceProcess]) -> None:
    first = ServiceProcess(tmp_path / "index")
    processes.append(first)
    doc = wire.ckan_index_doc("survivor", "ข้อมูลที่ต้องอยู่รอด", tags=("keep",))
    assert first.client.add(doc).status == 200
    first.stop(signal.SIGKILL)  # no chance to flush anything after the commit returned

    second = ServiceProcess(tmp_path / "index")
    processes.append(second)
    found = second.client.select(q="ต้องอยู่รอด", defType="dismax", qf=wire.QUERY_FIELDS,
                                 fl="id tags")["response"]
    assert found["docs"] == [{"id": doc["id"], "tags": ["keep"]}]


@pytest.mark.slow  # stops a real process: ~1.5 s
def test_sigterm_exits_cleanly_and_keeps_deletes(tmp_path: Path,
                                                  processes: list[ServiceProcess]) -> None:
    first = ServiceProcess(tmp_path / "index")
    processes.append(first)
    docs = [wire.ckan_index_doc(f"doc-{i}", f"Document {i}") for i in range(3)]
    first.client.add(*docs)
    first.client.delete(q=wire.ckan_delete_query("doc-1"))
    code, err = first.stop(signal.SIGTERM)
    assert code == 0, err
    assert "stopped" in err

    second = ServiceProcess(tmp_path / "index")
    processes.append(second)
    names = [d["name"] for d in second.client.select(q="*:*", fl="name")["response"]["docs"]]
    assert names == ["doc-0", "doc-2"]
    assert second.stop(signal.SIGINT)[0] == 0


def test_bad_schema_path_fails_with_a_clear_message(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "solr_compat", "--port", "0", "--data-dir", str(tmp_path),
         "--schema-xml", str(tmp_path / "missing.xml")],
        env={**os.environ, "PYTHONPATH": str(SERVICE_DIR)}, capture_output=True, text=True,
        timeout=30)
    assert result.returncode == 2
    assert "cannot read Solr schema" in result.stderr


def test_concurrent_adds_and_searches(tmp_path: Path,
                                      processes: list[ServiceProcess]) -> None:
    service = ServiceProcess(tmp_path / "index")
    processes.append(service)
    errors: list[str] = []

    def worker(n: int) -> None:
        for i in range(10):
            reply = service.client.add(wire.ckan_index_doc(f"w{n}-{i}", f"Worker {n} item {i}"))
            if reply.status != 200:
                errors.append(reply.body.decode())
            service.client.select(q="worker", defType="dismax", qf="title")

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors
    assert service.client.select(q="*:*", rows=0)["response"]["numFound"] == 40
    assert time.monotonic() - started < 30


def test_a_start_analyses_the_saved_text_before_the_first_search(tmp_path: Path) -> None:
    schema, now = load_schema(SCHEMA_XML), datetime.now(timezone.utc)
    first = open_store(tmp_path, "ckan", schema, now=now)
    docs = [wire.ckan_index_doc(f"doc-{i}", f"รายงานการลงมติ {i}", tags=("votes",))
            for i in range(3)]
    first.apply([AddDocs([{k: v if isinstance(v, list) else [v] for k, v in d.items()}
                          for d in docs])], now=now)
    first.close()

    second = open_store(tmp_path, "ckan", schema, now=now)
    assert second.analysis is not None
    second.analysis.join(timeout=30)
    for doc in second.documents():
        text_fields = [n for n in doc.fields if schema.field(n).kind == "text"]
        assert "title" in text_fields and "text" in text_fields
        assert all(("text", name) in doc.cache for name in text_fields), doc.key
    found = run_select(Params([("q", "การลงมติ"), ("defType", "dismax"),
                               ("qf", wire.QUERY_FIELDS), ("fl", "name")]),
                       schema, second.documents(), now=now)
    assert [d["name"] for d in found["response"]["docs"]] == ["doc-0", "doc-1", "doc-2"]
    second.close()
