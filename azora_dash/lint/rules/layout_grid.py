from __future__ import annotations

from ..base import Rule
from ..context import DashboardContext, PanelRef
from ..model import Problem, Severity

GRID_WIDTH = 24  # Grafana's dashboard grid has 24 columns (public/app/core/constants.ts GRID_COLUMN_COUNT)


def _box(ref: PanelRef) -> tuple[int, int, int, int] | None:
    pos = ref.panel.get("gridPos")
    if not isinstance(pos, dict) or not all(isinstance(pos.get(k), int) for k in ("x", "y", "w", "h")):
        return None
    if ref.type == "row":
        # Grafana lays a row out one unit high across the grid whatever its gridPos says
        # (DashboardGrid.tsx buildLayout: panelPos.w = GRID_COLUMN_COUNT, panelPos.h = 1), and its
        # schema-16 migration of legacy rows writes the row's old height there.
        return 0, pos["y"], GRID_WIDTH, 1
    return pos["x"], pos["y"], pos["w"], pos["h"]


def _overlap(a, b) -> bool:
    ax, ay, aw, ah = a
    bx, by, bw, bh = b
    return ax < bx + bw and bx < ax + aw and ay < by + bh and by < ay + ah


class LayoutGrid(Rule):
    """Panels sit inside the 24-column grid, do not overlap, and have unique ids.

    **Why**: Grafana silently moves overlapping or overflowing panels, so the
    dashboard does not look like its JSON; duplicate ids break links to a
    panel (``viewPanel=``) and its repeat/library state. ``layout.place``
    prevents all three; this rule is the backstop for JSON from elsewhere.

    **Bad**:

        {"id": 2, "gridPos": {"x": 18, "y": 0, "w": 12, "h": 8}}

    **Good**:

        {"id": 2, "gridPos": {"x": 12, "y": 0, "w": 12, "h": 8}}
    """

    id = "layout/grid"
    severity = Severity.ERROR

    def check(self, ctx: DashboardContext) -> list[Problem]:
        found, seen, placed = [], {}, []
        top_level = {id(p) for p in ctx.all_panels if p.path.count("/") == 2}
        for ref in ctx.all_panels:
            if ref.id is not None and ref.id in seen:
                found.append(
                    self.problem(
                        ctx,
                        f"duplicate panel id {ref.id} (also used by '{seen[ref.id].title}')",
                        panel=ref,
                        path=f"{ref.path}/id",
                    )
                )
            seen.setdefault(ref.id, ref)
            if ref.path.startswith("/rows/"):
                continue  # pre-Grafana-5 panels are sized by span; Grafana places them on load
            box = _box(ref)
            if box is None:
                found.append(
                    self.problem(ctx, "has no valid gridPos {x, y, w, h}", panel=ref, path=f"{ref.path}/gridPos")
                )
                continue
            x, y, w, h = box
            if x < 0 or y < 0 or w < 1 or h < 1 or x + w > GRID_WIDTH:
                found.append(
                    self.problem(
                        ctx,
                        f"is outside the {GRID_WIDTH}-column grid (x={x}, w={w}, y={y}, h={h})",
                        panel=ref,
                        path=f"{ref.path}/gridPos",
                    )
                )
            elif id(ref) in top_level:  # panels inside a collapsed row are laid out when it opens
                placed.append((ref, box))
        return found + self._overlaps(ctx, placed)

    def _overlaps(self, ctx: DashboardContext, placed) -> list[Problem]:
        found = []
        placed.sort(key=lambda item: item[1][1])
        for i, (ref, box) in enumerate(placed):
            for other, other_box in placed[i + 1 :]:
                if other_box[1] >= box[1] + box[3]:
                    break  # sorted by y: nothing further down can overlap
                if _overlap(box, other_box):
                    found.append(
                        self.problem(
                            ctx, f"overlaps panel {other.id} '{other.title}'", panel=ref, path=f"{ref.path}/gridPos"
                        )
                    )
        return found
