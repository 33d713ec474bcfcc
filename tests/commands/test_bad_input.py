"""A file that cannot be a dashboard is one line and exit 2 in every command that reads dashboard files.

``push`` is not in the list: it reads dashboard modules, never dashboard JSON.
"""

from __future__ import annotations

import json

import pytest

from ..conftest import invoke

GOOD = {
    "uid": "d",
    "title": "D",
    "schemaVersion": 39,
    "panels": [
        {
            "id": 1,
            "type": "timeseries",
            "title": "a",
            "gridPos": {"x": 0, "y": 0, "w": 12, "h": 8},
            "targets": [{"refId": "A", "expr": "up"}],
        }
    ],
    "templating": {"list": []},
    "annotations": {"list": []},
}


def _with(path: str, value) -> bytes:
    """GOOD with ``value`` put at a /-separated path."""
    doc = json.loads(json.dumps(GOOD))
    *parents, last = path.split("/")
    node = doc
    for key in parents:
        node = node[int(key) if key.isdigit() else key]
    node[int(last) if last.isdigit() else last] = value
    return json.dumps(doc).encode()


BAD = {
    "not-utf8.json": (
        json.dumps(GOOD).replace('"D"', '"caf\\u00e9"').encode().replace(b"\\u00e9", b"\xe9"),
        "not UTF-8",
    ),
    "truncated.json": (json.dumps(GOOD)[:-30].encode(), "truncated"),
    "null.json": (b"null", "a JSON null"),
    "null-panel.json": (_with("panels/0", None), "/panels/0 is null"),
    "null-target.json": (_with("panels/0/targets/0", None), "/panels/0/targets/0 is null"),
    "null-fieldconfig.json": (_with("panels/0/fieldConfig", None), "/panels/0/fieldConfig is null"),
    "null-gridpos.json": (_with("panels/0/gridPos", None), "/panels/0/gridPos is null"),
    "null-variable.json": (_with("templating/list", [None]), "/templating/list/0 is null"),
    "null-annotation.json": (_with("annotations/list", [None]), "/annotations/list/0 is null"),
}

COMMANDS = {
    "validate": [],
    "lint": [],
    "diff": ["{good}"],
    "preview": ["--out", "{tmp}/out"],
    "verify": ["--prometheus", "http://127.0.0.1:9"],
    "import": ["--out", "{tmp}/m.py"],
}


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("name", BAD)
def test_bad_file_is_one_line_and_exit_2(tmp_path, command, name):
    data, message = BAD[name]
    (tmp_path / name).write_bytes(data)
    good = tmp_path / "good.json"
    good.write_text(json.dumps(GOOD), encoding="utf-8")
    extra = [a.format(good=good, tmp=tmp_path) for a in COMMANDS[command]]
    args = [command, *extra, str(tmp_path / name)] if command != "diff" else [command, str(tmp_path / name), *extra]
    result = invoke(args, 2, cwd=tmp_path)
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    assert name in lines[0] and message in lines[0] and "Traceback" not in result.output


def test_the_good_file_passes_the_same_commands(tmp_path):
    """The neighbour: the same dashboard without the null is read by every command."""
    good = tmp_path / "good.json"
    good.write_text(json.dumps(GOOD), encoding="utf-8")
    invoke(["validate", str(good)], 0, cwd=tmp_path)
    invoke(["preview", "--out", str(tmp_path / "out"), str(good)], 0, cwd=tmp_path)
