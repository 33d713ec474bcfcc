"""SLOs as code: declared once here, compiled to recording rules, burn-rate alerts and the SLOs dashboard.

Modelled on sloth and pyrra, with the Google SRE workbook's multi-window,
multi-burn-rate alerts (chapter 5, "Alerting on SLOs", table 5-8):

- ``slo:sli_error:ratio_rate<window>{slo, job}``: share of bad events over each window,
  computed from the raw counters (``queries.sli_*``), so every window is exact;
- ``slo:objective:ratio`` and ``slo:error_budget:ratio`` (1 - objective) per SLO, labelled
  ``slo``, ``job`` and ``period``, so neither alerts nor dashboards restate the objective;
- one alert name, ``ErrorBudgetBurn``, for the four (long, short, factor) pairs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

from .. import queries as Q
from ..config import Config

if TYPE_CHECKING:  # only named in annotations: the SLO dashboard imports this module, and a build's start-up counts
    from .settings import Stack

# The services' http_request_duration_seconds buckets (the Azora middleware's histogram;
# azora_dash/demo/services.py serves the same). A latency threshold must be one of them:
# between boundaries `le` cannot say which requests were faster.
DURATION_BUCKETS = (0.1, 0.5, 1, 2, 5, 10)
WINDOWS = ("5m", "30m", "1h", "2h", "6h", "1d", "3d")
ALERT = "ErrorBudgetBurn"
# One group: Prometheus evaluates a group's rules in order (prometheus rules/manager.go Group.Eval in 2.42, rules/group.go later), so the alerts
# read the recordings of the same evaluation; across groups they could be one interval behind.
GROUP = "azora-slos"
SLI_KINDS = ("availability", "latency", "payments")


class Burn(NamedTuple):
    """One multi-window condition: both windows burn at least ``factor`` x the sustainable rate."""

    severity: str
    long_window: str
    short_window: str
    factor: float


# SRE workbook table 5-8 for a 30-day budget: 2% spent in 1h or 5% in 6h pages; 10% in 1d or 3d tickets.
BURNS = (
    Burn("critical", "1h", "5m", 14.4),
    Burn("critical", "6h", "30m", 6),
    Burn("warning", "1d", "2h", 3),
    Burn("warning", "3d", "6h", 1),
)


@dataclass(frozen=True)
class SLO:
    name: str  # the `slo` label: "availability", "latency", "payments-success"
    job: str
    sli: str  # one of SLI_KINDS
    objective: float = 0.999
    period: str = "30d"
    threshold: float = 0.0  # latency only: seconds, a bucket boundary

    def __post_init__(self):
        if self.sli not in SLI_KINDS:
            raise ValueError(f"SLO {self.name} ({self.job}): sli {self.sli!r} is not one of {SLI_KINDS}")
        if not 0 < self.objective < 1:
            raise ValueError(f"SLO {self.name} ({self.job}): objective {self.objective} must be between 0 and 1")
        if self.sli == "latency" and self.threshold not in DURATION_BUCKETS:
            raise ValueError(
                f"SLO {self.name} ({self.job}): latency threshold {self.threshold}s is not a bucket boundary "
                f"of http_request_duration_seconds {DURATION_BUCKETS}"
            )

    @property
    def windows(self) -> tuple[str, ...]:
        return WINDOWS if self.period in WINDOWS else (*WINDOWS, self.period)


def slos(cfg: Config) -> list[SLO]:
    """Every SLO: availability and latency (500 ms) per Azora service, and payment success."""
    out = []
    for s in cfg.services:
        out.append(SLO("availability", s.job, "availability"))
        out.append(SLO("latency", s.job, "latency", threshold=0.5))
    out.append(SLO("payments-success", cfg.payments_job, "payments"))
    return out


def _sli(kind: str, jobs: list[str], window: str, threshold: float) -> str:
    if kind == "latency":
        return Q.sli_latency_errors(jobs, window, threshold)
    if kind == "payments":
        return Q.sli_payments_errors(jobs, window)
    return Q.sli_availability_errors(jobs, window)


def _recordings(all_slos: list[SLO]) -> list[dict]:
    # One rule per (SLO name, SLI, threshold, window) covers every job declaring it: sum by (job).
    families: dict[tuple, list[SLO]] = {}
    for slo in all_slos:
        families.setdefault((slo.name, slo.sli, slo.threshold), []).append(slo)
    rules = []
    for (name, kind, threshold), members in families.items():
        jobs = [m.job for m in members]
        windows = dict.fromkeys(w for m in members for w in m.windows)
        for window in windows:
            rules.append(
                {
                    "record": f"slo:sli_error:ratio_rate{window}",
                    "expr": _sli(kind, jobs, window, threshold),
                    "labels": {"slo": name},
                }
            )
    for slo in all_slos:
        labels = {"slo": slo.name, "job": slo.job, "period": slo.period}
        rules.append({"record": "slo:objective:ratio", "expr": f"vector({slo.objective:g})", "labels": labels})
        rules.append({"record": "slo:error_budget:ratio", "expr": f"vector(1 - {slo.objective:g})", "labels": labels})
    return rules


def _days_hours(hours: float) -> str:
    days, rest = divmod(round(hours), 24)
    return f"{days}d {rest}h" if days else f"{rest}h"


def _hours(window: str) -> float:
    unit = {"m": 1 / 60, "h": 1, "d": 24}[window[-1]]
    return float(window[:-1]) * unit


def _alert(burn: Burn, period: str, stack: Stack) -> dict:
    spent = burn.factor * _hours(burn.long_window) / _hours(period)
    return {
        "alert": ALERT,
        "expr": Q.slo_burn_condition(burn.long_window, burn.short_window, burn.factor, period),
        "labels": {"severity": burn.severity, "long_window": burn.long_window, "short_window": burn.short_window},
        "annotations": {
            "summary": "{{ $labels.job }} is burning its {{ $labels.slo }} error budget",
            "description": (
                "{{ $labels.job }} spends its " + period + " {{ $labels.slo }} error budget "
                '{{ $value | printf "%.1f" }}x as fast as its objective allows, over the last '
                f"{burn.long_window} and {burn.short_window}. At {burn.factor:g}x, {spent:.0%} of the budget "
                f"is consumed every {burn.long_window} and all of it in "
                f"{_days_hours(_hours(period) / burn.factor)}; faster burns exhaust it sooner."
            ),
            "runbook_url": f"{stack.runbook_base_url}#{ALERT.lower()}",
        },
    }


def rule_groups(cfg: Config, stack: Stack) -> dict:
    all_slos = slos(cfg)
    periods = dict.fromkeys(s.period for s in all_slos)
    alerts = [_alert(burn, period, stack) for period in periods for burn in BURNS]
    return {"groups": [{"name": GROUP, "rules": _recordings(all_slos) + alerts}]}


RUNBOOK = f"""## {ALERT}

Severity: **critical** when the error budget burns 14.4x over 1h and 5m, or 6x over 6h and 30m;
**warning** at 3x over 1d and 2h, or 1x over 3d and 6h (labels `long_window`, `short_window`).
SLOs are declared in azora_dash/stack/slos.py; the Azora / SLOs dashboard shows each SLI, budget and burn rate.

Open the Azora / SLOs dashboard for the `slo` and `job` labels: availability means 5xx responses,
latency means requests slower than the SLO's threshold, payments-success means failed payments.
Then follow the runbook of the matching symptom alert (HighErrorRate, HighLatencyP95, PaymentFailures).
"""
