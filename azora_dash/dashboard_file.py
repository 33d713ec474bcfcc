"""The one model of a dashboard file: every command reads dashboards through here.

``load`` accepts each form a user has and returns the classic dashboard model:

- a classic dashboard JSON object (what ``azora-dash build`` writes; what classic file
  provisioning and Grafana 10-12's ``/api`` read);
- Grafana's API envelope ``{"dashboard": ..., "meta": ...}`` (``GET /api/dashboards/uid/<uid>``,
  and "Export" with "Export for sharing externally" off);
- a grafana.com export, a classic dashboard with ``__inputs``/``__requires`` placeholders;
- a Kubernetes-style resource ``{"apiVersion": "dashboard.grafana.app/v...", "kind": "Dashboard",
  "metadata": {...}, "spec": {...}}`` whose spec is the classic model (``v0alpha1``, ``v1alpha1``,
  ``v1beta1``, ``v1``: Grafana 12's resource API and Git Sync); the uid is ``metadata.name``;
- a schema v2 resource (``dashboard.grafana.app/v2beta1`` from Grafana 12.2+, ``/v2`` from 13), read
  into the classic model through ``dashboard_v2.from_v2``; ``raw`` keeps the resource so
  ``validate`` checks it against the v2 schema.

Anything else (not UTF-8, not JSON, a JSON array, an object that is no dashboard, an unknown
``apiVersion``) is one ``InputError`` line naming the file. ``null`` where Grafana expects a list
(Go clients write ``"panels": null``) reads as empty, as Grafana's frontend reads it.

``iter_panels`` is the one panel walker: top-level panels, panels nested in rows (collapsed
rows hold their children), and legacy ``rows[].panels`` (schemaVersion < 16).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from . import jsonio
from .dashboard_v2 import V2_VERSIONS, from_v2
from .errors import InputError

# Fields Grafana regenerates whenever it stores a dashboard, so they are never a difference:
# `id` is the database row (pkg/services/dashboards/database: SaveDashboard assigns it),
# `version` is bumped on every save (dashboards.SaveDashboardCommand / the version check in
# pkg/services/dashboards/service/dashboard_service.go; GET answers it from the DB row,
# pkg/api/dashboard.go), `iteration` is a frontend timestamp
# that DashboardModel writes on every save (public/app/features/dashboard/state/DashboardModel.ts).
REGENERATED = ("id", "version", "iteration")

RESOURCE_GROUP = "dashboard.grafana.app"
# Resource versions whose spec is the classic dashboard JSON (Grafana 12 exchanges these).
CLASSIC_SPEC_VERSIONS = ("v0alpha1", "v1alpha1", "v1beta1", "v1")

# Containers Grafana treats as lists: null reads as empty (Go's json writes nil slices as null).
_LIST_KEYS = ("panels", "rows", "targets", "links", "tags")
_JSON_TYPES = {str: "string", int: "number", float: "number", bool: "boolean", type(None): "null"}


@dataclass
class DashboardFile:
    """One dashboard as read from a file (or built in memory), in the classic model."""

    dashboard: dict
    source: str  # the file it came from, or the module that built it
    form: str = "classic"  # classic | api | export | resource | v2
    # Deliberate lint exceptions declared in the dashboard's Python module (panels.suppress):
    # panel id -> {rule id: reason}. Never written into the JSON; empty for files.
    suppressions: dict[int, dict[str, str]] = field(default_factory=dict)
    raw: Any = None  # the file's JSON as read (the v2 resource ``validate`` checks), None when built

    @property
    def uid(self) -> str:
        return str(self.dashboard.get("uid") or "")

    @property
    def key(self) -> str:
        """The uid, or for a dashboard without one the file's stem (as import derives one)."""
        return self.uid or Path(self.source).stem

    @property
    def title(self) -> str:
        return str(self.dashboard.get("title") or self.key)


class Slot(NamedTuple):
    """A panel with its JSON pointer and the row panel it sits in (None at the top level)."""

    path: str
    panel: dict
    row: dict | None


