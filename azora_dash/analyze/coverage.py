"""Monitoring coverage against a live Prometheus (mimirtool's ``analyze grafana`` / ``analyze prometheus``).

For every scrape job the stack defines: which dashboards select it, which alerts read
it (one of them on ``up``: its availability alert), and whether its target answers.
For every metric family Prometheus holds for those jobs: who uses it and how many
series it costs. Metric names the dashboards and rules read that Prometheus does not
hold at all are errors, as in ``verify``.

A selector "selects" a job when its ``job`` matcher matches the job name (dashboard
variables such as ``$job`` expand to the regex their own ``label_values(up{job=~...})``
query lists) and the job has series of the selector's metric.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..config import Config
from ..dashboard_file import DashboardFile
from ..dashboard_file import variables as variables_of
from ..errors import InputError
from ..promql import substitute
from ..stack.prometheus import scrape_configs
from ..verify.core import dashboard_targets, load_rule_file
from ..verify.prometheus import PrometheusClient, QueryError
from ..verify.selectors import ALERT_SERIES, vector_selectors

# Series suffixes of one histogram or summary family (OpenMetrics: MetricFamily samples).
_FAMILY_SUFFIXES = ("_bucket", "_sum", "_count", "_created")
_JOB_VARIABLE = re.compile(r'job=~"([^"$]+)"')


@dataclass(frozen=True)
class Use:
    """One query that reads metrics: a dashboard panel or a rule."""

    kind: str  # "dashboard", "alert" or "record"
    name: str  # dashboard uid, alert or record name
    expr: str


@dataclass
class Selector:
    metric: str | None
    matchers: list = field(default_factory=list)  # (op, value) of the job label

    def selects(self, job: str, held: dict[tuple[str, str], int]) -> bool:
        # ALERTS copies the labels of whatever alert fires: it shows alerts, not the job itself.
        if self.metric in ALERT_SERIES:
            return False
        if not all(_matches(op, value, job) for op, value in self.matchers):
            return False
        return self.metric is None or (job, self.metric) in held


def _matches(op: str, value: str, job: str) -> bool:
    if op == "=":
        return job == value
    if op == "!=":
        return job != value
    full = re.fullmatch(value, job) is not None
    return full if op == "=~" else not full


def selectors(expr: str) -> list[Selector]:
    import promql_parser

    ops = {"Equal": "=", "NotEqual": "!=", "Re": "=~", "NotRe": "!~"}
    out = []
    for sel in vector_selectors(expr):
        name = sel.name or None
        jobs = []
        for m in sel.matchers.matchers:
            op = next(sym for kind, sym in ops.items() if m.op == getattr(promql_parser.MatchOp, kind))
            if m.name == "__name__" and op == "=":
                name = m.value
            elif m.name == "job":
                jobs.append((op, m.value))
        out.append(Selector(name, jobs))
    return out


def _job_regex(dashboard: dict) -> str:
    """What ``$job`` can be on this dashboard: the job matcher of its variable's ``label_values`` query."""
    for var in variables_of(dashboard):
        query = var.get("query")
        query = query.get("query", "") if isinstance(query, dict) else str(query or "")
        if var.get("name") == "job" and (m := _JOB_VARIABLE.search(query)):
            return m[1]
    return ".+"


def dashboard_uses(files: list[DashboardFile]) -> list[Use]:
    uses = []
    for file in files:
        job_regex = _job_regex(file.dashboard)
        for target in dashboard_targets(file):
            if target.kind != "panel":
                continue
            values = {**target.variables, "job": job_regex}
            uses.append(Use("dashboard", target.container, substitute(target.expr, values)))
    return uses


def rule_uses(paths: list[Path]) -> list[Use]:
    uses = []
    for path in paths:
        for group in load_rule_file(path).get("groups") or []:
            for rule in group.get("rules") or []:
                kind = "alert" if "alert" in rule else "record"
                uses.append(Use(kind, str(rule.get(kind, "")), str(rule.get("expr", ""))))
    return uses


def family(name: str, histograms: set[str]) -> str:
    for suffix in _FAMILY_SUFFIXES:
        if name.endswith(suffix) and name[: -len(suffix)] in histograms:
            return name[: -len(suffix)]
    return name


def _alternatives(values) -> str:
    # A regex of literal alternatives inside a PromQL string: re.escape, then the string's own backslashes.
    return "|".join(re.escape(v).replace("\\", "\\\\") for v in values)


def _inventory(client: PrometheusClient, jobs: list[str], now: float) -> dict[tuple[str, str], int]:
    regex = _alternatives(jobs)
    rows = client.query(f'count by (job, __name__) ({{job=~"{regex}"}})', now)
    return {(r["metric"]["job"], r["metric"]["__name__"]): int(float(r["value"][1])) for r in rows}


def _histograms(client: PrometheusClient) -> set[str]:
    meta = client.metadata()
    return {name for name, entries in meta.items() if any(e.get("type") in ("histogram", "summary") for e in entries)}


def _job_entry(job, parsed, held, up_jobs) -> dict:
    dashboards = sorted(
        {u.name for u, sels in parsed if u.kind == "dashboard" and any(s.selects(job, held) for s in sels)}
    )
    alerts = sorted({u.name for u, sels in parsed if u.kind == "alert" and any(s.selects(job, held) for s in sels)})
    availability = sorted(
        {
            u.name
            for u, sels in parsed
            if u.kind == "alert" and any(s.metric == "up" and s.selects(job, held) for s in sels)
        }
    )
    up = job in up_jobs
    return {
        "job": job,
        "dashboards": dashboards,
        "alerts": alerts,
        "availability_alerts": availability,
        "up": up,
        "covered": bool(dashboards and availability and up),
    }


