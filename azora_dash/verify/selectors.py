"""Explain why a query returned nothing: find the metric or label matcher that matches no series.

Each vector selector of the expression (parsed with ``promql_parser``) is looked
up via ``/api/v1/series``. For the first one that matches nothing, the metric
name is probed alone, then each label matcher alone with the metric name, so the
message names exactly what is missing (e.g. ``status="500"`` on
``http_requests_total``, whose label is ``status_code``).
"""

from __future__ import annotations

import json

# Series Prometheus synthesises only while an alert is pending or firing (rules/alerting.go).
ALERT_SERIES = {"ALERTS", "ALERTS_FOR_STATE"}
SHOW_VALUES = 6  # label values quoted in a message; enough to spot a typo
_OPS = (("Equal", "="), ("NotEqual", "!="), ("Re", "=~"), ("NotRe", "!~"))


def vector_selectors(expr: str) -> list:
    """Every VectorSelector in the expression, in order (also those inside range selectors)."""
    import promql_parser

    found = []

    def visit(node):
        if isinstance(node, promql_parser.VectorSelector):
            found.append(node)

    promql_parser.walk(promql_parser.parse(expr), visit)
    return found


def _name(selector) -> str | None:
    import promql_parser

    if selector.name:
        return selector.name
    return next(
        (m.value for m in selector.matchers.matchers if m.name == "__name__" and m.op == promql_parser.MatchOp.Equal),
        None,
    )


def _matcher(m) -> str:
    import promql_parser

    # MatchOp is not hashable; str(Matcher) does not escape quotes, and JSON
    # string escapes are valid PromQL (Go) escapes.
    op = next(sym for kind, sym in _OPS if m.op == getattr(promql_parser.MatchOp, kind))
    return f"{m.name}{op}{json.dumps(m.value)}"


def _render(name: str | None, matchers) -> str:
    return (name or "") + "{" + ",".join(_matcher(m) for m in matchers) + "}"


def _label_matchers(selector) -> list:
    return [m for m in selector.matchers.matchers if m.name != "__name__"]


def explain_empty(client, expr: str, start: float, end: float, optional=frozenset()) -> str | None:
    """A one-line reason naming what matched nothing, or None when every selector matches series.

    Selectors of metrics in ``optional`` may match nothing (rules reading ALERTS,
    which exist only while some alert fires)."""
    try:
        selectors = vector_selectors(expr)
    except Exception as exc:  # promql_parser raises plain exceptions on syntax it does not know
        return f"cannot parse to find selectors ({str(exc).splitlines()[0]})"
    for selector in selectors:
        name = _name(selector)
        if name in optional:
            continue
        full = _render(name, [m for m in selector.matchers.matchers if not (name and m.name == "__name__")])
        if client.series(full, start, end):
            continue
        return _missing(client, name, _label_matchers(selector), full, start, end)
    return None


def _missing(client, name: str | None, matchers: list, full: str, start: float, end: float) -> str:
    if name and not client.series(_render(name, []), start, end):
        hint = " (it exists only while an alert is pending or firing)" if name in ALERT_SERIES else ""
        return f"metric {name} has no series{hint}"
    labels = set(client.label_names(_render(name, []), start, end)) if name else set()
    for matcher in matchers:
        if client.series(_render(name, [matcher]), start, end):
            continue
        if name and matcher.name not in labels:
            have = ", ".join(sorted(labels - {"__name__"}))
            return f"label {matcher.name} does not exist on {name} (its labels: {have}); matcher {_matcher(matcher)} matched nothing"
        if not name:
            return f"matcher {_matcher(matcher)} matched no series"
        seen = sorted(client.label_values(matcher.name, _render(name, []), start, end))
        shown = ", ".join(seen[:SHOW_VALUES]) + (", ..." if len(seen) > SHOW_VALUES else "")
        return f"matcher {_matcher(matcher)} matched no series of {name} ({matcher.name} has: {shown})"
    return f"{full}: each matcher matches series, but no series matches them all together"
