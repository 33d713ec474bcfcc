"""The one conversion between the classic dashboard model and Grafana's dashboard schema v2.

``to_v2`` writes a ``dashboard.grafana.app/v2`` resource from a classic dashboard (what the build
makes); ``from_v2`` reads a v2 (or v2beta1) resource back into the classic model every command
works on. Both follow Grafana's own conversion for the fields azora-dash uses
(grafana/grafana ``apps/dashboard/pkg/migration/conversion/v1beta1_to_v2alpha1.go``:
``buildElement`` names elements ``panel-<id>``, ``transformSingleQuery`` moves ``refId``/``hide``/
``datasource`` out of a target and keeps the rest as the query spec, ``convertToRowsLayout``
makes row panels a ``RowsLayout`` with item ``y`` relative to the row (``yOffsetInRows``) and
panels above the first row a header-less row, ``transformVariableHideToEnum``/``...RefreshToEnum``/
``...SortToEnum`` name the integer enums, ``LEGACY_STRING_VALUE_KEY`` carries a string variable
query; ``v2alpha1_to_v2beta1.go`` turns ``VizConfig``/``DataQuery`` kinds into ``kind`` +
``group`` (plugin or datasource type) + ``version``).

Where v2 has no field for something classic JSON holds, the reader rebuilds it: a row's ``id``
comes from its title exactly as ``layout.place`` assigns it, ``schemaVersion`` is the one the
build writes, a panel's ``datasource`` is its queries' one. So for a built dashboard
``from_v2(to_v2(d)) == d``, which is what makes the v1 and v2 builds diff, lint and verify alike.
"""

from __future__ import annotations

from .config import DEFAULT
from .errors import InputError

API_VERSION = "dashboard.grafana.app/v2"
# Versions whose spec has this shape: 12.2+ serve v2beta1, 13.x v2 (v2alpha1 still had
# VizConfig.kind = panel type, which this reader does not take).
V2_VERSIONS = ("v2beta1", "v2")
FOLDER_ANNOTATION = "grafana.app/folder"  # pkg/apimachinery/utils/meta.go: AnnoKeyFolder
LEGACY_STRING_VALUE_KEY = "__legacyStringValue"

# Index = the classic integer, as Grafana's conversion maps them (v1beta1_to_v2alpha1.go:
# transformVariableHideToEnum, 3 -> inControlsMenu; ...SortToEnum, 0-8).
_HIDE = ("dontHide", "hideLabel", "hideVariable", "inControlsMenu")
_REFRESH = ("never", "onDashboardLoad", "onTimeRangeChanged")
_SORT = (
    "disabled",
    "alphabeticalAsc",
    "alphabeticalDesc",
    "numericalAsc",
    "numericalDesc",
    "alphabeticalCaseInsensitiveAsc",
    "alphabeticalCaseInsensitiveDesc",
    "naturalAsc",
    "naturalDesc",
)
_CURSOR = ("Off", "Crosshair", "Tooltip")
_TARGET_OWN = ("refId", "hide", "datasource")
_QUERY_OPTIONS = ("interval", "maxDataPoints", "timeFrom", "timeShift", "hideTimeOverride", "cacheTimeout")


def _enum(names: tuple, value, default: str) -> str:
    return names[value] if isinstance(value, int) and 0 <= value < len(names) else default


def _index(names: tuple, value, where: str, what: str) -> int:
    """The classic integer of a v2 enum value; absent is the first. A value the schema does not
    allow is refused, naming it, rather than read as the default (which would change the dashboard)."""
    if value is None:
        return 0
    if value not in names:
        raise InputError(f"{where}: {what} is {value!r}, not one of {', '.join(names)}; fix it in the file")
    return names.index(value)


# --- classic -> v2 ------------------------------------------------------------------------------


