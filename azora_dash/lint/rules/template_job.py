from __future__ import annotations

from ..model import Severity
from ..shared import TemplateVariableRule


class TemplateJob(TemplateVariableRule):
    """A Prometheus dashboard has a ``job`` variable: a multi-select query on ``$datasource`` with allValue ``.+``.

    **Why**: one dashboard should serve every service; a ``job`` variable
    lets viewers pick them, and ``allValue: .+`` keeps "All" a short regex
    instead of a huge alternation. A missing variable is a warning (exporter
    dashboards may pin their job on purpose); a malformed one is an error; a
    label other than "Job" is only information.

    **Bad**:

        {"name": "job", "type": "custom", "multi": false}

    **Good**:

        {"name": "job", "label": "Job", "type": "query", "multi": true, "allValue": ".+",
         "datasource": {"uid": "${datasource}"}, "query": "label_values(up, job)"}

    Parity: grafana/dashboard-linter ``lint/rule_template_job.go``. Deviation: upstream reports
    a missing variable as an error and the label as a warning.
    """

    id = "template/job"
    group = "convention"
    aliases = ("template-job",)  # dashboard-linter's name, the id before one naming style
    severity = Severity.WARNING
    variable = "job"
