"""What a rule is and what it returns (pint's ``checks.Problem``, sqlfluff's ``BaseRule``)."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar

if TYPE_CHECKING:  # pragma: no cover
    from .context import DashboardContext, PanelRef, TargetRef


# Where azora_dash.panels.suppress() records deliberate exceptions in a panel's JSON:
# panel["options"]["azoraLint"]["ignore"] = {rule id: reason} (see suppress() for why `options`).
SUPPRESS_KEY = "azoraLint"


class Severity(str, enum.Enum):
    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        return _RANK[self]


_RANK = {Severity.INFO: 0, Severity.WARNING: 1, Severity.ERROR: 2}


@dataclass(frozen=True)
class Problem:
    rule: str
    severity: Severity
    dashboard_uid: str
    message: str
    panel_id: int | None = None
    panel_title: str | None = None
    path: str = ""  # JSON pointer into the dashboard, e.g. /panels/3/targets/0/expr
    details: str = ""
    suppressed: bool = False
    reason: str = ""  # why it is suppressed
    source: str = ""  # file the dashboard came from, when known

    def to_dict(self) -> dict:
        return {
            "rule": self.rule,
            "severity": self.severity.value,
            "dashboard_uid": self.dashboard_uid,
            "panel_id": self.panel_id,
            "panel_title": self.panel_title,
            "path": self.path,
            "message": self.message,
            "details": self.details,
            "suppressed": self.suppressed,
            "reason": self.reason,
            "source": self.source,
        }


class Rule:
    """Base class. Subclasses set ``id`` and ``severity`` and implement ``check``.

    The docstring's first line is the summary; it must also have **Why**,
    **Bad** and **Good** sections (docs/rules.md is generated from them).
    """

    id: ClassVar[str] = ""
    severity: ClassVar[Severity] = Severity.ERROR
    # Needs something beyond the dashboard JSON (a live Grafana/Prometheus). None do yet.
    online: ClassVar[bool] = False

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


@dataclass
class LintResult:
    problems: list[Problem] = field(default_factory=list)
    dashboards: int = 0

    def failing(self, threshold: Severity) -> list[Problem]:
        return [p for p in self.problems if not p.suppressed and p.severity.rank >= threshold.rank]
