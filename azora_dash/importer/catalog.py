"""Which ``queries`` helper call produces a given PromQL string for ``cfg``.

The importer writes ``Q.request_rate(cfg, by=())`` instead of a literal only
when that call yields exactly the imported expression. Candidate calls come
from each helper's signature and a small vocabulary of the arguments our
dashboards use; simpler calls (fewer explicit arguments) win ties.
"""

from __future__ import annotations

import inspect
import itertools

from .. import queries as Q
from ..config import Config
from ..stack.slos import WINDOWS
from .source import Call, Code

# Argument values worth trying, by parameter name. Extending a helper with a new
# parameter means adding its plausible values here, or the importer falls back to a literal.
VOCABULARY: dict[str, list] = {
    "quantile": [0.5, 0.9, 0.95, 0.99],
    "status_regex": ["5..", "4..", "2..", "429", "401|403"],
    "direction": ["receive", "transmit"],
    "failed": [True],
    "by": [
        (),
        ("job",),
        ("job", "route"),
        ("route",),
        ("alertname",),
        ("integration",),
        ("severity",),
        ("currency", "status"),
        ("instance",),
        ("name",),
    ],
    "sel": [""],
    # SLO windows (stack/slos.py) and the default 30-day period.
    "window": [*WINDOWS, "30d"],
    "period": ["30d"],
    "matchers": [('status_code="429"',)],
}
# Building blocks that take a metric name rather than cfg: never a whole panel query.
_SKIP = {"sum_rate", "sum_increase", "ratio"}


def _helpers():
    for name, fn in sorted(vars(Q).items()):
        if name.startswith("_") or name in _SKIP or not inspect.isfunction(fn) or fn.__module__ != Q.__name__:
            continue
        params = list(inspect.signature(fn).parameters.values())
        if params and params[0].name == "cfg":
            yield name, fn, params[1:]


def _calls(params):
    """Every (positional, keyword) argument combination for one helper, simplest first."""
    required = [p for p in params if p.default is p.empty and p.kind is p.POSITIONAL_OR_KEYWORD]
    optional = [p for p in params if p.default is not p.empty]
    # Helpers with *matchers also get each extra matcher of the vocabulary.
    stars = [(), *VOCABULARY["matchers"]] if any(p.kind is p.VAR_POSITIONAL for p in params) else [()]
    if any(p.name not in VOCABULARY for p in required):
        return
    optional = [p for p in optional if p.name in VOCABULARY]
    for req in itertools.product(*(VOCABULARY[p.name] for p in required)):
        for star in stars:
            for n in range(len(optional) + 1):
                for chosen in itertools.combinations(optional, n):
                    for values in itertools.product(*(VOCABULARY[p.name] for p in chosen)):
                        yield [*req, *star], {p.name: v for p, v in zip(chosen, values)}


def catalogue(cfg: Config) -> dict[str, Call]:
    """PromQL string -> the simplest helper call that produces it for ``cfg``."""
    found: dict[str, tuple[int, Call]] = {}
    for name, fn, params in _helpers():
        for args, kwargs in _calls(params):
            try:
                expr = fn(cfg, *args, **kwargs)
            except Exception:  # noqa: BLE001 - a vocabulary value this helper rejects
                continue
            cost = len(args) + len(kwargs)
            if expr not in found or cost < found[expr][0]:
                found[expr] = (cost, Call(f"Q.{name}", Code("cfg"), *args, **kwargs))
    return {expr: c for expr, (_, c) in found.items()}
