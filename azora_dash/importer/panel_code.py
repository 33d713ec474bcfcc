"""One imported panel -> the Python expression that rebuilds it exactly.

Each panel is tried with its house builder first (``P.timeseries``, ``P.stat``,
``P.table``, ``P.gauge``, ``P.bargauge``, ``P.text``, ``P.row``) using arguments
read from its JSON; what the builder does not say is carried as ``P.extra``
JSON, per query (``P.extra(P.target(...), {...})``) and for the panel. When
those patches would be most of the panel, or there is no builder for the type,
the panel is ``P.carried`` as JSON. Every candidate is evaluated and normalised
and must equal the source panel byte for byte (canonical JSON) before it is used.
"""

from __future__ import annotations

import inspect
import re
from dataclasses import dataclass, field

from .. import panels as P
from .. import queries as Q
from .. import variables as V
from ..build.normalize import normalize
from ..config import Config
from ..grafanalib_cache import core as G
from .residual import leaves, patch, paths, same
from .source import Call, Code, evaluate

BUILDERS = {
    "timeseries": P.timeseries,
    "stat": P.stat,
    "table": P.table,
    "gauge": P.gauge,
    "bargauge": P.bargauge,
    "text": P.text,
}
# A builder is worth using while it says most of the panel: its patches (leaf values, counting
# the builder's own fields they unset) at most half of the panel's. Measured on 12 real dashboards
# (Grafana 10-12 saves): the median builder-type panel needs 45%, mostly Grafana's saved defaults
# (axisBorderShow, legend.showLegend, ...) and query-editor fields (editorMode, range); 25% kept 1
# of their 274 builder-type panels, 50% keeps 176.
MAX_PATCH_SHARE = 0.5
# Named threshold sets in panels.py, so imports read like hand-written modules.
NAMED_STEPS = ("OK", "UTILISATION", "ERROR_RATIO", "LATENCY")
COLOURS = {P.GREEN: Code("P.GREEN"), P.YELLOW: Code("P.YELLOW"), P.RED: Code("P.RED")}


@dataclass
class Context:
    cfg: Config
    catalogue: dict[str, Call]
    notes: list[str] = field(default_factory=list)
    # One entry per panel, in order: None when it became a builder call, else why it is JSON.
    outcomes: list[str | None] = field(default_factory=list)
    form: str = "fixed"  # "house" when P.dashboard's flowing layout rebuilds the source
    _built: dict = field(default_factory=dict, repr=False)

    def built(self, call: Call, panel: dict) -> dict:
        """The normalised panel ``call`` builds placed like ``panel``; a candidate is built more than once.

        Keyed by identity (both are kept alive in the entry, so an id is never reused meanwhile):
        rendering the call for a key would cost about what building it does.
        """
        key = (id(call), id(panel))
        if key not in self._built:
            self._built[key] = (call, panel, self.normal(self.eval(_place(call, panel))))
        return self._built[key][2]

    def eval(self, code) -> object:
        namespace = {"P": P, "Q": Q, "V": V, "G": G, "cfg": self.cfg}
        return evaluate(code, namespace)

    def normal(self, obj) -> dict:
        return normalize({"panels": [obj]}, self.cfg)["panels"][0]

    def normal_variable(self, obj) -> dict:
        return normalize({"templating": {"list": [obj]}}, self.cfg)["templating"]["list"][0]

    def normal_dashboard(self, obj) -> dict:
        return normalize(obj, self.cfg)

    def expr(self, text):
        return self.catalogue.get(text, text) if isinstance(text, str) else text


def _label(panel: dict) -> str:
    return f"panel {panel.get('id', '?')} {panel.get('title', '')!r} ({panel.get('type', '?')})"


def _grid(panel: dict):
    pos = panel.get("gridPos")
    if isinstance(pos, dict) and set(pos) == {"h", "w", "x", "y"} and all(type(v) is int for v in pos.values()):
        return pos
    return None


def _place(inner, panel: dict):
    pos = _grid(panel)
    kwargs = {"id": panel["id"]} if "id" in panel else {}
    return Call("P.at", pos["x"], pos["y"], inner, **kwargs)


