"""The base class of every lint rule (sqlfluff's ``BaseRule``); rules subclass it, one per module."""

from __future__ import annotations

from typing import ClassVar

from .context import DashboardContext, PanelRef, TargetRef
from .model import Problem, Severity


class Rule:
    """Base class. Subclasses set ``id`` and ``severity`` and implement ``check``.

    The docstring's first line is the summary; it must also have **Why**,
    **Bad** and **Good** sections (docs/rules.md is generated from them).
    """

    id: ClassVar[str] = ""
    # Earlier ids of the rule, still accepted wherever a rule is named (--rule, --disable,
    # P.suppress, .lint files), so renaming a rule never breaks a suppression.
    aliases: ClassVar[tuple[str, ...]] = ()
    severity: ClassVar[Severity] = Severity.ERROR
    # Needs something beyond the dashboard JSON (a live Grafana/Prometheus). None do yet.
    online: ClassVar[bool] = False
    # Which profiles run the rule (registry.PROFILES): "correctness" (the query or layout is
    # wrong wherever the dashboard came from), "convention" (grafana/dashboard-linter's conventions)
    # or "house" (Azora's own: its metric catalogue, descriptions, links to dashboards we build).
    group: ClassVar[str] = "correctness"

    def check(self, ctx: DashboardContext) -> list[Problem]:
        """Problems in one dashboard."""
        return []

    def check_all(self, contexts: list[DashboardContext]) -> list[Problem]:
        """Problems across dashboards (e.g. duplicate uids); most rules need none."""
        return []

    def problem(
        self,
        ctx: DashboardContext,
        message: str,
        *,
        panel: PanelRef | None = None,
        path: str | None = None,
        severity: Severity | None = None,
        details: str = "",
    ) -> Problem:
        return Problem(
            rule=self.id,
            severity=severity or self.severity,
            dashboard_uid=ctx.uid,
            message=message,
            panel_id=panel.id if panel else None,
            panel_title=panel.title if panel else None,
            path=path if path is not None else (panel.path if panel else ""),
            details=details,
            source=ctx.source,
        )

    def target_problem(
        self, ctx: DashboardContext, target: TargetRef, message: str, severity: Severity | None = None
    ) -> Problem:
        """A problem in one target's expression (its panel, path and text attached)."""
        return self.problem(
            ctx, message, panel=target.panel, path=f"{target.path}/expr", severity=severity, details=target.expr
        )
