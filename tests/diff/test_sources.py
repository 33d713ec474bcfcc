"""Diff sources: the working tree and a git ref built with that ref's own code, in a real temp repo."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from azora_dash.config import DEFAULT
from azora_dash.diff.core import ChangeType, FieldChange
from azora_dash.diff.sources import Source, compare, from_git_ref, from_worktree, load_source
from azora_dash.errors import ConfigError, InputError

from ..conftest import ROOT


def git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.invalid", *args],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


@pytest.fixture
def repo(tmp_path):
    """A git repo holding a copy of this package and dashboards, committed as HEAD."""
    shutil.copytree(ROOT / "azora_dash", tmp_path / "azora_dash", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "dashboards", tmp_path / "dashboards", ignore=shutil.ignore_patterns("__pycache__"))
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "base")
    return tmp_path


def commit(repo: Path, path: str, old: str, new: str) -> None:
    file = repo / path
    text = file.read_text()
    assert old in text, f"{old!r} not in {path}: the fixture no longer matches the code"
    file.write_text(text.replace(old, new))
    git(repo, "commit", "-qam", f"edit {path}")


def test_git_ref_is_built_with_that_refs_code(repo):
    # The ref's config says refresh "1m"; the working tree (this package, in process) says "30s".
    # Only a build that really ran the ref's azora_dash can produce "1m".
    commit(repo, "azora_dash/config.py", 'refresh: str = "30s"', 'refresh: str = "1m"')
    changes = compare(Source("git", "HEAD"), Source("worktree"), dashboards_dir=repo / "dashboards", repo=repo)
    assert {c.dashboard_uid for c in changes} == set(from_worktree(DEFAULT, repo / "dashboards"))
    assert all(c.scope == "dashboard" and c.fields == (FieldChange("refresh", "1m", "30s"),) for c in changes)


def test_working_tree_edit_shows_against_head(repo):
    alerts = repo / "dashboards" / "alerts.py"
    alerts.write_text(alerts.read_text().replace('"Alerts currently firing, by severity."', '"Alerts firing now."'))
    changes = compare(Source("git", "HEAD"), Source("worktree"), dashboards_dir=repo / "dashboards", repo=repo)
    assert [(c.dashboard_uid, c.kind, c.panel_title, [f.field for f in c.fields]) for c in changes] == [
        ("azora-alerts", ChangeType.MODIFIED, "Firing alerts", ["description"])
    ]


def test_ref_whose_build_fails_is_an_input_error(repo):
    commit(repo, "dashboards/alerts.py", "def build(cfg):", "def build(cfg):\n    raise RuntimeError('boom')")
    with pytest.raises(InputError, match=r"HEAD: building its dashboards failed: .*RuntimeError: boom"):
        from_git_ref("HEAD", repo)


def test_unknown_ref_says_to_fetch(repo):
    with pytest.raises(InputError, match="origin/nope: not a commit in .*fetch-depth: 0"):
        from_git_ref("origin/nope", repo)


def test_ref_before_the_project_has_no_dashboards(tmp_path):
    (tmp_path / "README").write_text("hello\n")
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "first")
    assert from_git_ref("HEAD", tmp_path) == {}


def test_paths_and_unwired_grafana_sources():
    built = ROOT / "provisioning" / "dashboards" / "azora"
    assert load_source(Source("path", str(built))) == from_worktree(DEFAULT, ROOT / "dashboards")
    with pytest.raises(ConfigError, match="--grafana"):
        load_source(Source("grafana"))


def test_grafana_source_uses_the_live_fetcher():
    live = {"svc": {"uid": "svc", "title": "Live", "panels": []}}
    assert load_source(Source("grafana"), live=lambda: live) is live


def test_two_files_without_uid_are_compared_with_each_other(tmp_path):
    board = {
        "title": "T",
        "panels": [{"id": 1, "type": "stat", "title": "a", "gridPos": {"x": 0, "y": 0, "w": 6, "h": 4}}],
    }
    (tmp_path / "old.json").write_text(json.dumps(board))
    board["panels"][0]["title"] = "b"
    (tmp_path / "new.json").write_text(json.dumps(board))
    changes = compare(Source("path", str(tmp_path / "old.json")), Source("path", str(tmp_path / "new.json")))
    assert [(c.dashboard_uid, c.kind, [f.field for f in c.fields]) for c in changes] == [
        ("new", ChangeType.MODIFIED, ["title"])
    ]
    # Two different uids stay two dashboards: Grafana keys on the uid.
    (tmp_path / "u1.json").write_text(json.dumps({**board, "uid": "one"}))
    (tmp_path / "u2.json").write_text(json.dumps({**board, "uid": "two"}))
    kinds = [
        c.kind for c in compare(Source("path", str(tmp_path / "u1.json")), Source("path", str(tmp_path / "u2.json")))
    ]
    assert sorted(kinds) == [ChangeType.ADDED, ChangeType.REMOVED]
