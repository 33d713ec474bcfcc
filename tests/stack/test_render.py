"""render(): deterministic YAML with the generated-file header, readable PromQL blocks."""

from __future__ import annotations

import yaml

from azora_dash.config import DEFAULT
from azora_dash.stack import RULES, render
from azora_dash.stack.yamlout import HEADER, dump


def test_deterministic_and_headed():
    first, second = render(DEFAULT), render(DEFAULT)
    assert first == second
    for rel, text in first.items():
        if rel.endswith(".yml"):
            assert text.startswith(HEADER), rel
            yaml.safe_load(text)


def test_multiline_strings_are_blocks_and_round_trip():
    doc = {"expr": "a\n/\nb", "one": "x: y", "n": 1}
    text = dump(doc, "two\nlines")
    assert "expr: |-\n  a\n  /\n  b\n" in text
    assert text.startswith(HEADER + "# two\n# lines\n")
    assert yaml.safe_load(text) == doc


def test_rules_file_is_readable():
    # Long selectors stay on one line (no YAML folding in the middle of PromQL).
    assert "\n      == 0" not in render(DEFAULT)[RULES]
