from __future__ import annotations

import re

from ...promql import BUILTINS, variables
from ..base import Rule
from ..context import DashboardContext, TargetRef
from ..model import Problem, Severity

# Grafana's global variables besides the interval/range ones (docs: variables/add-template-variables#global-variables).
GLOBALS = {*BUILTINS, "__from", "__to", "__dashboard", "__name", "__org", "__user", "__timeFilter", "timeFilter"}


_NAMED_GROUP = re.compile(r"\(\?P?<(\w+)>")


def capture_references(t: TargetRef) -> set[str]:
    """``$1``, ``${1}`` and ``$name`` in a ``label_replace`` replacement: the regex's capture groups.

    Grafana leaves a ``$x`` it has no variable for untouched (TemplateSrv.replace in
    public/app/features/templating/template_srv.ts returns the match when ``!variable``), so
    Prometheus receives them and expands them from the regex (Go's regexp.Expand).
    """
    if t.query is None:
        return set()
    refs = set()
    for node, _ in t.query.nodes:
        if node.kind == "call" and node.name == "label_replace" and len(node.children) == 5:
            replacement, regex = node.children[2].value, node.children[4].value
            named = set(_NAMED_GROUP.findall(regex)) if isinstance(regex, str) else set()
            if isinstance(replacement, str):
                refs |= {n for n in variables(replacement) if n.isdigit() or n in named}
    return refs


class TargetPromql(Rule):
    """Every Prometheus target has an expression, and every variable it uses exists.

    **Why**: an empty target or a reference to a panel that is gone shows
    nothing; ``$service`` in a query on a dashboard without a ``service``
    variable reaches Prometheus literally and matches nothing.
    Whether the expression parses is checked once, by ``promql/syntax``. ``$1`` or ``${1}`` in a
    ``label_replace`` replacement is the regex's capture group, not a variable.

    **Bad**:

        sum(rate(http_requests_total{job=~"$service"}[$__rate_interval]))

    **Good**:

        sum(rate(http_requests_total{job=~"$job"}[$__rate_interval]))

    Parity: grafana/dashboard-linter ``lint/rule_target_promql.go`` (empty query and
    panel references; its parse errors are ``promql/syntax``). Deviations: undefined variables are
    an addition (upstream substitutes any name), and a dangling panel reference is one problem,
    not upstream's two (it also parses the reference's empty expression).
    """

    id = "target/promql"
    aliases = ("target-promql",)  # dashboard-linter's name, the id before one naming style
    severity = Severity.ERROR

    def check(self, ctx: DashboardContext) -> list[Problem]:
        defined = {v.get("name") for v in ctx.variables}
        found = []
        for t in ctx.targets:
            if not t.expr.strip():
                ref = t.target.get("panelId")
                if ref is None:
                    found.append(
                        self.problem(
                            ctx, f"target {t.target.get('refId', '?')} has no expression", panel=t.panel, path=t.path
                        )
                    )
                elif ctx.panel_by_id(ref) is None:
                    found.append(self.problem(ctx, "Invalid panel reference in target", panel=t.panel, path=t.path))
                continue
            known = defined | capture_references(t) if "label_replace" in t.expr else defined
            for name in dict.fromkeys(variables(t.expr)):
                if name not in known and name not in GLOBALS and not name.startswith("__"):
                    found.append(self.target_problem(ctx, t, f"uses ${name}, which the dashboard does not define"))
        return found
