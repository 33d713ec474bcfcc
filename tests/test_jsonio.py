import json
import os
import subprocess
import sys

import pytest

from azora_dash import jsonio
from azora_dash.errors import InputError
from azora_dash.jsonio import _orjson_dumps, canonical_numbers, dumps, load_json, loads, plan_tree, write_tree


def test_dumps_is_canonical():
    assert dumps({"b": 1, "a": [1.5, "é"]}) == '{\n  "a": [\n    1.5,\n    "é"\n  ],\n  "b": 1\n}\n'


def test_write_tree_writes_only_changes_and_removes_owned_stale(tmp_path):
    (tmp_path / "d").mkdir()
    (tmp_path / "d/keep.json").write_text("same\n")
    (tmp_path / "d/stale.json").write_text("old\n")
    (tmp_path / "other.txt").write_text("not ours\n")
    os.utime(tmp_path / "d/keep.json", ns=(5, 5))
    result = write_tree(tmp_path, {"d/keep.json": "same\n", "d/new.json": "new\n"}, ("d/*.json",))
    assert (
        result.written == ["d/new.json"] and result.unchanged == ["d/keep.json"] and result.removed == ["d/stale.json"]
    )
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


@pytest.mark.parametrize("umask", [0o022, 0o002, 0o077, 0o777])
def test_written_files_are_readable_by_everyone_whatever_the_umask(tmp_path, umask):
    """Grafana's container user reads provisioning/; the mode is set again only when the umask took bits."""
    old = os.umask(umask)
    jsonio._umask_hides.cache_clear()
    try:
        assert jsonio._umask_hides(0o644) == bool(umask & 0o644)
        write_tree(tmp_path / "out", {"d/a.json": "a\n"})
    finally:
        os.umask(old)
        jsonio._umask_hides.cache_clear()
    assert (tmp_path / "out/d/a.json").stat().st_mode & 0o777 == 0o644
    assert (tmp_path / "out/d/a.json").read_text() == "a\n"


def test_a_folder_made_by_the_write_is_not_read_first_and_one_that_existed_is(tmp_path, monkeypatch):
    reads = []
    real = type(tmp_path).read_bytes
    monkeypatch.setattr(type(tmp_path), "read_bytes", lambda self: reads.append(self.name) or real(self))
    fresh = write_tree(tmp_path, {"new/a.json": "a\n", "new/b.json": "b\n"})
    assert fresh.written == ["new/a.json", "new/b.json"] and reads == []
    again = write_tree(tmp_path, {"new/a.json": "a\n", "new/b.json": "B\n"})
    assert (
        again.unchanged == ["new/a.json"] and again.written == ["new/b.json"] and sorted(reads) == ["a.json", "b.json"]
    )
    assert (tmp_path / "new/b.json").read_text() == "B\n"


def test_load_json_errors_name_the_file(tmp_path):
    with pytest.raises(InputError, match=r"missing.json: no such file"):
        load_json(tmp_path / "missing.json")


# dumps writes plain JSON data itself (the stdlib's indenting encoder is pure Python
# and was half of a 1,000-dashboard build); its output must stay json.dumps' exactly.
ODD_VALUES = [
    {},
    [],
    "",
    0,
    -1.5,
    None,
    True,
    False,
    10**30,
    1e16,
    1e-7,
    # orjson writes these positionally (0.00001, 1e-9); dumps must leave them to Python's repr.
    1e-05,
    {"le": 1.2e-05, "xs": [1e-9, 2.5e-300, 0.0001]},
    -0.0,
    {"é": 'ü\u2028"\\\n\t\x00', "a": [[], {}, [{}], ()], "b": (1, 2.5, None, True)},
    {"nested": {"deep": [{"x": [1, [2, [3]]]}]}},
    # Not plain JSON data: these take the json.dumps path and must still match it.
    {"nan": float("nan"), "inf": float("inf")},
    {1: "int key"},
    {"s": type("S", (str,), {})("sub")},
]


@pytest.mark.parametrize("value", ODD_VALUES, ids=lambda v: repr(v)[:40])
def test_dumps_is_json_dumps_sorted_indented(value):
    expected = json.dumps(canonical_numbers(value), sort_keys=True, indent=2, ensure_ascii=False) + "\n"
    assert dumps(value) == expected


