"""Dashboard and PromQL linter: ``run(dashboards, rules)`` returns ``Problem``s, never prints.

One rule per module in ``rules/``, listed explicitly in ``registry.RULES``. The engine, the
rule base and with them ``promql_parser`` are imported on first use, so importing this package
(for ``Problem`` or ``Severity``) stays cheap.
"""

from .model import LintResult, Problem, Severity

_LAZY = {"load_paths": "engine", "run": "engine", "select_rules": "engine", "Rule": "base"}
__all__ = ["LintResult", "Problem", "Severity", *_LAZY]


def __getattr__(name: str):
    if name in _LAZY:
        from importlib import import_module

        return getattr(import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
