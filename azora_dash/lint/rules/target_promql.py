from __future__ import annotations

from ...promql import BUILTINS, variables
from ..base import Rule
from ..context import DashboardContext
from ..model import Problem, Severity

# Grafana's global variables besides the interval/range ones (docs: variables/add-template-variables#global-variables).
GLOBALS = {*BUILTINS, "__from", "__to", "__dashboard", "__name", "__org", "__user", "__timeFilter", "timeFilter"}


class TargetPromql(Rule):
    """Every Prometheus target has an expression, and every variable it uses exists.

    **Why**: an empty target or a reference to a panel that is gone shows
    nothing; ``$service`` in a query on a dashboard without a ``service``
    variable reaches Prometheus literally and matches nothing.
    Whether the expression parses is checked once, by ``promql/syntax``.

    **Bad**:

        sum(rate(http_requests_total{job=~"$service"}[$__rate_interval]))

    **Good**:

        sum(rate(http_requests_total{job=~"$job"}[$__rate_interval]))

    Parity: grafana/dashboard-linter ``lint/rule_target_promql.go`` (empty query and
    panel references); undefined variables are an addition.
    """

    id = "target/promql"
    aliases = ("target-promql",)  # dashboard-linter's name, the id before one naming style
    severity = Severity.ERROR

    def check(self, ctx: DashboardContext) -> list[Problem]:
        defined = {v.get("name") for v in ctx.variables}
        found = []
        for t in ctx.targets:
            if not t.expr.strip():
                ref = t.target.get("panelId")
                if ref is None:
                    found.append(
                        self.problem(
                            ctx, f"target {t.target.get('refId', '?')} has no expression", panel=t.panel, path=t.path
                        )
                    )
                elif ctx.panel_by_id(ref) is None:
                    found.append(self.problem(ctx, "Invalid panel reference in target", panel=t.panel, path=t.path))
                continue
            for name in dict.fromkeys(variables(t.expr)):
                if name not in defined and name not in GLOBALS and not name.startswith("__"):
                    found.append(self.target_problem(ctx, t, f"uses ${name}, which the dashboard does not define"))
        return found
