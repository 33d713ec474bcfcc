from __future__ import annotations

from ..base import Rule
from ..context import DashboardContext
from ..model import Problem, Severity
from ..query import enclosing_call
from ..shared import selections

COUNTER_FUNCS = {"rate", "irate", "increase", "resets"}
# Prometheus naming conventions (docs: practices/naming) for metrics the catalogue lacks.
GAUGE_SUFFIXES = ("_percent", "_ratio", "_info", "_celsius", "_current", "_usage")


def gauge_reason(ctx: DashboardContext, metric: str) -> str | None:
    series = ctx.catalogue.get(metric)
    if series is not None:
        return f"the catalogue lists it as a {series.family_type}" if series.type == "gauge" else None
    if metric.endswith(GAUGE_SUFFIXES):
        return f"its name ends in {next(s for s in GAUGE_SUFFIXES if metric.endswith(s))}, a gauge by convention"
    return None


class PromqlRateOnGauge(Rule):
    """``rate``, ``irate``, ``increase`` and ``resets`` are applied only to counters.

    **Why**: these functions assume a value that only goes up and treat every
    drop as a counter reset, so on a gauge (CPU percent, active users) they
    produce nonsense spikes. The spec's ``rate(cpu_usage_percent[5m]) > 80``
    can never mean "CPU above 80 %". Use the gauge directly, or
    ``avg_over_time``/``deriv`` for trends.

    **Bad**:

        sum(rate(active_users[$__rate_interval]))

    **Good**:

        sum(active_users)

    The type comes from the metric catalogue, else from the name's suffix.
    """

    id = "promql/rate-on-gauge"
    severity = Severity.ERROR

    def check(self, ctx: DashboardContext) -> list[Problem]:
        found = []
        for t, sel in selections(ctx):
            call = enclosing_call(sel.ancestors)
            reason = gauge_reason(ctx, sel.metric) if call is not None and call.name in COUNTER_FUNCS else None
            if reason:
                found.append(
                    self.target_problem(
                        ctx,
                        t,
                        f"{call.name}() over gauge {sel.metric!r} ({reason}); use the value itself or avg_over_time()",
                    )
                )
        return found
