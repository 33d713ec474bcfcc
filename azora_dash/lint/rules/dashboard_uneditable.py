from __future__ import annotations

from ..base import Rule
from ..context import DashboardContext
from ..model import Problem, Severity


class UneditableDashboard(Rule):
    """Dashboards generated from code are not editable in the UI.

    **Why**: edits made in Grafana's UI are lost on the next provisioning sync
    (or, worse, silently diverge from the code); ``editable: false`` says so.

    **Bad**:

        {"uid": "azora-api-gateway", "editable": true}

    **Good**:

        {"uid": "azora-api-gateway", "editable": false}

    Parity: grafana/dashboard-linter ``lint/rule_uneditable.go``.
    """

    id = "dashboard/uneditable"
    group = "convention"
    aliases = ("uneditable-dashboard",)  # dashboard-linter's name, the id before one naming style
    severity = Severity.ERROR

    def check(self, ctx: DashboardContext) -> list[Problem]:
        if ctx.dashboard.get("editable") is True:
            return [self.problem(ctx, "is editable, it should be set to 'editable: false'", path="/editable")]
        return []
