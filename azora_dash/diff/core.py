"""Semantic dashboard diff: what changed, panel by panel, instead of 2,000 lines of JSON.

``diff(old, new)`` takes two ``{uid: dashboard}`` maps and returns ``Change``
objects keyed on stable identities (pint ``discovery.ChangeType``, pip-tools
``sync.diff``): dashboards by uid, panels by id falling back to title, targets
by refId, template variables by name. Rendering lives in ``diff_render``.

Noise is ignored by construction: ``id``/``version``/``iteration`` are dropped,
what a re-save in a newer Grafana rewrites is collapsed by ``canonical_panel`` first,
lists of objects (overrides, transformations, links, targets) compare element by
element under a natural key where one exists, and parsed JSON compares with ``==``, so key order and ``1`` vs ``1.0`` never
show up. (Python also has ``True == 1``; a field flipping between ``true`` and
``1`` is not reported. Grafana's JSON never does that, and checking it would
cost a recursive walk of every unchanged panel.)
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any

from ..dashboard_file import REGENERATED, by_key, load_paths
from ..jsonio import bulk_load
from .canonical import canonical_panel


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
    """Dotted-path FieldChanges for the leaves that differ; lists of objects element by element."""
    if old == new:
        return
    if isinstance(old, dict) and isinstance(new, dict):
        for key in sorted(old.keys() | new.keys()):
            _leaf_changes(old.get(key), new.get(key), f"{path}.{key}" if path else key, out)
    elif _objects(old) and _objects(new) and (old or new):
        _list_changes(old or [], new or [], path, out)
    else:
        out.append(FieldChange(path, old, new))


def _objects(value: Any) -> bool:
    """A list of objects (or nothing), which is compared element by element."""
    return value is None or (isinstance(value, list) and all(isinstance(v, dict) for v in value))


def _label(item: dict, key_of) -> str | None:
    key = key_of(item)
    return None if key in (None, "", "=") else str(key)


# The natural key of an element, by the name of its list: a reviewer reads
# `fieldConfig.overrides[byName=Cached]`, not `fieldConfig.overrides[3]`. Lists not named
# here (links, mappings, ...) have no key Grafana guarantees and match by position.
_NATURAL_KEYS = {
    # Grafana applies overrides by matcher; id + options is what the editor shows as the rule.
    "overrides": lambda o: _matcher(o.get("matcher")),
    "properties": lambda p: p.get("id"),
    "transformations": lambda t: t.get("id"),
    "list": lambda a: a.get("name"),  # annotations.list
    "options": lambda o: o.get("value"),  # a variable's options: what the option selects
}


def _matcher(matcher) -> str | None:
    if not isinstance(matcher, dict) or not matcher.get("id"):
        return None
    options = matcher.get("options")
    shown = options if isinstance(options, str) else json.dumps(options, sort_keys=True, separators=(",", ":"))
    return f"{matcher['id']}={shown}"


def _keyed(items: list[dict], key_of) -> dict[str, dict] | None:
    """``{key: item}`` when every item has a key and no key repeats, else None (match by position)."""
    labels = [_label(i, key_of) for i in items]
    if None in labels or len(set(labels)) != len(labels):
        return None
    return dict(zip(labels, items))


def _list_changes(old: list, new: list, path: str, out: list[FieldChange]) -> None:
    key_of = _NATURAL_KEYS.get(path.rpartition(".")[2].partition("[")[0])
    olds = _keyed(old, key_of) if key_of else None
    news = _keyed(new, key_of) if key_of else None
    if olds is None or news is None:
        olds = {str(i): v for i, v in enumerate(old)}
        news = {str(i): v for i, v in enumerate(new)}
    else:
        # Order matters where Grafana applies elements in turn (a later override wins,
        # transformations chain): a reordering is a change of its own.
        common_old = [k for k in olds if k in news]
        common_new = [k for k in news if k in olds]
        if common_old != common_new:
            out.append(FieldChange(f"{path} order", common_old, common_new))
    for key in [*olds, *(k for k in news if k not in olds)]:
        _leaf_changes(olds.get(key), news.get(key), f"{path}[{key}]", out)


def _target_pairs(old: list, new: list) -> list[tuple[str, dict | None, dict | None]]:
    """(refId, old, new) in reading order; a target whose refId alone changed keeps its old
    partner (``refId[A]`` "A" -> "B" is one change, not every field removed and added)."""
    olds = {t.get("refId", ""): t for t in old if isinstance(t, dict)}
    news = {t.get("refId", ""): t for t in new if isinstance(t, dict)}
    gone = [r for r in olds if r not in news]
    renamed: dict[str, str] = {}
    for ref in (r for r in news if r not in olds):
        body = _without(news[ref], "refId")
        match = next((g for g in gone if g not in renamed and _without(olds[g], "refId") == body), None)
        if match is not None:
            renamed[match] = ref
    pairs = [(r, olds.get(r), news.get(r)) for r in news if r in olds]
    pairs += [(g, olds[g], news[renamed[g]]) for g in gone if g in renamed]
    pairs += [(g, olds[g], None) for g in gone if g not in renamed]
    pairs += [(r, None, news[r]) for r in news if r not in olds and r not in renamed.values()]
    return pairs


def _without(d: dict, *keys: str) -> dict:
    return {k: v for k, v in d.items() if k not in keys}


def _whole_target(ref: str, a: dict | None, b: dict | None, panel_ds: tuple) -> list[FieldChange]:
    """A query that came or went: its expression (shown as PromQL), its legend, and the rest in
    one line (a datasource that is just the panel's is left out: it follows the panel)."""
    whole, ds = (a, panel_ds[0]) if b is None else (b, panel_ds[1])

    def pair(value):
        return (value, None) if b is None else (None, value)

    out = [FieldChange(f"{_TARGET_FIELDS[k]}[{ref}]", *pair(whole[k])) for k in _TARGET_FIELDS if whole.get(k)]
    rest = _without(whole, "refId", *_TARGET_FIELDS, *(("datasource",) if whole.get("datasource") == ds else ()))
    if rest or not out:
        out.append(FieldChange(f"target[{ref}]", *pair(rest)))
    return out


def _target_changes(old: list, new: list, panel_ds: tuple = (None, None)) -> list[FieldChange]:
    out: list[FieldChange] = []
    for ref, a, b in _target_pairs(old or [], new or []):
        if a == b:
            continue
        if a is None or b is None:
            out += _whole_target(ref, a, b, panel_ds)
            continue
        if a.get("refId") != b.get("refId"):
            out.append(FieldChange(f"refId[{ref}]", a.get("refId"), b.get("refId")))
        # A query that uses its panel's datasource before and after follows the panel: the
        # panel's `datasource` change says it once.
        follows = (a.get("datasource"), b.get("datasource")) == panel_ds
        for key in sorted((a.keys() | b.keys()) - {"refId", *(("datasource",) if follows else ())}):
            name = f"{_TARGET_FIELDS.get(key, key)}[{ref}]"
            if key in _PANEL_WHOLE:
                if a.get(key) != b.get(key):
                    out.append(FieldChange(name, a.get(key), b.get(key)))
            else:
                _leaf_changes(a.get(key), b.get(key), name, out)
    return out


def _panel_changes(old: dict, new: dict) -> list[FieldChange]:
    out: list[FieldChange] = []
    for key in sorted((old.keys() | new.keys()) - _PANEL_SPECIAL):
        if key in _PANEL_WHOLE:
            if old.get(key) != new.get(key):
                out.append(FieldChange(key, old.get(key), new.get(key)))
        else:
            _leaf_changes(old.get(key), new.get(key), key, out)
    panel_ds = (old.get("datasource"), new.get("datasource"))
    out.extend(_target_changes(old.get("targets"), new.get("targets"), panel_ds))
    old_fc, new_fc = _dict(old.get("fieldConfig")), _dict(new.get("fieldConfig"))
    if old_fc != new_fc:
        old_d, new_d = dict(_dict(old_fc.get("defaults"))), dict(_dict(new_fc.get("defaults")))
        for key in ("unit", "thresholds"):
            if old_d.get(key) != new_d.get(key):
                out.append(FieldChange(key, old_d.get(key), new_d.get(key)))
            old_d.pop(key, None)
            new_d.pop(key, None)
        _leaf_changes(old_d, new_d, "fieldConfig.defaults", out)
        _leaf_changes(old_fc.get("overrides"), new_fc.get("overrides"), "fieldConfig.overrides", out)
    return out


def _dict(value) -> dict:
    return value if isinstance(value, dict) else {}


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
        g = _dict(p.get("gridPos"))
        y, x = g.get("y", 0), g.get("x", 0)
        return (y, x) if isinstance(y, (int, float)) and isinstance(x, (int, float)) else (0, 0)

    def dicts(items):
        return [p for p in items if isinstance(p, dict)] if isinstance(items, list) else []

    slots: list[_Slot] = []
    current = None
    for panel in sorted(dicts(panels), key=pos):
        if panel.get("type") == "row":
            slots.append(_Slot(panel, None))
            current = len(slots) - 1
            for child in sorted(dicts(panel.get("panels")), key=pos):
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
                for t in canonical_panel(n.panel).get("targets") or ()
                if isinstance(t, dict) and t.get("expr")
            )
            out.append(Change(ChangeType.ADDED, "panel", **ctx, panel_id=n.id, panel_title=n.title, fields=queries))
            continue
        o = old[pairs[j]]
        # Same parent means: both at the top, or under rows that matched each other.
        same_row = o.row == (None if n.row is None else pairs.get(n.row, -1))
        if same_row and o.panel == n.panel:
            continue
        # Only panels that differ as written pay for the canonical form (most panels of a changed
        # dashboard are unchanged); equal once canonical, only placement can still differ.
        a, b = canonical_panel(o.panel), canonical_panel(n.panel)
        fields = [] if a == b else _panel_changes(a, b)
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


def load_dashboards(paths: Path | list[Path]) -> dict[str, dict]:
    """``{uid: dashboard}`` from JSON files and/or directories of them (every ``*.json`` below),
    through ``dashboard_file``; a dashboard without a uid is keyed by its file name. The one
    loader of paths for diff and preview, so ``preview PATH`` and ``diff ... PATH`` see the same."""
    with bulk_load():
        return by_key(load_paths([Path(p) for p in ([paths] if isinstance(paths, (str, Path)) else paths)]))