def to_v2(dashboard: dict, folder_uid: str | None = None, sections: dict | None = None) -> dict:
    """The ``dashboard.grafana.app/v2`` resource of a classic dashboard.

    ``sections`` (row id -> ``{"tab": bool, "when": ConditionalRenderingGroup}``, what the build
    takes off the rows: ``build.compile.take_marks``) says what classic JSON cannot: which
    rows are tabs and when a row or tab is shown.
    """
    metadata: dict = {"name": dashboard.get("uid") or ""}
    if folder_uid:
        metadata["annotations"] = {FOLDER_ANNOTATION: folder_uid}
    spec = spec_v2(dashboard, sections or {})
    return {"apiVersion": API_VERSION, "kind": "Dashboard", "metadata": metadata, "spec": spec}


def spec_v2(d: dict, sections: dict | None = None) -> dict:
    elements, layout = _elements_and_layout(d.get("panels") or [], sections or {})
    picker = d.get("timepicker") or {}
    time = d.get("time") or {}
    spec = {
        "annotations": [_annotation_v2(a) for a in (d.get("annotations") or {}).get("list") or ()],
        "cursorSync": _enum(_CURSOR, d.get("graphTooltip", 0), "Off"),
        "description": d.get("description", ""),
        "editable": d.get("editable", True),
        "elements": elements,
        "layout": layout,
        "links": list(d.get("links") or ()),
        "preload": d.get("preload", False),
        "tags": list(d.get("tags") or ()),
        "timeSettings": {
            "timezone": d.get("timezone", "browser"),
            "from": time.get("from", "now-6h"),
            "to": time.get("to", "now"),
            "autoRefresh": d.get("refresh", ""),
            "autoRefreshIntervals": list(picker.get("refresh_intervals") or ()),
            "hideTimepicker": picker.get("hidden", False),
            "fiscalYearStartMonth": d.get("fiscalYearStartMonth", 0),
        },
        "title": d.get("title", ""),
        "variables": [_variable_v2(v) for v in (d.get("templating") or {}).get("list") or ()],
    }
    if "liveNow" in d:
        spec["liveNow"] = d["liveNow"]
    return spec


def _ds(ref) -> tuple[str, dict]:
    ref = ref if isinstance(ref, dict) else {}
    return ref.get("type", ""), ({"name": ref["uid"]} if ref.get("uid") else {})


def _data_query(ds_ref, spec: dict) -> dict:
    group, datasource = _ds(ds_ref)
    query = {"kind": "DataQuery", "group": group, "version": "v0", "spec": spec}
    if datasource:
        query["datasource"] = datasource
    return query


def _element(panel: dict) -> dict:
    queries = [
        {
            "kind": "PanelQuery",
            "spec": {
                "query": _data_query(t.get("datasource", panel.get("datasource")), _without(t, _TARGET_OWN)),
                "refId": t.get("refId", "A"),
                "hidden": bool(t.get("hide", False)),
            },
        }
        for t in panel.get("targets") or ()
    ]
    spec = {
        "id": panel.get("id", 0),
        "title": panel.get("title", ""),
        "description": panel.get("description", ""),
        "links": list(panel.get("links") or ()),
        "data": {
            "kind": "QueryGroup",
            "spec": {
                "queries": queries,
                "transformations": [_transformation_v2(t) for t in panel.get("transformations") or ()],
                "queryOptions": {k: panel[k] for k in _QUERY_OPTIONS if k in panel},
            },
        },
        "vizConfig": {
            "kind": "VizConfig",
            "group": panel.get("type", "timeseries"),
            "version": panel.get("pluginVersion", ""),
            "spec": {
                "options": panel.get("options") or {},
                "fieldConfig": panel.get("fieldConfig") or {"defaults": {}, "overrides": []},
            },
        },
    }
    if panel.get("transparent"):
        spec["transparent"] = True
    return {"kind": "Panel", "spec": spec}


def _transformation_v2(t: dict) -> dict:
    spec = {"options": t.get("options") or {}, **{k: t[k] for k in ("disabled", "filter", "topic") if k in t}}
    return {"kind": "Transformation", "group": t.get("id", ""), "spec": spec}


