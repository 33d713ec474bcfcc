"""Every rule's pass/fail cases in tests/lint/cases/<rule_file>.yaml, run by one loader.

A case is either a whole ``dashboard`` fragment (merged over a valid base
dashboard) or a ``panel`` shorthand (expr/unit/legend/...). Only the case's
rule runs, and its problems must equal ``problems`` exactly.
"""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

from azora_dash.lint import run, select_rules
from azora_dash.lint.registry import RULES, module_name

from .lint_helpers import BASE, panel

CASES_DIR = Path(__file__).parent / "cases"
FIELDS = ("severity", "panel_id", "path", "message")


def _load():
    for file in sorted(CASES_DIR.glob("*.yaml")):
        doc = yaml.safe_load(file.read_text(encoding="utf-8"))
        for kind in ("pass", "fail"):
            for case in doc.get(kind) or []:
                yield pytest.param(doc["rule"], kind, case, id=f"{file.stem}:{kind}:{case['name']}")


def _dashboards(case: dict) -> list[tuple[str, dict]]:
    boards = case.get("dashboards") or [case.get("dashboard") or {}]
    out = []
    for i, fragment in enumerate(boards):
        d = copy.deepcopy(BASE)
        d.update(copy.deepcopy(fragment))
        if "panel" in case:
            d["panels"] = [panel(**case["panel"])]
        if "panels" in case:
            d["panels"] = [panel(**p) for p in case["panels"]]
        out.append((f"case{i}.json", d))
    return out


@pytest.mark.parametrize("rule_id, kind, case", list(_load()))
def test_case(rule_id, kind, case):
    result = run(_dashboards(case), select_rules(RULES, only=[rule_id]))
    got = [
        {"severity": p.severity.value, "panel_id": p.panel_id, "path": p.path, "message": p.message}
        for p in result.problems
    ]
    want = [] if kind == "pass" else [{f: exp.get(f) for f in FIELDS} for exp in case["problems"]]
    assert got == want


def test_every_rule_has_pass_and_fail_cases():
    for rule in RULES:
        file = CASES_DIR / f"{module_name(rule.id)}.yaml"
        assert file.exists(), f"{rule.id}: add {file}"
        doc = yaml.safe_load(file.read_text(encoding="utf-8"))
        assert doc["rule"] == rule.id
        assert doc.get("pass") and doc.get("fail"), f"{file.name} needs pass and fail cases"


PARITY = "Parity: grafana/dashboard-linter"


def test_every_parity_rule_runs_upstreams_own_cases():
    """The rules claiming parity carry dashboard-linter's rule tests, ported as upstream_<module>.yaml."""
    parity = [r for r in RULES if PARITY in (r.__doc__ or "")]
    assert len(parity) == 15
    for rule in parity:
        file = CASES_DIR / f"upstream_{module_name(rule.id)}.yaml"
        assert file.exists(), f"{rule.id}: port lint/rule_*_test.go to {file.name}"
        source = yaml.safe_load(file.read_text(encoding="utf-8"))["upstream"]
        assert source["repo"] == "grafana/dashboard-linter" and len(source["commit"]) == 40
        assert source["file"].startswith("lint/rule_") and source["file"].endswith("_test.go")


def test_every_deviation_from_upstream_is_in_the_rules_docs():
    """A ported case that disagrees with upstream says why, and the rule's docs (docs/rules.md) record it."""
    by_id = {r.id: r for r in RULES}
    for file in sorted(CASES_DIR.glob("upstream_*.yaml")):
        doc = yaml.safe_load(file.read_text(encoding="utf-8"))
        cases = [c for kind in ("pass", "fail") for c in doc.get(kind) or []]
        if any(c.get("deviation") for c in cases):
            assert "Deviation" in by_id[doc["rule"]].__doc__, f"{doc['rule']}: document the deviations of {file.name}"