def _steps(ctx: Context, fc: dict):
    steps = fc.get("defaults", {}).get("thresholds", {}).get("steps", [])
    # The base step's value is immaterial (Grafana starts from steps[0]); compare the rest.
    shape = [(s.get("color"), i == 0 or s.get("value")) for i, s in enumerate(steps)]
    for name in NAMED_STEPS:
        if shape == [(t.color, i == 0 or t.value) for i, t in enumerate(getattr(P, name))]:
            return Code(f"P.{name}")
    return Call(
        "P.thresholds",
        *[
            (None if i == 0 else _number(s.get("value")), COLOURS.get(s.get("color"), s.get("color")))
            for i, s in enumerate(steps)
        ],
    )


def _number(value):
    # P.thresholds() stores float(value) anyway; 1 reads better than 1.0.
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _target(ctx: Context, t: dict) -> Call:
    expr, legend = ctx.expr(t.get("expr", "")), t.get("legendFormat", "")
    flags = {"instant": bool(t.get("instant")), "table": t.get("format") == "table"}
    return Call("P.target", expr, legend, **{k: v for k, v in flags.items() if v})


def _queries(ctx: Context, targets: list, table: bool):
    out = []
    for t in targets:
        expr, legend = ctx.expr(t.get("expr", "")), t.get("legendFormat", "")
        simple = bool(t.get("instant")) == table and (t.get("format") == "table") == table
        if table and simple and not legend:
            out.append(expr)
        elif simple and not table:
            out.append((expr, legend) if legend else expr)
        else:
            out.append(_target(ctx, t))
    # P.table iterates a lone Target, so only a lone expression or pair may go unwrapped.
    lone_target = isinstance(out[0], Call) and out[0].func == "P.target" if out else False
    return out[0] if len(out) == 1 and not (table and lone_target) else out


def _builder_args(ctx: Context, panel: dict) -> dict:
    fc, options = panel.get("fieldConfig", {}), panel.get("options", {})
    defaults, custom = fc.get("defaults", {}), fc.get("defaults", {}).get("custom", {})
    kind, pos = panel["type"], _grid(panel)
    if kind == "text":
        return {"w": pos["w"], "h": pos["h"], "mode": options.get("mode", "markdown")}
    args = {"w": pos["w"], "h": pos["h"], "steps": _steps(ctx, fc)}
    args["links"] = list(defaults.get("links") or []) or ()  # data links, as P.data_link writes them
    args["overrides"] = list(fc.get("overrides") or []) or ()
    calcs = options.get("reduceOptions", {}).get("calcs") or ["lastNotNull"]
    if kind == "timeseries":
        legend, tooltip = options.get("legend", {}), options.get("tooltip", {})
        args |= {
            "stack": custom.get("stacking", {}).get("mode") == "normal",
            "bars": custom.get("drawStyle") == "bars",
            "max_value": defaults.get("max"),
            # exemplars=True marks every query after our per-query patches, so only when all have it.
            "exemplars": bool(panel.get("targets")) and all(t.get("exemplar") for t in panel["targets"]),
            "legend": "list" if legend.get("displayMode") == "list" else "table",
            "legend_calcs": tuple(legend.get("calcs") or ()),
            "tooltip": "single" if tooltip.get("mode") == "single" else "multi",
        }
    elif kind == "stat":
        args |= {"reduce": calcs[0], "graph": options.get("graphMode") == "area"}
    elif kind in ("gauge", "bargauge"):
        args |= {"reduce": calcs[0], "min_value": defaults.get("min", 0), "max_value": defaults.get("max", 1)}
        if kind == "bargauge":
            args |= {
                "mode": options.get("displayMode", "gradient"),
                "orientation": options.get("orientation", "horizontal"),
            }
    else:
        org = [t for t in panel.get("transformations", []) if t.get("id") == "organize"]
        if org:
            args["exclude"] = tuple(org[0].get("options", {}).get("excludeByName", {}))
    return args


