"""Render ``diff.Change`` lists as text (terminal), Markdown (PR comment) or JSON.

Renderers return strings and never print; the CLI decides where they go.
"""

from __future__ import annotations

import difflib
import html
import json
import re
from itertools import groupby

from ..jsonio import canonical_numbers
from .core import Change, ChangeType, FieldChange

# Hidden first line of the PR comment: the workflow finds and updates the comment by it.
MARKER = "<!-- azora-dash-diff -->"
# GitHub rejects issue/PR comment bodies over 65,536 characters.
GITHUB_COMMENT_LIMIT = 65536
# Keeps the summary table to about a third of the limit, leaving room for the details.
MAX_TABLE_ROWS = 200
_CUT = "\n_…cut here_\n"
_BACKTICKS = re.compile("`+")

_SIGN = {ChangeType.ADDED: "+", ChangeType.REMOVED: "-", ChangeType.MODIFIED: "~", ChangeType.MOVED: ">"}
_PROMQL_FIELDS = ("expr[",)
# A string longer than this (or of several lines) is shown as a block with its changes marked,
# not squeezed into one `old -> new` line.
_LONG = 80
# Unchanged text kept on each side of a change in the one-line summary of a long string.
_CONTEXT = 24
_TOKENS = re.compile(r"\w+|\s+|[^\w\s]")


def _is_promql(fc: FieldChange) -> bool:
    return fc.field.startswith(_PROMQL_FIELDS)


def _is_block(fc: FieldChange) -> bool:
    """PromQL, and any long or multi-line string: shown line by line with the change marked."""
    if _is_promql(fc):
        return True
    values = [v for v in (fc.old, fc.new) if v is not None]
    return bool(values) and all(isinstance(v, str) for v in values) and any(len(v) > _LONG or "\n" in v for v in values)


def word_diff(old: str, new: str, context: int = _CONTEXT) -> str:
    """One line with each changed span as ``[-old-]{+new+}`` (git's --word-diff=plain) and
    long unchanged runs cut to ``context`` characters, so a change in a 300-character
    expression is visible at a glance."""
    a, b = _TOKENS.findall(old), _TOKENS.findall(new)
    ops = difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    parts = []
    for n, (tag, i1, i2, j1, j2) in enumerate(ops):
        if tag != "equal":
            removed, added = "".join(a[i1:i2]), "".join(b[j1:j2])
            parts.append((f"[-{removed}-]" if removed else "") + (f"{{+{added}+}}" if added else ""))
            continue
        same = "".join(a[i1:i2])
        first, last = n == 0, n == len(ops) - 1
        if first and len(same) > context:
            same = "…" + same[-context:]
        elif last and len(same) > context:
            same = same[:context] + "…"
        elif not first and not last and len(same) > 2 * context:
            same = same[:context] + "…" + same[-context:]
        parts.append(same)
    return " ".join("".join(parts).split("\n"))


def _block_lines(fc: FieldChange) -> list[tuple[str, str]]:
    """(sign, text) lines of a block field: ``-``/``+`` for the two sides, ``~`` for the marked change.
    Multi-line text shows only the lines that changed, with one line of context (``" "``)."""
    old, new = fc.old, fc.new
    if old is not None and new is not None and ("\n" in str(old) or "\n" in str(new)):
        lines = difflib.unified_diff(str(old).splitlines(), str(new).splitlines(), n=1, lineterm="")
        return [(line[0], line[1:]) for line in list(lines)[2:] if line[:1] in "-+ "] or [("~", "(whitespace)")]
    out = [("-", line) for line in (str(old).splitlines() or [""])] if old is not None else []
    out += [("+", line) for line in (str(new).splitlines() or [""])] if new is not None else []
    if old is not None and new is not None and max(len(str(old)), len(str(new))) > _LONG:
        out.append(("~", word_diff(str(old), str(new))))
    return out


def _number(value):
    # Whole-number floats print as integers at any depth, as in every file we write (jsonio).
    return canonical_numbers(value)


