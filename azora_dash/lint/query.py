"""Each target's PromQL parsed ONCE into a small tree that every rule shares.

``promql_parser`` (a Rust parser) is the source of truth for syntax, but two of
its costs would dominate a lint run, so this module works around them:

* it compiles every regex matcher while parsing (~35 us each, measured), and a
  dashboard query has several (``job=~"$job"``). Before parsing, every string
  literal is masked with a placeholder and ``=~``/``!~`` become ``=``/``!=``;
  the original operator and text are restored into our tree, and regexes are
  checked with Python's cached ``re`` first, the Rust parser only when that
  disagrees or RE2 could (see _regex_error).
* reading attributes of its AST objects builds new Python objects each time,
  so the AST is converted once into plain ``Node`` objects that rules walk freely.

Masking also keeps Grafana variables inside strings verbatim (``job=~"$job"``),
which rules such as target/job need; variables outside strings are substituted
with ``azora_dash.promql.substitute`` so the text parses.
"""

from __future__ import annotations

import ast
import json
import re
from dataclasses import dataclass, field
from functools import lru_cache

import promql_parser as pp

from ..promql import BUILTINS, substitute, variables

# $__rate_interval becomes this odd duration so target/rate-interval can tell it
# apart from a hand-written window (dashboard-linter's lint/variables.go does the same).
RATE_INTERVAL_MAGIC = "987654321ms"
RATE_INTERVAL_SECONDS = 987654.321

# A PromQL string literal. Written as "runs of plain characters between escapes" rather than
# (?:plain|escape)*, which matches the same strings: Python's re then loops once per run, not
# once per character (masking every query's strings is a good part of a lint run).
_STRING = re.compile(r'"[^"\\\n]*(?:\\.[^"\\\n]*)*"|\'[^\'\\\n]*(?:\\.[^\'\\\n]*)*\'|`[^`]*`')
# A masked string literal is "azl<N>", the Nth string of its expression (_mask, _index, _unmask).
_PREFIX = "azl"
_PLACEHOLDERS = re.compile(_PREFIX + r"(\d+)")
# Lookarounds and backreferences: Python accepts them, RE2 does not.
_RE2_LACKS = re.compile(r"\(\?<?[=!]|\\[1-9]")
_MATCH_OPS = {"MatchOp.Equal": "=", "MatchOp.NotEqual": "!=", "MatchOp.Re": "=~", "MatchOp.NotRe": "!~"}


@dataclass(frozen=True, slots=True)
class Matcher:
    name: str
    op: str  # "=", "!=", "=~", "!~"
    value: str  # as written, Grafana variables included


@dataclass(eq=False, slots=True)
class Node:
    """One PromQL expression node, in plain Python."""

    kind: str  # selector|matrix|subquery|call|agg|binary|unary|paren|number|string
    name: str = ""  # metric, function, aggregation or binary operator
    children: tuple[Node, ...] = ()
    matchers: tuple[Matcher, ...] = ()  # selector
    labels: tuple[str, ...] = ()  # agg by/without; binary on/ignoring
    grouping: str = ""  # agg: "by"|"without"|""; binary: "on"|"ignoring"|""
    include: tuple[str, ...] = ()  # binary group_left/group_right labels
    card: str = ""  # binary: OneToOne|ManyToOne|OneToMany|ManyToMany
    seconds: float | None = None  # matrix/subquery range
    value: object = None  # number/string literal

    @property
    def rate_interval(self) -> bool:
        return self.seconds is not None and abs(self.seconds - RATE_INTERVAL_SECONDS) < 1e-6


@dataclass(frozen=True, slots=True)
class Selected:
    """A vector selector with its ancestors, outermost first (for "is it inside rate()?")."""

    node: Node
    ancestors: tuple[Node, ...]

    @property
    def metric(self) -> str:
        return self.node.name


@dataclass
class Query:
    expr: str  # as written in the dashboard
    root: Node
    selectors: list[Selected] = field(default_factory=list)
    regex_errors: list[str] = field(default_factory=list)
    _nodes: list[tuple[Node, tuple[Node, ...]]] | None = field(default=None, repr=False, compare=False)

    @property
    def nodes(self) -> list[tuple[Node, tuple[Node, ...]]]:
        """``walk(root)`` as a list, made once: several rules walk every query."""
        if self._nodes is None:
            self._nodes = walk(self.root)
        return self._nodes


