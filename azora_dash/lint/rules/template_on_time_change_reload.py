from __future__ import annotations

from ..base import Rule
from ..context import DashboardContext
from ..model import Problem, Severity

ON_TIME_RANGE_CHANGE = 2  # Grafana VariableRefresh: 0 never, 1 on load, 2 on time range change


class TemplateOnTimeChangeReload(Rule):
    """Query variables refresh on time range change.

    **Why**: jobs and instances come and go; a variable refreshed only on
    dashboard load offers values that no longer exist and hides new ones
    when the time range moves.

    **Bad**:

        {"name": "instance", "type": "query", "refresh": 1}

    **Good**:

        {"name": "instance", "type": "query", "refresh": 2}

    Parity: grafana/dashboard-linter ``lint/rule_template_on_time_change_reload.go``.
    """

    id = "template/on-time-change-reload"
    group = "convention"
    aliases = ("template-on-time-change-reload",)  # dashboard-linter's name, the id before one naming style
    severity = Severity.ERROR

    def check(self, ctx: DashboardContext) -> list[Problem]:
        return [
            self.problem(
                ctx,
                f"templated variable named '{var.get('name')}' should be refreshed 'On Time Range "
                f"Change (value 2)', is currently '{var.get('refresh', 0)}'",
                path=f"/templating/list/{i}/refresh",
            )
            for i, var in enumerate(ctx.variables)
            if var.get("type") == "query" and var.get("refresh") != ON_TIME_RANGE_CHANGE
        ]
