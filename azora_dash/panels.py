"""House-style panel builders: plain functions returning grafanalib objects.

Every panel gets the ``$datasource`` variable, a unit, a description and a
size; ``layout.place`` gives it x/y. Nothing here subclasses grafanalib.
"""

from __future__ import annotations

from functools import partial

import attr

from .config import Config
from .grafanalib_cache import core as G

# The dashboard-level datasource variable every panel and target uses.
DATASOURCE = "${datasource}"

GREEN, YELLOW, RED = "green", "yellow", "red"


def target(
    expr: str, legend: str = "", ref: str = "", instant: bool = False, table: bool = False, datasource=DATASOURCE
) -> G.Target:
    return G.Target(
        expr=expr,
        legendFormat=legend,
        refId=ref,
        instant=instant,
        format="table" if table else "time_series",
        datasource=datasource,
    )


def _targets(queries, make=target) -> list[G.Target]:
    """Accept one expression, (expr, legend) pairs or ready Targets; assign refIds A, B, ...

    ``make`` builds a Target from an expression or a tuple of ``target`` arguments.
    """
    if isinstance(queries, (str, G.Target)) or (isinstance(queries, tuple) and isinstance(queries[0], str)):
        queries = [queries]  # one query, bare or as (expr, legend)
    out = []
    for i, q in enumerate(queries):
        ref = chr(ord("A") + i)
        if isinstance(q, G.Target):
            # The caller's Target is copied, never changed; evolve re-runs every
            # validator, so copy only when there is a refId to fill in.
            out.append(q if q.refId else attr.evolve(q, refId=ref))
            continue
        if isinstance(q, Extended):  # extra(target(...), {...}): a target with fields Target lacks
            out.append(q if q.base.refId else attr.evolve(q, base=attr.evolve(q.base, refId=ref)))
            continue
        t = make(*q) if isinstance(q, tuple) else make(q)
        t.refId = t.refId or ref  # a Target we just made: no copy needed
        out.append(t)
    return out


def thresholds(*steps: tuple[float | None, str]) -> list[G.Threshold]:
    """``thresholds((None, GREEN), (0.8, YELLOW), (0.9, RED))``: first step is the base."""
    # grafanalib requires a float but writes index 0 as the base step whatever its value.
    return [G.Threshold(color, i, float(value or 0)) for i, (value, color) in enumerate(steps)]


# Sensible defaults for common units, so most panels need not spell thresholds out.
OK = thresholds((None, GREEN))
UTILISATION = thresholds((None, GREEN), (0.8, YELLOW), (0.9, RED))
ERROR_RATIO = thresholds((None, GREEN), (0.01, YELLOW), (0.05, RED))
LATENCY = thresholds((None, GREEN), (0.5, YELLOW), (1, RED))


def _size(w: int, h: int) -> G.GridPos:
    # x/y are placeholders: layout.place() owns placement.
    return G.GridPos(h=h, w=w, x=0, y=0)


def timeseries(
    title: str,
    description: str,
    queries,
    unit: str,
    *,
    w: int = 12,
    h: int = 8,
    steps=OK,
    stack: bool = False,
    bars: bool = False,
    max_value=None,
    datasource=DATASOURCE,
    exemplars: bool = False,
    links=(),
    legend: str = "table",
    legend_calcs=("mean", "max", "lastNotNull"),
    tooltip: str = "multi",
    overrides=(),
) -> G.TimeSeries:
    """``datasource=P.loki(cfg)`` plots LogQL; ``exemplars=True`` asks Prometheus for exemplars too,
    which Grafana draws as points linking to their trace (the datasource's exemplarTraceIdDestinations).

    ``legend`` is ``table`` or ``list``; ``tooltip`` ``multi`` (sorted, largest first) or ``single``;
    ``overrides`` are Grafana field overrides (``fieldConfig.overrides``), e.g. a fixed series colour."""
    targets = _targets(queries, make=partial(target, datasource=datasource))
    if exemplars:
        # grafanalib's Target has no exemplar field; the query model's is `exemplar: true`.
        targets = [Extended(t, {"exemplar": True}) for t in targets]
    return G.TimeSeries(
        title=title,
        description=description,
        dataSource=datasource,
        targets=targets,
        unit=unit,
        gridPos=_size(w, h),
        thresholds=steps,
        fillOpacity=20 if stack or bars else 10,
        stacking={"mode": "normal", "group": "A"} if stack else {"mode": "none"},
        drawStyle="bars" if bars else "line",
        legendDisplayMode=legend,
        legendPlacement="right" if w >= 12 else "bottom",
        legendCalcs=list(legend_calcs),
        tooltipMode=tooltip,
        tooltipSort="desc" if tooltip == "multi" else "none",
        valueMin=0,
        valueMax=max_value,
        extraJson=_field_config(links, overrides),
    )


