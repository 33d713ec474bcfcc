from __future__ import annotations

import re

from ..base import Rule
from ..context import DashboardContext
from ..model import Problem, Severity
from ..query import QueryError, parse

# Grafana's Prometheus query-variable functions (docs: datasources/prometheus/template-variables).
_FUNCTION = re.compile(r"^\s*([a-z_]+)\((.*)\)\s*$", re.S)
_FUNCTIONS = {"label_names", "label_values", "metrics", "query_result"}
_LABEL = re.compile(r"^[a-zA-Z_][a-zA-Z0-9_]*$")


def _split_last_arg(args: str) -> tuple[str, str]:
    """``up{a="b,c"}, job`` -> (``up{a="b,c"}``, ``job``): the last top-level comma."""
    depth, quote = 0, ""
    for i in range(len(args) - 1, -1, -1):
        ch = args[i]
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "\"'`":
            quote = ch
        elif ch in ")}]":
            depth += 1
        elif ch in "({[":
            depth -= 1
        elif ch == "," and depth == 0:
            return args[:i].strip(), args[i + 1 :].strip()
    return "", args.strip()


def query_error(query: str) -> str | None:
    m = _FUNCTION.match(query)
    if not m:
        return f"invalid 'query': {query}"
    func, args = m.groups()
    if func not in _FUNCTIONS:
        return f"invalid 'function': {func}"
    expr = args
    if func == "label_values":
        expr, label = _split_last_arg(args)
        if not _LABEL.match(label):
            return f"invalid label name {label!r}"
    elif func in ("label_names", "metrics"):
        return None  # label_names() and metrics(regex) take no PromQL
    if not expr:
        return None
    try:
        parse(expr)
    except QueryError as exc:
        return str(exc)
    return None


class TemplateLabelPromql(Rule):
    """Query variables use a Grafana Prometheus function over valid PromQL.

    **Why**: a variable whose query does not parse silently offers no values,
    and every panel filtered by it goes blank.

    **Bad**:

        {"name": "instance", "type": "query", "query": "label_values(up{job=~'$job', instance)"}

    **Good**:

        {"name": "instance", "type": "query", "query": "label_values(up{job=~'$job'}, instance)"}

    Parity: grafana/dashboard-linter ``lint/rule_template_label_promql.go`` (which only
    checks the selector before the first syntax error; this parses the whole argument).
    Deviation: parse errors are worded by promql-parser, not Prometheus' Go parser.
    """

    id = "template/label-promql"
    aliases = ("template-label-promql",)  # dashboard-linter's name, the id before one naming style
    severity = Severity.ERROR

    def check(self, ctx: DashboardContext) -> list[Problem]:
        if not ctx.prometheus:
            return []
        found = []
        for i, var in enumerate(ctx.variables):
            if var.get("type") != "query":
                continue
            query = var.get("query")
            # Grafana 10+ stores {"query": "...", "refId": ...}; older models a plain string.
            text = query.get("query", "") if isinstance(query, dict) else str(query or "")
            error = query_error(text)
            if error:
                found.append(
                    self.problem(
                        ctx,
                        f"template '{var.get('name')}' invalid templated label '{text}': {error}",
                        path=f"/templating/list/{i}/query",
                    )
                )
        return found