class QueryError(ValueError):
    """The expression is not valid PromQL; the message is the parser's."""


# Every string literal, captured, so that ``split`` hands them back between the texts around them.
_STRINGS = re.compile("(" + _STRING.pattern + ")")
# The equality operator a masked regex matcher is given: ``=~`` -> ``=``, ``!~`` -> ``!=``.
_EQUALITY = {"=": "=", "!": "!="}


def _mask(expr: str) -> tuple[str, list[tuple[str, bool]]]:
    """Replace string literals by placeholders; remember (text, was a regex matcher).

    One ``split`` on the literals alone (a pattern that starts with a quote, which ``re`` finds
    by scanning for it) and a look at the text before each for ``=~``/``!~``: a ``sub`` callback
    per literal, then a pattern with the optional operator in front, were each half of parsing.
    """
    parts = _STRINGS.split(expr)  # [text, literal, text, literal, ..., text]
    strings: list[tuple[str, bool]] = []
    masked = []
    for i in range(1, len(parts), 2):
        text = parts[i - 1]
        before = text.rstrip()  # the whitespace \s* allows between the operator and the literal
        regex = before.endswith(("=~", "!~"))
        if regex:  # `=~ "x"` -> `= "azlN"`: equality parses without compiling a regex
            text = f"{before[:-2]}{_EQUALITY[before[-2]]}{text[len(before) :]}"
        masked.append(f'{text}"{_PREFIX}{len(strings)}"')
        strings.append((_unquote(parts[i]), regex))
    masked.append(parts[-1])
    return "".join(masked), strings


def _unquote(literal: str) -> str:
    if literal[0] == "`" or "\\" not in literal:
        return literal[1:-1]  # nothing to unescape: the common case, and much cheaper than literal_eval
    try:
        return ast.literal_eval(literal)
    except (ValueError, SyntaxError):
        return literal[1:-1]


def _index(value: str) -> int:
    """The string a placeholder stands for (its index), -1 for any other value."""
    if not value.startswith(_PREFIX):
        return -1
    digits = value[len(_PREFIX) :]
    return int(digits) if digits.isdigit() else -1


def _text(value: str, strings: list[tuple[str, bool]]) -> tuple[str, bool]:
    """A placeholder's (text, was a regex matcher); any other value as it is."""
    i = _index(value)
    return strings[i] if 0 <= i < len(strings) else (value, False)


def _convert(e) -> Node:  # noqa: C901 - one branch per AST class keeps it flat
    """The parser's AST as plain Nodes, string literals still placeholders (see _fill)."""
    if isinstance(e, pp.VectorSelector):
        matchers = tuple(Matcher(m.name, _MATCH_OPS.get(str(m.op), "="), m.value) for m in e.matchers.matchers)
        return Node("selector", e.name or "", matchers=matchers, value=tuple(_index(m.value) for m in matchers))
    if isinstance(e, pp.MatrixSelector):
        return Node("matrix", children=(_convert(e.vector_selector),), seconds=e.range.total_seconds())
    if isinstance(e, pp.Call):
        return Node("call", e.func.name, tuple(_convert(a) for a in e.args))
    if isinstance(e, pp.AggregateExpr):
        return _aggregate(e)
    if isinstance(e, pp.BinaryExpr):
        return _binary(e)
    if isinstance(e, pp.SubqueryExpr):
        return Node("subquery", children=(_convert(e.expr),), seconds=e.range.total_seconds())
    if isinstance(e, pp.ParenExpr):
        return Node("paren", children=(_convert(e.expr),))
    if isinstance(e, pp.UnaryExpr):
        return Node("unary", "-", (_convert(e.expr),))
    if isinstance(e, pp.NumberLiteral):
        return Node("number", value=e.val)
    if isinstance(e, pp.StringLiteral):
        return Node("string", value=e.val)
    raise QueryError(f"unsupported expression {type(e).__name__}")


def _aggregate(e) -> Node:
    mod = e.modifier
    grouping, labels = "", ()
    if mod is not None:
        grouping = "without" if str(mod.type).endswith("Without") else "by"
        labels = tuple(mod.labels)
    children = (_convert(e.expr),) if e.param is None else (_convert(e.expr), _convert(e.param))
    return Node("agg", str(e.op), children, labels=labels, grouping=grouping)


