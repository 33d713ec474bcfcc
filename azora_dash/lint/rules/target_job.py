from __future__ import annotations

from ..shared import RequiredMatcherRule


class TargetJob(RequiredMatcherRule):
    """On a Prometheus dashboard, every selector filters by ``job=~"$job"``.

    **Why**: a selector without it ignores the viewer's choice of service, so
    one panel silently shows all services while the others show one.
    A warning, not an error: some panels pin one job on purpose (suppress
    the rule on those panels with ``panels.suppress``).

    **Bad**:

        sum(rate(http_requests_total{instance=~"$instance"}[$__rate_interval]))

    **Good**:

        sum(rate(http_requests_total{job=~"$job", instance=~"$instance"}[$__rate_interval]))

    A single-select ``job`` variable may be matched with ``=`` (``job="$job"``).

    Parity: grafana/dashboard-linter ``lint/rule_target_job_instance.go`` (target-job): it
    checks every target once the datasource variable selects Prometheus, whether or not a
    ``job`` variable exists. Deviation: upstream also reports ``=`` on a single-select variable.
    """

    id = "target/job"
    group = "convention"
    aliases = ("target-job",)  # dashboard-linter's name, the id before one naming style
    label = "job"
