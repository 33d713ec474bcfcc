from __future__ import annotations

from ..base import Rule
from ..context import DashboardContext
from ..model import Problem, Severity
from ..shared import nodes


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

    Parity: grafana/dashboard-linter ``lint/rule_target_rate_interval.go``. Deviation: upstream
    checks only singlestat, gauge, table, stat, state-timeline and timeseries panels
    (panelHasQueries in lint/rule_target_promql.go); here every panel type that plots Prometheus
    series (legacy graph, heatmap, bar chart, ...) is checked too.
    """

    id = "target/rate-interval"
    group = "convention"
    aliases = ("target-rate-interval",)  # dashboard-linter's name, the id before one naming style
    severity = Severity.ERROR

    def check(self, ctx: DashboardContext) -> list[Problem]:
        return [
            self.target_problem(ctx, t, f"{anc[-1].name}() should use $__rate_interval")
            for t, node, anc in nodes(ctx)
            if node.kind == "matrix"
            and not node.rate_interval
            and anc
            and anc[-1].kind == "call"
            and anc[-1].name in ("rate", "irate")
        ]