def iter_panels(dashboard: dict, *, rows: bool = True) -> Iterator[Slot]:
    """Every panel in document order: rows (unless ``rows=False``), their nested panels, legacy rows[]."""
    for i, panel in enumerate(_dicts(dashboard.get("panels"))):
        if panel.get("type") == "row":
            if rows:
                yield Slot(f"/panels/{i}", panel, None)
            for j, child in enumerate(_dicts(panel.get("panels"))):
                yield Slot(f"/panels/{i}/panels/{j}", child, panel)
        else:
            yield Slot(f"/panels/{i}", panel, None)
    # Pre-Grafana-5 dashboards keep panels in rows[]; Grafana migrates them on load (schema 16).
    for i, legacy in enumerate(_dicts(dashboard.get("rows"))):
        for j, child in enumerate(_dicts(legacy.get("panels"))):
            yield Slot(f"/rows/{i}/panels/{j}", child, legacy)


def panels(dashboard: dict) -> list[dict]:
    """Every non-row panel (nested and legacy-row ones included)."""
    return [s.panel for s in iter_panels(dashboard, rows=False)]


def variables(dashboard: dict) -> list[dict]:
    templating = dashboard.get("templating")
    return _dicts(templating.get("list")) if isinstance(templating, dict) else []


def _dicts(value) -> list[dict]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


# --- datasource references ----------------------------------------------------------------------
# Grafana's built-in datasources by their legacy names, as the refs Grafana saves for them:
# MIXED_DATASOURCE_NAME (public/app/plugins/datasource/mixed/MixedDataSource.ts), DatasourceName and
# DatasourceUID "grafana" (pkg/tsdb/grafanads/grafana.go), SHARED_DASHBOARD_QUERY
# (public/app/plugins/datasource/dashboard/constants.ts); the type of all three is "datasource".
BUILT_IN_DATASOURCES = {
    "-- Mixed --": {"type": "datasource", "uid": "-- Mixed --"},
    "-- Grafana --": {"type": "datasource", "uid": "grafana"},
    "-- Dashboard --": {"type": "datasource", "uid": "-- Dashboard --"},
}
# getInstanceSettings treats a name as a variable only when it starts with "$" (not [[var]]).
_DS_VARIABLE = re.compile(r"\$(\w+)|\$\{(\w+)(?::\w+)?\}")


def datasource_ref(value, dashboard: dict):
    """What a legacy string datasource means, as Grafana's schema-33 step computes it, where that is
    knowable from the file alone; anything else is returned as it is.

    DashboardMigrator.migrateDatasourceNameToRef (public/app/features/dashboard/state/DashboardMigrator.ts)
    asks DatasourceSrv.getInstanceSettings, which answers ``$var`` with the variable's datasource under
    the uid ``$var`` as written (public/app/features/plugins/datasource_srv.ts); the plugin type is the
    datasource variable's ``query``. A name needs the Grafana instance to resolve, so it stays a name.
    """
    if not isinstance(value, str):
        return value
    if value in BUILT_IN_DATASOURCES:
        return dict(BUILT_IN_DATASOURCES[value])
    match = _DS_VARIABLE.fullmatch(value)
    if match:
        name = next(g for g in match.groups() if g)
        for var in variables(dashboard):
            if var.get("name") == name and var.get("type") == "datasource" and isinstance(var.get("query"), str):
                return {"type": var["query"], "uid": value} if var["query"] else value
    return value


# --- reading -----------------------------------------------------------------------------------


def load(obj: Any, source: str | None = None) -> DashboardFile:
    """A ``DashboardFile`` from a path or an already-parsed JSON value (``source`` names it)."""
    if isinstance(obj, (str, Path)):
        source = str(obj) if source is None else source
        obj = jsonio.load_json(obj)
    where = source or "<dashboard>"
    dashboard, form = _unwrap(obj, where)
    # Both walks only act on a null, which most files hold in none of the places they look.
    if _has_null_member(dashboard):
        dashboard = _clean(dashboard)
        _refuse_null_members(dashboard, where)
    return DashboardFile(legacy_rows_to_panels(dashboard), where, form, raw=obj if form == "v2" else None)


