"""Pieces several rules share: panel kinds, datasource references, job/instance checks."""

from __future__ import annotations

from functools import lru_cache

from .base import Rule
from .context import VARIABLE, DashboardContext, TargetRef
from .model import Problem, Severity
from .query import Node

# Panel types that show queries: dashboard-linter's lint/constants.go list, plus the
# other built-in Grafana panels that plot Prometheus series.
QUERY_PANELS = {
    "stat",
    "singlestat",
    "graph",
    "table",
    "timeseries",
    "gauge",
    "bargauge",
    "barchart",
    "heatmap",
    "piechart",
    "state-timeline",
    "status-history",
    "histogram",
}
DATASOURCE_VARS = ("$datasource", "${datasource}", "$prometheus_datasource", "${prometheus_datasource}")


def datasource_uid(ds) -> str:
    """A datasource reference's uid: a plain string (legacy) or {"type", "uid"}."""
    if isinstance(ds, dict):
        return str(ds.get("uid") or "")
    return str(ds or "")


def promql_targets(ctx: DashboardContext) -> list[TargetRef]:
    """Targets with a parsed query on panels that show queries (made once per dashboard: most
    PromQL rules ask; callers only read the list)."""
    found = ctx.shared.get("promql_targets")
    if found is None:
        found = ctx.shared["promql_targets"] = [
            t for t in ctx.targets if t.query is not None and t.panel.type in QUERY_PANELS
        ]
    return found


def nodes(ctx: DashboardContext) -> list[tuple[TargetRef, Node, tuple[Node, ...]]]:
    """(target, node, ancestors) for every node of every parsed query, depth-first (a list made once
    per dashboard, which several rules walk)."""
    found = ctx.shared.get("nodes")
    if found is None:
        found = ctx.shared["nodes"] = [(t, n, a) for t in promql_targets(ctx) for n, a in t.query.nodes]
    return found


# Aggregations and functions that read only which series exist, never their values: a counter
# inside them needs no rate (``count(count(node_cpu_seconds_total) by (cpu))`` counts CPUs).
SERIES_ONLY = {"count", "group", "absent", "absent_over_time", "present_over_time"}


def counts_series(ancestors) -> bool:
    """The selector feeds (through parentheses or a range) an aggregation or call in SERIES_ONLY."""
    for node in reversed(ancestors):
        if node.kind in ("paren", "matrix"):
            continue
        return node.kind in ("agg", "call") and node.name in SERIES_ONLY
    return False


def selections(ctx: DashboardContext):
    """(target, selector) for every vector selector of every parsed query."""
    for t in promql_targets(ctx):
        for sel in t.query.selectors:
            yield t, sel


class TemplateVariableRule(Rule):
    """Shared checks of a job/instance template variable (lint/rule_template_job.go: checkTemplate)."""

    variable = ""

    def check(self, ctx: DashboardContext) -> list[Problem]:
        if not ctx.prometheus:
            return []
        name, var = self.variable, ctx.variable(self.variable)
        if var is None:
            return [self.problem(ctx, f"is missing the {name} template", path="/templating/list")]
        index = ctx.variables.index(var)
        path = f"/templating/list/{index}"
        found = []
        uid = datasource_uid(var.get("datasource"))
        if uid not in DATASOURCE_VARS:
            found.append(
                self.problem(
                    ctx,
                    f"{name} template should use datasource '$datasource', is currently '{uid}'",
                    path=path,
                    severity=Severity.ERROR,
                )
            )
        if var.get("type") != "query":
            found.append(
                self.problem(
                    ctx,
                    f"{name} template should be a Prometheus query, is currently '{var.get('type') or ''}'",
                    path=path,
                    severity=Severity.ERROR,
                )
            )
        if not var.get("multi"):
            found.append(
                self.problem(ctx, f"{name} template should be a multi select", path=path, severity=Severity.ERROR)
            )
        if var.get("allValue") != ".+":
            found.append(
                self.problem(
                    ctx,
                    f"{name} template allValue should be '.+', is currently '{var.get('allValue') or ''}'",
                    path=path,
                    severity=Severity.ERROR,
                )
            )
        if var.get("label") != name.title():
            found.append(
                self.problem(
                    ctx,
                    f"{name} template should be labeled '{name.title()}', is currently '{var.get('label') or ''}'",
                    path=path,
                    severity=Severity.INFO,
                )
            )
        return found


class RequiredMatcherRule(Rule):
    """Every selector carries ``label=~"$label"`` (lint/rule_target_job_instance.go).

    As upstream, on every dashboard whose datasource variable selects Prometheus, with or without
    the variable (template/job and template/instance report a missing one). Unlike upstream, a
    single-select variable (neither ``multi`` nor ``includeAll``) may be matched with ``=``: it only
    ever holds one value, so ``job="$job"`` is exact, and faster than a regex.
    """

    label = ""
    severity = Severity.WARNING

    def check(self, ctx: DashboardContext) -> list[Problem]:
        if not ctx.prometheus:
            return []
        single = {v.get("name") for v in ctx.variables if not v.get("multi") and not v.get("includeAll")}
        # Every parsed target, whatever its panel's type: upstream checks them all.
        return [
            self.target_problem(ctx, t, f"{sel.metric or 'selector'}: {error}")
            for t in ctx.targets
            if t.query is not None
            for sel in t.query.selectors
            if (error := self._matcher_error(sel.node.matchers, single))
        ]

    def _matcher_error(self, matchers, single: set[str]) -> str | None:
        """None when a matcher on the label is right; else upstream's message (checkForMatcher in
        lint/target_utils.go: a wrong value is reported over a wrong operator)."""
        label, error = self.label, None  # messages made only when needed: every selector is asked
        for m in matchers:
            if m.name != label:
                continue
            ref = _variable_ref(m.value)
            value_ok = ref == label
            op_ok = m.op == "=~" or (m.op == "=" and ref is not None and ref in single)
            if value_ok and op_ok:
                return None
            if not op_ok:
                error = f"{label} selector is {m.op}, not =~"
            if not value_ok:
                error = f"{label} selector is {m.value}, not ${label}"
        return error or f"{label} selector not found"


@lru_cache(maxsize=1024)
def _variable_ref(value: str) -> str | None:
    """The variable a matcher value is exactly (``$x``, ``${x}``, ``[[x]]``), else None (cached:
    every selector of every dashboard asks, mostly about ``$job`` and ``$instance``)."""
    match = VARIABLE.match(value)
    return next(g for g in match.groups() if g) if match else None
