"""Line numbers in lint reports come from the real file, whatever its indentation or wrapping."""

from __future__ import annotations

import json

import pytest

from azora_dash.lint.model import Problem, Severity
from azora_dash.lint.report import line_of

BOARD = {
    "uid": "x",
    "title": "X",
    "panels": [{"id": 7, "type": "timeseries", "title": "P", "targets": [{"expr": "up", "templating": 1}]}],
    "templating": {"list": [{"name": "job"}]},
}


def _problem(source, path, panel_id=None) -> Problem:
    return Problem("template/job", Severity.WARNING, "x", "m", panel_id=panel_id, path=path, source=str(source))


def _line_of_key(text: str, key: str, value: str = "") -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if line.lstrip().startswith(f'"{key}": {value}'))


@pytest.mark.parametrize("indent", [2, 4, "\t"], ids=["2 spaces", "4 spaces", "tabs"])
def test_dashboard_level_problem_points_at_its_key(tmp_path, indent):
    text = json.dumps(BOARD, indent=indent)
    path = tmp_path / "d.json"
    path.write_text(text, encoding="utf-8")
    # "templating" also appears as a target field (deeper): the dashboard's own key is the one meant.
    assert line_of(_problem(path, "/templating/list")) == _line_of_key(text, "templating", "{") > 1
    assert line_of(_problem(path, "/panels/0", panel_id=7)) == _line_of_key(text, "id")


def test_api_wrapped_dashboard_points_inside_dashboard(tmp_path):
    text = json.dumps({"meta": {"slug": "x"}, "dashboard": BOARD}, indent=4)
    path = tmp_path / "d.json"
    path.write_text(text, encoding="utf-8")
    assert line_of(_problem(path, "/templating/list")) == _line_of_key(text, "templating", "{")


def test_minified_file_is_line_1(tmp_path):
    path = tmp_path / "d.json"
    path.write_text(json.dumps(BOARD), encoding="utf-8")
    assert line_of(_problem(path, "/templating/list")) == 1


def test_panel_id_found_on_a_line_with_other_keys(tmp_path):
    path = tmp_path / "d.json"
    path.write_text('{"uid": "x",\n "panels": [\n  {"id": 3, "title": "A"},\n  {"type": "stat", "id": 12}\n]}\n')
    assert line_of(_problem(path, "/panels/0", panel_id=3)) == 3
    assert line_of(_problem(path, "/panels/1", panel_id=12)) == 4
