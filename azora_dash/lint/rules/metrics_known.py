from __future__ import annotations

import re

from ..base import Rule
from ..context import DashboardContext, TargetRef
from ..labels import LabelInference
from ..model import Problem, Severity
from ..shared import promql_targets

_LEGEND_LABEL = re.compile(r"\{\{\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*\}\}")


class MetricsKnown(Rule):
    """Every metric a query selects is in the Azora metric catalogue, with the labels it uses.

    **Why**: a query on a label that does not exist is not an error to
    Prometheus: it matches nothing, and the panel shows "No data" (or, with
    ``!=``, everything). The spec's alert did exactly this with
    ``status=~"5.."`` (the label is ``status_code``) and with
    ``{{ $labels.service }}`` (no series has ``service``). Label matchers,
    ``by``/``on`` labels and legend ``{{label}}`` placeholders are checked
    against the catalogue (``azora_dash/lint/catalogue.yaml``, extended with
    ``--catalogue FILE``). An unknown label is an error; an unknown metric
    only a warning, since a foreign dashboard's catalogue may simply lack it.
    For this project's own dashboards ``make dashboards`` and ``make check``
    lint with ``--fail-on warning``, so there it fails too.

    **Bad**:

        sum by (service) (rate(http_requests_total{status=~"5.."}[$__rate_interval]))

    **Good**:

        sum by (job) (rate(http_requests_total{status_code=~"5.."}[$__rate_interval]))
    """

    id = "metrics/known"
    group = "house"
    severity = Severity.ERROR

    def check(self, ctx: DashboardContext) -> list[Problem]:
        found: list[Problem] = []
        for t in promql_targets(ctx):
            found.extend(self._target(ctx, t))
        return found

    def _target(self, ctx: DashboardContext, t: TargetRef) -> list[Problem]:
        found: list[Problem] = []

        def report(message: str, severity: Severity | None = None) -> None:
            found.append(self.target_problem(ctx, t, message, severity))

        for sel in t.query.selectors:
            series = ctx.catalogue.get(sel.metric)
            if not sel.metric:
                continue
            if series is None:
                report(
                    f"metric {sel.metric!r} is not in the metric catalogue (a metric of ours goes in azora_dash/lint/catalogue.yaml; a foreign one in a file passed with --catalogue)",
                    Severity.WARNING,
                )
                continue
            for m in sel.node.matchers:
                if m.name not in series.labels and not series.open:
                    report(
                        f"metric {sel.metric!r} has no label {m.name!r} (it has: {', '.join(sorted(series.labels))})"
                    )
        result = LabelInference(ctx.catalogue, report).labels(t.query.root)
        if result is not None:
            for label in dict.fromkeys(_LEGEND_LABEL.findall(t.target.get("legendFormat") or "")):
                if label not in result and not label.startswith("__"):
                    found.append(
                        self.problem(
                            ctx,
                            f"legend uses {{{{{label}}}}} but the query's result has no label {label!r} "
                            f"(it has: {', '.join(sorted(result)) or 'none'})",
                            panel=t.panel,
                            path=f"{t.path}/legendFormat",
                            details=t.expr,
                        )
                    )
        return found
