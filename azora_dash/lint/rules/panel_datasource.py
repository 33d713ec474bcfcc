from __future__ import annotations

from ..base import Rule
from ..context import DashboardContext
from ..model import Problem, Severity
from ..shared import QUERY_PANELS, datasource_uid


def _other_kind(ds) -> bool:
    # Like the other Prometheus rules (context.py skips non-Prometheus targets): a Loki panel
    # reads the provisioned Loki datasource (panels.loki), which this rule does not govern.
    return isinstance(ds, dict) and ds.get("type") not in (None, "prometheus")


class PanelDatasource(Rule):
    """Every query panel uses a datasource template variable.

    **Why**: a panel pinned to one datasource uid breaks when the dashboard is
    imported into another Grafana, and ignores the viewer's datasource choice.

    **Bad**:

        "datasource": {"type": "prometheus", "uid": "P1809F7CD0C75ACF3"}

    **Good**:

        "datasource": {"type": "prometheus", "uid": "${datasource}"}

    Parity: grafana/dashboard-linter ``lint/rule_panel_datasource.go`` (applied to
    every query panel type, not only graph/singlestat/table/timeseries).
    """

    id = "panel/datasource"
    group = "convention"
    aliases = ("panel-datasource",)  # dashboard-linter's name, the id before one naming style
    severity = Severity.ERROR

    def check(self, ctx: DashboardContext) -> list[Problem]:
        allowed = set()
        for var in ctx.variables_of_type("datasource"):
            allowed |= {f"${var.get('name')}", f"${{{var.get('name')}}}"}
        found = []
        for panel in ctx.panels:
            if panel.type not in QUERY_PANELS or _other_kind(panel.panel.get("datasource")):
                continue
            uid = datasource_uid(panel.panel.get("datasource"))
            if uid not in allowed:
                found.append(
                    self.problem(
                        ctx,
                        f"does not use a templated datasource, uses '{uid}'",
                        panel=panel,
                        path=f"{panel.path}/datasource",
                    )
                )
        return found
