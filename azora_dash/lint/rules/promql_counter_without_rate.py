from __future__ import annotations

from ..context import DashboardContext
from ..model import Problem, Rule, Severity
from ..query import enclosing_call
from ..shared import promql_targets

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
        found = []
        for t in promql_targets(ctx):
            for sel in t.query.selectors:
                series = ctx.catalogue.get(sel.metric)
                if series is None or series.type != "counter" or sel.metric.endswith("_total"):
                    continue  # names ending in _total are target-counter-agg's
                call = enclosing_call(sel.ancestors)
                if call is not None and call.name in RATE_FUNCS:
                    continue
                found.append(self.problem(ctx, f"counter {sel.metric!r} is used without rate() or increase()",
                                          panel=t.panel, path=f"{t.path}/expr", details=t.expr))
        return found