def analyze(client: PrometheusClient, cfg: Config, uses: list[Use], now: float) -> dict:
    try:
        return _analyze(client, cfg, uses, now)
    except QueryError as exc:
        raise InputError(f"Prometheus at {client.shown} rejected a coverage query: {exc}") from None


def _analyze(client: PrometheusClient, cfg: Config, uses: list[Use], now: float) -> dict:
    jobs = [j["job_name"] for j in scrape_configs(cfg)]
    held = _inventory(client, jobs, now)
    up_jobs = {r["metric"]["job"] for r in client.query("up == 1", now) if "job" in r["metric"]}
    parsed = [(u, selectors(u.expr)) for u in uses]
    entries = [_job_entry(j, parsed, held, up_jobs) for j in jobs]
    for entry in entries:
        entry["kind"] = "service" if entry["job"] in cfg.service_jobs else "infrastructure"
    histograms = _histograms(client)
    return {
        "jobs": entries,
        "metrics": _metrics(parsed, held, histograms),
        "absent": _absent(client, parsed, now),
        "summary": _summary(entries),
    }


def _metrics(parsed, held, histograms) -> list[dict]:
    series: dict[str, int] = {}
    for (_, name), n in held.items():
        fam = family(name, histograms)
        series[fam] = series.get(fam, 0) + n
    users: dict[str, set[str]] = {}
    for use, sels in parsed:
        for s in sels:
            if s.metric:
                users.setdefault(family(s.metric, histograms), set()).add(f"{use.kind}:{use.name}")
    return [{"metric": fam, "series": n, "used_by": sorted(users.get(fam, ()))} for fam, n in sorted(series.items())]


def _absent(client: PrometheusClient, parsed, now: float) -> list[dict]:
    """Metric names some query reads that Prometheus holds no series of (ALERTS exist only while alerts fire)."""
    wanted: dict[str, set[str]] = {}
    for use, sels in parsed:
        for s in sels:
            if s.metric and s.metric not in ALERT_SERIES:
                wanted.setdefault(s.metric, set()).add(f"{use.kind}:{use.name}")
    if not wanted:
        return []
    names = _alternatives(sorted(wanted))
    held = {r["metric"]["__name__"] for r in client.query(f'count by (__name__) ({{__name__=~"{names}"}})', now)}
    return [{"metric": n, "used_by": sorted(wanted[n])} for n in sorted(wanted) if n not in held]


def _summary(entries: list[dict]) -> dict:
    def count(kind):
        group = [e for e in entries if e["kind"] == kind]
        return {"covered": sum(e["covered"] for e in group), "total": len(group)}

    covered = sum(e["covered"] for e in entries)
    return {
        "services": count("service"),
        "infrastructure": count("infrastructure"),
        "overall": covered / len(entries) if entries else 1.0,
    }


def failed(result: dict) -> bool:
    """Exit 1: an Azora service job is not covered, or a query reads a metric Prometheus does not hold."""
    return any(e["kind"] == "service" and not e["covered"] for e in result["jobs"]) or bool(result["absent"])


def summary_line(result: dict) -> str:
    s = result["summary"]
    return (
        f"services covered: {s['services']['covered']}/{s['services']['total']}, "
        f"infrastructure: {s['infrastructure']['covered']}/{s['infrastructure']['total']}"
    )


def _missing(e: dict) -> str:
    why = [
        w
        for w, bad in (
            ("no dashboard", not e["dashboards"]),
            ("no availability alert", not e["availability_alerts"]),
            ("target down", not e["up"]),
        )
        if bad
    ]
    return ", ".join(why)


def render_text(result: dict) -> list[str]:
    lines = []
    for e in result["jobs"]:
        state = "covered" if e["covered"] else f"NOT covered ({_missing(e)})"
        lines.append(
            f"{e['kind']} {e['job']}: {state}; dashboards: {', '.join(e['dashboards']) or '-'}; alerts: {', '.join(e['alerts']) or '-'}"
        )
    unused = [m for m in result["metrics"] if not m["used_by"]]
    lines.append(f"unused metric families ({len(unused)}, {sum(m['series'] for m in unused)} series):")
    lines += [f"  {m['metric']} ({m['series']} series)" for m in unused]
    lines += [
        f"absent: {a['metric']} is read by {', '.join(a['used_by'])} but Prometheus holds no series of it"
        for a in result["absent"]
    ]
    return lines + [summary_line(result)]


def render_markdown(result: dict) -> str:
    rows = ["| job | kind | covered | dashboards | alerts | up |", "| --- | --- | --- | --- | --- | --- |"]
    for e in result["jobs"]:
        mark = "yes" if e["covered"] else f"**no** ({_missing(e)})"
        rows.append(
            f"| `{e['job']}` | {e['kind']} | {mark} | {', '.join(e['dashboards']) or '-'} | {', '.join(e['alerts']) or '-'} | {'yes' if e['up'] else 'no'} |"
        )
    unused = [m for m in result["metrics"] if not m["used_by"]]
    tail = [f"Unused metric families: {len(unused)} ({sum(m['series'] for m in unused)} series)."]
    tail += [f"- absent: `{a['metric']}` read by {', '.join(a['used_by'])}" for a in result["absent"]]
    return "\n".join([f"**Monitoring coverage** {summary_line(result)}", "", *rows, "", *tail]) + "\n"
