"""A build writes everything or nothing, even at 1,000 dashboards, wherever the failure is."""

from __future__ import annotations

import errno
import os
import shutil
import subprocess

import pytest

from azora_dash import jsonio
from azora_dash.build.project import build
from azora_dash.config import DEFAULT
from azora_dash.errors import DefinitionError, InputError

N = 1000
# A config change alters every dashboard, so a partial write of a failing build would show.
CHANGED = DEFAULT.evolve(refresh="5m")
MODULE = """from azora_dash import panels as P


def build(cfg):
    return P.dashboard(cfg, "atom-{i:04d}", "Atom {i}", "One of many.", "atom", [], [])
"""
BROKEN = "def build(cfg):\n    raise ValueError('broken on purpose')\n"


@pytest.fixture(scope="module")
def modules(tmp_path_factory):
    root = tmp_path_factory.mktemp("atomic")
    (root / "dashboards").mkdir()
    for i in range(N):
        (root / "dashboards" / f"d{i:04d}.py").write_text(MODULE.format(i=i))
    return root / "dashboards"


def tree(root):
    """Every file under ``root`` with its bytes and mtime: any write shows."""
    return {
        p.relative_to(root).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns) for p in root.rglob("*") if p.is_file()
    }


@pytest.fixture(scope="module")
def built(modules, tmp_path_factory):
    """A complete earlier build, which a failing one must leave exactly as it was."""
    out = tmp_path_factory.mktemp("out")
    # the dashboards, the provider and the Prometheus, Loki and Jaeger datasources
    assert len(build(DEFAULT, modules, out).files.written) == N + 4
    return out


def test_every_dashboard_is_written(built):
    assert len(list((built / "dashboards/azora").glob("*.json"))) == N


@pytest.mark.parametrize("where", [0, N // 2, N - 1], ids=["first", "middle", "last"])
def test_a_failing_dashboard_writes_nothing(modules, built, where):
    victim = modules / f"d{where:04d}.py"
    good = victim.read_text()
    before = tree(built)
    victim.write_text(BROKEN)
    try:
        with pytest.raises(DefinitionError, match=f"d{where:04d}.py"):
            build(CHANGED, modules, built)
    finally:
        victim.write_text(good)
    assert tree(built) == before


@pytest.mark.parametrize("at", [1, N // 2, N], ids=["first", "middle", "last"])
def test_a_write_error_writes_nothing(modules, built, monkeypatch, at):
    """Disk full while staging the at-th of the N changed dashboards: earlier staged files are
    removed and none is renamed into place."""
    stage, calls = jsonio._stage, []

    def full_disk(target, data):
        calls.append(target)
        if len(calls) == at:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return stage(target, data)

    monkeypatch.setattr(jsonio, "_stage", full_disk)
    before = tree(built)
    with pytest.raises(InputError, match="No space left on device.*nothing was changed"):
        build(CHANGED, modules, built)
    assert len(calls) == at
    assert tree(built) == before


def test_a_no_change_rebuild_writes_nothing(modules, built):
    build(DEFAULT, modules, built)
    before = tree(built)
    result = build(DEFAULT, modules, built)
    assert result.files.written == [] and tree(built) == before


def _used_bytes(path) -> int:
    st = os.statvfs(path)
    return (st.f_blocks - st.f_bfree) * st.f_frsize


@pytest.fixture
def small_tmpfs(tmp_path):
    """A real memory filesystem of its own, mounted for this test (needs root and mount(2))."""
    mount = shutil.which("mount")
    where = tmp_path / "tmpfs"
    where.mkdir()
    if os.geteuid() != 0 or mount is None:
        pytest.skip("mounting a small tmpfs needs root and mount(8)")
    done = subprocess.run([mount, "-t", "tmpfs", "-o", "size=64m", "tmpfs", str(where)], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"mount -t tmpfs not permitted here: {done.stderr.strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", str(where)], check=True)


def test_a_full_disk_writes_nothing(modules, small_tmpfs):
    """The disk really fills up: a first build fits, then the filesystem is shrunk to half as much
    again, so staging the rebuild's N changed files runs out of space part-way through."""
    build(DEFAULT, modules, small_tmpfs)
    used = _used_bytes(small_tmpfs)
    subprocess.run(["mount", "-o", f"remount,size={used * 3 // 2}", str(small_tmpfs)], check=True)
    before = tree(small_tmpfs)
    with pytest.raises(InputError, match="No space left on device.*nothing was changed"):
        build(CHANGED, modules, small_tmpfs)
    assert tree(small_tmpfs) == before  # no file replaced and no temp file left behind
    assert _used_bytes(small_tmpfs) == used
