"""SLOs: each SLO's current SLI, error budget left, burn rate per window and its ErrorBudgetBurn alerts.

Built from the SLO declarations in azora_dash/stack/slos.py; every value comes from the
recorded slo:* series, so the objective is stated once, in code.
"""

from azora_dash import panels as P
from azora_dash import queries as Q
from azora_dash import variables as V
from azora_dash.stack import slos as S

LEGEND = "{{job}} {{slo}}"


def _recorded(panel):
    # The slo:* series are `sum by (job)` recordings: there is no instance to select. The
    # $instance variable stays (every Azora dashboard carries it, and the links pass it on).
    return P.suppress(panel, "target-instance", reason="recorded SLO series are per job, with no instance label")


def _period(cfg):
    # Dashboards show one period; the SLOs declared today all share it (30d by default).
    return S.slos(cfg)[0].period


def _burn(cfg, title, windows):
    return P.timeseries(
        title,
        "Error budget burn rate: 1 spends exactly the budget over the period; ErrorBudgetBurn pages at 14.4 and 6.",
        [(Q.slo_burn_rate(cfg, w), f"{LEGEND} {w}") for w in windows],
        "short",
        steps=P.thresholds((None, P.GREEN), (1, P.YELLOW), (6, P.RED)),
        links=[P.to_service(cfg)],
    )


def build(cfg):
    period = _period(cfg)
    return P.dashboard(
        cfg,
        "slos",
        "Azora / SLOs",
        f"Service level objectives: SLI, error budget over {period}, burn rates and burn alerts.",
        "slos",
        variables=V.service_variables(cfg),
        sections=[(title, [_recorded(p) for p in panels]) for title, panels in _sections(cfg, period)],
    )


def _sections(cfg, period):
    return [
        (
            "Objectives",
            [
                P.stat(
                    f"SLI over {period}",
                    "Share of good events over the SLO period: requests not 5xx, fast enough, payments not failed.",
                    (Q.slo_sli(cfg, period), LEGEND),
                    "percentunit",
                    graph=False,
                    w=8,
                    links=[P.to_service(cfg)],
                ),
                P.stat(
                    "Error budget remaining",
                    f"Share of the {period} error budget not yet spent; below 0 the objective is missed.",
                    (Q.slo_budget_remaining(cfg, period), LEGEND),
                    "percentunit",
                    steps=P.thresholds((None, P.RED), (0.25, P.YELLOW), (0.5, P.GREEN)),
                    graph=False,
                    w=8,
                    links=[P.to_service(cfg)],
                ),
                P.table(
                    "Objectives",
                    "The objective of each SLO, as declared in code.",
                    Q.slo_objective(cfg),
                    "percentunit",
                    w=8,
                    links=[P.to_service(cfg, row=True)],
                ),
            ],
        ),
        (
            "Burn rate",
            [
                _burn(cfg, "Burn rate: fast windows", ("5m", "1h")),
                _burn(cfg, "Burn rate: medium windows", ("30m", "6h")),
                _burn(cfg, "Burn rate: slow windows", ("2h", "1d", "3d")),
                P.timeseries(
                    "SLI over 1h",
                    "Share of good events over the last hour.",
                    (Q.slo_sli(cfg, "1h"), LEGEND),
                    "percentunit",
                    links=[P.to_service(cfg)],
                ),
            ],
        ),
        (
            "Alerts",
            [
                P.table(
                    "ErrorBudgetBurn alerts",
                    "Pending and firing burn-rate alerts per SLO, severity and state.",
                    Q.slo_alerts(cfg),
                    "short",
                    w=24,
                    links=[P.to_service(cfg, row=True)],
                ),
            ],
        ),
    ]
