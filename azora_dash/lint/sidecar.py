"""Deliberate exceptions for dashboards that are not ours: a ``.lint`` file beside the JSON.

The format is grafana/dashboard-linter's (``lint/configuration.go``: ``ConfigurationFile``,
``ConfigurationRuleEntries``, ``ConfigurationEntry``), so a team that already keeps one for
dashboard-linter keeps it unchanged::

    exclusions:
      target-job-rule:            # dashboard-linter's name, or ours ("target-job")
        reason: "one fleet-wide panel"
        entries:                  # none: the whole rule is off for this directory
          - dashboard: "Node Exporter Full"
            panel: "CPU Basic"    # optional; no panel: the whole dashboard
            reason: "..."         # optional; overrides the rule's reason

Our own dashboards declare exceptions next to the panel in Python (``panels.suppress``);
those reach lint from the build and are never written into the JSON.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import ConfigError

NAME = ".lint"


@dataclass(frozen=True)
class Exclusion:
    rule: str
    reason: str
    dashboard: str | None = None  # dashboard title; None matches every dashboard
    panel: str | None = None  # panel title; None matches every panel

    def matches(self, rule: str, dashboard_title: str, panel_title: str | None) -> bool:
        return (
            self.rule == rule
            and self.dashboard in (None, dashboard_title)
            and (self.panel is None or self.panel == panel_title)
        )


def _rule_id(name: str) -> str:
    # dashboard-linter names rules "<ours>-rule" (template-job-rule) or by their path-like id.
    return name[: -len("-rule")] if name.endswith("-rule") else name


def load(directory: Path) -> tuple[Exclusion, ...]:
    """The exclusions of ``directory/.lint``; none when there is no such file."""
    path = directory / NAME
    if not path.is_file():
        return ()
    import yaml

    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: not valid YAML: {str(exc).splitlines()[0]}") from None
    rules = doc.get("exclusions") if isinstance(doc, dict) else None
    if not isinstance(rules, dict):
        raise ConfigError(f"{path}: expected `exclusions:` mapping rule ids to {{reason, entries}}")
    out = []
    for name, body in rules.items():
        body = body or {}
        reason = str(body.get("reason") or f"excluded in {path}")
        entries = body.get("entries") or [{}]
        for entry in entries:
            if not isinstance(entry, dict):
                raise ConfigError(f"{path}: {name}: each entry is a mapping (dashboard, panel, reason)")
            out.append(
                Exclusion(
                    _rule_id(str(name)), str(entry.get("reason") or reason), entry.get("dashboard"), entry.get("panel")
                )
            )
    return tuple(out)
