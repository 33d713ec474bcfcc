"""Dashboard and PromQL linter: ``run(dashboards, rules)`` returns ``Problem``s, never prints.

One rule per module in ``rules/``, listed explicitly in ``registry.RULES``.
The engine (and with it ``promql_parser``) is imported on first use, so that
``azora_dash.panels`` can share ``SUPPRESS_KEY`` without slowing ``azora-dash build``.
"""

from .model import SUPPRESS_KEY, LintResult, Problem, Rule, Severity

_ENGINE = ("load_paths", "run", "select_rules")
__all__ = ["SUPPRESS_KEY", "LintResult", "Problem", "Rule", "Severity", *_ENGINE]


def __getattr__(name: str):
    if name in _ENGINE:
        from . import engine

        return getattr(engine, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
