"""What a rule returns (pint's ``checks.Problem``, sqlfluff's ``BaseRule``)."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import NamedTuple


class Severity(str, enum.Enum):
    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        return _RANK[self]


_RANK = {Severity.INFO: 0, Severity.WARNING: 1, Severity.ERROR: 2}


class Problem(NamedTuple):
    """One finding. A NamedTuple rather than a frozen dataclass: lint of 1,000 dashboards makes
    ~24,000 of them, and a frozen dataclass sets each of its 11 fields through object.__setattr__."""

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


@dataclass
class LintResult:
    problems: list[Problem] = field(default_factory=list)
    dashboards: int = 0
    profile: str = "azora"  # as asked for (registry.PROFILES or "auto")
    profiles: dict[str, int] = field(default_factory=dict)  # profile -> dashboards linted with it

    def failing(self, threshold: Severity) -> list[Problem]:
        return [p for p in self.problems if not p.suppressed and p.severity.rank >= threshold.rank]
