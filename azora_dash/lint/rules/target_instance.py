from __future__ import annotations

from ..shared import RequiredMatcherRule


class TargetInstance(RequiredMatcherRule):
    """On a dashboard with an ``instance`` variable, every selector filters by ``instance=~"$instance"``.

    **Why**: a selector without it ignores the viewer's choice of instance, so
    one panel silently aggregates every replica while the others show one.
    A warning, not an error: some panels are deliberately fleet-wide.

    **Bad**:

        sum(rate(http_requests_total{job=~"$job"}[$__rate_interval]))

    **Good**:

        sum(rate(http_requests_total{job=~"$job", instance=~"$instance"}[$__rate_interval]))

    A single-select ``instance`` variable may be matched with ``=`` (``instance="$instance"``).

    Parity: grafana/dashboard-linter ``lint/rule_target_job_instance.go`` (target-instance): it
    checks every target once the datasource variable selects Prometheus, whether or not a
    ``instance`` variable exists. Deviation: upstream also reports ``=`` on a single-select variable.
    """

    id = "target/instance"
    group = "convention"
    aliases = ("target-instance",)  # dashboard-linter's name, the id before one naming style
    label = "instance"
