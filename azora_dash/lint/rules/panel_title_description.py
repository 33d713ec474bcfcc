from __future__ import annotations

from ..base import Rule
from ..context import DashboardContext
from ..model import Problem, Severity
from ..shared import QUERY_PANELS


class PanelTitleDescription(Rule):
    """Every query panel has a title and a description.

    **Why**: the description is the (i) tooltip that tells an on-call engineer
    what the panel measures and what "bad" looks like.

    **Bad**:

        {"type": "timeseries", "title": "Errors", "description": ""}

    **Good**:

        {"type": "timeseries", "title": "5xx ratio by service",
         "description": "Share of each service's requests answered with 5xx."}

    Parity: grafana/dashboard-linter ``lint/rule_panel_title_description.go``.
    """

    id = "panel/title-description"
    group = "house"
    aliases = ("panel-title-description",)  # dashboard-linter's name, the id before one naming style
    severity = Severity.ERROR

    def check(self, ctx: DashboardContext) -> list[Problem]:
        return [
            self.problem(
                ctx,
                f"has missing title or description, currently has title '{p.title}' and description: "
                f"'{p.panel.get('description') or ''}'",
                panel=p,
            )
            for p in ctx.panels
            if p.type in QUERY_PANELS and not (p.title and p.panel.get("description"))
        ]
