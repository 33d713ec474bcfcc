"""Turn grafanalib 0.7.1's raw output into clean, current-model Grafana JSON.

grafanalib still emits the pre-Grafana-5 model: ``rows``/``span``/``style``,
``null`` for every unset field, datasources as plain strings and
``schemaVersion: 12``. The official dashboard JSON schema (grafana-foundation-sdk
``jsonschema/dashboard.jsonschema.json``) closes every object, so we clean the
source here once instead of patching JSON downstream.

The cleaning applies to what grafanalib's classes write and nothing else: each
drop happens while a grafanalib object (``G.Dashboard``, a panel, ``G.Target``,
``G.Template``) is turned into JSON, and never to a key its ``extraJson`` sets.
JSON that is already JSON (an imported dashboard, ``P.carried`` panels, patches)
passes through untouched: for Elasticsearch, InfluxDB, Graphite or OpenTSDB
targets ``query``/``target``/``metric`` *are* the query, interval variables need
``auto``/``auto_min``/``auto_count``, the old table migration reads ``styles``,
and an imported ``schemaVersion`` tells Grafana which migrations still to run.
"""

from __future__ import annotations

import math

from .. import panels as P
from ..config import Config
from ..grafanalib_cache import core as G
from ..jsonio import canonical_numbers

# What grafanalib's classes write that the current model does not have (or only as grafanalib's
# own defaults). Dropped from grafanalib output only; see the module docstring.
_DASHBOARD_DROP = frozenset({"rows", "style", "hideControls", "sharedCrosshair", "id", "version", "gnetId"})
# Placeholders of a grafana.com export: only Grafana's import dialog reads them, never provisioning.
_EXPORT_ONLY = ("__inputs", "__requires")
# grafanalib's legacy sizing and state fields on every panel class.
_PANEL_DROP = frozenset(
    {
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
)
_ROW_KEYS = {"type", "collapsed", "title", "datasource", "gridPos", "id", "panels", "repeat"}
# Graphite-era target fields G.Target fills in for every Prometheus target.
_TARGET_DROP = frozenset({"target", "metric", "step", "intervalFactor", "query"})
# G.Template writes these for every variable (tag-based variables left Grafana 8; auto* belong
# to interval variables, which the house builders never make).
_VARIABLE_DROP = frozenset({"useTags", "tagsQuery", "tagValuesQuery", "tags", "auto", "auto_min", "auto_count"})
# grafanalib's defaults (100 data points is grafanalib's, not Grafana's): omitted from its output.
_PANEL_DEFAULTS = {
    "hideTimeOverride": False,
    "transparent": False,
    "links": [],
    "transformations": [],
    "maxDataPoints": 100,
}
_TARGET_DEFAULTS = {"hide": False, "interval": "", "legendFormat": "", "instant": False, "format": "time_series"}


# Exact built-in types that have no ``to_json_data``: most values in a dashboard are
# these, and ``hasattr`` on them raises and catches an AttributeError each time. Floats are
# not among them: each is checked (``_float``), and dashboards hold few.
_LEAVES = frozenset({str, int, bool})


def to_plain(obj, cfg: Config | None = None):
    """grafanalib objects -> plain dicts/lists, without None values.

    With ``cfg``, grafanalib's own noise is cleaned off each grafanalib object as it is
    converted (``_CLEAN_BY_CLASS``); plain dicts and lists are never changed beyond dropping nulls.
    The result holds only exact dicts, lists, strings, ints, booleans, None and floats that are
    finite and not whole (``jsonio.dumps(..., plain=True)`` relies on it); a value JSON cannot hold
    is an error.
    """
    kind = type(obj)
    if kind is dict:
        return {k: v if type(v) in _LEAVES else to_plain(v, cfg) for k, v in obj.items() if v is not None}
    if kind in _LEAVES:
        return obj
    if kind is list:
        return [v if type(v) in _LEAVES else to_plain(v, cfg) for v in obj if v is not None]
    if kind is float:
        return _float(obj)
    if kind is P.Extended:
        # Its extra JSON is the source's own: merged after the base is cleaned.
        return to_plain(P.merge(to_plain(obj.base, cfg), obj.extra), cfg)
    to_json = getattr(obj, "to_json_data", None)
    if to_json is not None:
        raw = to_json()
        spec = None if cfg is None else _CLEANERS.get(kind, _UNKNOWN)
        if spec is _UNKNOWN:
            spec = _CLEANERS[kind] = _cleaner_of(kind)
        if spec is None or type(raw) is not dict:
            return to_plain(raw, cfg)
        drop, clean = spec
        keep = _extra_keys(obj)
        if keep:
            drop = drop - keep
        # The drop in the same pass as the copy: a popped key costs as much as a copied one.
        data = {
            k: v if type(v) in _LEAVES else to_plain(v, cfg) for k, v in raw.items() if v is not None and k not in drop
        }
        return clean(obj, data, cfg, keep)
    if isinstance(obj, dict):
        return {k: to_plain(v, cfg) for k, v in obj.items() if v is not None}
    if isinstance(obj, (list, tuple)):
        return [to_plain(v, cfg) for v in obj if v is not None]
    return _scalar(obj)


def _float(value: float) -> float | int:
    """A whole number as an int, the form every file is written in (``jsonio.canonical_numbers``)."""
    if not math.isfinite(value):  # json.dumps would write NaN/Infinity, which no JSON parser (Grafana's) reads
        raise ValueError(f"{value} is not a JSON number; give a finite value")
    return canonical_numbers(value)


def _scalar(obj):
    """A subclass of a JSON scalar as json.dumps writes it (an enum's value, say); anything else refused."""
    if obj is None or type(obj) is bool:
        return obj
    for base, convert in ((str, str.__str__), (int, int.__int__), (float, lambda v: _float(float.__float__(v)))):
        if isinstance(obj, base):
            return convert(obj)
    raise TypeError(f"{type(obj).__name__} {obj!r} is not a JSON value")


def _extra_keys(obj) -> frozenset:
    """The keys ``obj``'s ``extraJson`` sets: the source's own, never dropped."""
    extra = getattr(obj, "extraJson", None)
    return frozenset(extra) if extra else _NO_KEYS


_NO_KEYS: frozenset = frozenset()


def _clean_dashboard(obj, data, cfg: Config, keep):
    data["schemaVersion"] = cfg.schema_version
    picker = data.get("timepicker")
    if isinstance(picker, dict):
        # time_options left the model in Grafana 11 (it never applied to provisioned dashboards).
        picker.pop("time_options", None)
    return data


def _clean_row(obj, data, cfg: Config, keep):
    data = {k: v for k, v in data.items() if k in _ROW_KEYS or k in keep}
    _own_datasource(data, cfg, keep)
    return data


def _clean_panel(obj, data, cfg: Config, keep):
    _unset(data, obj.extraJson)
    _drop_defaults(data, _PANEL_DEFAULTS, keep)
    if isinstance(obj, (G.GaugePanel, G.BarGauge)):
        _single_stat(data)
    _own_datasource(data, cfg, keep)
    if "fieldConfig" in data and not _sets_steps(obj.extraJson):
        _thresholds(data["fieldConfig"])
        data["fieldConfig"].setdefault("overrides", [])
    if "targets" not in keep:
        _panel_targets(data, getattr(obj, "targets", None))
    return data


def _clean_target(obj, data, cfg: Config, keep):
    _drop_defaults(data, _TARGET_DEFAULTS, keep)
    _own_datasource(data, cfg, keep)
    return data


def _clean_variable(obj, data, cfg: Config, keep):
    _own_datasource(data, cfg, keep)
    if data.get("type") == "datasource" and "sort" not in keep:
        # The v2 schema's DatasourceVariableSpec has no sort (dashboardv2.jsonschema.json): without
        # it the v1 and v2 builds hold the same dashboard.
        data.pop("sort", None)
    if data.get("type") == "textbox":
        # grafanalib writes query-variable fields on every Template; a text box uses none of them
        # (the v2 TextVariableSpec has no place for them), so they would not round-trip.
        for key in _TEXTBOX_DROP - keep:
            data.pop(key, None)
    _current(data)
    return data


_TEXTBOX_DROP = frozenset({"includeAll", "multi", "options", "refresh", "sort"})

# What is dropped from each grafanalib class's output as it is converted (first match in this
# order, as isinstance would pick it), keeping every key its ``extraJson`` sets, and what cleans
# the rest. Other classes (GridPos, Threshold, Time, ...) are converted as they are. Looked up
# once per class: a dashboard converts ~140 objects.
_CLEAN_BY_CLASS = (
    (G.Dashboard, (_DASHBOARD_DROP, _clean_dashboard)),
    (G.RowPanel, (_NO_KEYS, _clean_row)),
    (G.Panel, (_PANEL_DROP, _clean_panel)),
    (G.Target, (_TARGET_DROP, _clean_target)),
    (G.Template, (_VARIABLE_DROP, _clean_variable)),
)
_CLEANERS: dict = {}
_UNKNOWN = object()


def _cleaner_of(kind: type):
    return next((spec for base, spec in _CLEAN_BY_CLASS if issubclass(kind, base)), None)


def _unset(data: dict, extra) -> None:
    """Remove what ``extraJson`` sets to None (P.extra's "unset"). grafanalib's _deep_update recurses
    into a dict it already has with the None instead of replacing it, so ``{"custom": None}`` would stay."""
    for key, value in (extra or {}).items() if isinstance(extra, dict) else ():
        if value is None:
            data.pop(key, None)
        elif isinstance(value, dict) and isinstance(data.get(key), dict):
            _unset(data[key], value)


def _single_stat(data: dict) -> None:
    """grafanalib's GaugePanel/BarGauge in the model Grafana 7+ reads, as its migration would move them.

    grafanalib writes Grafana 6's single-stat fields: the reduction (calcs, values) in
    fieldConfig.defaults (GaugePanel) or options.fieldOptions (BarGauge), the threshold flags
    beside fieldConfig.defaults. Grafana reads options.reduceOptions and options.showThreshold*
    (public/app/plugins/panel/gauge/panelcfg.cue: Options embeds common.SingleStatBaseOptions), and
    moves 6.x fieldOptions there itself only for panels saved before 7.0 (sharedSingleStatMigrationHandler
    in packages/grafana-ui/src/components/SingleStatShared/SingleStatBaseOptions.ts, by pluginVersion).
    """
    fc, options = data.setdefault("fieldConfig", {}), data.setdefault("options", {})
    defaults = fc.setdefault("defaults", {})
    old = options.pop("fieldOptions", None) or {}
    defaults.update(old.get("defaults") or {})
    reduce = {"calcs": defaults.pop("calcs", old.get("calcs")), "values": defaults.pop("values", old.get("values"))}
    options.setdefault(
        "reduceOptions", {"calcs": reduce["calcs"] or ["mean"], "fields": "", "values": bool(reduce["values"])}
    )
    for key in ("showThresholdLabels", "showThresholdMarkers"):  # gauge options; bar gauges have none
        value = fc.pop(key, options.pop(key, None))
        if data.get("type") == "gauge" and value is not None:
            options.setdefault(key, value)
    for key in ("override", "links"):  # grafanalib's empty placeholders
        if not defaults.get(key):
            defaults.pop(key, None)
    defaults.setdefault("color", {"mode": "thresholds"})


def _sets_steps(extra) -> bool:
    """Whether ``extraJson`` replaces the threshold steps (then they are the source's, not grafanalib's)."""
    for key in ("fieldConfig", "defaults", "thresholds"):
        extra = extra.get(key) if isinstance(extra, dict) else None
    return isinstance(extra, dict) and "steps" in extra


def _drop_defaults(data: dict, defaults: dict, keep) -> None:
    for key, default in defaults.items():
        if key in data and data[key] == default and key not in keep:
            del data[key]


def _own_datasource(data: dict, cfg: Config, keep: set) -> None:
    # grafanalib takes the datasource as a string: ours, by uid.
    if "datasource" in data and "datasource" not in keep:
        data["datasource"] = _datasource_ref(data["datasource"], cfg)


def _panel_targets(panel: dict, objects) -> None:
    targets = panel.get("targets") or []
    # A target that is JSON (P.extra over a target: an import's) says itself whether it has a datasource.
    own = [isinstance(o, P.Extended) for o in objects] if isinstance(objects, list) else []
    for index, target in enumerate(targets):
        if isinstance(target, dict):
            if not target.get("refId"):
                target["refId"] = chr(ord("A") + index)
            if "datasource" not in target and panel.get("datasource") and not (index < len(own) and own[index]):
                target["datasource"] = panel["datasource"]
    if not targets:
        panel.pop("targets", None)


def _all_panels(items) -> list[dict]:
    out = [p for p in items if isinstance(p, dict)] if isinstance(items, list) else []
    return out + [c for p in out for c in _all_panels(p.get("panels"))]


def _threshold_base(panel: dict) -> None:
    """The base step's value is null, however the file spelled it (missing, -Infinity's null, a number).

    Grafana reads steps[0] as the base whatever its value (getActiveThreshold in
    packages/grafana-data/src/field/thresholds.ts starts from steps[0]) and saves it as null
    (JSON has no -Infinity), so a re-save in a newer Grafana is no change.
    """
    field_config = panel.get("fieldConfig")
    defaults = field_config.get("defaults") if isinstance(field_config, dict) else None
    thresholds = defaults.get("thresholds") if isinstance(defaults, dict) else None
    steps = thresholds.get("steps") if isinstance(thresholds, dict) else None
    if isinstance(steps, list) and steps and isinstance(steps[0], dict):
        steps[0]["value"] = None


def _current(var: dict) -> None:
    current = var.get("current")
    if isinstance(current, dict):
        current.pop("tags", None)
        if "text" not in current or "value" not in current:
            del var["current"]


def _datasource_ref(value, cfg: Config):
    if isinstance(value, str):
        return {"type": cfg.datasource_type, "uid": value}
    return value


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


def normalize(dashboard, cfg: Config) -> dict:
    """Clean JSON for ``dashboard`` (grafanalib objects, or dashboard JSON passed through as it is)."""
    data = to_plain(dashboard, cfg)
    for key in _EXPORT_ONLY:
        data.pop(key, None)
    # Everything the build emits is owned by azora-dash: push/prune only touch dashboards
    # carrying this tag, whichever builder (or importer) produced them.
    tags = data.setdefault("tags", [])
    if cfg.managed_tag not in tags:
        tags.append(cfg.managed_tag)
    data.setdefault("panels", [])
    for panel in _all_panels(data["panels"]):
        _threshold_base(panel)
    data.setdefault("templating", {}).setdefault("list", [])
    data.setdefault("annotations", {}).setdefault("list", [])
    return data