def _binary(e) -> Node:
    node = Node("binary", str(e.op), (_convert(e.lhs), _convert(e.rhs)))
    mod = e.modifier
    if mod is not None:
        node.card = str(mod.card).rsplit(".", 1)[-1]
        if mod.matching is not None:
            node.grouping = "ignoring" if str(mod.matching.type).endswith("Exclude") else "on"
            node.labels = tuple(mod.matching.labels)
        node.include = tuple(mod.group_labels or ())
    return node


def _selector(node: Node, strings: list[tuple[str, bool]]) -> Node:
    """A skeleton's selector with its matchers' strings (indices precomputed in ``value``)."""
    name, matchers, count = node.name, [], len(strings)
    for m, i in zip(node.matchers, node.value):
        if 0 <= i < count:
            value, regex = strings[i]
            m = _matcher(m.name, ("=~" if m.op == "=" else "!~") if regex else m.op, value)
        if m.name != "__name__":
            matchers.append(m)
        elif not name and m.op == "=":
            name = m.value
    return Node("selector", name, matchers=tuple(matchers))


@lru_cache(maxsize=16384)
def _matcher(name: str, op: str, value: str) -> Matcher:
    """One (immutable) Matcher per distinct matcher: dashboards repeat ``job=~"$job"`` in every
    query, and a frozen dataclass costs a setattr per field to make."""
    return Matcher(name, op, value)


def _fill(node: Node, strings: list[tuple[str, bool]]) -> Node:
    """A skeleton with this expression's strings put back: new nodes where a string is beneath,
    the skeleton's own (never mutated) where none is."""
    kind = node.kind
    if kind == "selector":
        return _selector(node, strings)
    if kind == "string":
        return Node("string", value=_text(node.value, strings)[0])
    if not node.children:
        return node
    children = tuple([_fill(c, strings) for c in node.children])
    if children == node.children:  # Node compares by identity (eq=False): nothing beneath changed
        return node
    return Node(node.kind, node.name, children, (), node.labels, node.grouping, node.include, node.card, node.seconds)


@lru_cache(maxsize=4096)
def _value_regex_error(value: str) -> str | None:
    """``_regex_error`` of a matcher value as written (its variables substituted first), cached by
    the value: dashboards repeat the same few (``$job``, ``$instance``)."""
    return _regex_error(substitute(value) if "$" in value or "[[" in value else value)


def _regex_error(pattern: str) -> str | None:
    """Python's cached ``re`` is the fast check; the Rust parser (RE2 syntax, as Prometheus
    uses) has the last word, so ``\\pL`` passes and a lookahead does not."""
    try:
        re.compile(pattern)
        python_error = None
    except re.error as exc:
        python_error = str(exc)
    if python_error is None and not _RE2_LACKS.search(pattern):
        return None
    try:
        pp.parse("x{a=~" + json.dumps(pattern) + "}")
        return None
    except (ValueError, RuntimeError) as exc:
        return python_error or str(exc)  # Python's message says where; the Rust one only "illegal regex"


def _regex_errors(root_selectors: list[Selected]) -> list[str]:
    errors = []
    for sel in root_selectors:
        for m in sel.node.matchers:
            if m.op in ("=~", "!~"):
                error = _value_regex_error(m.value)
                if error:
                    errors.append(f'invalid regular expression in {m.name}{m.op}"{m.value}": {error}')
    return errors


@lru_cache(maxsize=8192)
def parse(expr: str, samples: tuple[tuple[str, str], ...] = ()) -> Query:
    """Parse one dashboard expression (Grafana variables allowed); raise QueryError.

    ``samples`` are (variable, value) pairs for variables used outside strings,
    such as an interval variable in ``[$smoothing]`` (see context.sample_values).
    Cached by text and samples: dashboards repeat the same query across panels.
    """
    masked, strings = _mask(expr)
    skeleton, error = _skeleton(masked, tuple((n, v) for n, v in samples if n in masked) if samples else ())
    if skeleton is None:
        raise QueryError(_unmask(error, strings) + _replaced(masked, dict(samples)))
    root = _fill(skeleton, strings)
    # The rules walk nearly every query's nodes, so the walk is made here, once, and the selectors
    # (in the same depth-first order, with the same ancestors) are read off it.
    nodes = walk(root)
    query = Query(expr, root, [Selected(n, a) for n, a in nodes if n.kind == "selector"], _nodes=nodes)
    query.regex_errors = _regex_errors(query.selectors)
    return query


