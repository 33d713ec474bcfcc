"""Backtest alerting rules on the history a Prometheus already holds (pint's ``alerts/count`` check, extended).

Each alerting rule's expression is evaluated as a range query at its group's
evaluation interval, and Prometheus's alert state machine is replayed on the
result, series by series, as ``AlertingRule.Eval`` does (prometheus rules/alerting.go):

- a series present at an evaluation becomes *pending* (``ActiveAt = ts``) unless already active;
- a pending alert fires at the first evaluation where ``ts - ActiveAt >= for`` (so ``for: 0``
  fires on the first true evaluation);
- an evaluation without the series resolves a firing alert (``ResolvedAt = ts``) and
  forgets a pending one, so a gap resets ``for``; ``keep_firing_for`` delays the resolution.

An episode lasts from ``FiredAt`` to ``ResolvedAt``; one still firing at the end of the
range is cut there. Episodes that resolve within ``FLAP_S`` are flapping: noise nobody can act on.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ConfigError, InputError
from ..verify.core import load_rule_file, parse_duration
from ..verify.prometheus import PrometheusClient, QueryError

FLAP_S = 300  # an episode resolved within 5 minutes is over before anyone could act on it
MAX_POINTS = 10_000  # Prometheus refuses range queries of more than 11,000 points per series (web/api/v1/api.go)


@dataclass(frozen=True)
class Rule:
    alert: str
    expr: str
    for_s: int
    keep_firing_s: int
    interval_s: int
    group: str
    source: str
    labels: dict = field(default_factory=dict, compare=False, hash=False)


@dataclass
class Report:
    rule: Rule
    episodes: list[tuple[float, float]] = field(default_factory=list)  # (fired_at, resolved_at)

    def durations(self) -> list[float]:
        return [end - start for start, end in self.episodes]

    def as_dict(self) -> dict:
        d = self.durations()
        return {
            "alert": self.rule.alert,
            "labels": self.rule.labels,
            "group": self.rule.group,
            "episodes": len(d),
            "firing_seconds": sum(d),
            "longest_seconds": max(d, default=0),
            "shortest_seconds": min(d, default=0),
            "flapping": sum(1 for x in d if x <= FLAP_S),
        }


def load_rules(paths: list[Path], default_interval_s: int) -> list[Rule]:
    """Every alerting rule of the files, with its group's ``interval`` (or the global one)."""
    rules = []
    for path in paths:
        for group in load_rule_file(path).get("groups") or []:
            interval = parse_duration(group["interval"]) if group.get("interval") else default_interval_s
            for r in group.get("rules") or []:
                if "alert" not in r:
                    continue
                rules.append(
                    Rule(
                        alert=str(r["alert"]),
                        expr=str(r.get("expr", "")),
                        for_s=parse_duration(r["for"]) if r.get("for") not in (None, "0", 0, "0s") else 0,
                        keep_firing_s=parse_duration(r["keep_firing_for"]) if r.get("keep_firing_for") else 0,
                        interval_s=interval,
                        group=str(group.get("name", "")),
                        source=str(path),
                        labels=dict(r.get("labels") or {}),
                    )
                )
    return rules


def replay(times: list[float], present: set[float], rule: Rule, end: float) -> list[tuple[float, float]]:
    """The firing episodes of one series, given the evaluation times at which it was present."""
    episodes, active_at, fired_at, keep_since = [], None, None, None
    for ts in times:
        if ts in present:
            keep_since = None
            if active_at is None:
                active_at = ts
            if fired_at is None and ts - active_at >= rule.for_s:
                fired_at = ts
            continue
        if fired_at is not None and rule.keep_firing_s:
            keep_since = ts if keep_since is None else keep_since
            if ts - keep_since < rule.keep_firing_s:
                continue
        if fired_at is not None:
            episodes.append((fired_at, ts))
        active_at = fired_at = keep_since = None
    if fired_at is not None:
        episodes.append((fired_at, end))
    return episodes


def grid(start: float, end: float, step: int) -> list[float]:
    # Rule groups evaluate at multiples of their interval (plus a per-group offset we cannot know):
    # align to the interval so every window sees the same evaluation times.
    first = math.ceil(start / step) * step
    return [float(t) for t in range(int(first), int(end) + 1, step)]


def series_presence(client: PrometheusClient, rule: Rule, times: list[float]) -> dict[str, set[float]]:
    """Evaluation times at which each result series exists, in chunks Prometheus accepts."""
    present: dict[str, set[float]] = {}
    step = rule.interval_s
    for i in range(0, len(times), MAX_POINTS):
        chunk = times[i : i + MAX_POINTS]
        for series in client.query_range(rule.expr, chunk[0], chunk[-1], step):
            key = ",".join(f"{k}={v}" for k, v in sorted(series.get("metric", {}).items()) if k != "__name__")
            present.setdefault(key, set()).update(float(t) for t, _ in series.get("values", []))
    return present


