"""Alerts: what is firing, how often, for how long, and whether notifications go out."""

from azora_dash import panels as P
from azora_dash import queries as Q
from azora_dash import variables as V


def _fleet(panel):
    # ALERTS and Alertmanager series describe the whole fleet, not one scraped service.
    return P.suppress(panel, "target/job", "target/instance", reason="alerting series are fleet-wide, not per service")


def build(cfg):
    return P.dashboard(
        cfg,
        "alerts",
        "Azora / Alerts",
        "Active alerts, alert frequency and duration, service availability and Alertmanager delivery.",
        "alerts",
        variables=V.service_variables(cfg),
        sections=[
            (
                "Active alerts",
                [
                    _fleet(p)
                    for p in [
                        P.stat(
                            "Firing alerts",
                            "Alerts currently firing, by severity.",
                            (Q.firing_count_by(cfg), "{{severity}}"),
                            "short",
                            steps=P.thresholds((None, P.GREEN), (1, P.RED)),
                            graph=False,
                        ),
                        P.stat(
                            "Alerts in Alertmanager",
                            "Alerts Alertmanager holds, by state.",
                            (Q.am_alerts(cfg), "{{state}}"),
                            "short",
                            graph=False,
                            w=6,
                        ),
                        P.stat(
                            "Notification failures",
                            "Failed notification deliveries per second.",
                            Q.am_notifications(cfg, failed=True, by=()),
                            "ops",
                            steps=P.thresholds((None, P.GREEN), (0.001, P.RED)),
                            w=12,
                        ),
                        P.table(
                            "Firing alerts",
                            "Every alert currently firing with its labels.",
                            Q.firing_alerts(cfg),
                            "none",
                            links=[P.to_runbook(cfg), P.to_service(cfg, row=True)],
                        ),
                    ]
                ],
            ),
            (
                "History",
                [
                    *map(
                        _fleet,
                        [
                            P.timeseries(
                                "Alert frequency",
                                "Firing alerts over time, per alert name.",
                                (Q.firing_count_by(cfg, by=("alertname",)), "{{alertname}}"),
                                "short",
                                stack=True,
                            ),
                            P.timeseries(
                                "Time firing",
                                "How long each active alert has been active: the resolution-time view.",
                                (Q.alert_firing_duration(cfg), "{{alertname}} {{job}}"),
                                "s",
                                links=[P.to_service(cfg)],
                            ),
                            P.table(
                                "Activations in range",
                                "Activations of each alert seen in the selected range, the first included; an alert already active"
                                " when the range starts counts once.",
                                Q.alert_activations(cfg),
                                "short",
                                w=12,
                            ),
                        ],
                    ),
                    P.table(
                        "Availability",
                        "Share of scrapes in the range where each service was up.",
                        Q.availability(cfg),
                        "percentunit",
                        w=12,
                        steps=P.thresholds((None, P.RED), (0.99, P.YELLOW), (0.999, P.GREEN)),
                        links=[P.to_service(cfg, row=True)],
                    ),
                ],
            ),
            (
                "Incident response",
                [
                    _fleet(p)
                    for p in [
                        P.timeseries(
                            "Notifications sent",
                            "Notifications Alertmanager sent per second, by integration.",
                            (Q.am_notifications(cfg), "{{integration}}"),
                            "ops",
                        ),
                        P.timeseries(
                            "Notifications failed",
                            "Failed notifications per second, by integration.",
                            (Q.am_notifications(cfg, failed=True), "{{integration}}"),
                            "ops",
                            steps=P.thresholds((None, P.GREEN), (0.001, P.RED)),
                        ),
                    ]
                ],
            ),
        ],
    )
