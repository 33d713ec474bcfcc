"""Dashboard and PromQL linter: ``run(dashboards, rules)`` returns ``Problem``s, never prints.

One rule per module in ``rules/``, listed explicitly in ``registry.RULES``.
"""
from .engine import load_paths, run, select_rules
from .model import LintResult, Problem, Rule, Severity

__all__ = ["LintResult", "Problem", "Rule", "Severity", "load_paths", "run", "select_rules"]
