"""Look of the preview SVG: one inline stylesheet and small per-panel-type icons.

Everything is inline (no fonts, images or scripts are fetched) so an SVG opens
the same from a CI artifact, a laptop or an ``<img>`` tag. Colours follow
GitHub's diff palette so reviewers read them the same way: green added, red
removed, blue moved, amber modified.
"""

from __future__ import annotations

CSS = (
    ".canvas{fill:#f4f5f5}"
    "text{font-family:sans-serif;font-size:12px;fill:#24292f}"
    ".dash-title{font-size:16px;font-weight:bold}"
    ".time-range,.summary{fill:#57606a}"
    ".chip{fill:#ffffff;stroke:#d0d7de}"
    ".variable-label{font-size:11px}"
    ".box{fill:#ffffff;stroke:#c9ced6;stroke-width:1}"
    ".title{font-weight:bold}"
    ".repeat-stack{fill:#eaeef2;stroke:#c9ced6}"
    ".library>.box{stroke-dasharray:3 2}"
    ".type{font-size:11px;fill:#57606a}"
    ".query{font-family:monospace;font-size:10px;fill:#0550ae}"
    ".icon{fill:none;stroke:#57606a;stroke-width:1.5}"
    ".row-title{font-size:14px;font-weight:bold}"
    ".chevron{fill:#57606a}"
    ".row-rule{stroke:#c9ced6}"
    ".row.contains-changes .row-title{fill:#9a6700}"
    ".change-added>.box,.variable.change-added>.chip{stroke:#1a7f37;stroke-width:3}"
    ".change-modified>.box,.variable.change-modified>.chip{stroke:#bf8700;stroke-width:3}"
    ".change-moved>.box{stroke:#0969da;stroke-width:3}"
    ".ghost{opacity:0.45}"
    ".ghost>.box,.variable.change-removed>.chip{stroke:#cf222e;stroke-width:2;stroke-dasharray:6 4;fill:#ffebe9}"
    ".old-position{fill:none;stroke:#0969da;stroke-width:1.5;stroke-dasharray:4 4}"
    ".move-arrow{stroke:#0969da;stroke-width:2}"
    ".arrowhead{fill:#0969da}"
    ".dashboard.change-removed .panel{opacity:0.45}"
)

# 14x14 line drawings, one per common panel type; anything else gets a plain square.
_ICONS = {
    "timeseries": '<polyline points="0,12 4,6 8,9 14,2"/>',
    "graph": '<polyline points="0,12 4,6 8,9 14,2"/>',
    "stat": '<path d="M0,13 L14,13 M2,13 L2,7 M7,13 L7,3 M12,13 L12,9"/>',
    "gauge": '<path d="M1,12 A6,6 0 1 1 13,12 M7,12 L10,5"/>',
    "bargauge": '<path d="M0,2 L14,2 M0,7 L10,7 M0,12 L6,12"/>',
    "table": '<path d="M0,1 H14 V13 H0 Z M0,5 H14 M0,9 H14 M5,1 V13"/>',
    "text": '<path d="M0,2 H14 M0,6 H14 M0,10 H9"/>',
    "barchart": '<path d="M1,13 V7 M5,13 V3 M9,13 V9 M13,13 V5"/>',
}
_DEFAULT_ICON = '<rect x="1" y="1" width="12" height="12"/>'


def icon(panel_type: str, x: int, y: int) -> str:
    shape = _ICONS.get(panel_type, _DEFAULT_ICON)
    return f'<g class="icon" transform="translate({x},{y})">{shape}</g>'
