import os

import pytest

from azora_dash.errors import InputError
from azora_dash.jsonio import dumps, load_json, plan_tree, write_tree


def test_dumps_is_canonical():
    assert dumps({"b": 1, "a": [1.5, "é"]}) == '{\n  "a": [\n    1.5,\n    "é"\n  ],\n  "b": 1\n}\n'


def test_write_tree_writes_only_changes_and_removes_owned_stale(tmp_path):
    (tmp_path / "d").mkdir()
    (tmp_path / "d/keep.json").write_text("same\n")
    (tmp_path / "d/stale.json").write_text("old\n")
    (tmp_path / "other.txt").write_text("not ours\n")
    os.utime(tmp_path / "d/keep.json", ns=(5, 5))
    result = write_tree(tmp_path, {"d/keep.json": "same\n", "d/new.json": "new\n"}, ("d/*.json",))
    assert result.written == ["d/new.json"] and result.unchanged == ["d/keep.json"] and result.removed == ["d/stale.json"]
    assert (tmp_path / "d/keep.json").stat().st_mtime_ns == 5
    assert (tmp_path / "other.txt").exists() and not (tmp_path / "d/stale.json").exists()
    assert not list(tmp_path.rglob("*.tmp"))


def test_failed_staging_changes_nothing(tmp_path):
    (tmp_path / "a.json").write_text("old a\n")
    (tmp_path / "blocker").write_text("a file where a directory is needed\n")
    with pytest.raises(InputError, match="nothing was changed"):
        write_tree(tmp_path, {"a.json": "new a\n", "blocker/b.json": "b\n"})
    assert (tmp_path / "a.json").read_text() == "old a\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.json", "blocker"]


def test_plan_tree_writes_nothing(tmp_path):
    plan = plan_tree(tmp_path, {"x.json": "1\n"})
    assert plan.written == ["x.json"] and not (tmp_path / "x.json").exists()


def test_load_json_errors_name_the_file(tmp_path):
    with pytest.raises(InputError, match=r"missing.json: no such file"):
        load_json(tmp_path / "missing.json")