def stat(
    title: str,
    description: str,
    queries,
    unit: str,
    *,
    w: int = 6,
    h: int = 4,
    steps=OK,
    reduce: str = "lastNotNull",
    graph: bool = True,
    links=(),
    overrides=(),
) -> G.Stat:
    return G.Stat(
        title=title,
        description=description,
        dataSource=DATASOURCE,
        targets=_targets(queries),
        format=unit,
        gridPos=_size(w, h),
        thresholds=steps,
        reduceCalc=reduce,
        graphMode="area" if graph else "none",
        colorMode="value",
        textMode="auto",
        extraJson=_field_config(links, overrides),
    )


def _table_target(expr: str, legend: str = "", ref: str = "") -> G.Target:
    return target(expr, legend, ref, instant=True, table=True)


def table(
    title: str,
    description: str,
    queries,
    unit: str,
    *,
    w: int = 24,
    h: int = 8,
    steps=OK,
    exclude=("Time", "__name__"),
    links=(),
    overrides=(),
) -> G.Table:
    """An instant table of label sets; ``exclude`` hides noise columns (organize transform)."""
    return G.Table(
        title=title,
        description=description,
        dataSource=DATASOURCE,
        targets=_targets([queries] if isinstance(queries, str) else queries, make=_table_target),
        unit=unit,
        gridPos=_size(w, h),
        thresholds=steps,
        filterable=True,
        transformations=[{"id": "organize", "options": {"excludeByName": {c: True for c in exclude}}}],
        extraJson=_field_config(links, overrides),
    )


def gauge(
    title: str,
    description: str,
    queries,
    unit: str,
    *,
    w: int = 6,
    h: int = 6,
    steps=UTILISATION,
    reduce: str = "lastNotNull",
    min_value: float = 0,
    max_value: float = 1,
    links=(),
    overrides=(),
) -> G.GaugePanel:
    """A dial of one reduced value against ``steps`` (by default a 0-1 ratio, UTILISATION)."""
    limits = (reduce, min_value, max_value)
    return _reduced(G.GaugePanel, title, description, queries, unit, (w, h), steps, limits, links, overrides)


def bargauge(
    title: str,
    description: str,
    queries,
    unit: str,
    *,
    w: int = 12,
    h: int = 8,
    steps=UTILISATION,
    reduce: str = "lastNotNull",
    min_value: float = 0,
    max_value: float = 1,
    mode: str = "gradient",
    orientation: str = "horizontal",
    links=(),
    overrides=(),
) -> G.BarGauge:
    """One bar per series (e.g. per host); ``mode`` is Grafana's displayMode: gradient, lcd or basic."""
    limits = (reduce, min_value, max_value)
    more = {"displayMode": mode, "orientation": orientation}
    return _reduced(G.BarGauge, title, description, queries, unit, (w, h), steps, limits, links, overrides, **more)


def _reduced(kind, title, description, queries, unit, size, steps, limits, links, overrides, **more):
    """A gauge or bar gauge: each series reduced to ``limits[0]`` and drawn between min and max."""
    reduce, low, high = limits
    return kind(
        title=title,
        description=description,
        dataSource=DATASOURCE,
        targets=_targets(queries),
        format=unit,
        gridPos=_size(*size),
        thresholds=steps,
        calc=reduce,
        min=low,
        max=high,
        extraJson=_field_config(links, overrides),
        **more,
    )


