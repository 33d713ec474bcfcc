"""Business Metrics: users, payments, education engagement and service usage."""

from azora_dash import panels as P
from azora_dash import queries as Q
from azora_dash import variables as V


def build(cfg):
    return P.dashboard(
        cfg,
        "business-metrics",
        "Azora / Business Metrics",
        "Registrations, logins, active users, payments and engagement.",
        "business",
        variables=V.service_variables(cfg),
        sections=[
            (
                "Users",
                [
                    P.stat(
                        "Registrations in range",
                        "New user registrations over the selected time range.",
                        Q.registrations_total(cfg),
                        "short",
                        graph=False,
                    ),
                    P.stat(
                        "Active users",
                        "Users currently active (gauge reported by the services).",
                        Q.active_users(cfg),
                        "short",
                    ),
                    P.stat(
                        "Payment success rate",
                        "Share of processed payments with status success.",
                        Q.payment_success_ratio(cfg),
                        "percentunit",
                        steps=P.thresholds((None, P.RED), (0.95, P.YELLOW), (0.99, P.GREEN)),
                    ),
                    P.stat(
                        "Payments per second",
                        "Payments processed per second, all currencies.",
                        Q.payments_rate(cfg, by=()),
                        "ops",
                    ),
                    P.suppress(
                        P.timeseries(
                            "Registrations and logins",
                            "User registrations and successful logins per second.",
                            [(Q.registrations_rate(cfg), "registrations"), (Q.logins_rate(cfg), "logins {{route}}")],
                            "ops",
                        ),
                        "target/job",
                        reason="logins are counted on the auth service, whatever $job selects",
                    ),
                    P.timeseries(
                        "Active users",
                        "Currently active users over time.",
                        (Q.active_users(cfg), "active users"),
                        "short",
                    ),
                ],
            ),
            (
                "Payments",
                [
                    P.timeseries(
                        "Payments by currency and status",
                        "Payments processed per second by currency and outcome.",
                        (Q.payments_rate(cfg), "{{currency}} {{status}}"),
                        "ops",
                        stack=True,
                    ),
                    P.timeseries(
                        "Payment success rate",
                        "Share of payments that succeeded.",
                        (Q.payment_success_ratio(cfg), "success"),
                        "percentunit",
                        steps=P.thresholds((None, P.RED), (0.95, P.YELLOW), (0.99, P.GREEN)),
                        max_value=1,
                    ),
                    P.timeseries(
                        "Payment amount percentiles",
                        "Median and 95th percentile payment amount per currency, from payment_amount buckets.",
                        [
                            (Q.payment_amount_quantile(cfg, 0.5), "p50 {{currency}}"),
                            (Q.payment_amount_quantile(cfg, 0.95), "p95 {{currency}}"),
                        ],
                        "none",
                    ),
                    P.timeseries(
                        "Payment amount distribution",
                        "Payments per second falling at or below each amount bucket (le).",
                        (Q.payment_amount_distribution(cfg), "le {{le}}"),
                        "ops",
                        bars=True,
                    ),
                ],
            ),
            (
                "Engagement and usage",
                [
                    P.suppress(
                        P.timeseries(
                            "Education engagement",
                            "Requests per second to the LMS and education services by route.",
                            (Q.engagement_rate(cfg), "{{job}} {{route}}"),
                            "reqps",
                            w=24,
                            links=[P.to_service(cfg)],
                        ),
                        "target/job",
                        reason="engagement is the LMS and education services by definition",
                    ),
                    P.timeseries(
                        "Service usage",
                        "Requests per second by service: how usage shifts across Azora.",
                        (Q.request_rate(cfg), "{{job}}"),
                        "reqps",
                        stack=True,
                        w=24,
                        links=[P.to_service(cfg)],
                    ),
                ],
            ),
        ],
    )
