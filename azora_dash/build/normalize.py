"""Turn grafanalib 0.7.1's raw output into clean, current-model Grafana JSON.

grafanalib still emits the pre-Grafana-5 model: ``rows``/``span``/``style``,
``null`` for every unset field, datasources as plain strings and
``schemaVersion: 12``. Grafana migrates that on load, but the official
dashboard JSON schema (grafana-foundation-sdk ``jsonschema/dashboard.jsonschema.json``)
closes every object, so we fix the source here once instead of patching JSON
downstream. Each dropped key below is one the schema does not allow, or a
legacy field Grafana ignores in the current model.
"""

from __future__ import annotations

from ..config import Config

# Not in the schema's Dashboard definition (or only meaningful on import).
_DASHBOARD_DROP = {
    "rows",
    "style",
    "hideControls",
    "sharedCrosshair",
    "__inputs",
    "__requires",
    "id",
    "version",
    "gnetId",
}
# Not in the schema's Panel definition: grafanalib's legacy sizing and state fields.
_PANEL_DROP = {
    "span",
    "minSpan",
    "height",
    "editable",
    "error",
    "cacheTimeout",
    "isNew",
    "renderer",
    # grafanalib's Table also writes the old table panel's top-level styling.
    "columns",
    "fontSize",
    "color",
    "mappings",
    "styles",
}
_ROW_KEYS = {"type", "collapsed", "title", "datasource", "gridPos", "id", "panels", "repeat"}
# Graphite-era target fields grafanalib fills in for every Prometheus target.
_TARGET_DROP = {"target", "metric", "step", "intervalFactor", "query"}
# Not in the schema's VariableModel (tag-based variables were removed in Grafana 8).
_VARIABLE_DROP = {"useTags", "tagsQuery", "tagValuesQuery", "tags", "auto", "auto_min", "auto_count"}
# Values equal to Grafana's own defaults: omitting them keeps the JSON short and diffs quiet.
_PANEL_DEFAULTS = {
    "hideTimeOverride": False,
    "transparent": False,
    "links": [],
    "transformations": [],
    "maxDataPoints": 100,
}
_TARGET_DEFAULTS = {"hide": False, "interval": "", "legendFormat": "", "instant": False, "format": "time_series"}


# Exact built-in types that have no ``to_json_data``: most values in a dashboard are
# these, and ``hasattr`` on them raises and catches an AttributeError each time.
_LEAVES = frozenset({str, int, float, bool})


def to_plain(obj):
    """grafanalib objects -> plain dicts/lists, without None values."""
    kind = type(obj)
    if kind in _LEAVES:
        return obj
    if kind is dict:
        return {k: v if type(v) in _LEAVES else to_plain(v) for k, v in obj.items() if v is not None}
    if kind is list:
        return [v if type(v) in _LEAVES else to_plain(v) for v in obj if v is not None]
    if hasattr(obj, "to_json_data"):
        return to_plain(obj.to_json_data())
    if isinstance(obj, dict):
        return {k: to_plain(v) for k, v in obj.items() if v is not None}
    if isinstance(obj, (list, tuple)):
        return [to_plain(v) for v in obj if v is not None]
    return obj


def _datasource_ref(value, cfg: Config):
    if isinstance(value, str):
        return {"type": cfg.datasource_type, "uid": value}
    return value


def _drop_defaults(obj: dict, defaults: dict) -> None:
    for key, default in defaults.items():
        if key in obj and obj[key] == default:
            del obj[key]


def _thresholds(field_config: dict) -> None:
    thresholds = field_config.get("defaults", {}).get("thresholds")
    if not thresholds:
        return
    raw = thresholds.get("steps")
    # grafanalib emits graph-era steps ({op, yaxis, line, index}, base value "null")
    # and, for Stat, steps: "". The model keeps only color and value; the base step's
    # value is null, which is how Grafana serialises -Infinity (and the schema allows).
    steps = [{"color": s["color"], "value": s.get("value")} for s in raw] if isinstance(raw, list) else []
    if steps:
        steps[0]["value"] = None
    thresholds["steps"] = steps
    if not steps:
        del field_config["defaults"]["thresholds"]


def _target(target: dict, index: int, panel_ds, cfg: Config) -> dict:
    for key in _TARGET_DROP:
        target.pop(key, None)
    _drop_defaults(target, _TARGET_DEFAULTS)
    if not target.get("refId"):
        target["refId"] = chr(ord("A") + index)
    datasource = _datasource_ref(target.get("datasource"), cfg) or panel_ds
    if datasource:
        target["datasource"] = datasource
    return target


def _panel(panel: dict, cfg: Config) -> dict:
    if "datasource" in panel:
        panel["datasource"] = _datasource_ref(panel["datasource"], cfg)
    if panel.get("type") == "row":
        row = {k: v for k, v in panel.items() if k in _ROW_KEYS}
        row["panels"] = [_panel(p, cfg) for p in row.get("panels", [])]
        return row
    for key in _PANEL_DROP:
        panel.pop(key, None)
    _drop_defaults(panel, _PANEL_DEFAULTS)
    if "fieldConfig" in panel:
        _thresholds(panel["fieldConfig"])
        panel["fieldConfig"].setdefault("overrides", [])
    panel["targets"] = [_target(t, i, panel.get("datasource"), cfg) for i, t in enumerate(panel.get("targets", []))]
    if not panel["targets"]:
        del panel["targets"]
    return panel


def _variable(var: dict, cfg: Config) -> dict:
    for key in _VARIABLE_DROP:
        var.pop(key, None)
    if "datasource" in var:
        var["datasource"] = _datasource_ref(var["datasource"], cfg)
    if var.get("type") == "datasource":
        # The v2 schema's DatasourceVariableSpec has no sort (dashboardv2.jsonschema.json): without
        # it the v1 and v2 builds hold the same dashboard.
        var.pop("sort", None)
    current = var.get("current")
    if current is not None:
        current.pop("tags", None)
        if "text" not in current or "value" not in current:
            del var["current"]
    return var


def normalize(dashboard, cfg: Config) -> dict:
    data = to_plain(dashboard)
    for key in _DASHBOARD_DROP:
        data.pop(key, None)
    data["schemaVersion"] = cfg.schema_version
    # Everything the build emits is owned by azora-dash: push/prune only touch dashboards
    # carrying this tag, whichever builder (or importer) produced them.
    tags = data.setdefault("tags", [])
    if cfg.managed_tag not in tags:
        tags.append(cfg.managed_tag)
    picker = data.get("timepicker")
    if picker:
        # time_options left the model in Grafana 11 (it never applied to provisioned dashboards).
        picker.pop("time_options", None)
    data["panels"] = [_panel(p, cfg) for p in data.get("panels", [])]
    data.setdefault("templating", {}).setdefault("list", [])
    data["templating"]["list"] = [_variable(v, cfg) for v in data["templating"]["list"]]
    data.setdefault("annotations", {}).setdefault("list", [])
    return data
