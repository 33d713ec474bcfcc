"""Place panels on Grafana's 24-column grid so nobody hand-types x/y.

A dashboard is a list of sections ``(row_title, [panels])``. Panels flow left to
right and wrap when the next one would pass column 24; each line of panels is as
tall as its tallest panel. Panel ids are assigned in reading order.
"""
from __future__ import annotations

import attr
import grafanalib.core as G

from .panels import row as row_panel

GRID_WIDTH = 24


def place(sections) -> list:
    placed, y, next_id = [], 0, 1
    for title, panels in sections:
        if title is not None:
            placed.append(attr.evolve(row_panel(title), gridPos=G.GridPos(h=1, w=GRID_WIDTH, x=0, y=y), id=next_id))
            next_id += 1
            y += 1
        x, line_height = 0, 0
        for panel in panels:
            w, h = panel.gridPos.w, panel.gridPos.h
            if w > GRID_WIDTH:
                raise ValueError(f"panel {panel.title!r} is {w} columns wide; the grid has {GRID_WIDTH}")
            if x + w > GRID_WIDTH:
                x, y, line_height = 0, y + line_height, 0
            placed.append(attr.evolve(panel, gridPos=G.GridPos(h=h, w=w, x=x, y=y), id=next_id))
            next_id += 1
            x += w
            line_height = max(line_height, h)
        y += line_height
    return placed
