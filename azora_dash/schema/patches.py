"""Where the vendored schema is narrower than what Grafana writes: a reviewable list of patches.

``dashboard.schema.json`` is grafana-foundation-sdk v0.0.18's schema (its ``$comment`` says how it
was vendored). That schema is generated from Grafana's CUE and is stricter than Grafana itself in
a few definitions: it rejects shapes that Grafana 10-12 writes and reads back. Each patch below
replaces exactly one schema node and names the Grafana source that shows the shape is Grafana's
own; everything else stays as upstream has it, closed objects included.

Two sets:

- ``PATCHES`` apply to every dashboard: shapes Grafana 10-12 writes today.
- ``LEGACY_PATCHES`` apply on top for dashboards older than ``LEGACY_BELOW``: shapes older Grafana
  wrote (string datasources, ``null`` options, Angular-era fields). Grafana still loads them and
  migrates them on load (``DashboardMigrator.updateSchema``, from the version the file states), so
  they are no defect in a file that says it is that old; in a current file they stay errors.

Both validators (jsonschema-rs and python-jsonschema) read the same patched schema.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

# The CUE dashboard kind's own default (kinds/dashboard/dashboard_kind.cue: `schemaVersion: uint16 | *36`):
# the schema models dashboards from 36 on; Grafana migrates anything older on load.
LEGACY_BELOW = 36

# Grafana's CUE dashboard kind as of commit 00139e84 (kinds/dashboard/dashboard_kind.cue), the
# schema Grafana 10 validated with; several of its definitions are open where the SDK closed them.
_CUE = "grafana/grafana kinds/dashboard/dashboard_kind.cue@00139e84"
_QUERY_OPTIONS = "public/app/features/query/components/QueryGroupOptions.tsx"
_TEMPLATE_VARS = "packages/grafana-data/src/types/templateVars.ts"
_EXPORTER = "public/app/features/dashboard/components/DashExportModal/DashboardExporter.ts: makeExportable"

_ANY: dict = {}
_OBJECT = {"type": "object"}
_NULLABLE_STRING = {"type": ["string", "null"]}
# Angular panels keep their options at the panel's top level; Grafana migrates each to its React
# successor on load (PanelModel.ts: autoMigrateAngular) and its CUE accepts graph and heatmap
# panels with any field (#GraphPanel, #HeatmapPanel: `...`).
# What dataLink.ts saves of a DataLink (onBuildUrl and onClick are "Not saved in JSON/DTO").
_DATA_LINK = {
    "type": "object",
    "additionalProperties": False,
    "required": ["title", "url"],
    "properties": {
        "title": {"type": "string"},
        "url": {"type": "string"},
        "targetBlank": {"type": "boolean"},
        "internal": {"type": "object"},
        "origin": {"type": "string"},
        "meta": {"type": "object"},
        "oneClick": {"type": "boolean"},
    },
}
_PANEL_LINK = {"anyOf": [{"$ref": "#/definitions/DataLink"}, {"$ref": "#/definitions/DashboardLink"}]}
ANGULAR_PANELS = (
    "graph",
    "table-old",
    "singlestat",
    "grafana-singlestat-panel",
    "grafana-piechart-panel",
    "grafana-worldmap-panel",
    "natel-discrete-panel",
    "heatmap",
)


@dataclass(frozen=True)
class Patch:
    """Replace (or add) the node at ``pointer`` with ``value``; ``source`` says why Grafana writes it."""

    pointer: str
    value: Any
    source: str


PATCHES: tuple[Patch, ...] = (
    Patch(
        "/definitions/Dashboard/required",
        ["schemaVersion"],
        f"{_CUE}: `templating?:`, `annotations?:`; DashboardModel.ts constructor: "
        "`this.templating = this.ensureListExist(data.templating)` (and annotations), so a dashboard "
        "without either loads (the SDK's generator made both required because they have defaults)",
    ),
    Patch(
        "/definitions/MatcherConfig/properties/options",
        _ANY,
        f"{_CUE}: #MatcherConfig `options?: _`; byName/byRegexp matchers store a string "
        "(packages/grafana-data/src/transformations/matchers/nameMatcher.ts: fieldNameMatcher is FieldMatcherInfo<string>)",
    ),
    Patch(
        "/definitions/VariableModel/properties/query",
        {"anyOf": [{"type": "string"}, _OBJECT]},
        f"{_CUE}: #VariableModel `query?: string | {{...}}`; the Prometheus variable editor stores "
        "{qryType, query, refId: 'PrometheusVariableQueryEditor-VariableQuery'} (PromVariableQueryEditor, "
        "packages/grafana-prometheus/src/components/VariableQueryEditor.tsx)",
    ),
    Patch(
        "/definitions/VariableModel/properties/current",
        # if/else rather than anyOf, so a broken option is explained as an option, not as "not empty".
        {"if": {"type": "object", "maxProperties": 0}, "else": {"$ref": "#/definitions/VariableOption"}},
        f"{_EXPORTER} sets `variable.current = {{}}` on query and datasource variables; "
        "packages/grafana-data/src/types/templateVars.ts: `current: VariableOption | Record<string, never>`",
    ),
    Patch(
        "/definitions/VariableOption/properties/isNone",
        {"type": "boolean"},
        f"{_TEMPLATE_VARS}: VariableOption `isNone?: boolean`",
    ),
    Patch(
        "/definitions/VariableModel/properties/queryValue",
        {"type": "string"},
        f"{_TEMPLATE_VARS}: QueryVariableModel `queryValue?: string`",
    ),
    *(
        Patch(f"/definitions/VariableModel/properties/{name}", _NULLABLE_STRING, f"{_TEMPLATE_VARS}: {why}")
        for name, why in (
            ("allValue", "VariableWithMultiSupport `allValue?: string | null`"),
            ("description", "BaseVariableModel `description: string | null`"),
        )
    ),
    # Variable tags (removed in Grafana 8); Grafana 10's variable adapters save the model they loaded
    # (the CUE #VariableModel is open, `...`), so files saved by 10.x (schemaVersion 39) still have them.
    *(
        Patch(f"/definitions/VariableModel/properties/{name}", value, f"{_CUE}: #VariableModel is open (`...`)")
        for name, value in (
            ("tags", {"type": "array"}),
            ("tagsQuery", {"type": "string"}),
            ("tagValuesQuery", {"type": "string"}),
            ("useTags", {"type": "boolean"}),
        )
    ),
    Patch(
        "/definitions/DashboardLink/required",
        ["title", "type"],
        f"{_CUE}: #DashboardLink gives asDropdown/targetBlank/includeVars/keepTime defaults (`bool | *false`); "
        "Grafana saves links as it loaded them, so a link without the defaulted fields round-trips",
    ),
    Patch(
        "/definitions/Panel/required",
        [],
        "a library panel reference is {id, gridPos, libraryPanel: {uid}} with no type (Grafana's own "
        "devenv dashboards); the type comes from the library panel on load (public/app/features/panel/"
        "state/actions.ts: loadLibraryPanelAndUpdate -> getLibraryPanel(uid) -> panel.initLibraryPanel)",
    ),
    Patch(
        "/definitions/Panel/anyOf",
        [{"required": ["type"]}, {"required": ["libraryPanel"]}],
        "see /definitions/Panel/required: a panel has a type unless it is a library panel reference",
    ),
    Patch(
        "/definitions/LibraryPanelRef/required",
        ["uid"],
        "Grafana loads a library panel by uid alone (loadLibraryPanelAndUpdate: `panel.libraryPanel!.uid!`; "
        "public/app/features/library-panels/state/api.ts: getLibraryPanel(uid))",
    ),
    Patch(
        "/definitions/DynamicConfigValue/properties/value",
        _ANY,
        f"{_CUE}: #DynamicConfigValue `value?: _`; an override sets a number, string or list as often as an object",
    ),
    Patch(
        "/definitions/FieldConfigSource/required",
        ["defaults"],
        "PanelModel.ts `defaults` fill `fieldConfig: {defaults: {}, overrides: []}` on load",
    ),
    # Panel and field links are data links, not dashboard links (the SDK points both at DashboardLink).
    Patch("/definitions/DataLink", _DATA_LINK, "packages/grafana-data/src/types/dataLink.ts: interface DataLink"),
    *(
        Patch(pointer, {"type": "array", "items": _PANEL_LINK}, "see /definitions/DataLink")
        for pointer in ("/definitions/Panel/properties/links", "/definitions/FieldConfig/properties/links")
    ),
    # The query options editor writes null for a cleared field (QueryGroupOptions.tsx: onMaxDataPointsBlur,
    # onQueryCachingTTLBlur `= null`; onCacheTimeoutBlur, onMinIntervalBlur `emptyToNull(...)`).
    *(
        Patch(f"/definitions/Panel/properties/{name}", value, f"{_QUERY_OPTIONS}: a cleared {name} is null")
        for name, value in (
            ("cacheTimeout", _NULLABLE_STRING),
            ("interval", _NULLABLE_STRING),
            ("queryCachingTTL", {"type": ["number", "null"]}),
        )
    ),
    Patch(
        "/definitions/Panel/properties/maxDataPoints",
        {"anyOf": [{"type": ["number", "null"]}, {"const": ""}]},
        f'{_QUERY_OPTIONS}: onMaxDataPointsBlur writes null; "" is what many Grafana exports carry (a Grafana '
        "11.4 Zabbix export, Loki logs panels); no source found that writes it, so only the empty string is let in",
    ),
    Patch(
        "/definitions/Dashboard/properties/gnetId",
        {"type": ["string", "integer", "null"]},
        "public/app/features/dashboard/state/DashboardModel.ts constructor: `this.gnetId = data.gnetId || null`; "
        "the grafana.com importer stores the numeric dashboard id",
    ),
    Patch(
        "/definitions/Threshold/required",
        ["color"],
        f"{_CUE}: #Threshold `value?: number` (the base step's -Infinity is written as null or left out)",
    ),
    *(
        Patch(f"/definitions/Dashboard/properties/{name}", {"type": "array", "items": _OBJECT}, _EXPORTER)
        for name in ("__inputs", "__requires")
    ),
    # Grafana 10+ writes the library panels a shared dashboard uses as a map by uid; 9.x wrote a list.
    Patch("/definitions/Dashboard/properties/__elements", {"type": ["object", "array"]}, _EXPORTER),
    Patch(
        "/definitions/Dashboard/properties/style", {"enum": ["light", "dark"]}, f'{_CUE}: `style: "light" | *"dark"`'
    ),
    *(
        Patch(f"/definitions/TimePickerConfig/properties/{name}", value, f"{_CUE}: timepicker `{name}`")
        for name, value in (
            ("time_options", {"type": "array", "items": {"type": "string"}}),
            ("collapse", {"type": "boolean"}),
            ("enable", {"type": "boolean"}),
        )
    ),
    Patch(
        "/definitions/AnnotationQuery/additionalProperties",
        _ANY,
        f"{_CUE}: #AnnotationQuery is open: datasources 'spread their query into the base object'",
    ),
)

# What older Grafana wrote; applied only when the file's schemaVersion is below LEGACY_BELOW.
_MIGRATOR = "public/app/features/dashboard/state/DashboardMigrator.ts"
LEGACY_PATCHES: tuple[Patch, ...] = (
    Patch(
        "/definitions/DataSourceRef",
        {"anyOf": [{"$ref": "#/definitions/DataSourceRefObject"}, _NULLABLE_STRING]},
        f"{_MIGRATOR}: schema 33 turns datasource names and `$var` strings into refs, schema 36 turns null "
        "(the default datasource) into one",
    ),
    Patch("/definitions/Panel/additionalProperties", _ANY, f"{_MIGRATOR} migrates Angular-era panel fields on load"),
    Patch("/definitions/RowPanel/additionalProperties", _ANY, f"{_MIGRATOR}: schema 16 rows kept row fields"),
    Patch("/definitions/Panel/properties/repeat", _NULLABLE_STRING, "pre-React PanelModel saved `repeat: null`"),
    Patch("/definitions/RowPanel/properties/repeat", _NULLABLE_STRING, "pre-React PanelModel saved `repeat: null`"),
    *(
        Patch(f"/definitions/Panel/properties/{name}", _NULLABLE_STRING, f"pre-React PanelModel saved `{name}: null`")
        for name in ("timeFrom", "timeShift")
    ),
    Patch("/definitions/VariableModel/additionalProperties", _ANY, f"{_MIGRATOR}: Grafana 4-era variable fields"),
    Patch("/definitions/VariableModel/properties/label", _NULLABLE_STRING, "old variable editors saved `label: null`"),
    # A timestamp Grafana 4-8 kept on the dashboard (files of schemaVersion 14-34 have it); dashboard_file.REGENERATED.
    Patch("/definitions/Dashboard/properties/iteration", {"type": "number"}, "Grafana 4-8 dashboards"),
    Patch("/definitions/VariableOption/additionalProperties", _ANY, "old variable options carried `tags`"),
    Patch("/definitions/TimePickerConfig/additionalProperties", _ANY, "Grafana 4-5 timepicker fields (`now`, ...)"),
    *(
        Patch(f"/definitions/Dashboard/properties/{name}", value, f"{_MIGRATOR}: removed on load")
        for name, value in (("rows", {"type": "array"}), ("hideControls", {"type": "boolean"}))
    ),
)


def _angular_panels(defs: dict) -> None:
    """``Panel`` becomes "an Angular panel (ANGULAR_PANELS) with any top-level field, else the closed panel"."""
    defs["ClosedPanel"] = defs["Panel"]
    defs["AngularPanel"] = {**defs["Panel"], "additionalProperties": _ANY}
    defs["Panel"] = {
        # Panels and rows are `oneOf` in Dashboard.panels: a row must not also pass as a panel.
        "not": {"type": "object", "properties": {"type": {"const": "row"}}, "required": ["type"]},
        "if": {"properties": {"type": {"enum": list(ANGULAR_PANELS)}}, "required": ["type"]},
        "then": {"$ref": "#/definitions/AngularPanel"},
        "else": {"$ref": "#/definitions/ClosedPanel"},
    }


def _resolve(schema: dict, pointer: str) -> tuple[Any, str]:
    *parents, last = pointer.lstrip("/").split("/")
    node = schema
    for key in parents:
        node = node[key]
    return node, last


def apply(schema: dict, patches: tuple[Patch, ...]) -> dict:
    """A patched deep copy of ``schema``: each patch in order, then the Angular panel split."""
    out = copy.deepcopy(schema)
    defs = out["definitions"]
    defs["DataSourceRefObject"] = copy.deepcopy(defs["DataSourceRef"])
    for patch in patches:
        parent, key = _resolve(out, patch.pointer)
        parent[key] = copy.deepcopy(patch.value)
    _angular_panels(defs)
    return out
