"""The equivalent forms of a dashboard, collapsed into one before the diff compares it.

Re-saving a dashboard in a newer Grafana rewrites fields without changing what the
dashboard does; a review must not see those. Each rule below is a form Grafana itself
writes or reads as the same thing, with the Grafana source that does so. Every panel
the diff compares goes through ``canonical_panel`` first (``canonical`` does a whole
dashboard), so there are no special cases scattered through the comparison.
"""

from __future__ import annotations

from typing import Any

# public/app/plugins/datasource/mixed/MixedDataSource.ts (MIXED_DATASOURCE_NAME): a Mixed
# panel takes each query's own datasource, so there a target's datasource is never redundant.
_MIXED = "-- Mixed --"
# PanelModel.getSaveModel (public/app/features/dashboard/state/PanelModel.ts) leaves out
# every property equal to PanelModel's `defaults`, and restoreModel puts them back on load:
# present-with-the-default and absent are one panel.
_PANEL_DEFAULTS = {
    "transparent": False,
    "options": {},
    "fieldConfig": {"defaults": {}, "overrides": []},
    "title": "",
    "targets": [{"refId": "A"}],
}
_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def canonical(dashboard: dict) -> dict:
    """A copy of ``dashboard`` (classic model) with every equivalent form in one spelling."""
    out = dict(dashboard)
    panels = out.get("panels")
    if isinstance(panels, list):
        out["panels"] = [_row_or_panel(p) for p in panels]
    return out


def _row_or_panel(panel: Any) -> Any:
    if not isinstance(panel, dict):
        return panel
    panel = canonical_panel(panel)
    children = panel.get("panels")
    if isinstance(children, list) and children:
        panel["panels"] = [canonical_panel(c) if isinstance(c, dict) else c for c in children]
    return panel


def canonical_panel(panel: dict) -> dict:
    """A copy of one panel (a row's children left as they are) in the canonical spelling."""
    out = {k: v for k, v in panel.items() if not (k in _PANEL_DEFAULTS and v == _PANEL_DEFAULTS[k])}
    # PanelModel.pluginLoaded writes the running Grafana's plugin version on every load whose
    # version differs (getPluginVersion); it records who last migrated the options, not a setting.
    out.pop("pluginVersion", None)
    targets = out.get("targets")
    if isinstance(targets, list):
        out["targets"] = _targets(targets, out.get("datasource"))
    fc = out.get("fieldConfig")
    if isinstance(fc, dict):
        out["fieldConfig"] = _field_config(fc)
    return out


def _targets(targets: list, panel_ds: Any) -> list:
    """Missing refIds and datasources filled in as Grafana fills them on load."""
    out = [dict(t) if isinstance(t, dict) else t for t in targets]
    for t in out:
        # PanelModel.ensureQueryIds on load: every query without a refId gets the first unused
        # letter (getNextRefId, packages/grafana-data/src/query/refId.ts), in order.
        if isinstance(t, dict) and not t.get("refId"):
            t["refId"] = _next_ref_id(out)
    if isinstance(panel_ds, dict) and panel_ds.get("uid") != _MIXED:
        for t in out:
            # DashboardMigrator's schema-36 step (public/app/features/dashboard/state/DashboardMigrator.ts)
            # gives every target without a datasource uid a copy of the panel's, unless the panel is
            # Mixed; newer Grafanas save it so: missing and equal to the panel's are one query.
            ds = t.get("datasource") if isinstance(t, dict) else None
            if isinstance(t, dict) and (ds is None or (isinstance(ds, dict) and ds.get("uid") is None)):
                t["datasource"] = dict(panel_ds)
    return out


def _next_ref_id(targets: list) -> str:
    used = {t.get("refId") for t in targets if isinstance(t, dict)}
    num = 0
    while True:
        ref, n = "", num
        while True:
            ref = _LETTERS[n % 26] + ref
            n = n // 26 - 1
            if n < 0:
                break
        if ref not in used:
            return ref
        num += 1


def _field_config(fc: dict) -> dict:
    out = dict(fc)
    defaults = out.get("defaults")
    if isinstance(defaults, dict) and isinstance(defaults.get("thresholds"), dict):
        out["defaults"] = {**defaults, "thresholds": _thresholds(defaults["thresholds"])}
    overrides = out.get("overrides")
    if isinstance(overrides, list):
        out["overrides"] = [_override(o) for o in overrides]
    return out


def _override(override: Any) -> Any:
    props = override.get("properties") if isinstance(override, dict) else None
    if not isinstance(props, list):
        return override
    props = [
        {**p, "value": _thresholds(p["value"])}
        if isinstance(p, dict) and p.get("id") == "thresholds" and isinstance(p.get("value"), dict)
        else p
        for p in props
    ]
    return {**override, "properties": props}


def _thresholds(thresholds: dict) -> dict:
    """The base step's value dropped: Grafana sets it to -Infinity whatever the file says
    (validateFieldConfig, packages/grafana-data/src/field/fieldOverrides.ts, and fixThresholds,
    public/app/features/dashboard/state/getPanelOptionsWithDefaults.ts: "First value is always
    -Infinity, JSON saves it as null"), so `null`, a number and no value are one base."""
    steps = thresholds.get("steps")
    if not (isinstance(steps, list) and steps and isinstance(steps[0], dict) and "value" in steps[0]):
        return thresholds
    base = {k: v for k, v in steps[0].items() if k != "value"}
    return {**thresholds, "steps": [base, *steps[1:]]}
