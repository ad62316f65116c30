import re
import stat
from pathlib import Path

from flows.settings import Secret
from flows.stack import ckan
from flows.stack.paths import StackPaths
from flows.config import load_stack_settings


def test_rendered_config_fills_every_placeholder_and_is_private(tmp_path: Path) -> None:
    settings = load_stack_settings({"SENATE_STACK_DIR": str(tmp_path)})
    paths = StackPaths(settings)
    render = lambda: ckan.write_config(  # noqa: E731
        paths, settings, sqlalchemy_url="postgresql://u:pw@h:1/db",
        solr_url="http://127.0.0.1:2/solr/ckan", solr_user="ckan",
        solr_password=Secret("search-pw"), redis_url="redis://:pw@127.0.0.1:3/0",
        secret_key=Secret("k" * 20), datastore_write_url="postgresql://w:pw@h:1/ds",
        datastore_read_url="postgresql://r:ro-pw@h:1/ds")
    assert render() is True
    assert render() is False  # unchanged: not rewritten
    ini = paths.ckan_ini
    text = ini.read_text(encoding="utf-8")
    assert "${" not in text
    assert stat.S_IMODE(ini.stat().st_mode) == 0o600
    plugins = re.search(r"^ckan\.plugins = (.+)$", text, re.M).group(1).split()
    assert {"scheming_datasets", "dcat", "senate_dga", "activity"} <= set(plugins)
    assert re.search(r"^ckan\.locale_default = th$", text, re.M)
    assert f"ckan.site_url = {settings.ckan_url}" in text
    # CKAN's own settings for a Solr behind basic auth; the file holding them is 0600 (above).
    assert re.search(r"^solr_user = ckan$", text, re.M)
    assert re.search(r"^solr_password = search-pw$", text, re.M)
    assert re.search(r"^ckan\.auth\.public_user_details = false$", text, re.M)


def test_install_fingerprint_changes_with_the_pins(tmp_path: Path) -> None:
    root = tmp_path / "project"
    (root / "catalog_config").mkdir(parents=True)
    (root / "catalog_config" / ckan.REQUIREMENTS).write_text("ckan==2.11.6\n")
    (root / "catalog_config" / ckan.CONSTRAINTS).write_text("a==1\n")
    settings = load_stack_settings({"SENATE_STACK_DIR": str(tmp_path / "s")},
                                      project_root=root)
    paths = StackPaths(settings)
    before = ckan._install_fingerprint(paths)
    (root / "catalog_config" / ckan.CONSTRAINTS).write_text("a==2\n")
    assert ckan._install_fingerprint(paths) != before