def _item(panel: dict, name: str, row_y: int | None) -> dict:
    pos = panel.get("gridPos") or {}
    y = pos.get("y", 0) if row_y is None else pos.get("y", 0) - row_y - 1
    spec = {
        "x": pos.get("x", 0),
        "y": y,
        "width": pos.get("w", 6),
        "height": pos.get("h", 3),
        "element": {"kind": "ElementReference", "name": name},
    }
    if panel.get("repeat"):
        spec["repeat"] = {"mode": "variable", "value": panel["repeat"]}
        for key in ("direction", "maxPerRow"):
            source = "repeatDirection" if key == "direction" else key
            if panel.get(source):
                spec["repeat"][key] = panel[source]
    return {"kind": "GridLayoutItem", "spec": spec}


def _grid(items: list) -> dict:
    return {"kind": "GridLayout", "spec": {"items": items}}


def _elements_and_layout(panels: list, sections: dict) -> tuple[dict, dict]:
    elements: dict[str, dict] = {}

    def add(panel: dict, row_y: int | None) -> dict:
        name = f"panel-{panel.get('id', 0)}"
        elements[name] = _element(panel)
        return _item(panel, name, row_y)

    if not any(p.get("type") == "row" for p in panels):
        return elements, _grid([add(p, None) for p in panels])
    rows: list[dict] = []
    row_y = -1
    for panel in panels:
        if panel.get("type") == "row":
            row_y = (panel.get("gridPos") or {}).get("y", 0)
            spec = {"title": panel.get("title", ""), "collapse": bool(panel.get("collapsed", False))}
            children = [add(c, row_y) for c in panel.get("panels") or ()]
            rows.append(_row_v2(spec, _grid(children), sections.get(panel.get("id"))))
        else:
            if not rows:  # panels above the first row: a row without a header, as Grafana does
                rows.append(_row_v2({"title": "", "collapse": False, "hideHeader": True}, _grid([]), None))
            rows[-1]["spec"]["layout"]["spec"]["items"].append(add(panel, row_y))
    return elements, _sections_layout(rows)


def _row_v2(spec: dict, grid: dict, mark: dict | None) -> dict:
    mark = mark or {}
    if mark.get("when"):
        spec["conditionalRendering"] = mark["when"]
    if mark.get("tab"):  # TabsLayoutTabSpec: title, layout, conditionalRendering (no collapse)
        spec = {k: v for k, v in spec.items() if k not in ("collapse", "hideHeader")}
        return {"kind": "TabsLayoutTab", "spec": {**spec, "layout": grid}}
    return {"kind": "RowsLayoutRow", "spec": {**spec, "layout": grid}}


def _sections_layout(rows: list[dict]) -> dict:
    kinds = {r["kind"] for r in rows}
    if kinds == {"TabsLayoutTab"}:
        return {"kind": "TabsLayout", "spec": {"tabs": rows}}
    if "TabsLayoutTab" in kinds:  # layout.place refuses this; a hand-made mark could still say it
        raise InputError("rows and tabs are mixed at the top of the dashboard; v2 lays out one or the other")
    return {"kind": "RowsLayout", "spec": {"rows": rows}}


def _variable_v2(var: dict) -> dict:
    kind = var.get("type", "query")
    spec = {
        "name": var.get("name", ""),
        "current": var.get("current") or {"text": "", "value": ""},
        "hide": _enum(_HIDE, var.get("hide", 0), "dontHide"),
        "skipUrlSync": var.get("skipUrlSync", False),
        **{k: var[k] for k in ("label", "allValue", "description") if k in var},
    }
    if kind == "datasource":
        spec.update(pluginId=var.get("query", ""), refresh=_enum(_REFRESH, var.get("refresh", 1), "never"))
        spec.update(_choice(var), regex=var.get("regex", ""))
        return {"kind": "DatasourceVariable", "spec": spec}
    if kind == "custom":
        spec.update(_choice(var), query=var.get("query", ""))
        return {"kind": "CustomVariable", "spec": spec}
    if kind == "constant":
        return {"kind": "ConstantVariable", "spec": {**spec, "query": var.get("query", "")}}
    if kind == "textbox":
        return {"kind": "TextVariable", "spec": {**spec, "query": var.get("query", "")}}
    if kind != "query":
        raise InputError(f"variable {spec['name']!r}: type {kind!r} has no v2 form in azora-dash")
    query = var.get("query", "")
    spec.update(
        _choice(var),
        query=_data_query(
            var.get("datasource"), query if isinstance(query, dict) else {LEGACY_STRING_VALUE_KEY: query}
        ),
        refresh=_enum(_REFRESH, var.get("refresh", 1), "never"),
        regex=var.get("regex", ""),
        sort=_enum(_SORT, var.get("sort", 0), "disabled"),
    )
    if isinstance(query, str):
        spec["definition"] = query
    return {"kind": "QueryVariable", "spec": spec}


