"""Python source rendering for imported dashboards, clean by construction.

Values are rendered as Python literals; ``Code`` marks text that is already an
expression (a builder call, ``Q.request_rate(cfg)``) and is emitted verbatim.
A value goes on one line when it fits in ``WIDTH`` columns, otherwise one item
per line with a trailing comma, the layout ``black`` would also choose.
"""

from __future__ import annotations

import textwrap

WIDTH = 110
INDENT = "    "


class Code(str):
    """A Python expression to emit as-is (not quoted)."""


class Call:
    """``func(arg, ..., key=value)``; its arguments are rendered like any other value."""

    def __init__(self, func: str, *args, **kwargs):
        self.func, self.args, self.kwargs = func, list(args), kwargs

    def __eq__(self, other) -> bool:
        return isinstance(other, Call) and (self.func, self.args, self.kwargs) == (other.func, other.args, other.kwargs)

    def __repr__(self) -> str:
        return _flat(self)


def _flat(value) -> str:
    if isinstance(value, Call):
        parts = [_flat(a) for a in value.args] + [f"{k}={_flat(v)}" for k, v in value.kwargs.items()]
        return f"{value.func}({', '.join(parts)})"
    if isinstance(value, Code):
        return str(value)
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_flat(k)}: {_flat(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_flat(v) for v in value) + "]"
    if isinstance(value, tuple):
        return "(" + ", ".join(_flat(v) for v in value) + ("," if len(value) == 1 else "") + ")"
    return repr(value)


def render(value, level: int = 0) -> str:
    """``value`` as source, starting at indentation ``level`` (continuation lines are indented)."""
    flat = _flat(value)
    if len(flat) + len(INDENT) * level <= WIDTH and "\n" not in flat:
        return flat
    inner = INDENT * (level + 1)
    hugged = _hug(value, level)
    if hugged:
        return hugged
    if isinstance(value, Call):
        items = [render(a, level + 1) for a in value.args]
        items += [f"{k}={render(v, level + 1)}" for k, v in value.kwargs.items()]
        open_, close = f"{value.func}(", ")"
    elif isinstance(value, dict):
        items = [f"{_flat(k)}: {render(v, level + 1)}" for k, v in value.items()]
        open_, close = "{", "}"
    elif isinstance(value, (list, tuple)):
        items = [render(v, level + 1) for v in value]
        open_, close = ("[", "]") if isinstance(value, list) else ("(", ")")
    else:
        return flat  # a long string or expression: cannot be split safely
    if not items:
        return open_ + close
    return open_ + "\n" + "".join(f"{inner}{item},\n" for item in items) + INDENT * level + close


def _hug(value, level: int) -> str | None:
    """``f(a, b, g(<one item per line>), k=v)`` when every argument but one big call is short.

    Keeps ``P.at(0, 1, P.timeseries(...), id=2)`` from spending a line on each number.
    """
    if not isinstance(value, Call):
        return None
    big = [i for i, a in enumerate(value.args) if isinstance(a, Call) and len(_flat(a)) > WIDTH // 2]
    if len(big) != 1:
        return None
    i = big[0]
    head = [_flat(a) for a in value.args[:i]]
    tail = [_flat(a) for a in value.args[i + 1 :]] + [f"{k}={_flat(v)}" for k, v in value.kwargs.items()]
    if len(", ".join(head + tail)) > WIDTH // 2:
        return None
    middle = render(value.args[i], level)
    return f"{value.func}(" + "".join(h + ", " for h in head) + middle + "".join(", " + t for t in tail) + ")"


def module(docstring: str, notes: list[str], imports: list[str], body: object) -> str:
    """The whole dashboard module: docstring, carried-over notes, imports, ``build(cfg)``."""
    # Titles and file names are data: keep them from ending the docstring or a comment line.
    doc = " ".join(docstring.split()).replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    lines = [f'"""{doc}"""']
    for note in (
        n.replace("\n", " ").replace("\r", " ") for n in notes
    ):  # wrapped like prose; list items keep a hanging indent
        wrapped = textwrap.wrap(
            note,
            WIDTH - 2,
            subsequent_indent="  " if note.startswith("- ") else "",
            break_long_words=False,
            break_on_hyphens=False,
        )
        lines += [f"# {w}" for w in wrapped] or ["#"]
    lines += imports
    lines += ["", "", "def build(cfg):", f"{INDENT}return {render(body, 1)}", ""]
    return "\n".join(lines)


def black(text: str) -> str:
    """Run ``black`` on the source when it is installed; the output is already clean without it."""
    try:
        import black as _black  # noqa: PLC0415 - optional, never required
    except ImportError:
        return text
    try:
        return _black.format_str(text, mode=_black.Mode(line_length=WIDTH))
    except Exception:  # noqa: BLE001 - black is cosmetic; keep our own layout if it objects
        return text
