"""Least privilege on the host, on the real local stack.

- The search service answers only the credentials CKAN is configured with (``solr_user`` /
  ``solr_password``), and CKAN's search, API and pages, still works through them.
- Anonymous visitors cannot list or show users (``ckan.auth.public_user_details = false``).
- Uploaded files are 0600 in 0700 folders, and leave the disk with their resource: deleted,
  dropped by ``package_patch``, replaced by a link, or purged with the dataset.
"""

from __future__ import annotations

import json
import stat
import urllib.request
from pathlib import Path
from typing import Any

import ckanapi
import pytest

from flows.catalog import CatalogClient
from flows.settings import ADMIN_USER, Secret, read_secret_file
from flows.stack import processes, search
from flows.stack.paths import StackPaths
from tests.integration.dga_payloads import valid_dataset

pytestmark = pytest.mark.integration

CSV = "ชื่อ,คะแนน\nก,1\n"


@pytest.fixture
def paths(stack_settings, catalog_settings) -> StackPaths:
    """The local stack's files (these tests look at them, so another CKAN will not do)."""
    if catalog_settings.url != stack_settings.ckan_url:
        pytest.skip("these tests look at the local stack's files and processes")
    return StackPaths(stack_settings)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _stored_file(paths: StackPaths, resource_id: str) -> Path:
    """Where CKAN's default uploader keeps a resource's file (``ResourceUpload.get_path``)."""
    return paths.ckan_storage / "resources" / resource_id[:3] / resource_id[3:6] / resource_id[6:]


def _upload(client: CatalogClient, package_id: str, folder: Path, name: str) -> dict[str, Any]:
    source = folder / name
    source.write_text(CSV, encoding="utf-8")
    with source.open("rb") as handle:
        return client.call("resource_create", files={"upload": (name, handle)},
                           package_id=package_id, url=name, name=name, format="CSV",
                           description="ไฟล์ทดสอบ", resource_private="False",
                           resource_last_updated_date="2020-09-24")


def _search_password(paths: StackPaths) -> Secret:
    return Secret(json.loads(read_secret_file(paths.secrets))["search_password"])


def test_anonymous_visitors_cannot_list_or_show_users(ckan_anonymous, ckan_admin) -> None:
    with pytest.raises(ckanapi.NotAuthorized):
        ckan_anonymous.call("user_list")
    with pytest.raises(ckanapi.NotAuthorized):
        ckan_anonymous.call("user_show", id=ADMIN_USER)
    assert ADMIN_USER in [user["name"] for user in ckan_admin.call("user_list")]


def test_the_search_service_answers_only_the_credentials_ckan_uses(
        paths, catalog_settings, create_dataset, ckan_anonymous, unique_name) -> None:
    where = {"host": paths.settings.host, "port": paths.settings.ports["search"]}
    select = f"{search.solr_url(**where)}/select?q=*:*&wt=json"
    password = _search_password(paths)
    assert processes.http_status(select) == 401
    assert processes.http_status(select, headers=search.authorization(Secret("guess"))) == 401
    assert processes.http_status(select, headers=search.authorization(password)) == 200

    payload = valid_dataset(unique_name("auth-search"))
    create_dataset(**payload)
    found = ckan_anonymous.call("package_search", q=f'name:"{payload["name"]}"')
    assert [p["name"] for p in found["results"]] == [payload["name"]]
    with urllib.request.urlopen(f"{catalog_settings.url}/dataset/?q={payload['name']}",
                                timeout=30) as page:
        assert payload["name"] in page.read().decode("utf-8")


def test_the_search_password_is_on_no_command_line_and_in_no_log(paths) -> None:
    password = _search_password(paths).reveal().encode()
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            assert password not in cmdline.read_bytes(), cmdline
        except OSError:
            continue  # the process has ended
    assert _mode(search.credentials_file(paths)) == 0o600
    for log in paths.instance.rglob("*.log"):
        if log.is_file():
            assert password not in log.read_bytes(), log


def test_an_uploaded_file_is_private_and_leaves_the_disk_with_its_resource(
        paths, ckan_admin, create_dataset, unique_name, tmp_path) -> None:
    package = create_dataset(**valid_dataset(unique_name("upload")))
    resource = _upload(ckan_admin, package["id"], tmp_path, "votes.csv")
    stored = _stored_file(paths, resource["id"])
    assert stored.read_text(encoding="utf-8") == CSV
    assert _mode(stored) == 0o600
    folders = [stored.parent, stored.parent.parent, paths.ckan_storage / "resources",
               paths.ckan_storage, paths.service_dir("ckan")]
    assert [_mode(folder) for folder in folders] == [0o700] * len(folders)

    ckan_admin.call("resource_delete", id=resource["id"])
    assert not stored.exists()


def test_dropped_linked_and_purged_uploads_leave_the_disk(
        paths, ckan_admin, create_dataset, unique_name, tmp_path) -> None:
    package = create_dataset(**valid_dataset(unique_name("withdraw")))
    dropped, linked, purged = (_upload(ckan_admin, package["id"], tmp_path, f"{kind}.csv")
                               for kind in ("dropped", "linked", "purged"))
    stored = {kind: _stored_file(paths, res["id"])
              for kind, res in (("dropped", dropped), ("linked", linked), ("purged", purged))}
    assert all(path.exists() for path in stored.values())

    current = ckan_admin.call("package_show", id=package["id"])["resources"]
    ckan_admin.call("package_patch", id=package["id"],
                    resources=[r for r in current if r["id"] != dropped["id"]])
    assert not stored["dropped"].exists()
    ckan_admin.call("resource_patch", id=linked["id"], url="https://example.org/linked.csv",
                    url_type="")
    assert not stored["linked"].exists()
    assert stored["purged"].exists()  # still an active upload

    ckan_admin.call("dataset_purge", id=package["id"])
    assert not stored["purged"].exists()