def _choice(var: dict) -> dict:
    return {
        "options": list(var.get("options") or ()),
        "multi": var.get("multi", False),
        "includeAll": var.get("includeAll", False),
        "allowCustomValue": var.get("allowCustomValue", True),
    }


def _annotation_v2(a: dict) -> dict:
    spec = {
        "query": _data_query(a.get("datasource"), a.get("target") or {}),
        "enable": a.get("enable", True),
        "hide": a.get("hide", False),
        "iconColor": a.get("iconColor", ""),
        "name": a.get("name", ""),
    }
    if "builtIn" in a:
        spec["builtIn"] = bool(a["builtIn"])
    return {"kind": "AnnotationQuery", "spec": spec}


def _without(d: dict, keys) -> dict:
    return {k: v for k, v in d.items() if k not in keys}


# --- v2 -> classic ------------------------------------------------------------------------------


def from_v2(resource: dict, where: str) -> dict:
    """The classic dashboard of a v2 resource; a layout naming a missing element is an ``InputError``."""
    spec = resource.get("spec")
    if not isinstance(spec, dict):
        raise InputError(f"{where}: resource has no spec object")
    metadata = resource.get("metadata") if isinstance(resource.get("metadata"), dict) else {}
    return classic_from_spec(spec, metadata.get("name") or "", where)


def sections_v2(resource: dict, where: str) -> dict[int, dict]:
    """What ``from_v2`` cannot keep in classic JSON, by the row id it gives each row or tab:
    ``{"tab": True}`` and the ``conditionalRendering`` group; ``to_v2(from_v2(r), folder,
    sections_v2(r))`` writes ``r`` again."""
    marks: dict[int, dict] = {}
    _panels_v1(resource.get("spec") or {}, where, marks)
    return marks


def classic_from_spec(spec: dict, uid: str, where: str) -> dict:
    ts = spec.get("timeSettings") or {}
    d: dict = {
        "annotations": {"list": [_annotation_v1(a) for a in spec.get("annotations") or ()]},
        "description": spec.get("description", ""),
        "editable": spec.get("editable", True),
        "graphTooltip": _index(_CURSOR, spec.get("cursorSync"), where, "spec.cursorSync"),
        "links": list(spec.get("links") or ()),
        "panels": _panels_v1(spec, where),
        "refresh": ts.get("autoRefresh", ""),
        "schemaVersion": DEFAULT.schema_version,
        "tags": list(spec.get("tags") or ()),
        "templating": {"list": [_variable_v1(v, where) for v in spec.get("variables") or ()]},
        "time": {"from": ts.get("from", "now-6h"), "to": ts.get("to", "now")},
        "timepicker": {
            "hidden": ts.get("hideTimepicker", False),
            "refresh_intervals": ts.get("autoRefreshIntervals", []),
        },
        "timezone": ts.get("timezone", "browser"),
        "title": spec.get("title", ""),
        "uid": uid,
    }
    if ts.get("fiscalYearStartMonth"):
        d["fiscalYearStartMonth"] = ts["fiscalYearStartMonth"]
    for key in ("liveNow", "preload"):
        if spec.get(key):
            d[key] = spec[key]
    if not d["description"]:
        del d["description"]
    return d


