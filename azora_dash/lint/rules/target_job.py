from __future__ import annotations

from ..shared import RequiredMatcherRule


class TargetJob(RequiredMatcherRule):
    """On a dashboard with a ``job`` variable, every selector filters by ``job=~"$job"``.

    **Why**: a selector without it ignores the viewer's choice of service, so
    one panel silently shows all services while the others show one.
    A warning, not an error: some panels pin one job on purpose (suppress
    the rule on those panels with ``panels.suppress``).

    **Bad**:

        sum(rate(http_requests_total{instance=~"$instance"}[$__rate_interval]))

    **Good**:

        sum(rate(http_requests_total{job=~"$job", instance=~"$instance"}[$__rate_interval]))

    Parity: grafana/dashboard-linter ``lint/rule_target_job_instance.go`` (target-job).
    """

    id = "target/job"
    group = "convention"
    aliases = ("target-job",)  # dashboard-linter's name, the id before one naming style
    label = "job"