def _unwrap(doc: Any, where: str) -> tuple[dict, str]:
    if isinstance(doc, list):
        raise InputError(f"{where}: not a Grafana dashboard: a JSON array (a dashboard file holds one object)")
    if not isinstance(doc, dict):
        raise InputError(f"{where}: not a Grafana dashboard: a JSON {_JSON_TYPES.get(type(doc), 'value')}")
    if "apiVersion" in doc or ("kind" in doc and "spec" in doc):
        dashboard = _resource(doc, where)
        return dashboard, "v2" if str(doc.get("apiVersion")).rpartition("/")[2] in V2_VERSIONS else "resource"
    if isinstance(doc.get("dashboard"), dict):
        return doc["dashboard"], "api"
    if not any(k in doc for k in ("panels", "rows", "templating", "uid", "title")):
        raise InputError(f"{where}: not a Grafana dashboard (none of panels, rows, templating, uid, title)")
    return doc, "export" if "__inputs" in doc else "classic"


def _resource(doc: dict, where: str) -> dict:
    api, kind = str(doc.get("apiVersion") or ""), doc.get("kind")  # provisioning YAML has apiVersion: 1
    group, _, version = api.partition("/")
    if kind != "Dashboard" or group != RESOURCE_GROUP:
        raise InputError(
            f"{where}: not a Grafana dashboard: apiVersion {api or '?'} kind {kind or '?'} "
            f"(want {RESOURCE_GROUP}/<version> kind Dashboard)"
        )
    if version in V2_VERSIONS:
        return from_v2(doc, where)
    if version not in CLASSIC_SPEC_VERSIONS:
        raise InputError(
            f"{where}: {api} dashboards are not readable by this azora-dash; "
            f"export it as classic JSON, {RESOURCE_GROUP}/v1 or {RESOURCE_GROUP}/v2"
        )
    spec, metadata = doc.get("spec"), doc.get("metadata")
    if not isinstance(spec, dict):
        raise InputError(f"{where}: resource has no spec object")
    name = metadata.get("name") if isinstance(metadata, dict) else None
    # The resource API keeps the uid as metadata.name; spec.uid may be absent or stale.
    return {**spec, "uid": name} if name else spec


# Keys whose null _clean reads as empty or _refuse_null_members refuses, in a dashboard or a panel.
_NULLABLE = (*_LIST_KEYS, "templating", "gridPos", "fieldConfig")


def _has_null_member(container: dict) -> bool:
    """Whether ``_clean`` or ``_refuse_null_members`` could act on this dashboard (or panel): a null
    among its ``_NULLABLE`` values or in one of its lists, here or in any panel or row below.

    One cheap pass where those two walk every panel; it may answer True where they change
    nothing (then they run as before), never False where they would act.
    """
    get = container.get
    # ``None in values()`` runs in C; the keys are looked at only when some value is null.
    if None in container.values() and any(get(key, ()) is None for key in _NULLABLE):
        return True
    for key in ("templating", "annotations"):
        inner = get(key)
        if isinstance(inner, dict) and "list" in inner:
            items = inner["list"]
            if items is None or (isinstance(items, list) and None in items):
                return True
    for key in ("targets", "links"):
        items = get(key)
        if isinstance(items, list) and None in items:
            return True
    for key in ("panels", "rows"):
        items = get(key)
        if isinstance(items, list):
            if None in items:
                return True
            for item in items:
                if isinstance(item, dict) and _has_null_member(item):
                    return True
    return False


def _clean(dashboard: dict) -> dict:
    """Read ``null`` lists as empty lists, recursively through panels and rows (a copy only where needed)."""
    changed = {k: [] for k in _LIST_KEYS if k in dashboard and dashboard[k] is None}
    templating = dashboard.get("templating")
    if templating is None and "templating" in dashboard:
        changed["templating"] = {"list": []}
    elif isinstance(templating, dict) and templating.get("list", []) is None:
        changed["templating"] = {**templating, "list": []}
    annotations = dashboard.get("annotations")
    if isinstance(annotations, dict) and annotations.get("list", []) is None:
        changed["annotations"] = {**annotations, "list": []}
    for key in ("panels", "rows"):
        items = changed.get(key, dashboard.get(key))
        if isinstance(items, list):
            # _clean returns a panel itself when it needed nothing, so identity says what changed.
            cleaned = [_clean(p) if isinstance(p, dict) else p for p in items]
            if any(new is not old for new, old in zip(cleaned, items)):
                changed[key] = cleaned
    return {**dashboard, **changed} if changed else dashboard


