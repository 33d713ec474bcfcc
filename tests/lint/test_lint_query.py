"""The shared PromQL facts: masking keeps strings verbatim, and each expression is parsed once."""

from __future__ import annotations

import promql_parser
import pytest

from azora_dash.lint import query, run

from .lint_helpers import dashboard, panel


def test_strings_keep_grafana_variables_and_regex_operators():
    q = query.parse('sum(rate(http_requests_total{job=~"$job", route!~"/a|/b", code="5\\"x"}[$__rate_interval]))')
    (sel,) = q.selectors
    assert [(m.name, m.op, m.value) for m in sel.node.matchers] == [
        ("job", "=~", "$job"),
        ("route", "!~", "/a|/b"),
        ("code", "=", '5"x'),
    ]
    assert [a.kind for a in sel.ancestors] == ["agg", "call", "matrix"]
    assert sel.ancestors[-1].rate_interval


def test_label_replace_strings_are_restored():
    q = query.parse('label_replace(up, "service", "$1", "job", "azora-(.*)")')
    assert [c.value for c in q.root.children[1:]] == ["service", "$1", "job", "azora-(.*)"]


def test_parse_error_message_shows_original_strings():
    try:
        query.parse('sum(up{job="a b"}')
    except query.QueryError as exc:
        assert "azl" not in str(exc)
    else:
        raise AssertionError("expected a QueryError")


def test_each_distinct_expression_is_parsed_once(monkeypatch):
    calls = []
    real = promql_parser.parse
    monkeypatch.setattr(query.pp, "parse", lambda text: calls.append(text) or real(text))
    query.clear_caches()
    exprs = ['sum(rate(http_requests_total{job=~"$job"}[$__rate_interval]))', "sum(active_users)"]
    boards = [(f"d{i}", dashboard(panel(exprs, id=1), panel(exprs[0], id=2), uid=f"d{i}")) for i in range(3)]
    result = run(boards)  # every registered rule looks at these targets
    assert result.dashboards == 3
    # Once per distinct text, whichever rule asks (template-label-promql adds the variables' queries).
    assert len(calls) == len(set(calls))
    assert len([c for c in calls if "http_requests_total" in c or "active_users" in c]) == len(exprs)


def test_queries_differing_only_in_strings_share_one_parse_and_keep_their_own_strings(monkeypatch):
    calls = []
    real = promql_parser.parse
    monkeypatch.setattr(query.pp, "parse", lambda text: calls.append(text) or real(text))
    query.clear_caches()
    # `=~` is masked to `=` (and `!~` to `!=`), so the first two have one masked text, the third its
    # own; each keeps its operator and values.
    exprs = [
        'sum by (job) (rate({job="a", __name__="x_total"}[5m])) / on() group_left vector(1)',
        'sum by (job) (rate({job=~"b|c", __name__="x_total"}[5m])) / on() group_left vector(1)',
        'sum by (job) (rate({job!~"(d", __name__="x_total"}[5m])) / on() group_left vector(1)',
    ]
    parsed = [query.parse(e) for e in exprs]
    assert len([c for c in calls if "rate(" in c]) == 2
    matchers = [[(m.name, m.op, m.value) for m in q.selectors[0].node.matchers] for q in parsed]
    assert matchers == [[("job", "=", "a")], [("job", "=~", "b|c")], [("job", "!~", "(d")]]
    assert {q.selectors[0].metric for q in parsed} == {"x_total"}
    assert [bool(q.regex_errors) for q in parsed] == [False, False, True]  # "(d" is no regex
    # The tree above the selector is each query's own (rules see their own ancestors).
    assert parsed[0].selectors[0].ancestors[0] is not parsed[1].selectors[0].ancestors[0]
    assert parsed[0].root.children[1] is parsed[1].root.children[1]  # vector(1): nothing to fill, shared


def test_a_syntax_error_is_reported_with_each_querys_own_strings():
    query.clear_caches()
    messages = []
    for value in ("first", "second"):
        try:
            query.parse(f'sum(x{{a="{value}"}}')
        except query.QueryError as exc:
            messages.append(str(exc))
    assert len(messages) == 2 and "first" not in messages[1]


# The per-character form of a PromQL string literal that query._STRING is written faster than.
_REFERENCE_STRING = r'"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|`[^`]*`'


def test_the_string_pattern_matches_exactly_what_the_per_character_form_matches():
    import itertools
    import re

    reference = re.compile(_REFERENCE_STRING)
    # Every text of up to six of the characters that matter (quotes, backslash, newline, plain).
    for n in range(7):
        for chars in itertools.product("\"'`\\\na", repeat=n):
            text = "".join(chars)
            assert [m.span() for m in query._STRING.finditer(text)] == [m.span() for m in reference.finditer(text)], (
                text
            )


def test_masking_keeps_each_literal_its_operator_and_escapes():
    masked, strings = query._mask('a{b=~"x\\"y", c!~ `z`, d="$d"} + on() x{e!="\'"} or vector("s")')
    assert masked == 'a{b="azl0", c!= "azl1", d="azl2"} + on() x{e!="azl3"} or vector("azl4")'
    assert strings == [('x"y', True), ("z", True), ("$d", False), ("'", False), ("s", False)]


def _reference_mask(expr: str):
    """query._mask as first written: one regex for an optional =~/!~ and the literal, a callback each."""
    import re

    literal = re.compile(r"(?:([=!])~(\s*))?(" + _REFERENCE_STRING + ")")
    strings = []

    def placeholder(m):
        op, space, text = m.groups()
        strings.append((query._unquote(text), op is not None))
        head = "" if op is None else ("=" if op == "=" else "!=") + space
        return f'{head}"azl{len(strings) - 1}"'

    return literal.sub(placeholder, expr), strings


# Unquoting "\=" and the like through ast.literal_eval warns of an invalid escape; that is not what is tested.
@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_masking_is_what_the_first_masking_did_on_every_short_text():
    import itertools

    for n in range(6):
        for chars in itertools.product("\"'\\=!~ a", repeat=n):
            text = "".join(chars)
            assert query._mask(text) == _reference_mask(text), text