def _panels_v1(spec: dict, where: str, marks: dict | None = None) -> list[dict]:
    elements = spec.get("elements") or {}
    layout = spec.get("layout") or {}
    kind = layout.get("kind")
    lspec = layout.get("spec") or {}
    if kind == "GridLayout":
        return [_placed(elements, item, 0, where) for item in lspec.get("items") or ()]
    if kind == "TabsLayout":  # v1 has no tabs: each is an expanded row (v2alpha1_to_v1beta1.go: processTabItem)
        rows = [{"kind": "RowsLayoutRow", "spec": t.get("spec") or {}} for t in lspec.get("tabs") or ()]
        return _rows_v1(elements, rows, where, marks, tab=True)
    if kind == "RowsLayout":
        return _rows_v1(elements, lspec.get("rows") or (), where, marks)
    raise InputError(
        f"{where}: layout kind {kind or '?'} is not readable by azora-dash (GridLayout, RowsLayout, TabsLayout)"
    )


def _rows_v1(elements: dict, rows, where: str, marks: dict | None, tab: bool = False) -> list[dict]:
    from .layout import stable_id  # the id the house layout gives a row; v2 rows have none

    out: list[dict] = []
    taken = {e.get("spec", {}).get("id") for e in elements.values()}
    y = 0
    for row in rows:
        rspec = row.get("spec") or {}
        inner = (rspec.get("layout") or {}).get("spec") or {}
        if (rspec.get("layout") or {}).get("kind") != "GridLayout":
            raise InputError(
                f"{where}: row {rspec.get('title', '')!r}: only a grid inside a row is readable by azora-dash"
            )
        items = inner.get("items") or ()
        top = y if rspec.get("hideHeader") else y + 1
        children = [_placed(elements, item, top, where) for item in items]
        if not rspec.get("hideHeader"):
            title = rspec.get("title", "")
            row_id = stable_id(f"row {title}", taken)
            taken.add(row_id)
            if marks is not None:
                _mark(marks, row_id, tab, rspec.get("conditionalRendering"))
            collapsed = bool(rspec.get("collapse", False))
            panel = {"collapsed": collapsed, "gridPos": {"h": 1, "w": 24, "x": 0, "y": y}, "id": row_id}
            panel.update(panels=children if collapsed else [], title=title, type="row")
            if rspec.get("repeat"):
                panel["repeat"] = rspec["repeat"].get("value")
            out.append(panel)
            y += 1
            if collapsed:
                continue
        out.extend(children)
        y = max([y, *(c["gridPos"]["y"] + c["gridPos"]["h"] for c in children)])
    return out


def _mark(marks: dict, row_id: int, tab: bool, when: dict | None) -> None:
    mark = {"tab": True} if tab else {}
    if when:
        mark["when"] = when
    if mark:
        marks[row_id] = mark


def _placed(elements: dict, item: dict, top: int, where: str) -> dict:
    ispec = item.get("spec") or {}
    name = (ispec.get("element") or {}).get("name")
    element = elements.get(name)
    if element is None:
        raise InputError(
            f"{where}: layout references element {name!r}, which is not in elements; add it or remove the item"
        )
    if element.get("kind") != "Panel":
        raise InputError(f"{where}: element {name!r} is a {element.get('kind')}; azora-dash reads Panel elements only")
    panel = _panel_v1(element.get("spec") or {})
    pos = {
        "h": ispec.get("height", 3),
        "w": ispec.get("width", 6),
        "x": ispec.get("x", 0),
        "y": top + ispec.get("y", 0),
    }
    panel["gridPos"] = pos
    repeat = ispec.get("repeat")
    if repeat:
        panel["repeat"] = repeat.get("value")
        if repeat.get("direction"):
            panel["repeatDirection"] = repeat["direction"]
        if repeat.get("maxPerRow"):
            panel["maxPerRow"] = repeat["maxPerRow"]
    return panel


def _ds_v1(query: dict) -> dict | None:
    name = (query.get("datasource") or {}).get("name")
    if not name and not query.get("group"):
        return None
    return {"type": query.get("group", ""), "uid": name} if name else {"type": query.get("group", "")}


