"""API Gateway: traffic, latency, errors, authentication and rate limiting across Azora services."""

from azora_dash import panels as P
from azora_dash import queries as Q
from azora_dash import variables as V


def _auth(panel):
    # Logins only happen on the auth service, whatever services $job selects.
    return P.suppress(panel, "target/job", reason="auth panels always show the auth service")


def build(cfg):
    by_route = ("job", "route")
    return P.dashboard(
        cfg,
        "api-gateway",
        "Azora / API Gateway",
        "Request rate, latency, errors, auth and rate limiting per service and route.",
        "api",
        variables=V.service_variables(cfg),
        sections=[
            (
                "Traffic",
                [
                    P.stat(
                        "Request rate",
                        "All requests per second across the selected services.",
                        Q.request_rate(cfg, by=()),
                        "reqps",
                    ),
                    P.stat(
                        "Error ratio",
                        "Share of requests answered with a 5xx status.",
                        Q.error_ratio(cfg, by=()),
                        "percentunit",
                        steps=P.ERROR_RATIO,
                    ),
                    P.stat(
                        "p95 latency",
                        "95th percentile request duration over all routes.",
                        Q.latency_quantile(cfg, 0.95, by=()),
                        "s",
                        steps=P.LATENCY,
                    ),
                    P.stat(
                        "Throttled (429) share",
                        "Share of requests rejected by rate limiting.",
                        Q.status_share(cfg, "429", by=()),
                        "percentunit",
                        steps=P.ERROR_RATIO,
                    ),
                    P.timeseries(
                        "Requests by service",
                        "Requests per second per service (job).",
                        (Q.request_rate(cfg), "{{job}}"),
                        "reqps",
                        stack=True,
                        links=[P.to_service(cfg)],
                    ),
                    P.timeseries(
                        "Requests by route",
                        "Requests per second per service and route.",
                        (Q.request_rate(cfg, by=by_route), "{{job}} {{route}}"),
                        "reqps",
                        links=[P.to_service(cfg)],
                    ),
                    P.table(
                        "Service restarts",
                        "Node process (re)starts in the range.",
                        Q.service_restarts(cfg),
                        "short",
                        links=[P.to_service(cfg, row=True)],
                    ),
                ],
            ),
            (
                "Latency",
                [
                    P.timeseries(
                        "Latency percentiles",
                        "p50, p95 and p99 request duration from the histogram buckets.",
                        [(Q.latency_quantile(cfg, q, by=()), f"p{int(q * 100)}") for q in (0.5, 0.95, 0.99)],
                        "s",
                        steps=P.LATENCY,
                        exemplars=True,
                    ),
                    P.timeseries(
                        "p95 latency by service",
                        "95th percentile request duration per service.",
                        (Q.latency_quantile(cfg, 0.95), "{{job}}"),
                        "s",
                        steps=P.LATENCY,
                        exemplars=True,
                        links=[P.to_service(cfg), P.to_logs(cfg)],
                    ),
                ],
            ),
            (
                "Errors",
                [
                    P.timeseries(
                        "5xx ratio by service",
                        "Share of each service's requests answered with 5xx.",
                        (Q.error_ratio(cfg), "{{job}}"),
                        "percentunit",
                        steps=P.ERROR_RATIO,
                        links=[P.to_logs(cfg), P.to_service(cfg)],
                    ),
                    P.timeseries(
                        "5xx ratio by endpoint",
                        "Share of each route's requests answered with 5xx.",
                        (Q.error_ratio(cfg, by=by_route), "{{job}} {{route}}"),
                        "percentunit",
                        steps=P.ERROR_RATIO,
                        links=[P.to_logs(cfg), P.to_service(cfg)],
                    ),
                ],
            ),
            (
                "Authentication and rate limiting",
                [
                    _auth(
                        P.timeseries(
                            "Auth outcomes",
                            "Login/auth requests on the auth service: successes (2xx) vs rejections (401/403).",
                            [
                                (Q.auth_rate(cfg, "2.."), "success {{route}}"),
                                (Q.auth_rate(cfg, "401|403"), "failure {{route}}"),
                            ],
                            "reqps",
                        )
                    ),
                    _auth(
                        P.timeseries(
                            "Auth failure share",
                            "Share of login/auth requests rejected with 401/403.",
                            (Q.auth_failure_share(cfg), "{{route}}"),
                            "percentunit",
                            steps=P.ERROR_RATIO,
                        )
                    ),
                    P.timeseries(
                        "Rate-limited requests",
                        "Requests per second answered 429 Too Many Requests.",
                        (Q.throttled_rate(cfg), "{{job}} {{route}}"),
                        "reqps",
                        links=[P.to_service(cfg)],
                    ),
                    P.timeseries(
                        "Rate-limited share",
                        "Share of each service's requests answered 429.",
                        (Q.status_share(cfg, "429"), "{{job}}"),
                        "percentunit",
                        steps=P.ERROR_RATIO,
                        links=[P.to_service(cfg)],
                    ),
                ],
            ),
        ],
    )
