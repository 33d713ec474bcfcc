"""The per-dashboard facts every rule shares, computed once per dashboard.

Panels are flattened (a collapsed row keeps its panels inside itself), every
Prometheus target is parsed once (``query.parse``), and each panel carries the
deliberate exceptions that apply to it (from the dashboard's module, or a ``.lint`` file).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..dashboard_file import datasource_ref, iter_panels
from .catalogue import Catalogue
from .query import Query, QueryError, parse


@dataclass
class PanelRef:
    """A panel and the facts rules ask of it, read once (rules ask them hundreds of thousands of
    times in a large run; the panel is not changed while linting)."""

    panel: dict
    path: str  # JSON pointer, e.g. /panels/3 or /panels/2/panels/0
    suppressions: dict[str, str] = field(default_factory=dict)  # rule id -> reason
    id: object = field(init=False)
    title: str = field(init=False)
    type: str = field(init=False)
    unit: str = field(init=False)

    def __post_init__(self):
        get = self.panel.get
        self.id = get("id")
        self.title = get("title") or ""
        self.type = get("type") or ""
        config = get("fieldConfig")
        defaults = config.get("defaults") if isinstance(config, dict) else None
        self.unit = (defaults.get("unit") if isinstance(defaults, dict) else None) or ""


@dataclass
class TargetRef:
    panel: PanelRef
    target: dict
    path: str
    query: Query | None = None
    error: str | None = None  # the parser's message when the expression is not PromQL
    expr: str = field(init=False)

    def __post_init__(self):
        value = self.target.get("expr")
        self.expr = value if isinstance(value, str) else ""


def sample_values(variables: list[dict]) -> dict[str, str]:
    """A value that parses for each variable that may stand outside a string.

    Variables inside matchers stay verbatim (query.py masks strings). Outside
    them, an interval variable is a duration (``[$smoothing]``) and a custom or
    constant one is its current value (``topk($top, ...)``); everything else
    falls back to promql.substitute's default.
    """
    samples = {}
    for var in variables:
        name, current = var.get("name"), (var.get("current") or {}).get("value")
        if var.get("type") == "interval":
            samples[name] = "1m"
        elif (
            var.get("type") in ("custom", "constant", "textbox")
            and isinstance(current, str)
            and current
            and not current.startswith("$__")
        ):
            samples[name] = current
        elif var.get("type") in ("constant", "textbox") and isinstance(var.get("query"), str) and var["query"]:
            samples[name] = var["query"]
    return samples


VARIABLE = re.compile(r"^\$(\w+)$|^\$\{(\w+)(?::\w+)?\}$|^\[\[(\w+)\]\]$")
UNKNOWN = "?"  # a datasource we cannot show to be any particular plugin (a name, an unknown uid)


def export_inputs(dashboard: dict) -> dict[str, str]:
    """A grafana.com export's datasource placeholders: ``DS_X`` -> plugin id. Grafana's exporter
    replaces each datasource with ``${DS_X}`` and lists it in ``__inputs`` with its ``pluginId``
    (public/app/features/dashboard/components/DashExportModal/DashboardExporter.ts:
    templateizeDatasourceUsage)."""
    inputs = dashboard.get("__inputs")
    return {
        str(i["name"]): str(i["pluginId"])
        for i in (inputs if isinstance(inputs, list) else ())
        if isinstance(i, dict) and i.get("type") == "datasource" and i.get("name") and i.get("pluginId")
    }


def datasource_type(ds, dashboard: dict, inputs: dict[str, str] | None = None) -> str | None:
    """The plugin type behind a datasource reference; None for the default datasource, ``mixed``
    for ``-- Mixed --``.

    Legacy strings (built-in names, ``$var``) mean what ``dashboard_file.datasource_ref`` says, the
    one reading Grafana's migration gives them; a ``{"uid": "$var"}`` without a type is read the same
    way. What is still a ``$var`` after that is an export's ``__inputs`` placeholder (``inputs``);
    a legacy name or a bare uid is ``UNKNOWN``.
    """
    if isinstance(ds, dict) and not ds.get("type"):
        ds = ds.get("uid")  # read as the legacy string it holds
    ds = datasource_ref(ds, dashboard)  # a {"type", "uid"} reference comes back as it is
    if isinstance(ds, dict):
        if ds.get("type"):
            return "mixed" if ds.get("uid") == "-- Mixed --" else str(ds["type"])
        ds = ds.get("uid")
    if ds is None or ds == "" or ds == "default":
        return None
    match = VARIABLE.match(ds) if isinstance(ds, str) else None
    if match:
        return (inputs or {}).get(next(g for g in match.groups() if g), UNKNOWN)
    return UNKNOWN


class DashboardContext:
    def __init__(
        self,
        dashboard: dict,
        catalogue: Catalogue,
        source: str = "",
        suppressions: dict[int, dict[str, str]] | None = None,
        exclusions: tuple = (),  # .lint exclusions that apply (lint.sidecar)
    ):
        self.dashboard = dashboard
        self._suppressions = suppressions or {}
        self.exclusions = exclusions
        self.catalogue = catalogue
        self.source = source
        self.profile = "azora"  # the profile the engine lints it with (registry.PROFILES)
        self.uid = str(dashboard.get("uid") or "")
        templating = dashboard.get("templating")
        listed = templating.get("list") if isinstance(templating, dict) else None
        self.variables: list[dict] = [v for v in listed or [] if isinstance(v, dict)]
        self.samples = sample_values(self.variables)
        self.inputs = export_inputs(dashboard)
        # rows included, in document order (dashboard_file's walker: nested and legacy rows too)
        self.all_panels: list[PanelRef] = [
            PanelRef(s.panel, s.path, dict(self._suppressions.get(s.panel.get("id")) or {}))
            for s in iter_panels(dashboard)
        ]
        self.panels = [p for p in self.all_panels if p.type != "row"]
        self._by_id: dict | None = None
        self.shared: dict[str, object] = {}  # what several rules derive alike, made by the first to ask (lint.shared)
        self.targets: list[TargetRef] = []
        for ref in self.panels:
            self._targets(ref)

    def _targets(self, ref: PanelRef) -> None:
        panel_type = datasource_type(ref.panel.get("datasource"), self.dashboard, self.inputs)
        if panel_type == "mixed":
            panel_type = None  # each target names its own
        for i, target in enumerate(ref.panel.get("targets") or []):
            if not isinstance(target, dict):
                continue
            own = target.get("datasource")
            kind = datasource_type(own, self.dashboard, self.inputs) if own is not None else panel_type
            if kind not in (None, "prometheus"):
                continue  # Loki, SQL, a datasource not shown to be Prometheus: these rules know only PromQL
            t = TargetRef(ref, target, f"{ref.path}/targets/{i}")
            if t.expr.strip():
                try:
                    t.query = parse(t.expr, self._samples_in(t.expr))
                except QueryError as exc:
                    t.error = str(exc)
            self.targets.append(t)

    def _samples_in(self, expr: str) -> tuple[tuple[str, str], ...]:
        """The sample values of the variables ``expr`` uses (part of the parse cache's key). A name
        merely occurring in the text is enough: an unused sample changes no parse, and this
        substring test costs far less than finding every variable reference."""
        if "$" not in expr and "[[" not in expr:
            return ()
        return tuple((n, v) for n, v in self.samples.items() if n in expr)

    # --- helpers rules share -------------------------------------------------------------

    def variable(self, name: str) -> dict | None:
        return next((v for v in self.variables if v.get("name") == name), None)

    def variables_of_type(self, kind: str) -> list[dict]:
        return [v for v in self.variables if v.get("type") == kind]

    @property
    def prometheus(self) -> bool:
        """dashboard-linter applies its Prometheus rules only when a datasource
        variable selects Prometheus (lint/rule_template_job.go: getTemplateDatasource)."""
        ds = self.variables_of_type("datasource")
        return bool(ds) and ds[0].get("query") == "prometheus"

    def panel_by_id(self, panel_id) -> PanelRef | None:
        """The first panel with this id (the engine asks once per problem: an index, not a scan)."""
        if self._by_id is None:
            self._by_id = {}
            for p in self.all_panels:
                self._by_id.setdefault(p.id, p)
        try:
            return self._by_id.get(panel_id)
        except TypeError:  # an unhashable id in a hand-written file matches no panel
            return None
