from __future__ import annotations

from ..base import Rule
from ..context import DashboardContext
from ..model import Problem, Severity
from ..query import Node, enclosing_call, walk
from ..shared import nodes

RATE_FUNCS = {"rate", "irate", "increase"}


def _drops_le(agg: Node) -> bool:
    if agg.grouping == "by":
        return "le" not in agg.labels
    if agg.grouping == "without":
        return "le" in agg.labels
    return agg.name not in ("topk", "bottomk", "limitk", "limit_ratio")


def _bucket(name: str) -> bool:
    """A ``_bucket`` series, or a recording rule's output named after one: Prometheus names
    recorded series ``level:metric:operations`` (docs: practices/rules), so
    ``cluster_job_route:loki_request_duration_seconds_bucket:sum_rate`` holds buckets."""
    return name.endswith("_bucket") or any(part.endswith("_bucket") for part in name.split(":")[1:])


def _recorded(name: str) -> bool:
    # The recording rule already applied its operations (sum_rate, rate5m): no rate() is owed here.
    return name.count(":") >= 2


class PromqlHistogramQuantile(Rule):
    """``histogram_quantile`` reads the ``rate`` of ``_bucket`` series, aggregated ``by (le, ...)``.

    **Why**: the quantile is computed from the per-bucket counts, which are
    told apart only by ``le``. Aggregating without ``le`` (``sum by (job)``)
    merges the buckets and yields NaN; using ``_sum``/``_count`` or a raw
    ``_bucket`` counter instead of its rate gives a meaningless number.

    **Bad**:

        histogram_quantile(0.95, sum by (job) (rate(http_request_duration_seconds_bucket[$__rate_interval])))

    **Good**:

        histogram_quantile(0.95, sum by (le, job) (rate(http_request_duration_seconds_bucket[$__rate_interval])))

    A recorded series named after buckets (``job:http_request_duration_seconds_bucket:rate5m``,
    the ``level:metric:operations`` convention) counts as buckets whose rate the rule took.
    """

    id = "promql/histogram-quantile"
    severity = Severity.ERROR

    def check(self, ctx: DashboardContext) -> list[Problem]:
        return [
            self.target_problem(ctx, t, msg)
            for t, node, _ in nodes(ctx)
            if node.kind == "call" and node.name == "histogram_quantile" and len(node.children) == 2
            for msg in self._errors(node.children[1])
        ]

    def _errors(self, arg: Node) -> list[str]:
        selected = [(n, anc) for n, anc in walk(arg) if n.kind == "selector"]
        buckets = [(n, anc) for n, anc in selected if _bucket(n.name)]
        if selected and not buckets:
            names = ", ".join(sorted({n.name for n, _ in selected}))
            return [f"histogram_quantile over {names}: it needs a _bucket series"]
        errors = []
        for node, anc in buckets:
            for agg in (a for a in anc if a.kind == "agg" and _drops_le(a)):
                grouping = f" {agg.grouping} ({', '.join(agg.labels)})" if agg.grouping else ""
                errors.append(
                    f"histogram_quantile over {agg.name}{grouping}: the aggregation drops the le label; "
                    "aggregate by (le, ...)"
                )
            call = enclosing_call(anc)
            if not _recorded(node.name) and (call is None or call.name not in RATE_FUNCS):
                errors.append(f"histogram_quantile over raw {node.name}: take rate() of the buckets first")
        return list(dict.fromkeys(errors))