def text(title: str, content: str, *, description: str = "", mode: str = "markdown", w: int = 24, h: int = 3) -> G.Text:
    """Prose on the dashboard (``mode``: markdown, html or code); grafanalib's Text writes today's model."""
    return G.Text(title=title, description=description, content=content, mode=mode, gridPos=_size(w, h))


def loki(cfg: Config) -> dict:
    """The provisioned Loki datasource. Not a variable: dashboard-linter's naming rule
    (template-datasource) would then rename every dashboard's `datasource` variable."""
    return {"type": "loki", "uid": cfg.loki_uid}


def logs(cfg: Config, title: str, description: str, expr: str, *, w: int = 24, h: int = 10) -> G.Logs:
    """Log lines from Loki, newest first, with details (where a trace_id field links to Jaeger)."""
    return G.Logs(
        title=title,
        description=description,
        dataSource=loki(cfg),
        targets=[target(expr, ref="A", datasource=loki(cfg))],
        gridPos=_size(w, h),
        showTime=True,
        wrapLogMessages=True,
        enableLogDetails=True,
        prettifyLogMessage=False,
    )


# --- Drill-down: data links from a clicked series to the dashboard that details it -------------
# Grafana interpolates ${__url_time_range} (the current range as from/to) and, per clicked
# series, ${__field.labels.<name>} (time series) or ${__data.fields.<name>} (table rows).


def _link(title: str, url: str, blank: bool = False) -> dict:
    # The vendored schema types fieldConfig links as DashboardLink, whose fields it all requires;
    # Grafana's data links read title/url/targetBlank and ignore the rest (the time range is in the URL).
    return {
        "title": title,
        "url": url,
        "targetBlank": blank,
        "type": "link",
        "icon": "external link",
        "tooltip": "",
        "tags": [],
        "asDropdown": False,
        "includeVars": False,
        "keepTime": False,
    }


def data_link(cfg: Config, slug: str, title: str, row: bool = False, **variables: str) -> dict:
    """``data_link(cfg, "system-overview", "Host", instance="instance")``: var-instance = the series' label."""
    value = "${{__data.fields.{}}}" if row else "${{__field.labels.{}}}"
    params = "".join(f"&var-{var}={value.format(label)}" for var, label in variables.items())
    return _link(title, f"/d/{cfg.uid(slug)}?${{__url_time_range}}{params}")


def to_service(cfg: Config, row: bool = False) -> dict:
    return data_link(cfg, cfg.service_dashboard, "API Gateway view of this service", row, job="job")


def to_host(cfg: Config, row: bool = False) -> dict:
    return data_link(cfg, cfg.host_dashboard, "System Overview of this host", row, instance="instance")


def to_logs(cfg: Config, row: bool = False) -> dict:
    return data_link(cfg, cfg.logs_dashboard, "Error logs of this service", row, job="job")


def to_container_logs(cfg: Config, row: bool = False) -> dict:
    # cAdvisor's `name` label is the container name Alloy puts in the `container` stream label.
    return data_link(cfg, cfg.logs_dashboard, "Logs of this container", row, container="name")


def to_runbook(cfg: Config) -> dict:
    # Each alert's runbook is a heading in RUNBOOKS.md (stack/alerts.py: runbook_url).
    return _link("Runbook", f"{cfg.runbook_base_url}#${{__data.fields.alertname}}", blank=True)


def _field_config(links, overrides=()) -> dict | None:
    # grafanalib has neither data links (fieldConfig.defaults.links) nor field overrides
    # (fieldConfig.overrides); extraJson is deep-merged into the panel.
    out = {"defaults": {"links": list(links)}} if links else {}
    if overrides:
        out["overrides"] = list(overrides)
    return {"fieldConfig": out} if out else None