def backtest_rule(client: PrometheusClient, rule: Rule, start: float, end: float) -> Report:
    times = grid(start, end, rule.interval_s)
    report = Report(rule)
    if not times:
        return report
    try:
        presence = series_presence(client, rule, times)
    except QueryError as exc:
        raise InputError(
            f"{rule.source}: alert {rule.alert} (group {rule.group}): Prometheus rejected it: {exc}"
        ) from None
    for present in presence.values():
        report.episodes += replay(times, present, rule, times[-1])
    report.episodes.sort()
    return report


def oldest_sample(client: PrometheusClient, start: float, end: float) -> float | None:
    """Time of the oldest ``up`` sample in [start, end] (every scraped target writes ``up``), or None."""
    step = max(60, math.ceil((end - start) / 1000))
    for series in client.query_range(f"count(count_over_time(up[{step}s]))", start, end, step):
        values = series.get("values") or []
        if values:
            first = float(values[0][0])
            inner = client.query(f"min(min_over_time(timestamp(up)[{step}s:15s]))", first)
            return float(inner[0]["value"][1]) if inner else first
    return None


def summary(reports: list[Report]) -> dict:
    durations = [d for r in reports for d in r.durations()]
    flapping = sum(1 for d in durations if d <= FLAP_S)
    return {
        "rules": len(reports),
        "rules_firing": sum(1 for r in reports if r.episodes),
        "episodes": len(durations),
        "flapping": flapping,
        "firing_seconds": sum(durations),
        # The spec's signal-to-noise figure: episodes that lasted long enough to act on.
        "actionable_share": (len(durations) - flapping) / len(durations) if durations else None,
    }


def run(client: PrometheusClient, rules: list[Rule], range_s: int, end: float) -> dict:
    if range_s <= 0:
        raise ConfigError("--range must be positive, e.g. 7d")
    start = end - range_s
    reports = [backtest_rule(client, rule, start, end) for rule in rules]
    warnings = []
    oldest = oldest_sample(client, start, end)
    if oldest is None:
        warnings.append("Prometheus holds no samples of `up` in the range; every rule backtests to 0 episodes")
    elif oldest - start > max((r.interval_s for r in rules), default=0) + 60:
        warnings.append(
            f"the range starts {_iso(start)} but the oldest sample is {_iso(oldest)}; the first "
            f"{_human(oldest - start)} have no data"
        )
    return {
        "range": {"start": _iso(start), "end": _iso(end), "seconds": range_s},
        "alerts": [r.as_dict() for r in reports],
        "summary": summary(reports),
        "warnings": warnings,
    }


def _iso(ts: float) -> str:
    import datetime as dt

    return dt.datetime.fromtimestamp(ts, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _human(seconds: float) -> str:
    seconds = int(seconds)
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    parts = [f"{v}{u}" for v, u in ((days, "d"), (hours, "h"), (minutes, "m"), (secs, "s")) if v]
    return "".join(parts) or "0s"


def render_text(result: dict) -> list[str]:
    lines = []
    for a in result["alerts"]:
        labels = ",".join(f"{k}={v}" for k, v in sorted(a["labels"].items()) if k != "severity")
        name = a["alert"] + (f"{{{labels}}}" if labels else "")
        lines.append(
            f"{name}: {a['episodes']} episode(s), firing {_human(a['firing_seconds'])}, "
            f"longest {_human(a['longest_seconds'])}, shortest {_human(a['shortest_seconds'])}, "
            f"{a['flapping']} flapping"
        )
    return lines + [summary_line(result)]


def summary_line(result: dict) -> str:
    s, r = result["summary"], result["range"]
    share = "n/a" if s["actionable_share"] is None else f"{s['actionable_share']:.0%}"
    return (
        f"{r['start']} .. {r['end']}: {s['episodes']} episode(s) from {s['rules_firing']}/{s['rules']} rules, "
        f"{s['flapping']} flapping (<= {FLAP_S // 60} min); actionable share {share}"
    )


def render_markdown(result: dict) -> str:
    rows = [
        "| alert | labels | episodes | firing | longest | shortest | flapping |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for a in result["alerts"]:
        labels = ", ".join(f"`{k}={v}`" for k, v in sorted(a["labels"].items()))
        rows.append(
            f"| {a['alert']} | {labels} | {a['episodes']} | {_human(a['firing_seconds'])} | "
            f"{_human(a['longest_seconds'])} | {_human(a['shortest_seconds'])} | {a['flapping']} |"
        )
    return "\n".join([f"**Alert backtest** {summary_line(result)}", "", *rows]) + "\n"
