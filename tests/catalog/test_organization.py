"""The organisation/group ensuring logic, against a fake at our own client seam.

(That CKAN really holds them is checked in tests/integration against the real catalog.)
"""

from pathlib import Path
from typing import Any

import ckanapi
import pytest

from flows.catalog.organization import CatalogLayout, ensure_layout, load_layout
from flows.errors import ConfigError
from flows.settings import PROJECT_ROOT


class FakeCatalog:
    """Holds organisations/groups by name and records write calls."""

    def __init__(self) -> None:
        self.objects: dict[str, dict[str, Any]] = {}
        self.writes: list[str] = []

    def call(self, action: str, **data: Any) -> Any:
        kind, verb = action.rsplit("_", 1)
        if verb == "show":
            if (kind, data["id"]) not in self.objects:
                raise ckanapi.NotFound(action)
            return self.objects[(kind, data["id"])]
        self.writes.append(action)
        if verb == "create":
            self.objects[(kind, data["name"])] = {"id": data["name"], "state": "active", **data}
        elif verb == "patch":
            self.objects[(kind, data["id"])].update(data)
        return {}


LAYOUT = CatalogLayout(organization={"name": "org", "title": "สำนักงาน (Office)"},
                       groups=[{"name": "g1", "title": "กลุ่ม (Group)"}])


def test_creates_then_changes_nothing_on_second_run() -> None:
    fake = FakeCatalog()
    assert ensure_layout(fake, LAYOUT) == ["created organization org", "created group g1"]
    writes = len(fake.writes)
    assert ensure_layout(fake, LAYOUT) == []
    assert len(fake.writes) == writes


def test_updates_only_what_differs_and_revives_deleted() -> None:
    fake = FakeCatalog()
    ensure_layout(fake, LAYOUT)
    fake.objects[("group", "g1")].update(title="old", state="deleted")
    assert ensure_layout(fake, LAYOUT) == ["updated group g1: state, title"]
    assert fake.objects[("group", "g1")]["title"] == "กลุ่ม (Group)"


def test_project_layout_file_loads_with_thai_titles() -> None:
    layout = load_layout(PROJECT_ROOT / "catalog_config" / "organization.yaml")
    assert layout.organization["title"].startswith("สำนักงานเลขาธิการวุฒิสภา")
    assert "Secretariat of the Senate" in layout.organization["title"]
    assert len(layout.groups) >= 3
    assert len({group["name"] for group in layout.groups}) == len(layout.groups)


@pytest.mark.parametrize("text, message", [
    ("groups: []\n", "needs an `organization:` mapping"),
    ("organization: {name: x}\n", "needs at least `name` and `title`"),
    ("organization: {name: x, title: y, colour: red}\n", "unknown keys ['colour']"),
])
def test_bad_layout_files_say_what_to_fix(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "organization.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=message.replace("[", r"\[").replace("]", r"\]")):
        load_layout(path)
