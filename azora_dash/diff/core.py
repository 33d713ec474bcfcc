"""Semantic dashboard diff: what changed, panel by panel, instead of 2,000 lines of JSON.

``diff(old, new)`` takes two ``{uid: dashboard}`` maps and returns ``Change``
objects keyed on stable identities (pint ``discovery.ChangeType``, pip-tools
``sync.diff``): dashboards by uid, panels by id falling back to title, targets
by refId, template variables by name. Rendering lives in ``diff_render``.

Noise is ignored by construction: ``id``/``version``/``iteration`` are dropped,
and parsed JSON compares with ``==``, so key order and ``1`` vs ``1.0`` never
show up. (Python also has ``True == 1``; a field flipping between ``true`` and
``1`` is not reported. Grafana's JSON never does that, and checking it would
cost a recursive walk of every unchanged panel.)
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any

from ..dashboard_file import REGENERATED, by_key, load_paths
from ..jsonio import bulk_load


class ChangeType(str, Enum):
    ADDED = "added"
    REMOVED = "removed"
    MODIFIED = "modified"
    MOVED = "moved"


@dataclass(frozen=True)
class FieldChange:
    field: str  # "title", "expr[A]", "unit", "thresholds", "gridPos", "row", "options.legend.placement", ...
    old: Any
    new: Any

    def to_dict(self) -> dict:
        return {"field": self.field, "old": self.old, "new": self.new}


@dataclass(frozen=True)
class Change:
    kind: ChangeType
    scope: str  # "dashboard" | "panel" | "variable"
    dashboard_uid: str
    dashboard_title: str
    panel_id: int | None = None
    panel_title: str | None = None
    name: str | None = None  # variable name for scope "variable"
    # MODIFIED/MOVED: what changed. ADDED panels: their queries (expr[A] None -> PromQL).
    fields: tuple[FieldChange, ...] = ()

    def to_dict(self) -> dict:
        return {
            "kind": self.kind.value,
            "scope": self.scope,
            "dashboard_uid": self.dashboard_uid,
            "dashboard_title": self.dashboard_title,
            "panel_id": self.panel_id,
            "panel_title": self.panel_title,
            "name": self.name,
            "fields": [f.to_dict() for f in self.fields],
        }


# id/version/iteration: bookkeeping Grafana bumps on every save, never a reviewer's concern.
# panels/templating: compared one by one below.
_DASHBOARD_IGNORE = {*REGENERATED, "panels", "templating"}
# Panel keys handled separately: identity, placement (MOVED), children, queries, field config.
_PANEL_SPECIAL = {"id", "gridPos", "panels", "targets", "fieldConfig"}
# Reported whole: a datasource is one reference, not two independent leaves.
_PANEL_WHOLE = {"datasource", "title", "description", "type", "libraryPanel"}
_TARGET_FIELDS = {"expr": "expr", "legendFormat": "legend"}
_SCOPE_RANK = {"dashboard": 0, "variable": 1, "panel": 2}
_KIND_RANK = {ChangeType.REMOVED: 0, ChangeType.ADDED: 1, ChangeType.MODIFIED: 2, ChangeType.MOVED: 3}


def _leaf_changes(old: Any, new: Any, path: str, out: list[FieldChange]) -> None:
    """Dotted-path FieldChanges for the leaves that differ (lists compare whole: order matters there)."""
    if old == new:
        return
    if isinstance(old, dict) and isinstance(new, dict):
        for key in sorted(old.keys() | new.keys()):
            _leaf_changes(old.get(key), new.get(key), f"{path}.{key}" if path else key, out)
    else:
        out.append(FieldChange(path, old, new))


def _target_changes(old: list, new: list) -> list[FieldChange]:
    olds = {t.get("refId", ""): t for t in old or ()}
    news = {t.get("refId", ""): t for t in new or ()}
    out: list[FieldChange] = []
    for ref in sorted(olds.keys() | news.keys()):
        a, b = olds.get(ref, {}), news.get(ref, {})
        if a == b:
            continue
        for key in sorted((a.keys() | b.keys()) - {"refId"}):
            if a.get(key) != b.get(key):
                out.append(FieldChange(f"{_TARGET_FIELDS.get(key, key)}[{ref}]", a.get(key), b.get(key)))
    return out


def _panel_changes(old: dict, new: dict) -> list[FieldChange]:
    out: list[FieldChange] = []
    for key in sorted((old.keys() | new.keys()) - _PANEL_SPECIAL):
        if key in _PANEL_WHOLE:
            if old.get(key) != new.get(key):
                out.append(FieldChange(key, old.get(key), new.get(key)))
        else:
            _leaf_changes(old.get(key), new.get(key), key, out)
    out.extend(_target_changes(old.get("targets"), new.get("targets")))
    old_fc, new_fc = old.get("fieldConfig") or {}, new.get("fieldConfig") or {}
    if old_fc != new_fc:
        old_d, new_d = dict(old_fc.get("defaults") or {}), dict(new_fc.get("defaults") or {})
        for key in ("unit", "thresholds"):
            if old_d.get(key) != new_d.get(key):
                out.append(FieldChange(key, old_d.get(key), new_d.get(key)))
            old_d.pop(key, None)
            new_d.pop(key, None)
        _leaf_changes(old_d, new_d, "fieldConfig.defaults", out)
        _leaf_changes(old_fc.get("overrides"), new_fc.get("overrides"), "fieldConfig.overrides", out)
    return out


@dataclass
class _Slot:
    """A panel in reading order with the row it sits under (None at the top)."""

    panel: dict
    row: int | None  # index into the slot list of the parent row

    @property
    def title(self):
        return self.panel.get("title")

    @property
    def id(self):
        return self.panel.get("id")


def _flatten(panels: list) -> list[_Slot]:
    """Every panel, nested ones in collapsed rows included, each with its parent row.

    Grafana sorts panels by gridPos (DashboardModel.sortPanelsByGridPos); a panel
    belongs to the nearest row above it, or to the row it is nested in when collapsed.
    """

    def pos(p):
        g = p.get("gridPos") or {}
        return (g.get("y", 0), g.get("x", 0))

    slots: list[_Slot] = []
    current = None
    for panel in sorted(panels or (), key=pos):
        if panel.get("type") == "row":
            slots.append(_Slot(panel, None))
            current = len(slots) - 1
            for child in sorted(panel.get("panels") or (), key=pos):
                slots.append(_Slot(child, current))
        else:
            slots.append(_Slot(panel, current))
    return slots


def _match(old: list[_Slot], new: list[_Slot]) -> dict[int, int]:
    """new index -> old index. Same id and title first; then a title unique on both sides
    (a dashboard numbered in reading order shifts every id after an inserted panel: the
    panel survives, its changed id is reported); then id alone (a renamed panel).
    Whatever is left was added or removed."""
    pairs: dict[int, int] = {}
    rules = (lambda s: (s.id, s.title), lambda s: ("title", s.title), lambda s: ("id", s.id))
    for key in rules:
        taken = set(pairs.values())
        olds: dict[Any, list[int]] = {}
        for i, s in enumerate(old):
            if i not in taken:
                olds.setdefault(key(s), []).append(i)
        news: dict[Any, list[int]] = {}
        for j, s in enumerate(new):
            if j not in pairs:
                news.setdefault(key(s), []).append(j)
        for k, js in news.items():
            if None in k or k not in olds or (len(js) > 1 or len(olds[k]) > 1) and key is not rules[0]:
                continue
            for j, i in zip(js, olds[k]):
                pairs[j] = i
    return pairs


def _row_title(slots: list[_Slot], index: int | None):
    return None if index is None else slots[index].title


def _panel_diffs(ctx: dict, old_panels: list, new_panels: list) -> list[Change]:
    old, new = _flatten(old_panels), _flatten(new_panels)
    pairs = _match(old, new)
    out: list[Change] = []
    for j, n in enumerate(new):
        if j not in pairs:
            # The new queries, so a reviewer sees what a new panel asks Prometheus.
            queries = tuple(
                FieldChange(f"expr[{t.get('refId', '')}]", None, t["expr"])
                for t in n.panel.get("targets") or ()
                if t.get("expr")
            )
            out.append(Change(ChangeType.ADDED, "panel", **ctx, panel_id=n.id, panel_title=n.title, fields=queries))
            continue
        o = old[pairs[j]]
        # Same parent means: both at the top, or under rows that matched each other.
        same_row = o.row == (None if n.row is None else pairs.get(n.row, -1))
        if same_row and o.panel == n.panel:
            continue
        fields = _panel_changes(o.panel, n.panel)
        if o.id != n.id:
            # A panel's id is its address (viewPanel=, d-solo embeds, alert annotations): a change breaks links.
            fields = [FieldChange("id", o.id, n.id), *fields]
        if fields:
            out.append(
                Change(ChangeType.MODIFIED, "panel", **ctx, panel_id=n.id, panel_title=n.title, fields=tuple(fields))
            )
        moved = []
        if o.panel.get("gridPos") != n.panel.get("gridPos"):
            moved.append(FieldChange("gridPos", o.panel.get("gridPos"), n.panel.get("gridPos")))
        if not same_row:
            moved.append(FieldChange("row", _row_title(old, o.row), _row_title(new, n.row)))
        if moved:
            out.append(
                Change(ChangeType.MOVED, "panel", **ctx, panel_id=n.id, panel_title=n.title, fields=tuple(moved))
            )
    for i in sorted(set(range(len(old))) - set(pairs.values())):
        out.append(Change(ChangeType.REMOVED, "panel", **ctx, panel_id=old[i].id, panel_title=old[i].title))
    return out


def _variables(dashboard: dict) -> dict[str, dict]:
    return {v.get("name"): v for v in (dashboard.get("templating") or {}).get("list") or ()}


def _variable_diffs(ctx: dict, old: dict, new: dict) -> list[Change]:
    olds, news = _variables(old), _variables(new)
    out: list[Change] = []
    for name in sorted(olds.keys() | news.keys(), key=str):
        a, b = olds.get(name), news.get(name)
        if a == b:
            continue
        if a is None or b is None:
            kind = ChangeType.ADDED if a is None else ChangeType.REMOVED
            out.append(Change(kind, "variable", **ctx, name=name))
            continue
        fields: list[FieldChange] = []
        _leaf_changes(a, b, "", fields)
        out.append(Change(ChangeType.MODIFIED, "variable", **ctx, name=name, fields=tuple(fields)))
    return out


def _dashboard_diff(uid: str, old: dict, new: dict) -> list[Change]:
    ctx = {"dashboard_uid": uid, "dashboard_title": new.get("title") or old.get("title") or uid}
    fields: list[FieldChange] = []
    for key in sorted((old.keys() | new.keys()) - _DASHBOARD_IGNORE):
        _leaf_changes(old.get(key), new.get(key), key, fields)
    out = [Change(ChangeType.MODIFIED, "dashboard", **ctx, fields=tuple(fields))] if fields else []
    out += _variable_diffs(ctx, old, new)
    out += _panel_diffs(ctx, old.get("panels"), new.get("panels"))
    return out


def _sort_key(change: Change):
    return (
        change.dashboard_uid,
        _SCOPE_RANK[change.scope],
        change.name or "",
        change.panel_id if change.panel_id is not None else -1,
        change.panel_title or "",
        _KIND_RANK[change.kind],
    )


def diff(old: dict[str, dict], new: dict[str, dict]) -> list[Change]:
    """Changes from ``old`` to ``new`` (both ``{uid: dashboard}``), in a stable order:
    by dashboard uid, then dashboard-level, variables by name, panels by id."""
    changes: list[Change] = []
    for uid in old.keys() | new.keys():
        a, b = old.get(uid), new.get(uid)
        if a is None or b is None:
            kind, d = (ChangeType.ADDED, b) if a is None else (ChangeType.REMOVED, a)
            changes.append(Change(kind, "dashboard", uid, d.get("title") or uid))
        elif a != b:
            changes.extend(_dashboard_diff(uid, a, b))
    return sorted(changes, key=_sort_key)


def load_dashboards(path: Path) -> dict[str, dict]:
    """``{uid: dashboard}`` from a JSON file or every ``*.json`` under a directory (``dashboard_file``)."""
    with bulk_load():
        return by_key(load_paths([Path(path)]))
