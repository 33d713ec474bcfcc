"""Draw a dashboard's layout as a self-contained SVG, optionally marking what changed.

The picture follows Grafana's own geometry: a 24-column grid whose row unit is
30 px (Grafana ``GRID_CELL_HEIGHT = 30`` and ``GRID_COLUMN_COUNT = 24`` in
public/app/core/constants.ts; the gap between panels, ``GRID_CELL_VMARGIN``, is
8-10 px depending on the version, drawn here as 8). The canvas is a
fixed 1200 px wide, so a column is 50 px. Every element carries a CSS class and
``data-*`` attributes (grid units, not pixels) so tests and tools can read the
drawing back. Output is deterministic: same input, same bytes.
"""

from __future__ import annotations

import html
import re

from ..errors import InputError
from .changes import Highlights, grid_of, highlights
from .style import CSS, icon

COLUMNS = 24
COLUMN_PX = 50
ROW_PX = 30
WIDTH = COLUMNS * COLUMN_PX
GAP = 4  # half of Grafana's 8 px margin on each side of a panel
HEADER_PX = 64
SUMMARY_PX = 22  # extra header line listing change counts
CHAR_PX = 7.0  # rough width of a 12 px sans-serif character, for truncation
MONO_PX = 6.2  # ... and of a 10 px monospace one
MAX_QUERY_LINES = 6

_SELECTOR = re.compile(r"\{[^{}]*\}")


def escape(content) -> str:
    # html.escape, not xml.sax.saxutils: the latter imports urllib.request and the
    # whole email/http stack, which doubled the command's start-up.
    return html.escape(str(content), quote=False)


def quoteattr(value) -> str:
    return '"' + html.escape(str(value), quote=True) + '"'


