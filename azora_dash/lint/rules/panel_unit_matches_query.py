from __future__ import annotations

from ..base import Rule
from ..context import DashboardContext, TargetRef
from ..model import Problem, Severity
from ..query import Node, walk
from ..shared import promql_targets


def _strip(node: Node) -> Node:
    while node.kind == "paren":
        node = node.children[0]
    return node


def _is_number(node: Node, value: float) -> bool:
    node = _strip(node)
    return node.kind == "number" and node.value == value


def _scaled(node: Node, factor: float) -> Node | None:
    """``x * factor`` or ``factor * x`` -> x."""
    node = _strip(node)
    if node.kind == "binary" and node.name == "*":
        lhs, rhs = node.children
        if _is_number(rhs, factor):
            return lhs
        if _is_number(lhs, factor):
            return rhs
    return None


def shape(node: Node) -> str | None:
    """ "ratio" (0-1) for ``a / b`` or ``1 - a / b``; "percent" (0-100) for those scaled by 100."""
    node = _strip(node)
    if node.kind != "binary":
        return None
    scaled = _scaled(node, 100)
    if scaled is not None:
        return "percent" if shape(scaled) == "ratio" else None
    if node.name == "/":
        if any(_strip(c).kind == "number" for c in node.children):
            return None  # a unit conversion such as / 1024, not a ratio
        return "percent" if _scaled(node.children[0], 100) is not None else "ratio"
    if node.name == "-" and _is_number(node.children[0], 1):
        return "ratio" if shape(node.children[1]) == "ratio" else None
    if node.name == "-" and _is_number(node.children[0], 100):
        return "percent" if shape(node.children[1]) == "percent" else None
    return None


def seconds_quantile(node: Node) -> bool:
    node = _strip(node)
    return (
        node.kind == "call"
        and node.name == "histogram_quantile"
        and any(n.kind == "selector" and n.name.endswith("_seconds_bucket") for n, _ in walk(node))
    )


class PanelUnitMatchesQuery(Rule):
    """The panel's unit matches what the query computes.

    **Why**: a ratio ``a / b`` is between 0 and 1, so unit ``percent``
    (0-100) shows 0.05 as "0.05 %" instead of "5 %"; a query scaled by 100
    shown as ``percentunit`` reads "500 %". A quantile of a ``_seconds``
    histogram is in seconds and needs unit ``s`` (or ``ms`` after ``* 1000``).

    **Bad**:

        unit "percent" with  sum(rate(errors_total[5m])) / sum(rate(requests_total[5m]))

    **Good**:

        unit "percentunit" with  sum(rate(errors_total[5m])) / sum(rate(requests_total[5m]))
    """

    id = "panel/unit-matches-query"
    severity = Severity.ERROR

    def check(self, ctx: DashboardContext) -> list[Problem]:
        found = []
        for t in promql_targets(ctx):
            if any(
                p.get("id") == "unit"
                for o in (t.panel.panel.get("fieldConfig") or {}).get("overrides") or []
                for p in o.get("properties") or []
            ):
                continue  # per-series units: which one applies to this target is not knowable here
            message = self._mismatch(t.panel.unit, t)
            if message:
                found.append(
                    self.problem(
                        ctx, message, panel=t.panel, path=f"{t.panel.path}/fieldConfig/defaults/unit", details=t.expr
                    )
                )
        return found

    def _mismatch(self, unit: str, t: TargetRef) -> str | None:
        root = t.query.root
        kind = shape(root)
        if unit == "percent" and kind == "ratio":
            return f"target {t.target.get('refId')} is a ratio (0-1) but the unit is percent (0-100); use percentunit"
        if unit == "percentunit" and kind == "percent":
            return f"target {t.target.get('refId')} is scaled to 0-100 but the unit is percentunit (0-1); use percent"
        millis = _scaled(root, 1000)
        if seconds_quantile(root) and unit not in ("s", "dtdurations", "clocks"):
            return f"target {t.target.get('refId')} is a quantile in seconds but the unit is '{unit}'; use s"
        if millis is not None and seconds_quantile(millis) and unit not in ("ms", "dtdurationms", "clockms"):
            return f"target {t.target.get('refId')} is a quantile in milliseconds but the unit is '{unit}'; use ms"
        return None
