from __future__ import annotations

from ..base import Rule
from ..context import DashboardContext
from ..model import Problem, Severity


class TemplateDatasource(Rule):
    """The dashboard has a datasource template variable, named and labeled by convention.

    **Why**: a hard-coded datasource ties the dashboard to one Grafana; a
    ``datasource`` variable lets the same JSON run against any Prometheus.
    The name must be ``datasource`` (or ``<type>_datasource`` when there are
    several) so every panel can refer to ``${datasource}``. A nonstandard
    label is only a warning.

    **Bad**:

        "templating": {"list": [{"name": "ds", "type": "datasource", "query": "prometheus"}]}

    **Good**:

        "templating": {"list": [{"name": "datasource", "label": "Data source",
                                 "type": "datasource", "query": "prometheus"}]}

    Parity: grafana/dashboard-linter ``lint/rule_template_datasource.go``.
    """

    id = "template/datasource"
    group = "convention"
    aliases = ("template-datasource",)  # dashboard-linter's name, the id before one naming style
    severity = Severity.ERROR

    def check(self, ctx: DashboardContext) -> list[Problem]:
        variables = ctx.variables_of_type("datasource")
        if not variables:
            return [self.problem(ctx, "does not have a templated data source", path="/templating/list")]
        found = []
        for var in variables:
            kind = str(var.get("query") or "")
            names, labels = {f"{kind.lower()}_datasource"}, {f"{kind.title()} data source"}
            if len(variables) == 1:
                names.add("datasource")
                labels.add("Data source")
            path = f"/templating/list/{ctx.variables.index(var)}"
            if var.get("name") not in names:
                found.append(
                    self.problem(
                        ctx,
                        f"templated data source variable named '{var.get('name')}', should be "
                        f"named {' or '.join(repr(n) for n in sorted(names))}",
                        path=path,
                    )
                )
            if var.get("label") not in labels:
                found.append(
                    self.problem(
                        ctx,
                        f"templated data source variable labeled '{var.get('label') or ''}', "
                        f"should be labeled {' or '.join(repr(n) for n in sorted(labels))}",
                        path=path,
                        severity=Severity.WARNING,
                    )
                )
        return found
