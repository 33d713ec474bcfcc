from __future__ import annotations

from ..model import Severity
from ..shared import TemplateVariableRule


class TemplateInstance(TemplateVariableRule):
    """A Prometheus dashboard has an ``instance`` variable: a multi-select query on ``$datasource`` with allValue ``.+``.

    **Why**: one dashboard should serve every service; an ``instance`` variable
    lets viewers pick hosts, and ``allValue: .+`` keeps "All" a short regex
    instead of a huge alternation. A missing variable is a warning (exporter
    dashboards may pin their instance on purpose); a malformed one is an error; a
    label other than "Instance" is only information.

    **Bad**:

        {"name": "instance", "type": "custom", "multi": false}

    **Good**:

        {"name": "instance", "label": "Instance", "type": "query", "multi": true, "allValue": ".+",
         "datasource": {"uid": "${datasource}"}, "query": "label_values(up{job=~'$job'}, instance)"}

    Parity: grafana/dashboard-linter ``lint/rule_template_instance.go``. Deviation: upstream
    reports a missing variable as an error and the label as a warning.
    """

    id = "template/instance"
    group = "convention"
    aliases = ("template-instance",)  # dashboard-linter's name, the id before one naming style
    severity = Severity.WARNING
    variable = "instance"
