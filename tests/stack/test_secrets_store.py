import json
import stat
from pathlib import Path

from flows.stack import secrets_store


def test_first_load_generates_every_secret_in_a_private_file(tmp_path: Path) -> None:
    path = tmp_path / "secrets.json"
    secrets = secrets_store.load_or_create(path)
    assert {"postgres_superuser", "ckan_db", "redis", "ckan_secret_key", "admin_password",
            "search_password"} <= set(secrets)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert secrets_store.load_or_create(path)["search_password"].reveal() == \
        secrets["search_password"].reveal()


def test_an_existing_instance_gains_a_new_secret_and_keeps_the_old_ones(tmp_path: Path) -> None:
    # secrets.json as written before the search service required a password.
    old = {"postgres_superuser": "pg", "ckan_db": "db", "redis": "rd", "ckan_secret_key": "key",
           "admin_password": "admin"}
    path = tmp_path / "secrets.json"
    secrets_store.write_private(path, json.dumps(old))
    secrets = secrets_store.load_or_create(path)
    stored = json.loads(path.read_text(encoding="utf-8"))
    assert {name: stored[name] for name in old} == old
    assert len(stored["search_password"]) >= 32
    assert secrets["search_password"].reveal() == stored["search_password"]
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