def _value(value, field: str = "") -> str:
    """One-line form of a field value: compact for grid positions and thresholds, else canonical JSON."""
    if value is None:
        return "(none)"
    if field == "gridPos" and isinstance(value, dict):
        return " ".join(f"{k}={_number(value.get(k))}" for k in ("x", "y", "w", "h"))
    if field == "thresholds" and isinstance(value, dict) and isinstance(value.get("steps"), list):
        steps = value["steps"]
        # Grafana treats the first step as the base, whatever value it carries.
        shown = [
            str(s.get("color")) if i == 0 else f"{_number(s.get('value'))} {s.get('color')}"
            for i, s in enumerate(steps)
        ]
        return f"{value.get('mode', 'absolute')}: " + ", ".join(shown)
    return json.dumps(_number(value), sort_keys=True, ensure_ascii=False, separators=(", ", ": "))


def _subject(change: Change) -> str:
    if change.scope == "variable":
        return f"variable ${change.name}"
    if change.scope == "panel":
        title = json.dumps(change.panel_title, ensure_ascii=False) if change.panel_title is not None else "(untitled)"
        return f"panel {change.panel_id if change.panel_id is not None else '?'} {title}"
    return "dashboard"


def _by_dashboard(changes: list[Change]):
    for uid, group in groupby(changes, key=lambda c: c.dashboard_uid):
        group = list(group)
        yield uid, group[0].dashboard_title, group


# -- text ---------------------------------------------------------------------------------------


def _paint(text: str, kind: ChangeType, paint) -> str:
    return paint(text, kind.value) if paint else text


_SIGN_KIND = {"-": ChangeType.REMOVED, "+": ChangeType.ADDED, "~": ChangeType.MODIFIED}


def _text_field(fc: FieldChange, paint) -> list[str]:
    if _is_block(fc):
        lines = [f"      {fc.field}:"]
        for sign, line in _block_lines(fc):
            text = f"        {sign} {line}".rstrip()
            lines.append(_paint(text, _SIGN_KIND[sign], paint) if sign in _SIGN_KIND else text)
        return lines
    return [f"      {fc.field}: {_value(fc.old, fc.field)} -> {_value(fc.new, fc.field)}"]


def render_text(changes: list[Change], paint=None) -> str:
    """Indented, one change per line; ``paint(text, kind)`` colours a line by its change kind
    (the CLI passes one on a terminal; the library itself never writes escape codes)."""
    if not changes:
        return "No dashboard changes.\n"
    lines: list[str] = []
    for uid, title, group in _by_dashboard(changes):
        lines.append(f"{uid} {json.dumps(title, ensure_ascii=False)}")
        for change in group:
            lines.append(_paint(f"  {_SIGN[change.kind]} {_subject(change)} {change.kind.value}", change.kind, paint))
            for fc in change.fields:
                lines += _text_field(fc, paint)
    lines.append(summary_line(changes))
    return "\n".join(lines) + "\n"


def summary_line(changes: list[Change]) -> str:
    dashboards = len({c.dashboard_uid for c in changes})
    counts = {k: sum(1 for c in changes if c.kind is k) for k in ChangeType}
    parts = ", ".join(f"{n} {k.value}" for k, n in counts.items() if n)
    return f"{len(changes)} change(s) in {dashboards} dashboard(s): {parts}"


# -- json ---------------------------------------------------------------------------------------


