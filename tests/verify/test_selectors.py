"""Finding the vector selectors of an expression and rendering them back (explain_empty runs live in test_verify_e2e)."""

from __future__ import annotations

import promql_parser

from azora_dash.config import DEFAULT
from azora_dash.promql import substitute
from azora_dash.queries import pg_transactions, status_share
from azora_dash.verify.selectors import _render, vector_selectors


def test_selectors_inside_functions_ranges_and_binary_ops():
    expr = substitute(status_share(DEFAULT, "429"), {"__rate_interval": "1m"})
    names = [s.name for s in vector_selectors(expr)]
    assert names == ["http_requests_total", "http_requests_total"]
    assert [s.name for s in vector_selectors(substitute(pg_transactions(DEFAULT)))] == [
        "pg_stat_database_xact_commit",
        "pg_stat_database_xact_rollback",
    ]


def test_render_round_trips_and_escapes_quotes():
    expr = '{__name__="up", a="x\\"y", b=~"a|b\\\\d", c!~"z", d!=""}'
    (selector,) = vector_selectors(expr)
    rendered = _render(None, selector.matchers.matchers)
    assert rendered == '{__name__="up",a="x\\"y",b=~"a|b\\\\d",c!~"z",d!=""}'
    again = promql_parser.parse(rendered)
    assert [(m.name, m.value) for m in again.matchers.matchers] == [
        (m.name, m.value) for m in selector.matchers.matchers
    ]
