"""The pipeline (the one path of `plan` and `run`, here on the fake catalog) with data files in
another encoding and files that are not tables: the cp874 one is planned
for publication, the empty and binary ones fail with their finding and what to fix; nothing
crashes and no message holds a file's bytes. Live, through the CLI:
tests/integration/test_encoding_live.py."""

from __future__ import annotations

from datetime import date

import pytest

from flows.orchestrate.plan_or_run import plan_or_run
from tests.catalog.fake_catalog import FakeCatalog
from tests.csv_source_samples import (EMPTY, NUL_BINARY, SPARSE_THAI_CP874, UNDECODABLE,
                                      add_csv_dataset)
from tests.integration.publish_helpers import copy_project

TODAY = date(2026, 12, 5)
FILES = {"zz-cp874": (SPARSE_THAI_CP874, "cp874", None),
         "zz-empty": (EMPTY, None, "structure/empty-file"),
         "zz-nul": (NUL_BINARY, None, "encoding/binary-file"),
         "zz-undecodable": (UNDECODABLE, None, "encoding/undecodable")}


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> dict:
    root = copy_project(tmp_path_factory.mktemp("project"), [])
    for dataset, (data, encoding, _) in FILES.items():
        add_csv_dataset(root, dataset, data, encoding=encoding)
    runs = plan_or_run(root, client=FakeCatalog(), out_dir=root / "out", today=TODAY,
                       catalog_url="http://catalog.test", dry_run=True, dataset_ids=list(FILES))
    return {outcome.dataset: outcome for outcome in runs}


def test_the_cp874_dataset_is_planned_like_any_other(outcomes: dict) -> None:
    outcome = outcomes["zz-cp874"]
    assert outcome.status == "published", outcome.reason
    assert outcome.result.encoding == "cp874"
    assert not outcome.result.blocking


@pytest.mark.parametrize("dataset", ["zz-empty", "zz-nul", "zz-undecodable"])
def test_a_file_that_is_not_a_table_fails_with_its_finding(outcomes: dict, dataset: str) -> None:
    data, _, rule = FILES[dataset]
    outcome = outcomes[dataset]
    assert outcome.status == "failed"
    assert f"cannot be read ({rule})" in outcome.reason
    assert "crashed" not in outcome.reason and "internal error" not in outcome.reason
    assert rule in {finding.rule for finding in outcome.result.findings if finding.blocking}
    texts = [outcome.reason] + [f"{f.message_en} {f.message_th} {f.value}"
                                for f in outcome.result.findings]
    for text in texts:
        assert "\\x" not in text and "b'" not in text
        if data:
            assert data[:6].decode("latin-1") not in text
