from __future__ import annotations

from ..context import DashboardContext
from ..model import Problem, Rule, Severity
from ..query import walk
from ..shared import promql_targets


class TargetRateInterval(Rule):
    """``rate`` and ``irate`` use ``$__rate_interval`` as their window.

    **Why**: a fixed ``[1m]`` window is too short when the scrape interval is
    30 s or the dashboard is zoomed out (gaps), and too coarse when zoomed
    in. ``$__rate_interval`` is at least four scrape intervals and follows
    the zoom.

    **Bad**:

        sum(rate(http_requests_total[5m]))

    **Good**:

        sum(rate(http_requests_total[$__rate_interval]))

    Parity: grafana/dashboard-linter ``lint/rule_target_rate_interval.go``.
    """

    id = "target-rate-interval"
    severity = Severity.ERROR

    def check(self, ctx: DashboardContext) -> list[Problem]:
        found = []
        for t in promql_targets(ctx):
            for node, ancestors in walk(t.query.root):
                if node.kind != "matrix" or node.rate_interval or not ancestors:
                    continue
                parent = ancestors[-1]
                if parent.kind == "call" and parent.name in ("rate", "irate"):
                    found.append(self.target_problem(ctx, t, f"{parent.name}() should use $__rate_interval"))
        return found
