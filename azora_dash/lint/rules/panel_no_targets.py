from __future__ import annotations

from ..base import Rule
from ..context import DashboardContext
from ..model import Problem, Severity
from ..shared import QUERY_PANELS


class PanelNoTargets(Rule):
    """Every query panel has at least one target.

    **Why**: a panel without queries renders "No data" forever; it is either
    unfinished or left over.

    **Bad**:

        {"type": "timeseries", "title": "Requests", "targets": []}

    **Good**:

        {"type": "timeseries", "title": "Requests", "targets": [{"refId": "A", "expr": "sum(rate(http_requests_total[$__rate_interval]))"}]}

    Parity: grafana/dashboard-linter ``lint/rule_panel_no_targets.go`` (an empty list
    counts as missing too).
    """

    id = "panel/no-targets"
    aliases = ("panel-no-targets",)  # dashboard-linter's name, the id before one naming style
    severity = Severity.ERROR

    def check(self, ctx: DashboardContext) -> list[Problem]:
        return [
            self.problem(ctx, "has no targets", panel=p)
            for p in ctx.panels
            if p.type in QUERY_PANELS and not p.panel.get("targets")
        ]
