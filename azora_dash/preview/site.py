"""A directory of previews: one SVG per dashboard plus a static HTML index.

``render_site`` is pure (dashboards in, ``{file name: text}`` out) so it is
deterministic and testable; ``write_site`` hands the result to
``jsonio.write_tree``, which writes atomically and removes SVGs of dashboards
that no longer exist.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ..jsonio import WriteResult, write_tree
from ..uids import MAX_UID_LENGTH, check_uid, is_valid_uid
from .changes import KINDS, kind_of
from .svg import escape, quoteattr, render_svg

INDEX = "index.html"
OWNED = ("*.svg", INDEX)


@dataclass(frozen=True)
class IndexEntry:
    uid: str
    title: str
    svg: str  # file name relative to the index
    counts: dict[str, int] = field(default_factory=dict)  # change kind -> number of changes
    status: str = ""  # "added"/"removed" for a whole dashboard, else ""


def _summary(entry: IndexEntry) -> str:
    parts = [f"{entry.counts[k]} {k}" for k in KINDS if entry.counts.get(k)]
    if entry.status:
        parts.insert(0, f"dashboard {entry.status}")
    return ", ".join(parts)


def render_index(entries: list[IndexEntry], heading: str = "Dashboard previews") -> str:
    """Static HTML (no script) linking and embedding every SVG, in the order given."""
    items = []
    for e in entries:
        summary = _summary(e)
        note = f' <span class="changes">{escape(summary)}</span>' if summary else ""
        items.append(
            f"<section id={quoteattr(e.uid)}><h2><a href={quoteattr(e.svg)}>{escape(e.title)}</a>"
            f" <code>{escape(e.uid)}</code>{note}</h2>\n"
            f"<a href={quoteattr(e.svg)}><img src={quoteattr(e.svg)} alt={quoteattr(e.title + ' layout')} "
            f'width="1200"></a></section>'
        )
    toc = "".join(f"<li><a href={quoteattr('#' + e.uid)}>{escape(e.title)}</a></li>" for e in entries)
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{escape(heading)}</title>\n<style>body{{font-family:sans-serif;margin:16px;background:#fff}}"
        "img{max-width:100%;height:auto;border:1px solid #d0d7de}.changes{font-size:14px;color:#9a6700}"
        "code{font-size:13px;color:#57606a}</style></head>\n<body>\n"
        f"<h1>{escape(heading)}</h1>\n<ul>{toc}</ul>\n" + "\n".join(items) + "\n</body></html>\n"
    )


def _group(changes) -> dict[str, list]:
    out: dict[str, list] = {}
    for change in changes or ():
        out.setdefault(change.dashboard_uid, []).append(change)
    return out


def _status(changes: list) -> str:
    kinds = {kind_of(c) for c in changes if c.scope == "dashboard"}
    return next((k for k in ("added", "removed") if k in kinds), "")


def _file_stem(key: str, dashboard: dict) -> str:
    """The SVG's name: the dashboard's uid (refused unless it is a Grafana uid), or for a
    dashboard without one, its key (the JSON file's name) made safe, with a short hash so two
    names that clean up alike stay apart."""
    if dashboard.get("uid"):
        return check_uid(key, f"preview of {dashboard.get('title') or key!r}")
    if is_valid_uid(key):
        return key
    digest = hashlib.sha256(key.encode()).hexdigest()[:8]
    return f"{re.sub(r'[^A-Za-z0-9_-]+', '-', key)[: MAX_UID_LENGTH - 9].strip('-') or 'dashboard'}-{digest}"


def render_site(new: dict[str, dict], old: dict[str, dict] | None = None, changes=None, each=iter) -> dict[str, str]:
    """Files of the preview directory, keyed by name.

    ``new`` and ``old`` map dashboard uid -> dashboard JSON. With ``changes``
    (from ``azora_dash.diff.core.diff(old, new)``), panels are marked by change kind;
    dashboards that only exist in ``old`` are drawn ghosted.
    """
    old = old or {}
    by_uid = _group(changes) if changes is not None else {}
    files, entries = {}, []
    for uid in each(sorted(set(new) | (set(by_uid) & set(old)))):
        mine = by_uid.get(uid, []) if changes is not None else None
        dashboard = new.get(uid) or old[uid]
        name = f"{_file_stem(uid, dashboard)}.svg"
        files[name] = render_svg(dashboard, mine, old.get(uid))
        counts = Counter(kind_of(c) for c in mine or () if c.scope == "panel")
        entries.append(IndexEntry(uid, str(dashboard.get("title") or uid), name, dict(counts), _status(mine or [])))
    files[INDEX] = render_index(entries, "Dashboard changes" if changes is not None else "Dashboard previews")
    return files


def write_site(out: Path, files: dict[str, str]) -> WriteResult:
    return write_tree(out, files, OWNED)


@dataclass
class PreviewResult:
    files: WriteResult
    dashboards: int
    changes: list | None  # the diff's Changes with --base, else None


def preview(
    paths: list[Path], out: Path, base: str | None = None, dashboards_dir: Path = Path("dashboards"), each=iter
) -> PreviewResult:
    """Write previews into ``out``: of the dashboard JSON at ``paths`` or, with no
    paths, of what the code in ``dashboards_dir`` builds now.

    Both sides come from the diff's own loaders with ``azora-dash diff``'s
    defaults, and the Changes from its ``diff()``: ``preview --base REF [PATH]``
    draws exactly what ``diff --base REF [PATH]`` reports.
    """
    from ..diff.core import load_dashboards
    from ..diff.sources import Source, load_source

    new = load_dashboards(paths) if paths else load_source(Source("worktree"), dashboards_dir=dashboards_dir)
    old = changes = None
    if base is not None:
        from ..diff.core import diff

        old = load_source(Source("git", base))
        changes = diff(old, new)
    return PreviewResult(write_site(out, render_site(new, old, changes, each)), len(new), changes)