def _refuse_null_members(dashboard: dict, where: str) -> None:
    """A ``null`` where Grafana reads an object (a panel, target, variable, annotation, a panel's
    gridPos or fieldConfig) is one line naming its place, not a crash in whichever command reads it."""
    places = [(f"/{key}", dashboard.get(key)) for key in ("panels", "rows", "links")]
    for key in ("templating", "annotations"):
        container = dashboard.get(key)
        places.append((f"/{key}/list", container.get("list") if isinstance(container, dict) else None))
    while places:
        pointer, items = places.pop()
        for i, item in enumerate(items if isinstance(items, list) else ()):
            if item is None:
                raise InputError(f"{where}: {pointer}/{i} is null; Grafana needs an object there: remove or fix it")
            if not isinstance(item, dict) or not pointer.endswith(("/panels", "/rows")):
                continue
            for key in ("gridPos", "fieldConfig"):
                if key in item and item[key] is None:
                    raise InputError(f"{where}: {pointer}/{i}/{key} is null; remove it or give an object")
            places += [(f"{pointer}/{i}/{key}", item.get(key)) for key in ("panels", "targets", "links")]


# --- legacy rows (schemaVersion < 16) ---------------------------------------------------------
# Grafana's schema-16 step, DashboardMigrator.upgradeToGridLayout with getGridHeight and RowArea
# (public/app/features/dashboard/state/DashboardMigrator.ts); the constants are those of
# public/app/core/constants.ts. Converting here, in the one model, lets every command see panels.
GRID_COLUMNS = 24
_CELL_HEIGHT, _CELL_VMARGIN = 30, 8
_DEFAULT_SPAN, _DEFAULT_ROW_HEIGHT, _MIN_PANEL_HEIGHT = 4, 250, 30 * 3
ROWS_SCHEMA_VERSION = 16


def legacy_rows_to_panels(dashboard: dict) -> dict:
    """A copy with ``rows[]`` turned into row panels with ``gridPos``, as Grafana does on load."""
    rows = dashboard.get("rows")
    version = dashboard.get("schemaVersion")
    old = not isinstance(version, (int, float)) or version < ROWS_SCHEMA_VERSION
    if not (old and isinstance(rows, list) and _dicts(rows)):
        return dashboard
    out = {k: v for k, v in dashboard.items() if k != "rows"}
    panels = [*_dicts(dashboard.get("panels")), *_grid_layout(_dicts(rows))]
    # DashboardModel's constructor then sorts by position (sortPanelsByGridPos): rows come first.
    out["panels"] = sorted(panels, key=_position)
    # The step is done, so say so: Grafana then runs only the migrations after 16.
    out["schemaVersion"] = ROWS_SCHEMA_VERSION
    return out


def _position(panel: dict) -> tuple:
    pos = panel.get("gridPos") if isinstance(panel.get("gridPos"), dict) else {}
    y, x = pos.get("y", 0), pos.get("x", 0)
    return (y, x) if isinstance(y, (int, float)) and isinstance(x, (int, float)) else (0, 0)


def _grid_height(height) -> int:
    if isinstance(height, str):
        digits = re.match(r"\s*-?\d+", height.replace("px", ""))
        height = int(digits.group()) if digits else _DEFAULT_ROW_HEIGHT
    height = max(height, _MIN_PANEL_HEIGHT)
    return math.ceil(height / (_CELL_HEIGHT + _CELL_VMARGIN))