def render_json(changes: list[Change]) -> str:
    return json.dumps({"changes": [c.to_dict() for c in changes]}, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


# -- markdown -----------------------------------------------------------------------------------


def _fence(text: str, lang: str) -> str:
    # A fence longer than any backtick run inside, so a query can never close it early.
    ticks = "`" * max(3, _longest_backticks(text) + 1)
    return f"{ticks}{lang}\n{text}\n{ticks}"


def _longest_backticks(text: str) -> int:
    return max(map(len, _BACKTICKS.findall(text)), default=0)


def _code(value: str) -> str:
    """Inline code that survives backticks and pipes inside a table or list."""
    ticks = "`" * (_longest_backticks(value) + 1)
    pad = " " if value.startswith("`") or value.endswith("`") else ""
    return f"{ticks}{pad}{value}{pad}{ticks}"


def _md_field(fc: FieldChange) -> str:
    if _is_block(fc):
        lang = "promql" if _is_promql(fc) else ""
        old = _fence(str(fc.old), lang) if fc.old is not None else "_(none)_"
        new = _fence(str(fc.new), lang) if fc.new is not None else "_(none)_"
        indent = lambda block: "\n".join("    " + line for line in block.splitlines())  # noqa: E731
        marked = [line for sign, line in _block_lines(fc) if sign == "~"]
        change = f"\n    change: {_code(marked[0])}\n" if marked else ""
        return f"  - `{fc.field}`\n\n    old:\n\n{indent(old)}\n\n    new:\n\n{indent(new)}\n{change}"
    return f"  - `{fc.field}`: {_code(_value(fc.old, fc.field))} → {_code(_value(fc.new, fc.field))}\n"


def _md_change(change: Change) -> str:
    subject = _subject(change).replace("`", "'")
    head = f"- **{change.kind.value}** {html.escape(subject, quote=False)}\n"
    return head + "".join(_md_field(fc) for fc in change.fields)


def _counts(group: list[Change]) -> tuple[str, ...]:
    first = group[0]
    if first.scope == "dashboard" and first.kind in (ChangeType.ADDED, ChangeType.REMOVED):
        return (first.kind.value, "–", "–", "–", "–")
    panels = [c for c in group if c.scope == "panel"]
    added = sum(1 for c in panels if c.kind is ChangeType.ADDED)
    removed = sum(1 for c in panels if c.kind is ChangeType.REMOVED)
    # A panel both moved and modified is one changed panel.
    changed = len({(c.panel_id, c.panel_title) for c in panels if c.kind in (ChangeType.MODIFIED, ChangeType.MOVED)})
    variables = sum(1 for c in group if c.scope == "variable")
    return ("modified", str(added), str(removed), str(changed), str(variables))


def _table(groups) -> list[str]:
    rows = [
        "| Dashboard | Change | Panels added | Panels removed | Panels changed | Variables changed |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for uid, title, group in groups[:MAX_TABLE_ROWS]:
        cells = (f"{_md_text(title)} ({_code(uid)})", *_counts(group))
        rows.append("| " + " | ".join(cells) + " |")
    if len(groups) > MAX_TABLE_ROWS:
        rows.append(f"| … and {len(groups) - MAX_TABLE_ROWS} more dashboards | | | | | |")
    return [r + "\n" for r in rows]


def _md_text(text: str) -> str:
    return html.escape(text, quote=False).replace("|", "\\|")


def _details(title: str, uid: str, items: list[str], note: str = "") -> str:
    return (
        f"<details><summary><b>{_md_text(title)}</b> (<code>{html.escape(uid)}</code>)</summary>\n\n"
        + "".join(items)
        + note
        + "\n</details>\n\n"
    )


def render_markdown(changes: list[Change], limit: int = GITHUB_COMMENT_LIMIT) -> str:
    """A PR comment: marker, summary table, one collapsible block per dashboard.

    Stays under ``limit`` characters: whole blocks are kept while they fit, the
    first that does not is cut change by change, and a note says what was left out.
    """
    head = f"{MARKER}\n### Dashboard changes\n\n"
    if not changes:
        return head + "No dashboard changes.\n"
    groups = list(_by_dashboard(changes))
    parts = _table(groups) + ["\n", summary_line(changes) + "\n\n"]
    for uid, title, group in groups:
        items = [_md_change(c) for c in group]
        parts.append((title, uid, items))
    return _fit(head, parts, len(changes), limit)


def _fit(head: str, parts: list, total: int, limit: int) -> str:
    # Reserve room for the truncation note so adding it can never push us over.
    budget = limit - len(head) - 400
    out, used, shown = [], 0, 0
    for part in parts:
        if isinstance(part, str):
            if used + len(part) > budget:
                break
            out.append(part)
            used += len(part)
            continue
        title, uid, items = part
        block = _details(title, uid, items)
        if used + len(block) <= budget:
            out.append(block)
            used, shown = used + len(block), shown + len(items)
            continue
        # Cut this block change by change; its frame (summary, cut note) is paid once.
        size, kept = used + len(_details(title, uid, [], _CUT)), []
        for item in items:
            if size + len(item) > budget:
                break
            kept.append(item)
            size += len(item)
        if kept:
            out.append(_details(title, uid, kept, _CUT))
            shown += len(kept)
        break
    else:
        return head + "".join(out)
    note = (
        f"\n> [!NOTE]\n> Truncated to fit the {limit:,}-character comment limit: showing "
        f"{shown} of {total} changes. Run `azora-dash diff` locally for the full list.\n"
    )
    return head + "".join(out) + note