def fit(text: str, px: float, char_px: float = CHAR_PX) -> str:
    """Truncate ``text`` with an ellipsis so it fits ``px`` pixels (estimated)."""
    room = max(int(px // char_px), 1)
    return text if len(text) <= room else text[: room - 1] + "…"


def wrap(content: str, px: float, lines: int, char_px: float = MONO_PX) -> list[str]:
    """Hard-wrap ``content`` into at most ``lines`` lines that fit ``px``; the last one is ellipsised."""
    room = max(int(px // char_px), 1)
    chunks = [content[i : i + room] for i in range(0, len(content), room)] or [""]
    if len(chunks) > lines:
        chunks = chunks[: lines - 1] + [fit(content[(lines - 1) * room :], px, char_px)]
    return chunks


_ATTR_NAMES: dict[str, str] = {}


def attr(**values) -> str:
    """XML attributes in the order given; names use ``_`` for ``-``; None is skipped.

    This runs for every element, so numbers skip escaping and names are converted once.
    """
    parts = []
    for key, value in values.items():
        if value is None:
            continue
        name = _ATTR_NAMES.get(key) or _ATTR_NAMES.setdefault(key, key.rstrip("_").replace("_", "-"))
        parts.append(f' {name}="{_n(value)}"' if isinstance(value, (int, float)) else f" {name}={quoteattr(value)}")
    return "".join(parts)


def text(x: float, y: float, content: str, cls: str, **extra) -> str:
    return f"<text{attr(x=x, y=y, class_=cls, **extra)}>{escape(content)}</text>"


def _n(value: float) -> str:
    """Numbers without float noise, so output is byte-stable."""
    if isinstance(value, int):
        return str(int(value))  # int() turns True/False into 1/0
    return str(int(value)) if value.is_integer() else f"{value:.1f}"


def title_of(item: dict) -> str:
    """Titles are optional in Grafana's model (and may be null in hand-written JSON)."""
    return str(item.get("title") or "")


def _library(panel: dict) -> dict | None:
    lib = panel.get("libraryPanel")
    return lib if isinstance(lib, dict) else None


def panel_title(panel: dict) -> str:
    """The title, or for a library-panel reference (``libraryPanel: {uid, name}``, whose model
    lives in Grafana's library, PanelModel.initLibraryPanel) the library panel's name."""
    lib = _library(panel)
    if title_of(panel) or lib is None:
        return title_of(panel)
    return str(lib.get("name") or f"library panel {lib.get('uid', '?')}")


def panel_label(panel: dict, unit: str) -> str:
    """Type line: type and unit, then what Grafana adds at view time (library model, repeats)."""
    lib = _library(panel)
    parts = [str(panel.get("type") or ("library panel" if lib else "?"))]
    if unit:
        parts.append(unit)
    if lib is not None and panel.get("type"):
        parts.append("library panel")
    if panel.get("repeat"):
        parts.append(f"repeats per ${panel['repeat']}")
    return " · ".join(parts)


def dicts(items) -> list[dict]:
    """The objects of a list (a ``null`` element or a ``null`` list draws nothing)."""
    return [i for i in items if isinstance(i, dict)] if isinstance(items, list) else []


def _get(value, key: str):
    return value.get(key) if isinstance(value, dict) else None


def first_query(panel: dict) -> str:
    """The first target's expression, whitespace-collapsed, label matchers shortened to {…}."""
    targets = [t for t in dicts(panel.get("targets")) if isinstance(t.get("expr"), str) and t["expr"]]
    if not targets:
        return ""
    expr = _SELECTOR.sub("{…}", " ".join(targets[0]["expr"].split()))
    more = len(targets) - 1
    return f"{targets[0].get('refId', 'A')}: {expr}" + (f"  (+{more})" if more else "")


def box(grid: dict, top: int) -> tuple[int, int, int, int]:
    """Pixel rectangle of a gridPos, inset by the panel margin."""
    return (
        grid["x"] * COLUMN_PX + GAP,
        top + grid["y"] * ROW_PX + GAP,
        grid["w"] * COLUMN_PX - 2 * GAP,
        grid["h"] * ROW_PX - 2 * GAP,
    )


def _grid_attrs(grid: dict) -> dict:
    return {"data_x": grid["x"], "data_y": grid["y"], "data_w": grid["w"], "data_h": grid["h"]}


def _panel_body(panel: dict, x: int, y: int, w: int, h: int) -> list[str]:
    ptype = str(panel.get("type") or "?")
    unit = _get(_get(panel.get("fieldConfig"), "defaults"), "unit")
    unit = unit if isinstance(unit, str) else ""
    # A repeated panel is drawn once, as in the saved JSON, on a stack: Grafana clones it per value.
    stack = (
        [f"<rect{attr(x=x + 4, y=y + 4, width=w, height=h, rx=3, class_='repeat-stack')}/>"]
        if panel.get("repeat")
        else []
    )
    out = [
        *stack,
        f"<rect{attr(x=x, y=y, width=w, height=h, rx=3, class_='box')}/>",
        text(x + 8, y + 17, fit(panel_title(panel), w - 16), "title"),
    ]
    if h >= 34:
        out.append(icon(ptype, x + 8, y + 24))
        out.append(text(x + 28, y + 35, fit(panel_label(panel, unit), w - 36), "type", data_unit=unit or None))
    query = first_query(panel)
    if query and h >= 52:
        # Tall panels show more of the query: one 13 px line per spare line of height, up to 6.
        lines = wrap(query, w - 16, min(MAX_QUERY_LINES, (h - 52) // 13 + 1))
        out += [text(x + 8, y + 52 + 13 * i, line, "query") for i, line in enumerate(lines)]
    return out


def draw_panel(panel: dict, top: int, classes: list[str], notes: list[str] = ()) -> str:
    grid = panel["gridPos"]
    x, y, w, h = box(grid, top)
    lib = _library(panel)
    marks = (["library"] if lib is not None else []) + (["repeat"] if panel.get("repeat") else [])
    head = attr(
        class_=" ".join(["panel", *marks, *classes]),
        data_panel_id=panel.get("id"),
        data_type=panel.get("type"),
        data_library_uid=lib.get("uid") if lib is not None else None,
        data_repeat=panel.get("repeat") or None,
        **_grid_attrs(grid),
    )
    tip = f"<title>{escape(' | '.join([panel_title(panel), *notes]))}</title>"
    return f"<g{head}>{tip}{''.join(_panel_body(panel, x, y, w, h))}</g>"


def draw_row(row: dict, top: int, hidden_changes: int) -> str:
    grid = row["gridPos"]
    collapsed = bool(row.get("collapsed"))
    inside = dicts(row.get("panels"))
    children = len(inside) if collapsed else None
    y = top + grid["y"] * ROW_PX
    classes = ["row"] + (["collapsed"] if collapsed else []) + (["repeat"] if row.get("repeat") else [])
    classes += ["contains-changes"] if hidden_changes else []
    # A triangle pointing right (collapsed) or down (open), drawn so no glyph font is needed.
    arrow = "10,{a} 16,{b} 10,{c}" if collapsed else "8,{a} 18,{a} 13,{c}"
    points = arrow.format(a=y + 10, b=y + 15, c=y + 20)
    label = title_of(row)
    if row.get("repeat"):
        label += f"  · repeats per ${row['repeat']}"
    if collapsed:
        label += f"  ({children} panel{'s' if children != 1 else ''})"
    if hidden_changes:
        label += f"  · {hidden_changes} changed inside"
    head = attr(
        class_=" ".join(classes),
        data_panel_id=row.get("id"),
        data_children=children,
        data_changes=hidden_changes or None,
        data_repeat=row.get("repeat") or None,
        **_grid_attrs(grid),
    )
    # The panels a collapsed row hides are named in its tooltip, so every panel is in the drawing.
    hidden = (panel_title(p) + (f" (repeats per ${p['repeat']})" if p.get("repeat") else "") for p in inside)
    tip = " | ".join([title_of(row), *hidden]) if collapsed else title_of(row)
    return (
        f"<g{head}><title>{escape(tip)}</title><polygon{attr(points=points, class_='chevron')}/>"
        f"{text(24, y + 20, fit(label, WIDTH - 32), 'row-title')}"
        f"<line{attr(x1=4, y1=y + ROW_PX - 2, x2=WIDTH - 4, y2=y + ROW_PX - 2, class_='row-rule')}/></g>"
    )


def _variable_label(var: dict) -> str:
    current = _get(var.get("current"), "text")
    current = "" if current is None else current
    if isinstance(current, list):
        current = " + ".join(map(str, current))
    return (
        f"{var.get('label') or var.get('name', '')}: {current}"
        if current != ""
        else var.get("label") or var.get("name", "")
    )


def draw_header(dashboard: dict, hl: Highlights) -> list[str]:
    time = dashboard.get("time") if isinstance(dashboard.get("time"), dict) else {}
    span = f"{time.get('from', '')} to {time.get('to', '')}"
    if dashboard.get("refresh"):
        span += f" · refresh {dashboard['refresh']}"
    out = [
        text(8, 24, fit(title_of(dashboard), WIDTH - 300, 9.5), "dash-title"),
        text(WIDTH - 8, 24, span, "time-range", text_anchor="end", data_from=time.get("from"), data_to=time.get("to")),
    ]
    x = 8
    variables = [v for v in dicts(_get(dashboard.get("templating"), "list")) if v.get("hide", 0) != 2]
    gone = [{"name": n} for n, kinds in sorted(hl.variables.items()) if "removed" in kinds]
    for var in variables + gone:
        label = fit(_variable_label(var), 220)
        width = int(len(label) * CHAR_PX) + 16
        if x + width > WIDTH - 8:
            break
        kinds = sorted(hl.variables.get(var.get("name"), ()))
        cls = " ".join(["variable", *(f"change-{k}" for k in kinds)])
        out.append(
            f"<g{attr(class_=cls, data_name=var.get('name'))}>"
            f"<rect{attr(x=x, y=36, width=width, height=20, rx=3, class_='chip')}/>"
            f"{text(x + 8, 50, label, 'variable-label')}</g>"
        )
        x += width + 6
    return out


def _summary(hl: Highlights, y: int) -> str:
    parts = [f"dashboard {k}" for k in hl.dashboard]
    parts += [f"{hl.counts[k]} {k}" for k in ("added", "removed", "moved", "modified") if hl.counts[k]]
    parts += [f"variable ${n} {'/'.join(sorted(k))}" for n, k in sorted(hl.variables.items())]
    return text(8, y, fit(" · ".join(parts) or "no changes", WIDTH - 16), "summary")


def _arrow(old: dict, new: dict, top: int, panel_id) -> list[str]:
    ox, oy, ow, oh = box(old, top)
    nx, ny, nw, nh = box(new, top)
    return [
        f"<rect{attr(x=ox, y=oy, width=ow, height=oh, rx=3, class_='old-position', data_panel_id=panel_id, **_grid_attrs(old))}/>",
        f"<line{attr(x1=ox + ow / 2, y1=oy + oh / 2, x2=nx + nw / 2, y2=ny + nh / 2, class_='move-arrow', marker_end='url(#arrowhead)', data_panel_id=panel_id)}/>",
    ]


def _visible_panels(dashboard: dict, hl: Highlights, top: int) -> tuple[list[str], list[str]]:
    """Boxes and rows in dashboard order, plus the move arrows to draw on top."""
    body, arrows = [], []
    for panel in dicts(dashboard.get("panels")):
        if grid_of(panel.get("gridPos")) is None:
            raise InputError(
                f"dashboard {dashboard.get('uid')!r}: panel {panel.get('id')} {panel.get('title')!r} "
                "has no gridPos with integer x, y, w, h; pass built dashboard JSON"
            )
        if panel.get("type") == "row":
            hidden = sum(1 for c in dicts(panel.get("panels")) if panel.get("collapsed") and hl.lookup(c))
            body.append(draw_row(panel, top, hidden))
            continue
        key = hl.lookup(panel)
        kinds = sorted(hl.panels.get(key, ())) if key else []
        body.append(draw_panel(panel, top, [f"change-{k}" for k in kinds], hl.notes.get(key, [])))
        if key in hl.moved_from:
            arrows += _arrow(hl.moved_from[key], panel["gridPos"], top, panel.get("id"))
    return body, arrows


def _height(dashboard: dict, hl: Highlights) -> int:
    grids = [p["gridPos"] for p in dicts(dashboard.get("panels"))]
    grids += [p["gridPos"] for p in hl.removed] + list(hl.moved_from.values())
    return max((g["y"] + g["h"] for g in grids), default=1)


def render_svg(dashboard: dict, changes=None, old: dict | None = None) -> str:
    """The dashboard's layout as SVG text.

    ``changes`` are ``azora_dash.diff.core.Change`` objects for this dashboard;
    ``old`` is the dashboard before them, where removed panels are ghosted
    and moved panels' arrows start.
    """
    hl = highlights(changes, old)
    top = HEADER_PX + (SUMMARY_PX if changes is not None else 0)
    body, arrows = _visible_panels(dashboard, hl, top)  # first: it checks every gridPos
    height = top + _height(dashboard, hl) * ROW_PX + 8
    # Ghosts go over the live panels (translucent): Grafana closes the gap a removed
    # panel leaves, so its old place is usually taken by a panel that moved up.
    ghosts = [draw_panel(p, top, ["ghost", "change-removed"]) for p in hl.removed]
    root_cls = " ".join(["dashboard", *(f"change-{k}" for k in hl.dashboard)])
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg"{attr(width=WIDTH, height=height, viewBox=f"0 0 {WIDTH} {height}", class_=root_cls, data_uid=dashboard.get("uid"))}>',
        f"<title>{escape(title_of(dashboard))}</title>",
        f"<style>{CSS}</style>",
        '<defs><marker id="arrowhead" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" '
        'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" class="arrowhead"/></marker></defs>',
        f"<rect{attr(x=0, y=0, width=WIDTH, height=height, class_='canvas')}/>",
        *draw_header(dashboard, hl),
        *([_summary(hl, HEADER_PX + 12)] if changes is not None else []),
        *body,
        *ghosts,
        *arrows,
        "</svg>",
    ]
    return "\n".join(parts) + "\n"
