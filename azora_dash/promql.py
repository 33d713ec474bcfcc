"""Grafana variables in PromQL: one substitution used by lint (to parse) and verify (to run).

Grafana expands ``$var``, ``${var}``, ``${var:format}`` and ``[[var]]`` before a
query reaches Prometheus (docs: dashboards/variables/variable-syntax). Queries
with those left in are not PromQL, so every consumer substitutes first.
"""

from __future__ import annotations

import re

# Built-in interval/range variables: a valid duration is all the parser needs;
# verify overrides them with the values it actually queries with.
BUILTINS = {
    "__rate_interval": "1m",
    "__interval": "1m",
    "__range": "1h",
    "__range_s": "3600",
    "__range_ms": "3600000",
    "__interval_ms": "60000",
}

_VAR = re.compile(r"\$\{(\w+)(?::[^}]*)?\}|\[\[(\w+)(?::[^\]]*)?\]\]|\$(\w+)")


def variables(expr: str) -> list[str]:
    """Names of the Grafana variables an expression uses, in order of appearance."""
    return [m[1] or m[2] or m[3] for m in _VAR.finditer(expr)]  # each group is one form; \w+ is never empty


def substitute(expr: str, values: dict[str, str] | None = None, default: str = ".+") -> str:
    """Replace every Grafana variable: ``values`` first, then BUILTINS, else ``default``.

    ``default`` (a regex matching anything) suits template variables, which
    dashboards use inside ``=~`` matchers.
    """
    values = {**BUILTINS, **(values or {})}

    def repl(match: re.Match) -> str:
        name = next(g for g in match.groups() if g)
        return values.get(name, default)

    return _VAR.sub(repl, expr)
