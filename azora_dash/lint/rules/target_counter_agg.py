from __future__ import annotations

from ..base import Rule
from ..context import DashboardContext
from ..model import Problem, Severity
from ..shared import counts_series

RATE_FUNCS = ("rate", "irate", "increase")


class TargetCounterAgg(Rule):
    """A ``_total`` series is only used through ``rate``, ``irate`` or ``increase`` over a range.

    **Why**: a counter's raw value is "requests since the process started";
    it resets on every restart and its graph only ever climbs. The name
    suffix ``_total`` marks a counter by convention (metrics the catalogue
    knows to be gauges despite the suffix are skipped).

    **Bad**:

        sum(http_requests_total{job=~"$job"})

    **Good**:

        sum(rate(http_requests_total{job=~"$job"}[$__rate_interval]))

    Every Prometheus target is checked, whatever its panel's type. Counting series
    (``count``, ``group``, ``absent``) reads no values, so a counter needs no rate there:
    ``count(count(node_cpu_seconds_total) by (cpu))`` is the number of CPUs.

    Parity: grafana/dashboard-linter ``lint/rule_target_counter_agg.go``. Deviations: upstream
    also reports counters inside ``count()``/``group()``/``absent()``, and lints targets of any
    datasource; here a target whose datasource cannot be shown to be Prometheus (a legacy
    datasource name such as upstream's ``"foo"``, a Loki variable) is not read as PromQL.
    """

    id = "target/counter-agg"
    aliases = ("target-counter-agg",)  # dashboard-linter's name, the id before one naming style
    severity = Severity.ERROR

    def check(self, ctx: DashboardContext) -> list[Problem]:
        # Every parsed Prometheus target, whatever its panel's type (upstream checks them all,
        # a panel without ``type``, xychart or candlestick included).
        return [
            self.target_problem(
                ctx, t, f"counter metric '{sel.metric}' is not aggregated with rate, irate, or increase"
            )
            for t in ctx.targets
            if t.query is not None
            for sel in t.query.selectors
            if _raw_counter(ctx, sel)
        ]


def _raw_counter(ctx: DashboardContext, sel) -> bool:
    known = ctx.catalogue.get(sel.metric)
    if not sel.metric.endswith("_total") or (known and known.type != "counter") or counts_series(sel.ancestors):
        return False
    anc = sel.ancestors  # the linter wants exactly rate(x[...]): a range directly inside the call
    return not (len(anc) >= 2 and anc[-1].kind == "matrix" and anc[-2].kind == "call" and anc[-2].name in RATE_FUNCS)
