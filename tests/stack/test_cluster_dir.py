"""Where the PostgreSQL cluster lives (``flows.stack.cluster_dir``), without starting it."""

import os
import pwd
import shutil
import stat
import tempfile
from pathlib import Path

import pytest

from flows.stack import cluster_dir
from flows.stack.paths import StackPaths
from flows.config import load_stack_settings

as_root = pytest.mark.skipif(os.geteuid() != 0, reason="only root hands the cluster to postgres")


def _paths(state_dir: Path, instance: str = "demo") -> StackPaths:
    return StackPaths(load_stack_settings({"SENATE_STACK_DIR": str(state_dir),
                                              "SENATE_STACK_INSTANCE": instance}))


def _has_postgres_user() -> bool:
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        return False
    return True


needs_postgres_user = pytest.mark.skipif(not _has_postgres_user(), reason="no postgres user")


def test_locate_follows_the_link_so_postgres_never_gets_a_path_through_the_clone(
        tmp_path: Path) -> None:
    paths = _paths(tmp_path / "clone" / ".stack")
    assert cluster_dir.locate(paths).root == paths.service_dir("postgres")  # in place
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    paths.instance.mkdir(parents=True)
    paths.service_dir("postgres").symlink_to(elsewhere)
    cluster = cluster_dir.locate(paths)
    assert cluster.data == elsewhere / "data"
    assert cluster.socket_dir == elsewhere / "run"
    assert cluster.initdb_pwfile.parent == cluster.logfile.parent == elsewhere


@needs_postgres_user
def test_the_folder_under_the_postgres_home_is_per_clone_and_per_instance(
        tmp_path: Path) -> None:
    home = Path(pwd.getpwnam("postgres").pw_dir) / "senate-catalog"
    one_demo = cluster_dir.home_dir(_paths(tmp_path / "one" / ".stack"))
    one_test = cluster_dir.home_dir(_paths(tmp_path / "one" / ".stack", "test"))
    two_demo = cluster_dir.home_dir(_paths(tmp_path / "two" / ".stack"))
    assert len({one_demo, one_test, two_demo}) == 3
    assert one_demo.parent == one_test.parent != two_demo.parent
    assert one_demo.parent.parent == two_demo.parent.parent == home
    assert (one_demo.name, one_test.name) == ("demo", "test")
    assert one_demo == cluster_dir.home_dir(_paths(tmp_path / "one" / ".stack"))  # stable


@as_root
@needs_postgres_user
def test_a_private_clone_gets_a_linked_folder_only_postgres_can_read_and_reset_removes_it(
) -> None:
    top = Path(tempfile.mkdtemp())  # 0700, as `mktemp -d` makes it
    paths = _paths(top / "clone" / ".stack")
    try:
        cluster = cluster_dir.place(paths)
        link = paths.service_dir("postgres")
        assert link.is_symlink() and link.resolve() == cluster.root == cluster_dir.home_dir(paths)
        postgres = pwd.getpwnam("postgres").pw_uid
        for folder in (cluster.root, cluster.root.parent, cluster.data, cluster.socket_dir):
            info = folder.stat()
            assert (info.st_uid, stat.S_IMODE(info.st_mode)) == (postgres, 0o700), folder
        assert str(paths.root) in (cluster.root / "ORIGIN").read_text(encoding="utf-8")
        assert cluster_dir.place(paths) == cluster  # idempotent, found again
        cluster_dir.remove(paths)
        assert not link.exists() and not link.is_symlink()
        assert not cluster.root.exists() and not cluster.root.parent.exists()
    finally:
        cluster_dir.remove(paths)
        shutil.rmtree(top)


@as_root
@needs_postgres_user
def test_a_folder_left_by_a_failed_up_in_a_private_clone_is_replaced_by_the_link() -> None:
    top = Path(tempfile.mkdtemp())
    paths = _paths(top / "clone" / ".stack")
    leftover = paths.service_dir("postgres")
    (leftover / "data").mkdir(parents=True)  # no PG_VERSION: initdb never succeeded
    try:
        cluster = cluster_dir.place(paths)
        assert leftover.is_symlink() and cluster.root == cluster_dir.home_dir(paths)
    finally:
        cluster_dir.remove(paths)
        shutil.rmtree(top)