def _builder(ctx: Context, panel: dict):
    """The house builder call for ``panel`` with only non-default keyword arguments."""
    fn = BUILDERS[panel["type"]]
    defaults = {k: p.default for k, p in inspect.signature(fn).parameters.items()}
    kwargs = {
        k: v
        for k, v in _builder_args(ctx, panel).items()
        if not (k in defaults and not isinstance(v, (Code, Call)) and v == defaults[k])
    }
    # The builder's own default set (P.OK for most, P.UTILISATION for gauges) goes unsaid.
    default_steps = next((f"P.{n}" for n in NAMED_STEPS if getattr(P, n) is defaults.get("steps")), None)
    if "steps" in kwargs and str(kwargs["steps"]) == default_steps:
        del kwargs["steps"]
    if panel["type"] == "text":
        description = {"description": panel["description"]} if panel.get("description") else {}
        content = panel.get("options", {}).get("content", "")
        return Call("P.text", panel.get("title", ""), content, **description, **kwargs)
    queries = _queries(ctx, panel.get("targets", []), table=panel["type"] == "table")
    unit = panel.get("fieldConfig", {}).get("defaults", {}).get("unit", "")
    return Call(f"P.{panel['type']}", panel.get("title", ""), panel.get("description", ""), queries, unit, **kwargs)


def _carried(ctx: Context, panel: dict):
    body = {k: v for k, v in panel.items() if k not in ("gridPos", "id")}
    if "targets" in body:  # queries through helpers where one matches, even here
        body["targets"] = [
            {**t, "expr": ctx.expr(t["expr"])} if isinstance(t.get("expr"), str) else t for t in body["targets"]
        ]
    pos = _grid(panel)
    if pos is None:
        return Call("P.carried", {**body, **{k: panel[k] for k in ("gridPos", "id") if k in panel}})
    return _place(Call("P.carried", body, w=pos["w"], h=pos["h"]), panel)


def _targets_built(ctx: Context, call: Call, panel: dict) -> list:
    return ctx.built(call, panel).get("targets", [])


def _with_targets(ctx: Context, panel: dict, call: Call) -> tuple[Call, dict]:
    """``call`` with each query it does not rebuild exactly as ``P.extra(P.target(...), patch)``.

    A patch of the panel would replace the whole ``targets`` list (extraJson merges lists whole),
    so one extra field on one query would carry every query as JSON. Returns the call and the
    per-query patches by index, which count towards the panel's extra JSON.
    """
    want = panel.get("targets", [])
    got = _targets_built(ctx, call, panel)
    if len(got) != len(want) or all(same(a, b) for a, b in zip(got, want)):
        return call, {}
    odd = [i for i, (a, b) in enumerate(zip(got, want)) if not same(a, b)]
    queries = _queries(ctx, want, table=panel["type"] == "table")
    queries = list(queries) if isinstance(queries, list) else [queries]
    for i in odd:
        queries[i] = _target(ctx, want[i])
    plain = Call(call.func, *call.args[:2], queries, *call.args[3:], **call.kwargs)
    got = _targets_built(ctx, plain, panel)
    diffs = {i: patch(got[i], want[i]) for i in odd}
    for i, diff in diffs.items():
        if diff:
            queries[i] = Call("P.extra", queries[i], diff)
    patched = Call(plain.func, *plain.args, **plain.kwargs)
    if not same(_targets_built(ctx, patched, panel), want):
        # e.g. a query without a datasource, which the build fills in from the panel's:
        # only the panel's own patch (all targets as JSON) can say that.
        return call, {}
    return patched, {i: d for i, d in diffs.items() if d}


def _with_patch(ctx: Context, panel: dict, inner, skip=(), queries: dict | None = None):
    """``inner`` placed like ``panel``, plus ``P.extra`` for what it misses; None if that is too much.

    ``queries``: the per-query patches ``_with_targets`` already put on ``inner``'s targets.
    """
    built = ctx.built(inner, panel)
    want = {k: v for k, v in panel.items() if k not in skip}
    diff = patch({k: v for k, v in built.items() if k not in skip}, want)
    queries = queries or {}
    size = leaves(diff) + sum(leaves(d) for d in queries.values()) if diff or queries else 0
    if size > MAX_PATCH_SHARE * leaves(want):
        return None, {**diff, **{f"targets[{i}]": d for i, d in queries.items()}}
    report = {**diff, **{f"targets[{i}]": d for i, d in queries.items()}}
    return _place(Call("P.extra", inner, diff) if diff else inner, panel), report


