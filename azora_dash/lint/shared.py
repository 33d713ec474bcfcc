"""Pieces several rules share: panel kinds, datasource references, job/instance checks."""

from __future__ import annotations

from .base import Rule
from .context import DashboardContext, TargetRef
from .model import Problem, Severity
from .query import walk

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
    """Targets with a parsed query on panels that show queries."""
    return [t for t in ctx.targets if t.query is not None and t.panel.type in QUERY_PANELS]


def nodes(ctx: DashboardContext):
    """(target, node, ancestors) for every node of every parsed query, depth-first."""
    for t in promql_targets(ctx):
        for node, ancestors in walk(t.query.root):
            yield t, node, ancestors


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
                    f"{name} template should be a Prometheus query, is currently '{var.get('type')}'",
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
        var = ctx.variable(self.label)
        ops = ("=~", "=") if var is not None and not var.get("multi") and not var.get("includeAll") else ("=~",)
        return [
            self.target_problem(ctx, t, f"{sel.metric or 'selector'}: {error}")
            for t, sel in selections(ctx)
            if (error := self._matcher_error(sel.node.matchers, ops))
        ]

    def _matcher_error(self, matchers, ops: tuple[str, ...]) -> str | None:
        want = f"${self.label}"
        error = f"{self.label} selector not found"
        for m in matchers:
            if m.name != self.label:
                continue
            if m.op in ops and m.value in (want, f"${{{self.label}}}", f"[[{self.label}]]"):
                return None
            error = (
                f"{self.label} selector is {m.op}, not =~"
                if m.op not in ops
                else f"{self.label} selector is {m.value}, not {want}"
            )
        return error