def _grid_layout(rows: list[dict]) -> list[dict]:
    ids = [p.get("id") for r in rows for p in _dicts(r.get("panels")) if isinstance(p.get("id"), (int, float))]
    next_id = int(max(ids, default=0)) + 1
    # Row panels appear if even one row is collapsed, repeated or shows its title.
    show_rows = any(r.get("collapse") or r.get("showTitle") or r.get("repeat") for r in rows)
    out: list[dict] = []
    y = 0
    for row in rows:
        if row.get("repeatIteration"):
            continue
        row_height = _grid_height(row.get("height") or _DEFAULT_ROW_HEIGHT)
        row_panel = None
        if show_rows:
            row_panel = {"id": next_id, "type": "row", "title": row.get("title"), "collapsed": row.get("collapse")}
            row_panel.update({"repeat": row.get("repeat"), "panels": [], "gridPos": {"x": 0, "y": y, "w": 24}})
            row_panel["gridPos"]["h"] = row_height
            row_panel = {k: v for k, v in row_panel.items() if v is not None}
            next_id += 1
            y += 1
        area = _RowArea(row_height, y)
        for panel in _dicts(row.get("panels")):
            panel = dict(panel)
            span = panel.pop("span", None) or _DEFAULT_SPAN
            if panel.get("minSpan"):
                panel["minSpan"] = min(GRID_COLUMNS, GRID_COLUMNS / 12 * panel["minSpan"])
            width = math.floor(span) * GRID_COLUMNS // 12
            height = _grid_height(panel["height"]) if panel.get("height") else row_height
            x, dy = area.place(height, width)
            y = area.y
            panel["gridPos"] = {"x": x, "y": y + dy, "w": width, "h": height}
            area.add(panel["gridPos"])
            collapsed = row_panel is not None and row_panel.get("collapsed")
            (row_panel["panels"] if collapsed else out).append(panel)
        if row_panel is not None:
            out.append(row_panel)
        if not (row_panel is not None and row_panel.get("collapsed")):
            y += row_height
    return out


class _RowArea:
    """Grafana's RowArea: how far down each column of the current row is filled."""

    def __init__(self, height: int, y: int):
        self.area = [0] * GRID_COLUMNS
        self.y, self.height = y, height

    def add(self, pos: dict) -> None:
        for i in range(pos["x"], min(pos["x"] + pos["w"], GRID_COLUMNS)):
            self.area[i] = max(self.area[i], pos["y"] + pos["h"] - self.y)

    def place(self, height: int, width: int, once: bool = False) -> tuple[int, int]:
        start = end = None
        for i in range(GRID_COLUMNS - 1, -1, -1):
            if self.height - self.area[i] <= 0:
                break
            if end is None:
                end = i
            elif i < GRID_COLUMNS - 1 and self.area[i] <= self.area[i + 1]:
                start = i
            else:
                break
        if start is not None and end is not None and end - start >= width - 1:
            return start, max(self.area[start:])
        if once:
            # Grafana returns null here and then fails on it; place the panel at the row's start.
            return 0, 0
        self.y += self.height  # wrap to the next line of the row
        self.area = [0] * GRID_COLUMNS
        return self.place(height, width, True)


# --- many files ---------------------------------------------------------------------------------


def json_files(paths: list[Path]) -> list[Path]:
    """Files as given; directories become every ``*.json`` below them, sorted."""
    out: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            # By parts, which is how Paths compare, without a Python-level __lt__ per comparison.
            found = sorted(path.rglob("*.json"), key=lambda p: p.parts)
            if not found:
                raise InputError(f"{path}: no *.json dashboards in this directory")
            out.extend(found)
        elif path.exists():
            out.append(path)
        else:
            raise InputError(f"{path}: no such file or directory of dashboard JSON")
    return out


def load_paths(paths: list[Path]) -> list[DashboardFile]:
    """Every dashboard in the given files and directories, in order."""
    return list(iter_paths(paths))


def iter_paths(paths: list[Path]) -> Iterator[DashboardFile]:
    """``load_paths`` one file at a time, for a caller that can drop each dashboard when done with it."""
    for path in json_files(paths):
        yield load(path)


def by_key(files: list[DashboardFile]) -> dict[str, dict]:
    """``{uid (or file stem): dashboard}``; the same uid twice is an error naming both files."""
    out: dict[str, dict] = {}
    origin: dict[str, str] = {}
    for f in files:
        if f.key in out:
            raise InputError(f"{f.source}: duplicate dashboard uid {f.key!r} (also in {origin[f.key]}); keep one")
        out[f.key], origin[f.key] = f.dashboard, f.source
    return out
