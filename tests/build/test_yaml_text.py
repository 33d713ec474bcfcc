"""The provisioning YAML writer: what it writes reads back (PyYAML, YAML 1.1 like Grafana's yaml.v2) as the document."""

from __future__ import annotations

import pytest
import yaml

from azora_dash.build import project, yaml_text
from azora_dash.config import DEFAULT

TRICKY = ["yes", "No", "on", "null", "~", "1.0", "0x1", "15s", "-5m", "1:20", "2001-12-14", ".inf", "x:", "x: y"]
TRICKY += ["a b", "it's", "#x", "a #b", "@x", "*a", "&a", "!a", "%a", "[a]", "{a}", "", " lead", "é", "a\nb", "\t"]
TRICKY += ["$${__value.raw}", '"trace_id"\\s*:\\s*"(\\w+)"', "/etc/grafana", "http://loki:3100"]


def test_the_provisioning_files_read_back_as_their_documents():
    for rel, text in project._provisioning(DEFAULT).items():
        assert text.startswith(project.HEADER)
        assert yaml.safe_load(text)["apiVersion"] == 1, rel
    for source in project.datasources.all_sources(DEFAULT).values():
        doc = {"apiVersion": 1, "datasources": [source]}
        assert yaml.safe_load(yaml_text.dump(doc)) == doc


@pytest.mark.parametrize("value", TRICKY)
def test_a_string_stays_that_string(value):
    doc = {"key": value, "list": [value, {"nested": value}], value or "empty": 1}
    assert yaml.safe_load(yaml_text.dump(doc)) == doc


def test_nesting_and_empty_containers():
    doc = {"a": [[1, 2], [], {}], "b": {"c": [{"d": [{"e": 1.5, "f": None, "g": True}]}]}, "h": {}}
    assert yaml.safe_load(yaml_text.dump(doc)) == doc


def test_anything_else_is_refused():
    with pytest.raises(TypeError, match="set"):
        yaml_text.dump({"a": {1, 2}})
