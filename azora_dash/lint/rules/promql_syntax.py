from __future__ import annotations

from ..base import Rule
from ..context import DashboardContext
from ..model import Problem, Severity


class PromqlSyntax(Rule):
    """Every target expression is valid PromQL once Grafana variables are substituted.

    **Why**: Grafana shows a parse error only when someone opens the panel;
    Prometheus would reject the query on every refresh. Variables such as
    ``$__rate_interval`` or ``$job`` are replaced by valid values first, so
    only real mistakes are reported, with the parser's message.

    **Bad**:

        sum(rate(http_requests_total{job=~"$job"}[$__rate_interval])

    **Good**:

        sum(rate(http_requests_total{job=~"$job"}[$__rate_interval]))

    The parser is the ``promql-parser`` package; regex matchers are checked too. Variables in a
    range or subquery window stand for a duration, in a ``by (...)`` list for a label name.

    Parity: the parse errors of grafana/dashboard-linter ``lint/rule_target_promql.go``. Deviation:
    the messages are promql-parser's, not Prometheus' Go parser's.
    """

    id = "promql/syntax"
    severity = Severity.ERROR

    def check(self, ctx: DashboardContext) -> list[Problem]:
        found = []
        for t in ctx.targets:
            if t.error is not None:
                found.append(self.target_problem(ctx, t, f"invalid PromQL: {t.error}"))
            elif t.query is not None:
                found.extend(self.target_problem(ctx, t, error) for error in t.query.regex_errors)
        return found