# suppress() marks a panel with deliberate lint exceptions under this key in its extraJson.
# The build (build.compile) takes the mark off again and hands the exceptions to lint beside
# the JSON: the built dashboard stays pure Grafana, so a typed round trip (foundation-sdk's
# models, a UI save) drops nothing, and the exception lives next to the panel in Python.
SUPPRESS_KEY = "__azoraLint"


def suppress(panel, *rules: str, reason: str):
    """Record that ``rules`` deliberately do not apply to ``panel``, and why.

    ``P.suppress(P.stat(...), "target/job", reason="always the auth service")``.
    Suppressed problems are still reported (``--format json``: ``suppressed: true``)
    but never fail the run; ``azora-dash lint --list-suppressed`` lists them.
    """
    if not rules or not reason.strip():
        raise ValueError("suppress() needs at least one rule id and a reason")
    extra = dict(panel.extraJson or {})
    extra[SUPPRESS_KEY] = {**extra.get(SUPPRESS_KEY, {}), **{rule: reason for rule in rules}}
    return attr.evolve(panel, extraJson=extra)


def row(title: str, *, collapsed: bool = False, panels=(), tab: bool = False, when=()) -> G.RowPanel:
    """A row; a collapsed row holds its own ``panels`` (Grafana stores them inside the row).

    ``tab``/``when`` as for ``tabs``/``section``: for rows placed by hand (``P.at``, imports).
    """
    from .layout import V2_KEY, v2_mark

    if tab and collapsed:
        raise ValueError(f"row {title!r}: a tab cannot be collapsed (v1 shows a tab as an expanded row)")
    mark = v2_mark(tab, when)
    return G.RowPanel(
        title=title,
        gridPos=_size(24, 1),
        collapsed=collapsed,
        panels=list(panels),
        extraJson={V2_KEY: mark} if mark else None,
    )


# --- What only schema v2 shows: tabs, sections shown on a variable ------------------------------
# v1 (classic JSON) has neither: there a tab is an expanded row, as Grafana itself converts a v2
# tab (v2alpha1_to_v1beta1.go: processTabItem), and a conditional section is always shown.


def when(variable: str, value: str, *, op: str = "equals") -> dict:
    """A condition on a variable, for ``section(..., when=...)``: ``P.when("job", "api")``.

    ``op`` is equals, notEquals, matches or notMatches (a regex); for a multi-value variable
    Grafana tests whether any selected value matches. v1 output ignores it (always shown).
    """
    from .layout import condition

    return condition(variable, value, op)


def section(title: str, panels, *, when=()):
    """A row shown in v2 only while every condition in ``when`` holds; in v1 always shown."""
    from .layout import Section

    return Section(title, list(panels), when=tuple([when] if isinstance(when, dict) else when))


def tabs(*sections) -> list:
    """``sections=P.tabs(("Logs", [...]), ("Traces", [...]))``: the dashboard's sections as tabs.

    v2 output is a ``TabsLayout``, one ``TabsLayoutTab`` per section. v1 cannot show tabs: each
    becomes an expanded row with its panels below it, the same JSON as the plain sections build.
    """
    from .layout import section as as_section

    return [as_section(s)._replace(tab=True) for s in sections]


def pin_id(panel, panel_id: int):
    """Keep ``panel_id`` for ``panel`` (e.g. after a rename, so links to it keep working); ids stay unique."""
    return attr.evolve(panel, id=panel_id)


# --- Imported dashboards (azora-dash import) ---------------------------------------------------
# Imports must round-trip exactly, so they keep the source's grid positions and
# anything our builders cannot say. These helpers are the only places that happens.


def at(x: int, y: int, panel, *, id: int | None = None):
    """Fixed placement: pin ``panel`` at column ``x``, row ``y`` (keeping its size).

    Only imported dashboards use this: their layout was drawn by hand in Grafana
    and fidelity matters more than reflowing it with ``layout.place``.
    """
    pos = panel.gridPos
    return attr.evolve(panel, gridPos=G.GridPos(h=pos.h, w=pos.w, x=x, y=y), id=id)