def test_dumps_raises_like_json_dumps_on_unserialisable_values():
    with pytest.raises(TypeError, match="not JSON serializable"):
        dumps({"x": object()})
    with pytest.raises(TypeError):
        dumps({"a": 1, 2: "mixed keys"})


def test_dumps_of_every_real_dashboard_is_json_dumps():
    from azora_dash.build.project import render
    from azora_dash.config import DEFAULT

    from .conftest import ROOT

    compiled, _ = render(DEFAULT, ROOT / "dashboards")
    assert compiled
    for c in compiled:
        expected = json.dumps(canonical_numbers(c.dashboard), sort_keys=True, indent=2, ensure_ascii=False)
        assert dumps(c.dashboard) == expected + "\n"


@pytest.mark.parametrize(
    "value, text",
    [(1.0, "1"), (-3.0, "-3"), (2.5, "2.5"), (1e20, "100000000000000000000"), (1e21, "1e+21"), (1e-7, "1e-07")],
)
def test_whole_number_floats_are_written_as_integers(value, text):
    # As Go's encoding/json writes a float64 decoded from JSON (Grafana 12+ stores dashboards so).
    assert dumps([value]) == f"[\n  {text}\n]\n"
    assert dumps({"nan": float("nan"), "x": value}).endswith(f'"x": {text}\n}}\n')  # the json.dumps path too


def test_content_hash_survives_a_go_round_trip_of_every_built_dashboard():
    from azora_dash.grafana.push import content_hash

    from .conftest import ROOT
    from .fakes.grafana_model import go_roundtrip

    files = sorted((ROOT / "provisioning/dashboards/azora").glob("*.json"))
    assert len(files) >= 4
    for path in files:
        text = path.read_text(encoding="utf-8")
        built = json.loads(text)
        assert dumps(built) == text
        # no whole-number float anywhere: every number json reads back as float has a fraction
        floats = json.loads(text, parse_float=float, parse_int=lambda s: 0)
        assert not [f for f in _numbers(floats) if isinstance(f, float) and f.is_integer()], path.name
        assert content_hash(go_roundtrip(built)) == content_hash(built), path.name


def _numbers(value):
    if isinstance(value, dict):
        for v in value.values():
            yield from _numbers(v)
    elif isinstance(value, list):
        for v in value:
            yield from _numbers(v)
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        yield value


def test_real_dashboards_take_the_orjson_path():
    """The fast path is the one the build uses: a fallback on real output would be a silent 20x slowdown."""
    from azora_dash.build.project import render
    from azora_dash.config import DEFAULT

    from .conftest import ROOT

    compiled, _ = render(DEFAULT, ROOT / "dashboards")
    assert all(_orjson_dumps(c.dashboard) == dumps(c.dashboard) for c in compiled)
    # The build's call: normalize's output needs no read-back, and the bytes are the same.
    assert all(_orjson_dumps(c.dashboard, plain=True) == dumps(c.dashboard) for c in compiled)


def test_dumps_writes_the_same_bytes_before_and_after_it_switches_to_orjson():
    """The first calls in a process use the Python encoder (orjson's import is start-up), later ones
    orjson: a file's bytes never depend on which it was."""
    code = (
        "import json, sys; from azora_dash import jsonio; doc = json.loads(sys.argv[1]); "
        "print(json.dumps([jsonio.dumps(doc) for _ in range(jsonio._ENCODE_FIRST + 2)]), 'orjson' in sys.modules)"
    )
    doc = {"b": [1, 2.5, 1e-05, 3.0, "é", None, {"z": True, "a": -0.0}], "a": 10**20}
    out = subprocess.run([sys.executable, "-c", code, json.dumps(doc)], capture_output=True, text=True, check=True)
    texts, imported = out.stdout.rsplit(" ", 1)
    assert set(json.loads(texts)) == {dumps(doc)} and imported.strip() == "True"


