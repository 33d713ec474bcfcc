from __future__ import annotations

from ..base import Rule
from ..context import DashboardContext, PanelRef
from ..logql import CheckerUnavailable, check
from ..model import Problem, Severity


def _kind(ds) -> str | None:
    return ds.get("type") if isinstance(ds, dict) else None


def loki_targets(ctx: DashboardContext) -> list[tuple[PanelRef, str, str]]:
    """(panel, JSON pointer of expr, expr) of every Loki target in the dashboard."""
    out = []
    for panel in ctx.panels:
        panel_kind = _kind(panel.panel.get("datasource"))
        for i, target in enumerate(panel.panel.get("targets") or []):
            if not isinstance(target, dict) or (_kind(target.get("datasource")) or panel_kind) != "loki":
                continue
            expr = target.get("expr")
            if isinstance(expr, str) and expr.strip():
                out.append((panel, f"{panel.path}/targets/{i}/expr", expr))
    return out


class LogqlSyntax(Rule):
    """Every Loki target expression is valid LogQL, by the grammar Grafana's editor uses.

    **Why**: a broken LogQL query shows nothing but an error in the panel, and only
    when someone opens it. The expressions are parsed with ``@grafana/lezer-logql``
    (``tools/logql/``, run under Node) after Grafana variables are substituted.

    **Bad**:

        sum by (job) (rate({job=~"$job", level="error"}[$__auto])

    **Good**:

        sum by (job) (rate({job=~"$job", level="error"}[$__auto]))
    """

    id = "logql/syntax"
    severity = Severity.ERROR

    def check_all(self, contexts: list[DashboardContext]) -> list[Problem]:
        # One Node process for the whole run: start-up costs more than parsing.
        found = [(ctx, *t) for ctx in contexts for t in loki_targets(ctx)]
        if not found:
            return []
        try:
            errors = check([expr for *_, expr in found])
        except CheckerUnavailable as exc:
            ctx, panel, path, expr = found[0]
            return [self.problem(ctx, f"cannot check LogQL: {exc}", panel=panel, path=path, details=expr)]
        return [
            self.problem(ctx, f"invalid LogQL: {error}", panel=panel, path=path, details=expr)
            for (ctx, panel, path, expr), error in zip(found, errors)
            if error
        ]
