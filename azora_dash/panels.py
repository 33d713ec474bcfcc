"""House-style panel builders: plain functions returning grafanalib objects.

Every panel gets the ``$datasource`` variable, a unit, a description and a
size; ``layout.place`` gives it x/y. Nothing here subclasses grafanalib.
"""
from __future__ import annotations

import attr
import grafanalib.core as G

from .config import Config

# The dashboard-level datasource variable every panel and target uses.
DATASOURCE = "${datasource}"

GREEN, YELLOW, RED = "green", "yellow", "red"


def target(expr: str, legend: str = "", ref: str = "", instant: bool = False, table: bool = False) -> G.Target:
    return G.Target(
        expr=expr, legendFormat=legend, refId=ref, instant=instant,
        format="table" if table else "time_series", datasource=DATASOURCE,
    )


def _targets(queries) -> list[G.Target]:
    """Accept one expression, (expr, legend) pairs or ready Targets; assign refIds A, B, ..."""
    if isinstance(queries, (str, G.Target)) or (isinstance(queries, tuple) and isinstance(queries[0], str)):
        queries = [queries]  # one query, bare or as (expr, legend)
    out = []
    for i, q in enumerate(queries):
        t = q if isinstance(q, G.Target) else target(*q) if isinstance(q, tuple) else target(q)
        out.append(attr.evolve(t, refId=t.refId or chr(ord("A") + i)))
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


def timeseries(title: str, description: str, queries, unit: str, *, w: int = 12, h: int = 8,
               steps=OK, stack: bool = False, bars: bool = False, max_value=None) -> G.TimeSeries:
    return G.TimeSeries(
        title=title, description=description, dataSource=DATASOURCE, targets=_targets(queries),
        unit=unit, gridPos=_size(w, h), thresholds=steps, fillOpacity=20 if stack or bars else 10,
        stacking={"mode": "normal", "group": "A"} if stack else {"mode": "none"},
        drawStyle="bars" if bars else "line", legendDisplayMode="table", legendPlacement="right" if w >= 12 else "bottom",
        legendCalcs=["mean", "max", "lastNotNull"], tooltipMode="multi", tooltipSort="desc",
        valueMin=0, valueMax=max_value,
    )


def stat(title: str, description: str, queries, unit: str, *, w: int = 6, h: int = 4,
         steps=OK, reduce: str = "lastNotNull", graph: bool = True) -> G.Stat:
    return G.Stat(
        title=title, description=description, dataSource=DATASOURCE, targets=_targets(queries),
        format=unit, gridPos=_size(w, h), thresholds=steps, reduceCalc=reduce,
        graphMode="area" if graph else "none", colorMode="value", textMode="auto",
    )


def table(title: str, description: str, queries, unit: str, *, w: int = 24, h: int = 8,
          steps=OK, exclude=("Time", "__name__")) -> G.Table:
    """An instant table of label sets; ``exclude`` hides noise columns (organize transform)."""
    queries = [q if isinstance(q, G.Target) else target(q, instant=True, table=True) for q in
               ([queries] if isinstance(queries, str) else queries)]
    return G.Table(
        title=title, description=description, dataSource=DATASOURCE, targets=_targets(queries),
        unit=unit, gridPos=_size(w, h), thresholds=steps, filterable=True,
        transformations=[{"id": "organize", "options": {"excludeByName": {c: True for c in exclude}}}],
    )


def row(title: str) -> G.RowPanel:
    return G.RowPanel(title=title, gridPos=_size(24, 1))


def dashboard(cfg: Config, slug: str, title: str, description: str, topic: str, sections,
              variables: list[G.Template]) -> G.Dashboard:
    """The house dashboard: tags, time/refresh pickers, variables and cross-links set once."""
    from .layout import place

    return G.Dashboard(
        title=title, uid=cfg.uid(slug), description=description,
        tags=[*cfg.tags, topic, cfg.managed_tag], timezone=cfg.timezone, refresh=cfg.refresh,
        time=G.Time(cfg.time_from, "now"), graphTooltip=G.GRAPH_TOOLTIP_MODE_SHARED_CROSSHAIR,
        templating=G.Templating(list=variables), panels=place(sections),
        links=[G.DashboardLink(title="Azora dashboards", type="dashboards", tags=list(cfg.tags),
                               asDropdown=True, includeVars=True, keepTime=True, icon="external link")],
    )