def extra(panel, json: dict):
    """Carry JSON our builder does not express on ``panel`` (grafanalib ``extraJson``).

    Why: an import must not lose what the source dashboard says. The JSON is
    deep-merged over the builder's output; a ``None`` value removes a key the
    builder writes but the source lacks (normalisation drops nulls). A ``target``
    (grafanalib's Target has no ``extraJson``) comes back ``Extended``, which every
    builder's ``queries`` accepts: ``extra(target(expr), {"editorMode": "code"})``.
    """
    if isinstance(panel, G.Target):
        return Extended(panel, json)
    # Over the builder's own extraJson (data links, overrides), never instead of it.
    return attr.evolve(panel, extraJson=merge(panel.extraJson or {}, json))


@attr.s(frozen=True)
class Carried:
    """A panel or other object kept as the JSON it was imported as.

    For panels no builder expresses (heatmap, legacy graph, third-party
    plugins ...) or that differ from their builder in most of their fields. grafanalib's classes for those write pre-Grafana-7 fields the
    source never had, so starting from them would bury the panel under patches.
    ``gridPos``/``id`` are attributes so ``at`` places it like any panel.
    """

    json: dict = attr.ib()
    gridPos: G.GridPos | None = attr.ib(default=None)
    id: int | None = attr.ib(default=None)

    def to_json_data(self) -> dict:
        placed = {"gridPos": self.gridPos, "id": self.id}
        return {**self.json, **{k: v for k, v in placed.items() if v is not None}}


def carried(json: dict, *, w: int | None = None, h: int | None = None) -> Carried:
    return Carried(json, _size(w, h) if w is not None and h is not None else None)


@attr.s(frozen=True)
class Extended:
    """``base`` (a grafanalib Dashboard) with ``extra`` JSON deep-merged over its output.

    grafanalib's Dashboard has no ``extraJson``; imports need one for fields such
    as ``fiscalYearStartMonth`` or ``liveNow``. ``None`` removes a key.
    """

    base = attr.ib()
    extra: dict = attr.ib(factory=dict)

    def to_json_data(self) -> dict:
        return merge(self.base.to_json_data(), self.extra)


def merge(base: dict, patch: dict) -> dict:
    out = dict(base)
    for key, value in patch.items():
        old = out.get(key)
        old = old.to_json_data() if hasattr(old, "to_json_data") else old
        out[key] = merge(old, value) if isinstance(old, dict) and isinstance(value, dict) else value
    return out


def _check_conditions(sections, variables) -> None:
    """A condition naming no variable of the dashboard would hide its section for good."""
    from .layout import condition_variables

    names = {v.name for v in variables if hasattr(v, "name")}
    for item in sections:
        for name in condition_variables(item[3] if len(item) > 3 else ()):
            if name not in names:
                raise ValueError(f"section {item[0]!r} is shown on ${name}, which the dashboard does not define")


def dashboard(
    cfg: Config, slug: str, title: str, description: str, topic: str, sections, variables: list[G.Template]
) -> G.Dashboard:
    """The house dashboard: tags, time/refresh pickers, variables and cross-links set once."""
    from .layout import place

    sections = list(sections)
    _check_conditions(sections, variables)
    return G.Dashboard(
        title=title,
        uid=cfg.uid(slug),
        description=description,
        # Provisioned from code (allowUiUpdates: false): UI edits would be lost on the next sync.
        editable=False,
        tags=[*cfg.tags, topic],
        timezone=cfg.timezone,
        refresh=cfg.refresh,
        time=G.Time(cfg.time_from, "now"),
        graphTooltip=G.GRAPH_TOOLTIP_MODE_SHARED_CROSSHAIR,
        templating=G.Templating(list=variables),
        panels=place(sections),
        links=[
            G.DashboardLink(
                title="Azora dashboards",
                type="dashboards",
                tags=list(cfg.tags),
                asDropdown=True,
                includeVars=True,
                keepTime=True,
                icon="external link",
            )
        ],
    )
