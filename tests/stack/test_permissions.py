import os
import stat
from pathlib import Path

from flows.stack import permissions
from flows.stack.paths import StackPaths
from flows.config import load_stack_settings


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


def test_restrict_tree_takes_group_and_other_bits_off_everything(tmp_path: Path) -> None:
    root = tmp_path / "storage"
    upload = root / "resources" / "abc" / "def" / "0123-file"
    upload.parent.mkdir(parents=True)
    upload.write_text("private row\n")
    script = root / "run.sh"
    script.write_text("#!/bin/sh\n")
    for path, mode in ((upload, 0o644), (script, 0o755), *((d, 0o755) for d in
                       (root, root / "resources", upload.parent.parent, upload.parent))):
        path.chmod(mode)
    outside = tmp_path / "outside.txt"
    outside.write_text("not ours\n")
    outside.chmod(0o644)
    (root / "link").symlink_to(outside)

    assert permissions.restrict_tree(root) == 6
    assert _mode(upload) == 0o600
    assert _mode(script) == 0o700  # the owner's bits are kept
    assert {_mode(d) for d in (root, upload.parent, upload.parent.parent)} == {0o700}
    assert _mode(outside) == 0o644  # a symlink is not followed
    assert permissions.restrict_tree(root) == 0


def test_restrict_instance_makes_the_service_folders_private(tmp_path: Path) -> None:
    paths = StackPaths(load_stack_settings({"SENATE_STACK_DIR": str(tmp_path)}))
    assert permissions.restrict_instance(paths) == []  # created private: nothing to change
    for service in permissions.PRIVATE_SERVICES:
        assert _mode(paths.service_dir(service)) == 0o700
    assert _mode(paths.ckan_storage) == 0o700
    # What an older stack left behind: a readable search index and uploaded file.
    index = paths.service_dir("search") / "index" / "ckan.sqlite3"
    index.parent.mkdir(mode=0o755)
    index.write_text("rows")
    index.chmod(0o644)
    os.chmod(paths.service_dir("search"), 0o755)
    assert permissions.restrict_instance(paths) == ["search"]
    assert (_mode(index), _mode(index.parent), _mode(paths.service_dir("search"))) == \
        (0o600, 0o700, 0o700)
    assert permissions.restrict_instance(paths) == []
