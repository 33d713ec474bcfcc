"""Prove that every panel target and every rule expression returns data from a real Prometheus.

Targets come from built dashboards (``provisioning/dashboards/azora/*.json``) and
Prometheus rule files. Grafana variables are substituted the way Grafana would
expand them for the chosen window (``promql.substitute``), then each query runs as
an instant query, or a range query for time-series panels. An empty result is
explained by ``selectors.explain_empty``, which names the metric or matcher that
matched nothing.

An alert rule that returns nothing is healthy (its condition is false), so rules
are held to a weaker standard than panels: every selector they read must match
series.
"""

from __future__ import annotations

import json
import re
import time as _time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import yaml

from ..dashboard_file import DashboardFile, iter_panels
from ..dashboard_file import variables as variables_of
from ..errors import ConfigError, InputError
from ..promql import substitute
from .prometheus import PrometheusClient, QueryError
from .selectors import ALERT_SERIES, explain_empty

OK, EMPTY, ERROR = "ok", "empty", "error"
# Panel types Grafana queries over a time range (a graph); the rest show one value per series.
RANGE_PANELS = {"timeseries", "graph", "barchart", "heatmap", "state-timeline", "status-history", "trend"}
DEFAULT_RULES = Path("monitoring/prometheus/alert_rules.yml")
# Grafana's default "max data points" is about the panel width in pixels; ~250 points is typical.
MAX_POINTS = 250
_DURATION = re.compile(r"(\d+)(ms|s|m|h|d|w|y)")
_UNIT_S = {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800, "y": 31536000}


def parse_duration(text: str) -> int:
    """Seconds in a Prometheus duration such as ``15s``, ``1h30m``; ConfigError otherwise."""
    parts = _DURATION.findall(text or "")
    if not parts or "".join(n + u for n, u in parts) != text:
        raise ConfigError(f"{text!r} is not a duration; use e.g. 15s, 5m, 1h")
    return max(1, round(sum(int(n) * _UNIT_S[u] for n, u in parts)))


@dataclass(frozen=True)
class Target:
    kind: str  # "panel", "variable", "alert" or "record"
    source: str  # the dashboard JSON or rule file it came from
    container: str  # dashboard uid, or rule group name
    name: str  # panel title (with id), "$name" of a variable, or alert/record name
    ref: str  # target refId; the label a variable lists; "expr" for rules
    expr: str  # PromQL; for a variable, the series selector of its label_values() query
    range: bool = False  # run as a range query
    variables: dict = field(default_factory=dict, compare=False, hash=False)
    exemplars: bool = False  # the panel asks for exemplars (Grafana's `exemplar: true`)


@dataclass(frozen=True)
class Result:
    target: Target
    status: str
    series: int
    query: str  # the expression as sent, variables substituted
    detail: str = ""


