"""The registry lists every rule module exactly once, and every rule documents itself."""

from __future__ import annotations

from pathlib import Path

import pytest

import azora_dash.lint.rules as rules_pkg
from azora_dash.lint import Rule, Severity
from azora_dash.lint.docs import missing_sections, render
from azora_dash.lint.registry import RULES, module_name

RULES_DIR = Path(rules_pkg.__file__).parent
DOCS = Path(__file__).resolve().parents[2] / "docs" / "rules.md"


def test_every_rules_module_is_registered_once():
    files = {p.stem for p in RULES_DIR.glob("*.py") if p.stem != "__init__"}
    registered = [r.__module__.rsplit(".", 1)[-1] for r in RULES]
    assert sorted(registered) == sorted(files)


def test_ids_are_unique_and_name_their_module():
    ids = [r.id for r in RULES]
    assert len(ids) == len(set(ids))
    for rule in RULES:
        assert issubclass(rule, Rule) and isinstance(rule.severity, Severity)
        assert rule.__module__.rsplit(".", 1)[-1] == module_name(rule.id)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_docstring_has_summary_why_bad_good(rule):
    assert missing_sections(rule) == []
    assert rule.__doc__.strip().splitlines()[0].endswith(".")


def test_docs_rules_md_is_current():
    assert DOCS.read_text(encoding="utf-8") == render(), "docs/rules.md is stale: run `make docs` and commit"


def test_docs_list_every_rule():
    text = render()
    for rule in RULES:
        assert f"\n## {rule.id}\n" in text


def test_docs_list_every_alias():
    text = render()
    for rule in RULES:
        for alias in rule.aliases:
            assert f"`{alias}`" in text


def test_every_rule_declares_a_group_some_profile_runs():
    from azora_dash.lint.profiles import GROUPS, PROFILES

    assert {r.group for r in RULES} == set(GROUPS)
    assert all(set(groups) <= set(GROUPS) for groups in PROFILES.values())
