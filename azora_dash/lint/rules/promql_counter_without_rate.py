from __future__ import annotations

from ..base import Rule
from ..context import DashboardContext
from ..model import Problem, Severity
from ..query import enclosing_call
from ..shared import counts_series, selections

RATE_FUNCS = {"rate", "irate", "increase", "resets"}


class PromqlCounterWithoutRate(Rule):
    """A counter the catalogue knows is graphed only through ``rate`` or ``increase``.

    **Why**: a raw counter is a total since the process started: it climbs
    forever and drops to zero on every restart. ``target-counter-agg``
    catches names ending in ``_total``; this rule uses the catalogue, so it
    also catches counters whose names do not say so (postgres_exporter's
    ``pg_stat_database_xact_commit``, a histogram's ``_bucket``/``_count``).

    **Bad**:

        sum(pg_stat_database_xact_commit{job="postgres"})

    **Good**:

        sum(rate(pg_stat_database_xact_commit{job="postgres"}[$__rate_interval]))
    """

    id = "promql/counter-without-rate"
    severity = Severity.ERROR

    def check(self, ctx: DashboardContext) -> list[Problem]:
        return [
            self.target_problem(ctx, t, f"counter {sel.metric!r} is used without rate() or increase()")
            for t, sel in selections(ctx)
            if _unrated_counter(ctx, sel)
        ]


def _unrated_counter(ctx: DashboardContext, sel) -> bool:
    series = ctx.catalogue.get(sel.metric)
    if series is None or series.type != "counter" or sel.metric.endswith("_total"):
        return False  # names ending in _total are target-counter-agg's
    if counts_series(sel.ancestors):
        return False
    call = enclosing_call(sel.ancestors)
    return call is None or call.name not in RATE_FUNCS