@pytest.mark.parametrize("files", [1, 16, 17, 1000])
def test_expect_uses_orjson_from_the_first_call_only_when_more_than_its_import_are_coming(files):
    code = (
        "import sys; from azora_dash import jsonio; jsonio.expect(int(sys.argv[1])); "
        "sys.stdout.write(jsonio.dumps({'b': [1.0, 2.5], 'a': 'é'})); print('orjson' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code, str(files)], capture_output=True, text=True, check=True)
    assert out.stdout == dumps({"b": [1.0, 2.5], "a": "é"}) + str(files > jsonio._ENCODE_FIRST) + "\n"


@pytest.mark.parametrize(
    "text",
    [
        '{"a": [1, 2.5, "é", null, true]}',
        '{"nan": NaN, "inf": -Infinity}',
        "123456789012345678901234567890",
        '{"id": 9223372036854775808}',
        '"\\ud800"',
        "1e400",
    ],
)
def test_loads_is_json_loads(text):
    assert repr(loads(text.encode())) == repr(json.loads(text))


def test_load_json_reports_position_of_a_syntax_error(tmp_path):
    (tmp_path / "bad.json").write_text('{\n  "a": 1,\n}\n')
    with pytest.raises(InputError, match=r"bad.json:3:1: invalid JSON"):
        load_json(tmp_path / "bad.json")


@pytest.mark.parametrize("value", [{"a": 1.0, "b": [2.0, -3.0], "c": 10.0}, [0.0], {"x": -0.0}, {"big": 1e17}])
def test_orjson_path_writes_whole_floats_as_integers_or_steps_aside(value):
    fast = _orjson_dumps(value)
    assert fast is None or fast == json.dumps(canonical_numbers(value), sort_keys=True, indent=2) + "\n"
    assert dumps(value) == json.dumps(canonical_numbers(value), sort_keys=True, indent=2) + "\n"
    if "a" in value or value == [0.0]:
        assert fast is not None  # the common case stays on the fast path


def test_no_cyclic_gc_pauses_the_collector_and_restores_it_even_on_error():
    import gc

    from azora_dash.jsonio import no_cyclic_gc

    assert gc.isenabled()
    with pytest.raises(RuntimeError), no_cyclic_gc():
        assert not gc.isenabled()
        raise RuntimeError("boom")
    assert gc.isenabled()
    gc.disable()  # a caller that paused it already keeps it paused
    try:
        with no_cyclic_gc():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


@pytest.mark.parametrize("offset", range(12))
@pytest.mark.parametrize("length", [18, 19, 20, 30])
def test_a_run_of_19_digits_is_found_wherever_it_starts(offset, length):
    from azora_dash.jsonio import _long_digits

    data = b"x" * offset + b"7" * length + b"," + b"1 " * 20
    assert _long_digits(data) == (length >= 19)


@pytest.mark.parametrize(
    "data",
    [
        b'{"a": [1, 2.5, "\xc3\xa9", null, true]}',
        b'\xef\xbb\xbf{"bom": 1}',
        b'{"id": 12345678901234567890123}',
        b'{"nan": NaN}',
        b'"\\ud800"',
    ],
)
def test_load_json_reads_the_bytes_as_the_text_would_read(tmp_path, data):
    (tmp_path / "d.json").write_bytes(data)
    assert repr(load_json(tmp_path / "d.json")) == repr(json.loads(data.decode("utf-8-sig")))


def test_load_json_names_the_byte_that_is_not_utf8(tmp_path):
    (tmp_path / "d.json").write_bytes(b'{"title": "caf\xe9"}')
    with pytest.raises(InputError, match=r"d.json: byte 14 is not UTF-8"):
        load_json(tmp_path / "d.json")


@pytest.mark.parametrize(
    "value", [1e-05, 1e-9, 1.5e-7, 5e-324, 1e16, 1.5e16, 1e21, 1.5e22, 1e100, -0.0, 0.00025, 1e-4, 123.456, 7.0]
)
def test_plain_data_takes_orjson_only_where_its_float_text_is_python_s(value):
    """``dumps(plain=True)`` skips the read-back and the whole-float fix: normalize's output (whole
    floats as ints) must still come out as json.dumps writes it, by orjson or by stepping aside."""
    from azora_dash.build.normalize import to_plain

    data = to_plain({"v": [value, {"x": value}]})
    want = json.dumps(canonical_numbers(data), sort_keys=True, indent=2, ensure_ascii=False) + "\n"
    fast = _orjson_dumps(data, plain=True)
    assert fast in (None, want)
    assert dumps(data, plain=True) == want
