"""Turn the semantic diff's ``Change`` objects into what the preview draws.

The preview never decides on its own what changed: it only reads the Changes
that ``azora_dash.diff.core`` produced (the same objects ``azora-dash diff`` prints),
so the picture and the text can never disagree. This module only needs the
contract's attributes (``kind``, ``scope``, ``panel_id``, ``panel_title``,
``name``, ``fields``), so it imports nothing from ``diff``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from ..dashboard_file import iter_panels

KINDS = ("added", "removed", "moved", "modified")
_NOTE_CHARS = 90


def kind_of(change) -> str:
    """``ChangeType`` is a ``str`` Enum; accept its value or a plain string."""
    return str(getattr(change.kind, "value", change.kind))


def panel_key(panel_id, title) -> tuple:
    """Diff keys panels by id, falling back to title (STYLE.md principle 12)."""
    return ("id", panel_id) if panel_id is not None else ("title", title)


def all_panels(dashboard: dict) -> list[dict]:
    """Every panel (rows, their children, legacy rows[]), in dashboard order."""
    return [slot.panel for slot in iter_panels(dashboard)]


def find_panel(dashboard: dict | None, key: tuple) -> dict | None:
    if dashboard is None:
        return None
    attr = "id" if key[0] == "id" else "title"
    return next((p for p in all_panels(dashboard) if p.get(attr) == key[1]), None)


def _short(value) -> str:
    text = " ".join(str(value).split())
    return text if len(text) <= 30 else text[:29] + "…"


def describe(change) -> str:
    """One line for a tooltip: what changed, old -> new."""
    parts = [f"{fc.field}: {_short(fc.old)} → {_short(fc.new)}" for fc in change.fields]
    text = f"{kind_of(change)}" + (f" ({'; '.join(parts)})" if parts else "")
    return text if len(text) <= _NOTE_CHARS else text[: _NOTE_CHARS - 1] + "…"


def grid_of(value) -> dict | None:
    if isinstance(value, dict) and all(isinstance(value.get(k), int) for k in "xywh"):
        return {k: value[k] for k in "xywh"}
    return None


@dataclass
class Highlights:
    """Everything the SVG needs to know about one dashboard's changes."""

    panels: dict[tuple, set[str]] = field(default_factory=dict)  # panel key -> kinds
    notes: dict[tuple, list[str]] = field(default_factory=dict)  # panel key -> tooltip lines
    moved_from: dict[tuple, dict] = field(default_factory=dict)  # panel key -> old gridPos
    removed: list[dict] = field(default_factory=list)  # old panels to ghost
    variables: dict[str, set[str]] = field(default_factory=dict)  # variable name -> kinds
    dashboard: list[str] = field(default_factory=list)  # dashboard-level kinds
    counts: Counter = field(default_factory=Counter)  # panel change kind -> n

    def lookup(self, panel: dict) -> tuple | None:
        """The key a change used for this panel (id first, then title), if any."""
        for key in (("id", panel.get("id")), ("title", panel.get("title"))):
            if key in self.panels:
                return key
        return None


def _old_position(change, key: tuple, old: dict | None) -> dict | None:
    # The diff's own gridPos field wins; otherwise look the panel up in the old dashboard.
    for fc in change.fields:
        if fc.field == "gridPos" and grid_of(fc.old):
            return grid_of(fc.old)
    previous = find_panel(old, key)
    return grid_of(previous.get("gridPos")) if previous else None


def _add_panel(hl: Highlights, change, kind: str, old: dict | None) -> None:
    key = panel_key(change.panel_id, change.panel_title)
    hl.counts[kind] += 1
    if kind == "removed":
        previous = find_panel(old, key)
        if previous is not None and grid_of(previous.get("gridPos")):
            hl.removed.append(previous)
        return
    hl.panels.setdefault(key, set()).add(kind)
    hl.notes.setdefault(key, []).append(describe(change))
    if kind == "moved":
        position = _old_position(change, key, old)
        if position is not None:
            hl.moved_from[key] = position


def highlights(changes, old: dict | None = None) -> Highlights:
    """Index one dashboard's Changes; ``old`` is the dashboard before (for ghosts and arrows)."""
    hl = Highlights()
    for change in changes or ():
        kind = kind_of(change)
        if change.scope == "panel":
            _add_panel(hl, change, kind, old)
        elif change.scope == "variable":
            hl.variables.setdefault(change.name, set()).add(kind)
        elif kind not in hl.dashboard:
            hl.dashboard.append(kind)
    return hl