def _panel_v1(spec: dict) -> dict:
    data = (spec.get("data") or {}).get("spec") or {}
    viz = spec.get("vizConfig") or {}
    targets = []
    for q in data.get("queries") or ():
        qspec = q.get("spec") or {}
        query = qspec.get("query") or {}
        target = {"datasource": _ds_v1(query), **(query.get("spec") or {}), "refId": qspec.get("refId", "A")}
        if target["datasource"] is None:
            del target["datasource"]
        if qspec.get("hidden"):
            target["hide"] = True
        targets.append(target)
    panel: dict = {}
    sources = {repr(t.get("datasource")) for t in targets}
    if len(sources) == 1 and "datasource" in targets[0]:
        panel["datasource"] = dict(targets[0]["datasource"])
    if spec.get("description"):
        panel["description"] = spec["description"]
    vspec = viz.get("spec") or {}
    panel.update(fieldConfig=vspec.get("fieldConfig"), id=spec.get("id", 0), options=vspec.get("options"))
    if panel["options"] is None:
        del panel["options"]
    if viz.get("version"):
        panel["pluginVersion"] = viz["version"]
    panel.update(data.get("queryOptions") or {})
    if spec.get("links"):
        panel["links"] = spec["links"]
    if targets:
        panel["targets"] = targets
    panel["title"] = spec.get("title", "")
    if data.get("transformations"):
        panel["transformations"] = [
            {"id": t.get("group", ""), **(t.get("spec") or {})} for t in data["transformations"]
        ]
    if spec.get("transparent"):
        panel["transparent"] = True
    panel["type"] = viz.get("group", "timeseries")
    return panel


def _variable_v1(var: dict, where: str) -> dict:
    kind, spec = var.get("kind"), dict(var.get("spec") or {})
    out = {
        "current": spec.get("current"),
        "hide": _index(_HIDE, spec.get("hide"), where, f"variable {spec.get('name', '')!r} hide"),
        **{k: spec[k] for k in ("allValue", "description", "label") if k in spec},
        "name": spec.get("name", ""),
    }
    if spec.get("skipUrlSync"):
        out["skipUrlSync"] = True
    if kind in ("QueryVariable", "DatasourceVariable", "CustomVariable"):
        out.update(includeAll=spec.get("includeAll", False), multi=spec.get("multi", False))
        out["options"] = spec.get("options", [])
        if spec.get("allowCustomValue") is False:
            out["allowCustomValue"] = False
    if spec.get("regex"):
        out["regex"] = spec["regex"]
    if kind == "DatasourceVariable":
        refresh = _index(_REFRESH, spec.get("refresh"), where, f"variable {out['name']!r} refresh")
        out.update(query=spec.get("pluginId", ""), refresh=refresh, type="datasource")
    elif kind == "QueryVariable":
        query = spec.get("query") or {}
        qspec = query.get("spec") or {}
        ds = _ds_v1(query)
        if ds:
            out["datasource"] = ds
        out["query"] = qspec[LEGACY_STRING_VALUE_KEY] if LEGACY_STRING_VALUE_KEY in qspec else qspec
        refresh = _index(_REFRESH, spec.get("refresh"), where, f"variable {out['name']!r} refresh")
        sort = _index(_SORT, spec.get("sort"), where, f"variable {out['name']!r} sort")
        out.update(refresh=refresh, sort=sort, type="query")
    else:
        types = {"CustomVariable": "custom", "ConstantVariable": "constant", "TextVariable": "textbox"}
        if kind not in types:
            raise InputError(f"{where}: variable {out['name']!r}: kind {kind!r} is not readable by azora-dash")
        out.update(query=spec.get("query", ""), type=types[kind])
    return out


def _annotation_v1(a: dict) -> dict:
    spec = a.get("spec") or {}
    query = spec.get("query") or {}
    out = {k: spec[k] for k in ("builtIn", "enable", "hide", "iconColor", "name") if k in spec}
    ds = _ds_v1(query)
    if ds:
        out["datasource"] = ds
    if query.get("spec"):
        out["target"] = query["spec"]
    return out
