"""Place panels on Grafana's 24-column grid so nobody hand-types x/y.

A dashboard is a list of sections ``(row_title, [panels])`` or ``Section``s. Panels flow
left to right and wrap when the next one would pass column 24; each line of panels is as
tall as its tallest panel.

What only dashboard schema v2 shows, tabs and a section shown on a variable's value, rides on
the section's row as a mark (``V2_KEY``) the build takes off again (``build.compile``) and hands
to ``dashboard_v2.to_v2``. The classic (v1) JSON stays what it always was: a tab is an expanded
row there, exactly as Grafana converts a v2 tab to v1 (grafana/grafana
``apps/dashboard/pkg/migration/conversion/v2alpha1_to_v1beta1.go``: ``processTabItem``), and a
condition is not shown at all (v1 has no field for it), so the v1 and v2 builds still diff empty.

Panel ids are links: ``viewPanel=<id>``, ``d-solo`` embeds and alert annotations name
them. So an id comes from the panel's title, not its position, and inserting,
removing or reordering panels never moves another panel's id. A panel may pin its
own (``P.pin_id``); ids stay unique.
"""

from __future__ import annotations

import copy
import zlib
from typing import NamedTuple

from .grafanalib_cache import core as G

GRID_WIDTH = 24
# A row's v2-only layout, {"tab": bool, "when": ConditionalRenderingGroup}; never written into the JSON.
V2_KEY = "__azoraV2"
# ConditionalRenderingVariableSpec.operator in the vendored dashboardv2.jsonschema.json; Grafana's
# ConditionalRenderingVariable._evaluate (public/app/features/dashboard-scene/conditional-rendering/
# conditions/ConditionalRenderingVariable.tsx) tests any selected value of a multi-value variable.
OPERATORS = ("equals", "notEquals", "matches", "notMatches")


class Section(NamedTuple):
    """A titled group of panels: a row, or a tab (v2); ``when`` lists conditions that must all hold
    for v2 to show it (``ConditionalRenderingVariable`` kinds)."""

    title: str | None
    panels: list
    tab: bool = False
    when: tuple = ()


def section(item) -> Section:
    return item if isinstance(item, Section) else Section(*item)


def condition(variable: str, value: str, op: str = "equals") -> dict:
    """One ``ConditionalRenderingVariable``: the variable's value compared with ``value``."""
    if op not in OPERATORS:
        raise ValueError(f"condition on ${variable}: operator {op!r} is not one of {', '.join(OPERATORS)}")
    return {"kind": "ConditionalRenderingVariable", "spec": {"variable": variable, "operator": op, "value": value}}


def v2_mark(tab: bool, when) -> dict | None:
    """The row's v2 mark, or None when it is a plain row.

    ``when`` is conditions that must all hold (``and``), or one whole ``ConditionalRenderingGroup``
    as an import carries it (any visibility, combinator and condition kinds).
    """
    mark: dict = {"tab": True} if tab else {}
    when = [when] if isinstance(when, dict) else list(when or ())
    if len(when) == 1 and when[0].get("kind") == "ConditionalRenderingGroup":
        mark["when"] = when[0]
    elif when:
        group = {"visibility": "show", "condition": "and", "items": [dict(c) for c in when]}
        mark["when"] = {"kind": "ConditionalRenderingGroup", "spec": group}
    return mark or None


def condition_variables(when) -> list[str]:
    """The variables the conditions of a section name (in a group too)."""
    items = [when] if isinstance(when, dict) else list(when or ())
    names = []
    for item in items:
        if item.get("kind") == "ConditionalRenderingGroup":
            names += condition_variables(item.get("spec", {}).get("items", []))
        elif item.get("kind") == "ConditionalRenderingVariable":
            names.append(item["spec"]["variable"])
    return names


def _at(panel, grid_pos: G.GridPos, panel_id: int):
    """A copy of ``panel`` at ``grid_pos`` with ``panel_id``; the caller's panel is not changed.

    A shallow copy holds the same field values ``attr.evolve`` would pass on, but
    evolve re-runs a panel's ~50 validators; at 1,000 dashboards that was a fifth
    of building them. grafanalib's classes keep their fields in ``__dict__``, so the copy is
    that dict's; ``copy.copy`` (the reduce protocol) was as slow again as placing the panel.
    """
    fields = getattr(panel, "__dict__", None)
    if fields is None:  # a class with __slots__
        placed = copy.copy(panel)
    else:
        placed = object.__new__(type(panel))
        placed.__dict__.update(fields)
    placed.gridPos, placed.id = grid_pos, panel_id
    return placed


# Grafana's schema types a panel id as uint32 (and JavaScript must hold it exactly): stay in 31 bits.
_ID_SPACE = 0x7FFFFFFF


def stable_id(key: str, taken: set[int]) -> int:
    """An id derived from ``key`` (a title), not from the panel's place; a clash re-hashes, keeping ids unique."""
    while True:
        panel_id = zlib.crc32(key.encode()) & _ID_SPACE or 1
        if panel_id not in taken:
            return panel_id
        key += "#"


class _Ids:
    """Hands out ids: pinned ones as given, every other from its title (``stable_id``)."""

    def __init__(self, sections):
        self.taken: set[int] = set()
        for item in sections:
            for panel in item.panels:
                if panel.id is not None:
                    if panel.id in self.taken:
                        raise ValueError(f"panel {panel.title!r} pins id {panel.id}, which another panel pins too")
                    self.taken.add(panel.id)

    def __call__(self, panel, key: str) -> int:
        if panel.id is not None:
            return panel.id
        panel_id = stable_id(key, self.taken)
        self.taken.add(panel_id)
        return panel_id


def _check_tabs(sections: list[Section]) -> None:
    # A TabsLayout holds tabs only: a row or untitled panels beside tabs have no place in it.
    tabs = [s for s in sections if s.tab]
    if tabs and len(tabs) != len(sections):
        other = next(s for s in sections if not s.tab)
        raise ValueError(f"section {other.title!r} is not a tab, but others are: put every section in P.tabs(...)")
    for s in sections:
        if (s.tab or s.when) and not s.title:
            raise ValueError("a tab or a section with a condition needs a title")


def place(sections) -> list:
    sections = [section(s) for s in sections]
    _check_tabs(sections)
    placed, y, ids = [], 0, _Ids(sections)
    for title, panels, tab, when in sections:
        if title is not None:
            mark = v2_mark(tab, when)
            row = G.RowPanel(title=title, extraJson={V2_KEY: mark} if mark else None)
            placed.append(_at(row, G.GridPos(h=1, w=GRID_WIDTH, x=0, y=y), ids(row, f"row {title}")))
            y += 1
        x, line_height = 0, 0
        for panel in panels:
            w, h = panel.gridPos.w, panel.gridPos.h
            if w > GRID_WIDTH:
                raise ValueError(f"panel {panel.title!r} is {w} columns wide; the grid has {GRID_WIDTH}")
            if x + w > GRID_WIDTH:
                x, y, line_height = 0, y + line_height, 0
            placed.append(_at(panel, G.GridPos(h=h, w=w, x=x, y=y), ids(panel, f"panel {panel.title}")))
            x += w
            line_height = max(line_height, h)
        y += line_height
    return placed