@lru_cache(maxsize=8192)
def _skeleton(masked: str, samples: tuple[tuple[str, str], ...]) -> tuple[Node | None, str]:
    """The parsed tree of a masked expression, or None and the parser's message.

    The Rust parser never sees a string's content (masked), so its verdict and tree depend on
    the masked text alone: queries that differ only in label values (``job="a"`` / ``job="b"``,
    as in per-service dashboards or a copied dashboard per environment) share one parse, and
    ``_fill`` puts each one's strings back.
    """
    values = {**dict(samples), "__rate_interval": RATE_INTERVAL_MAGIC}
    try:
        ast_root = _parse_substituted(masked, values)
    except (ValueError, RuntimeError) as exc:
        return None, str(exc)
    return _convert(ast_root), ""


def clear_caches() -> None:
    """Forget every parse (benchmarks and tests start cold)."""
    parse.cache_clear()
    _skeleton.cache_clear()
    _value_regex_error.cache_clear()
    _matcher.cache_clear()


# A range or subquery window holding a variable: ``[$interval]``, ``[$interval:$resolution]``.
_WINDOW = re.compile(r"\[([^\[\]]*\$[^\[\]]*)\]")


def _durations(masked: str, values: dict[str, str]) -> str:
    """Variables in a window stand for durations: without a sample value they become ``1m``, which
    parses there (the template default ``.+`` does not; dashboard-linter substitutes the variable's
    current value or first option, lint/variables.go: variableSampleValue)."""
    return _WINDOW.sub(lambda m: "[" + substitute(m.group(1), values, default="1m") + "]", masked)


# A label list holding a variable: ``sum by (${labels:csv})``, ``on ($join)``.
_LABEL_LIST = re.compile(r"\b(by|without|on|ignoring|group_left|group_right)(\s*)\(([^()]*\$[^()]*)\)")


def _labels(masked: str) -> str:
    """Variables in a label list stand for label names: each becomes its own name, which parses
    there (dashboard-linter uses the name as the sample value too, lint/variables.go: stringValue)."""

    def names(m: re.Match) -> str:
        inner = m.group(3)
        return f"{m.group(1)}{m.group(2)}({substitute(inner, {n: n for n in variables(inner)})})"

    return _LABEL_LIST.sub(names, masked)


def _parse_substituted(masked: str, values: dict[str, str]):
    """Parse with every variable substituted; only when that fails, again with variables in windows
    read as durations and in label lists as names (the retry costs the common query nothing: the
    two extra passes measured ~8% of a parse). The first error is the one reported."""
    text = substitute(masked, values)
    try:
        return pp.parse(text)
    except (ValueError, RuntimeError) as exc:
        first = exc
    retry = substitute(_labels(_durations(masked, values)), values)
    if retry != text:
        try:
            return pp.parse(retry)
        except (ValueError, RuntimeError):
            pass
    raise first


def _replaced(masked: str, samples: dict[str, str]) -> str:
    """Say which variables outside strings were replaced, so the parser's message makes sense."""
    names = [n for n in dict.fromkeys(variables(masked)) if n not in BUILTINS]
    if not names:
        return ""
    return " (after replacing " + ", ".join(f"${n} with {samples.get(n, '.+')!r}" for n in names) + ")"


def _unmask(message: str, strings: list[tuple[str, bool]]) -> str:
    return _PLACEHOLDERS.sub(
        lambda m: strings[int(m.group(1))][0] if int(m.group(1)) < len(strings) else m.group(), message
    )


def walk(node: Node, ancestors: tuple[Node, ...] = ()) -> list[tuple[Node, tuple[Node, ...]]]:
    """(node, ancestors outermost first) for every node, depth-first, as a list (built with a stack:
    nested generators cost a frame per level for every node they pass up, and a generator here was
    resumed once per node of every query)."""
    out = []
    stack = [(node, ancestors)]
    while stack:
        node, ancestors = item = stack.pop()
        out.append(item)
        if node.children:
            inner = ancestors + (node,)
            stack += [(child, inner) for child in reversed(node.children)]
    return out


def enclosing_call(ancestors: tuple[Node, ...]) -> Node | None:
    """The function a selector feeds, looking through ranges, subqueries and parentheses."""
    for node in reversed(ancestors):
        if node.kind in ("matrix", "subquery", "paren"):
            continue
        return node if node.kind == "call" else None
    return None