def _candidate(ctx: Context, source: dict, kind: str | None):
    """(builder expression, its patch) for rows and builder-backed types, else (None, {})."""
    if kind == "row" and _grid(source):
        nested = [panel(ctx, p) for p in source.get("panels", [])]
        inner = Call(
            "P.row",
            source.get("title", ""),
            **({"collapsed": True} if source.get("collapsed") else {}),
            **({"panels": nested} if nested else {}),
        )
        return _with_patch(ctx, source, inner, skip=("panels",))
    if kind in BUILDERS and _grid(source):
        call, queries = _with_targets(ctx, source, _builder(ctx, source))
        return _with_patch(ctx, source, call, queries=queries)
    return None, {}


def panel(ctx: Context, source: dict):
    """Source expression for one normalised panel (rows recurse into their panels)."""
    kind = source.get("type") if isinstance(source.get("type"), str) else None
    mark, done = len(ctx.notes), len(ctx.outcomes)
    code, diff, failed = None, {}, False
    try:
        code, diff = _candidate(ctx, source, kind)
        exact = code is not None and same(ctx.normal(ctx.eval(code)), source)
    except Exception:  # noqa: BLE001 - a JSON shape the builder rejects: carry the panel instead
        exact, failed = False, True
    if exact:
        if diff:
            # One entry per query field, whichever queries have it: "targets[*].editorMode".
            said = dict.fromkeys(re.sub(r"^targets\[\d+\]", "targets[*]", p) for p in paths(diff))
            ctx.notes.append(f"{_label(source)}: extra JSON {', '.join(said)}")
        ctx.outcomes.append(None)
        return code
    del ctx.notes[mark:]  # nested panels' notes would describe code we are not using
    del ctx.outcomes[done:]
    why = LEGACY.get(kind, "") if kind in KNOWN_TYPES else " - unknown plugin, kept verbatim"
    ctx.notes.append(f"{_label(source)}: whole panel kept as JSON{why}")
    ctx.outcomes.append(why_json(source, kind, code is None and bool(diff), failed))
    nested = source.get("panels") if kind == "row" and isinstance(source.get("panels"), list) else []
    ctx.outcomes += ["inside a row kept as JSON"] * len(nested)
    return _carried(ctx, source)


def why_json(source: dict, kind: str | None, patch_too_big: bool, failed: bool) -> str:
    """Why a panel is carried as JSON, in words that group: the same reason for every such panel."""
    if kind is None:
        return "no panel type"
    if kind not in KNOWN_TYPES:
        return "plugin panel (no builder for plugins)"
    if kind in LEGACY:
        return f"legacy {kind} (Grafana migrates it on load; no builder for it)"
    if kind not in BUILDERS and kind != "row":
        return f"no builder for {kind} panels"
    if _grid(source) is None:
        return "no complete gridPos"
    if patch_too_big:
        return f"{kind}: the house builder would need extra JSON for over {MAX_PATCH_SHARE:.0%} of the panel"
    if failed:
        return f"{kind}: the house builder rejects this panel's JSON"
    return f"{kind}: the house builder does not rebuild it exactly"


# Kept as they are rather than converted: a conversion would not round-trip, and
# Grafana already migrates these panels itself when the dashboard is opened.
LEGACY = {
    kind: f" - legacy {kind}; Grafana shows it as {new} (save from Grafana to convert)"
    for kind, new in (("graph", "timeseries"), ("singlestat", "stat"), ("table-old", "table"))
}
# Types Grafana ships; anything else is a plugin we carry without interpreting.
KNOWN_TYPES = {
    "timeseries",
    "graph",
    "stat",
    "gauge",
    "bargauge",
    "table",
    "text",
    "row",
    "heatmap",
    "piechart",
    "alertlist",
    "barchart",
    "histogram",
    "logs",
    "nodeGraph",
    "dashlist",
    "news",
    "state-timeline",
    "status-history",
    "xychart",
    "candlestick",
    "canvas",
    "geomap",
    "trend",
    "flamegraph",
    "traces",
    "datagrid",
    "annolist",
    "welcome",
    "singlestat",
    "table-old",
}