@dataclass(frozen=True)
class Window:
    """The time range the queries cover and the interval variables Grafana would derive from it."""

    end: float
    range_s: int
    scrape_s: int

    @property
    def step(self) -> int:
        return max(self.scrape_s, -(-self.range_s // MAX_POINTS))

    @property
    def start(self) -> float:
        # A whole number of steps, so the last evaluation lands exactly on ``end`` (the newest data).
        return self.end - self.step * -(-self.range_s // self.step)

    def values(self) -> dict[str, str]:
        # Grafana docs (variables/add-template-variables, $__rate_interval):
        # max($__interval + scrape interval, 4 * scrape interval).
        rate = max(self.step + self.scrape_s, 4 * self.scrape_s)
        return {
            "__interval": f"{self.step}s",
            "__interval_ms": str(self.step * 1000),
            "__rate_interval": f"{rate}s",
            "__range": f"{self.range_s}s",
            "__range_s": str(self.range_s),
            "__range_ms": str(self.range_s * 1000),
        }


def make_window(range_text: str, scrape_text: str, end: float | None = None) -> Window:
    return Window(_time.time() if end is None else end, parse_duration(range_text), parse_duration(scrape_text))


# --- collecting targets ----------------------------------------------------------------------


def _variable_values(dashboard: dict) -> dict[str, str]:
    """What each template variable expands to when "All" is selected (allValue, else any value)."""
    values = {}
    for var in variables_of(dashboard):
        kind, name = var.get("type"), var.get("name")
        if kind in ("constant", "textbox"):
            values[name] = str(var.get("query", ""))
        elif kind == "interval":
            values[name] = str((var.get("current") or {}).get("value") or "1m")
        elif kind != "datasource":
            values[name] = var.get("allValue") or ".+"
    return values


# Grafana's Prometheus variable query label_values(selector, label) (docs: datasources/prometheus/template-variables).
_LABEL_VALUES = re.compile(r"^\s*label_values\((.+),\s*(\w+)\s*\)\s*$", re.S)


def _variable_targets(path: str, uid: str, dashboard: dict, values: dict) -> list[Target]:
    targets = []
    for var in variables_of(dashboard):
        query = var.get("query")
        query = query.get("query", "") if isinstance(query, dict) else str(query or "")
        match = _LABEL_VALUES.match(query) if var.get("type") == "query" else None
        if match:
            targets.append(Target("variable", str(path), uid, f"${var.get('name')}", match[2], match[1], False, values))
    return targets


def dashboard_targets(file: DashboardFile) -> list[Target]:
    dashboard, path, uid = file.dashboard, file.source, file.key
    values = _variable_values(dashboard)
    targets = _variable_targets(path, uid, dashboard, values)
    for _, panel, _ in iter_panels(dashboard, rows=False):
        for t in panel.get("targets") or []:
            if not t.get("expr") or t.get("hide") or not _prometheus(t, panel):
                continue
            is_range = panel.get("type") in RANGE_PANELS and not t.get("instant")
            targets.append(
                Target(
                    "panel",
                    str(path),
                    uid,
                    f"{panel.get('title', '')} (id {panel.get('id')})",
                    t.get("refId", "A"),
                    t["expr"],
                    is_range,
                    values,
                    bool(t.get("exemplar")),
                )
            )
    return targets


def _prometheus(target: dict, panel: dict) -> bool:
    """Loki (LogQL) targets are not Prometheus queries; lint's logql/syntax checks them."""
    ds = target.get("datasource") or panel.get("datasource")
    return not isinstance(ds, dict) or ds.get("type") in (None, "prometheus")


def load_rule_file(path: Path) -> dict:
    """A Prometheus rule file's document (``groups:``); InputError naming the file otherwise."""
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except FileNotFoundError:
        raise InputError(f"{path}: no such rule file; pass --rules FILE") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror}") from None
    except yaml.YAMLError as exc:
        raise InputError(f"{path}: invalid YAML: {str(exc).splitlines()[0]}") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("groups", []), list):
        raise InputError(f"{path}: not a Prometheus rule file (want a top-level 'groups:' list)")
    return doc


def rule_targets(path: Path) -> list[Target]:
    targets = []
    for group in load_rule_file(path).get("groups") or []:
        for rule in group.get("rules") or []:
            kind = "alert" if "alert" in rule else "record"
            targets.append(
                Target(kind, str(path), group.get("name", ""), rule.get(kind, ""), "expr", str(rule.get("expr", "")))
            )
    return targets


def collect(dashboards: list[DashboardFile], rules: list[Path]) -> list[Target]:
    targets = [t for f in dashboards for t in dashboard_targets(f)]
    return targets + [t for r in rules for t in rule_targets(r)]


# --- running them ----------------------------------------------------------------------------


def check(client: PrometheusClient, target: Target, window: Window) -> Result:
    dashboard = target.kind in ("panel", "variable")
    query = substitute(target.expr, {**window.values(), **target.variables}) if dashboard else target.expr
    try:
        if target.kind == "variable":
            series = client.label_values(target.ref, query, window.start, window.end)
        elif target.range:
            series = client.query_range(query, window.start, window.end, window.step)
        else:
            series = client.query(query, window.end)
        if series:
            return _exemplars(client, target, window, query, len(series))
        # An alert reading ALERTS (e.g. an escalation of firing criticals) is quiet, not broken,
        # while no alert fires: Prometheus writes ALERTS only for pending/firing alerts.
        optional = ALERT_SERIES if target.kind == "alert" else frozenset()
        why = explain_empty(client, query, window.start, window.end, optional)
    except QueryError as exc:
        return Result(target, ERROR, 0, query, f"Prometheus: {exc}")
    if why is None and target.kind == "alert":
        return Result(target, OK, 0, query, "not firing; every selector matches series")
    if target.kind == "panel" and _alerts_missing(why):
        # Nothing fires on this Prometheus (a healthy staging): the panel is quiet, not broken,
        # unless another of its selectors matches nothing too; then that is the reason.
        why = explain_empty(client, query, window.start, window.end, ALERT_SERIES)
        if why is None:
            return Result(target, OK, 0, query, QUIET)
    return Result(
        target, EMPTY, 0, query, why or "every selector matches series, but the expression's operations leave none"
    )


NO_EXEMPLARS = (
    "series, but no exemplars: the service records no trace id on this histogram, "
    "or Prometheus runs without --enable-feature=exemplar-storage"
)


def _exemplars(client: PrometheusClient, target: Target, window: Window, query: str, series: int) -> Result:
    """A panel drawing exemplars is only useful when Prometheus has some for its query."""
    if not target.exemplars:
        return Result(target, OK, series, query)
    found = sum(len(s.get("exemplars") or []) for s in client.query_exemplars(query, window.start, window.end))
    if not found:
        return Result(target, EMPTY, series, query, NO_EXEMPLARS)
    return Result(target, OK, series, query, f"{found} exemplars")


QUIET = "quiet: no alert is pending or firing, so ALERTS has no series; every other selector matches series"


def _alerts_missing(why: str | None) -> bool:
    """Is the reason a query is empty that ALERTS/ALERTS_FOR_STATE has no series at all?"""
    return bool(why) and any(why.startswith(f"metric {name} has no series") for name in ALERT_SERIES)


def run_all(client: PrometheusClient, targets: list[Target], window: Window, each=iter) -> list[Result]:
    """Check every target; ``each`` wraps the loop (the CLI passes a progress bar)."""
    return [check(client, t, window) for t in each(targets)]


def summary(results: list[Result]) -> dict[str, int]:
    counts = {OK: 0, EMPTY: 0, ERROR: 0}
    for r in results:
        counts[r.status] += 1
    return {"targets": len(results), **counts}


def summary_line(results: list[Result]) -> str:
    s = summary(results)
    return f"{s['targets']} targets: {s[OK]} ok, {s[EMPTY]} empty, {s[ERROR]} error"


def render_text(results: list[Result]) -> list[str]:
    lines = []
    for r in results:
        t = r.target
        unit = "values" if t.kind == "variable" else "series"
        what = f"{r.series} {unit}" if r.status == OK and r.series else r.detail
        lines.append(f"{r.status:<5}  {t.container} / {t.name} [{t.ref}]: {what}")
    return lines


def render_json(results: list[Result], prometheus: str, window: Window) -> str:
    rows = []
    for r in results:
        row = {k: v for k, v in asdict(r.target).items() if k != "variables"}
        rows.append({**row, "status": r.status, "series": r.series, "query": r.query, "detail": r.detail})
    doc = {
        "prometheus": prometheus,
        "window": {"start": window.start, "end": window.end, "step": window.step},
        "summary": summary(results),
        "results": rows,
    }
    return json.dumps(doc, indent=2, sort_keys=True)
