"""grafanalib_cache: attrs' generated methods for grafanalib come from the cache exactly as attrs
would compile them, and a bad or unwritable cache only costs the compile."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from azora_dash import grafanalib_cache

from .conftest import ROOT

# Every method attrs generated for grafanalib.core's classes, as comparable text: the code objects
# (recursively: their constants hold nested code) field by field.
SIGNATURE = r"""
import json, sys, types
if sys.argv[1] == "cache":
    from azora_dash import grafanalib_cache as c
    core, stats = c.core, c.stats
else:
    import grafanalib.core as core
    stats = {}

def code(c):
    fields = ("co_code", "co_names", "co_varnames", "co_freevars", "co_cellvars", "co_flags", "co_filename",
              "co_name", "co_qualname", "co_firstlineno", "co_linetable", "co_exceptiontable", "co_argcount",
              "co_posonlyargcount", "co_kwonlyargcount", "co_stacksize")
    consts = [code(k) if isinstance(k, types.CodeType) else repr(k) for k in c.co_consts]
    return [repr(getattr(c, f)) for f in fields] + consts

methods = {}
for name, cls in sorted(vars(core).items()):
    if isinstance(cls, type) and hasattr(cls, "__attrs_attrs__"):
        for attr, fn in sorted(vars(cls).items()):
            if isinstance(fn, types.FunctionType) and fn.__code__.co_filename.startswith("<attrs generated"):
                methods[f"{name}.{attr}"] = code(fn.__code__)
import attr._make
print(json.dumps({"methods": methods, "stats": stats, "shadow": "compile" in vars(attr._make)}))
"""


def _run(tmp_path, how: str, write: bool = True) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(tmp_path / "pycache")
    if not write:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    out = subprocess.run(
        [sys.executable, "-c", SIGNATURE, how], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout)


def _cache_file(tmp_path):
    files = list((tmp_path / "pycache").rglob("grafanalib_cache.*.attrs"))
    assert len(files) <= 1, files
    return files[0] if files else None


def test_first_import_compiles_and_saves_then_the_next_reuses_every_method(tmp_path):
    first = _run(tmp_path, "cache")
    assert first["stats"]["compiled"] > 50 and first["stats"]["reused"] == 0 and first["stats"]["saved"]
    assert _cache_file(tmp_path) is not None
    again = _run(tmp_path, "cache")
    assert again["stats"] == {"reused": first["stats"]["compiled"], "compiled": 0, "saved": False}
    assert again["methods"] == first["methods"]


def test_cached_methods_are_the_code_attrs_compiles_itself(tmp_path):
    _run(tmp_path, "cache")
    cached = _run(tmp_path, "cache")
    assert cached["stats"]["compiled"] == 0  # every method below came from the file
    plain = _run(tmp_path, "plain")  # grafanalib imported directly: attrs compiles everything
    assert len(plain["methods"]) > 200
    assert cached["methods"] == plain["methods"]


def test_the_shadow_compile_is_gone_after_the_import(tmp_path):
    assert _run(tmp_path, "cache")["shadow"] is False
    assert "compile" not in vars(sys.modules["attr._make"])


@pytest.mark.parametrize(
    "content",
    [b"", b"not marshal at all", b"\xfa" * 64, None],
    ids=["empty", "garbage", "bad-marshal", "foreign-header"],
)
def test_a_bad_cache_file_is_ignored_and_rewritten(tmp_path, content):
    good = _run(tmp_path, "cache")
    path = _cache_file(tmp_path)
    import marshal

    path.write_bytes(marshal.dumps(((0, b"old!"), {})) if content is None else content)
    again = _run(tmp_path, "cache")
    assert again["stats"]["compiled"] == good["stats"]["compiled"] and again["stats"]["saved"]
    assert again["methods"] == good["methods"]
    assert _run(tmp_path, "cache")["stats"]["compiled"] == 0


def test_dont_write_bytecode_is_obeyed(tmp_path):
    result = _run(tmp_path, "cache", write=False)
    assert result["stats"]["compiled"] > 0 and not result["stats"]["saved"]
    assert _cache_file(tmp_path) is None


def test_an_unwritable_place_is_no_error_and_leaves_no_temp_file(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache folder would be")
    assert grafanalib_cache._save(str(blocker / "x.attrs"), {}) is False
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file"]


def test_save_then_load_round_trips_and_a_foreign_layout_reads_as_empty(tmp_path):
    where = str(tmp_path / "c.attrs")
    code = compile("x = 1", "<t>", "exec")
    assert grafanalib_cache._save(where, {(0, "<t>", "x = 1"): code})
    assert grafanalib_cache._load(where) == {(0, "<t>", "x = 1"): code}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.attrs"]


def test_inherited_flags_are_the_modules_future_imports():
    import __future__

    import attr._make

    from azora_dash import jsonio

    assert grafanalib_cache._inherited_flags(attr._make) == __future__.annotations.compiler_flag
    assert grafanalib_cache._inherited_flags(jsonio) == __future__.annotations.compiler_flag
    assert grafanalib_cache._inherited_flags(grafanalib_cache) == 0


def test_an_interpreter_without_a_bytecode_cache_gets_no_file_and_no_error(monkeypatch):
    def no_cache_tag(path):
        raise NotImplementedError("sys.implementation.cache_tag is None")

    monkeypatch.setattr(grafanalib_cache, "cache_from_source", no_cache_tag)
    assert grafanalib_cache.path() is None
    assert grafanalib_cache._load(None) == {}
