"""Which labels a PromQL expression's result carries, from the catalogue.

Used by metrics/known to catch ``sum by (service) (...)`` or a legend
``{{service}}`` when no series has a ``service`` label (the spec's alert
``{{ $labels.service }}``). ``None`` means "unknown": an unknown metric, an
``open`` one such as ALERTS, or a function we do not model; nothing is
reported below an unknown.

Vector matching follows Prometheus ``promql/engine.go`` (resultMetric): a
one-to-one match ``on(L)`` keeps only L, ``ignoring(L)`` drops L, and
``group_left(I)``/``group_right(I)`` add I from the "one" side.
"""

from __future__ import annotations

from collections.abc import Callable

from .catalogue import Catalogue
from .query import Node

Labels = frozenset[str] | None
Report = Callable[[str], None]

_SCALAR_FUNCS = {
    "scalar",
    "time",
    "pi",
    "year",
    "month",
    "day_of_month",
    "day_of_week",
    "day_of_year",
    "days_in_month",
    "hour",
    "minute",
}
# Functions whose result has no labels taken from their argument.
_NO_LABELS = {"vector", "time", "scalar", "pi"}
_UNKNOWN = {"absent", "absent_over_time"}  # labels come from equality matchers; not modelled


def is_scalar(node: Node) -> bool:
    if node.kind == "number":
        return True
    if node.kind in ("paren", "unary"):
        return is_scalar(node.children[0])
    if node.kind == "call":
        return node.name in ("scalar", "time", "pi") or (node.name in _SCALAR_FUNCS and not node.children)
    if node.kind == "binary":
        return all(is_scalar(c) for c in node.children)
    return False


def _names(labels) -> str:
    return ", ".join(sorted(labels)) or "none"


class LabelInference:
    def __init__(self, catalogue: Catalogue, report: Report):
        self.catalogue = catalogue
        self.report = report

    def labels(self, node: Node) -> Labels:
        handler = _HANDLERS.get(node.kind)  # a dict, not getattr(f"_{kind}"): asked for every node
        return handler(self, node) if handler else None

    def _selector(self, node: Node) -> Labels:
        series = self.catalogue.get(node.name)
        if series is None or series.open:
            return None
        return series.labels

    def _matrix(self, node: Node) -> Labels:
        return self.labels(node.children[0])

    _subquery = _paren = _unary = _matrix

    def _number(self, node: Node) -> Labels:
        return frozenset()

    _string = _number

    def _call(self, node: Node) -> Labels:
        args = [self.labels(c) for c in node.children]  # visit all: reports from inside arguments
        if node.name in _NO_LABELS or is_scalar(node):
            return frozenset()
        if node.name in _UNKNOWN:
            return None
        if node.name in ("label_replace", "label_join") and len(node.children) > 1:
            base, dst = args[0], node.children[1].value
            return base | {dst} if base is not None and isinstance(dst, str) else None
        if node.name == "histogram_quantile" and len(args) > 1:
            return args[1] - {"le"} if args[1] is not None else None
        vectors = [a for c, a in zip(node.children, args) if c.kind not in ("number", "string")]
        return vectors[0] if vectors else frozenset()

    def _agg(self, node: Node) -> Labels:
        inner = self.labels(node.children[0])
        if len(node.children) > 1:
            self.labels(node.children[1])
        if inner is not None and node.grouping == "by":
            for label in node.labels:
                if label not in inner:
                    self.report(
                        f"{node.name} by ({', '.join(node.labels)}): no series here has label "
                        f"{label!r} (they have: {_names(inner)})"
                    )
        if node.name in ("topk", "bottomk", "limitk", "limit_ratio"):
            return inner
        if node.grouping == "by":
            result = frozenset(node.labels)
        elif node.grouping == "without":
            result = inner - set(node.labels) if inner is not None else None
        else:
            result = frozenset()
        if node.name == "count_values" and result is not None and len(node.children) > 1:
            result = result | {node.children[1].value}
        return result

    def _binary(self, node: Node) -> Labels:
        lhs, rhs = (self.labels(c) for c in node.children)
        left, right = node.children
        if is_scalar(left):
            return rhs
        if is_scalar(right):
            return lhs
        if node.name == "or":
            return lhs | rhs if lhs is not None and rhs is not None else None
        if node.grouping == "on":
            for side, labels in (("left", lhs), ("right", rhs)):
                missing = set(node.labels) - labels if labels is not None else set()
                if missing:
                    self.report(
                        f"on ({', '.join(node.labels)}): the {side} side has no label "
                        f"{_names(missing)} (it has: {_names(labels)})"
                    )
        if node.card in ("ManyToOne", "OneToMany"):
            many, one = (lhs, rhs) if node.card == "ManyToOne" else (rhs, lhs)
            missing = set(node.include) - one if one is not None else set()
            if missing:
                side = "group_left" if node.card == "ManyToOne" else "group_right"
                self.report(
                    f"{side} ({', '.join(node.include)}): the other side has no label "
                    f"{_names(missing)} (it has: {_names(one)})"
                )
            return None if many is None else many | set(node.include)
        if lhs is None:
            return None
        if node.name in ("and", "unless"):
            return lhs
        if node.grouping == "on":
            return frozenset(node.labels) & lhs
        if node.grouping == "ignoring":
            return lhs - set(node.labels)
        return lhs


# Node.kind -> LabelInference's method for it.
_HANDLERS = {
    kind: getattr(LabelInference, f"_{kind}")
    for kind in ("selector", "matrix", "subquery", "paren", "unary", "number", "string", "call", "agg", "binary")
}
