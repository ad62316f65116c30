"""Each pilot's raw folder carries its licence and a PROVENANCE.md that matches the files."""

import hashlib
import re

import pytest

from flows.sources.politician_directory import senate_votes, senator_votes, senators

RAW = {"senate-votes": ("senate_votelog.yaml", senate_votes),
       "senators": ("people.yaml", senators),
       "senator-votes": ("senate_vote.yaml", senator_votes)}
UPSTREAM_COMMIT = "2700f7ab863b15516a0ee05d9b07dc02f475aad1"


@pytest.fixture(params=sorted(RAW))
def raw(request, project_root):
    folder = project_root / "datasets" / request.param / "raw"
    name, module = RAW[request.param]
    return folder, name, module, (folder / "PROVENANCE.md").read_text(encoding="utf-8")


def test_sha256_and_size_in_provenance_match_the_files(raw):
    folder, name, _, provenance = raw
    for file in (name, "LICENSE"):
        data = (folder / file).read_bytes()
        row = re.search(rf"^\| {re.escape(file)} \| (\d+) \| `([0-9a-f]{{64}})` \|$",
                        provenance, re.MULTILINE)
        assert row, f"PROVENANCE.md has no row for {file}"
        assert (int(row[1]), row[2]) == (len(data), hashlib.sha256(data).hexdigest())


def test_provenance_names_upstream_licence_and_origin(raw):
    folder, name, _, provenance = raw
    assert UPSTREAM_COMMIT in provenance and f"src/contents/{name}" in provenance
    assert "MIT, Copyright (c) 2022 ELECT" in provenance
    assert "parliament.go.th" in provenance and "senate.go.th" in provenance
    assert "Copyright (c) 2022 ELECT" in (folder / "LICENSE").read_text()


def test_every_dropped_field_is_documented(raw):
    _, _, module, provenance = raw
    dropped = (*module.DROPPED, *getattr(module, "ALWAYS_EMPTY", ()))
    assert [name for name in dropped if f"`{name}`" not in provenance] == []
