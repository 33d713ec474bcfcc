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
        return flat(self)


def _pieces(value):
    """The flat source of ``value`` piece by piece, so a caller can stop once it is too long."""
    if isinstance(value, Call):
        yield f"{value.func}("
        yield from _joined([*value.args, *value.kwargs.items()], kwargs=len(value.args))
        yield ")"
    elif isinstance(value, Code):
        yield str(value)
    elif isinstance(value, dict):
        yield "{"
        yield from _joined(list(value.items()), pairs=True)
        yield "}"
    elif isinstance(value, (list, tuple)):
        yield "[" if isinstance(value, list) else "("
        yield from _joined(list(value))
        yield "]" if isinstance(value, list) else ("," if len(value) == 1 else "") + ")"
    else:
        yield repr(value)


def _joined(items: list, kwargs: int | None = None, pairs: bool = False):
    for i, item in enumerate(items):
        if i:
            yield ", "
        if kwargs is not None and i >= kwargs:
            yield f"{item[0]}="
            yield from _pieces(item[1])
        elif pairs:
            yield from _pieces(item[0])
            yield ": "
            yield from _pieces(item[1])
        else:
            yield from _pieces(item)


def flat(value) -> str:
    """``value`` as one line of source (what ``eval`` needs; ``render`` lays it out for people)."""
    return "".join(_pieces(value))


def _short(value, limit: int) -> str | None:
    """``flat(value)`` if it is at most ``limit`` characters, else None without building the rest.

    Rendering asks this at every nesting level; building the whole flat text each time made
    a 125-panel import quadratic (seconds spent joining strings that were never used).
    """
    out, size = [], 0
    for piece in _pieces(value):
        size += len(piece)
        if size > limit:
            return None
        out.append(piece)
    return "".join(out)


def evaluate(value, namespace: dict):
    """What ``eval(flat(value), namespace)`` gives, without writing and parsing the source.

    Imported JSON is most of every candidate the importer tries; parsing it back from text
    for each try cost more than everything else an import does.
    """
    if isinstance(value, Call):
        func = evaluate(Code(value.func), namespace)
        args = [evaluate(a, namespace) for a in value.args]
        return func(*args, **{k: evaluate(v, namespace) for k, v in value.kwargs.items()})
    if isinstance(value, Code):
        return eval(value, namespace)  # noqa: S307 - a name or call the importer itself wrote
    if isinstance(value, dict):
        return {evaluate(k, namespace): evaluate(v, namespace) for k, v in value.items()}
    if isinstance(value, list):
        return [evaluate(v, namespace) for v in value]
    if isinstance(value, tuple):
        return tuple(evaluate(v, namespace) for v in value)
    return value


def render(value, level: int = 0) -> str:
    """``value`` as source, starting at indentation ``level`` (continuation lines are indented)."""
    line = _short(value, WIDTH - len(INDENT) * level)
    if line is not None and "\n" not in line:
        return line
    inner = INDENT * (level + 1)
    hugged = _hug(value, level)
    if hugged:
        return hugged
    if isinstance(value, Call):
        items = [render(a, level + 1) for a in value.args]
        items += [f"{k}={render(v, level + 1)}" for k, v in value.kwargs.items()]
        open_, close = f"{value.func}(", ")"
    elif isinstance(value, dict):
        items = [f"{flat(k)}: {render(v, level + 1)}" for k, v in value.items()]
        open_, close = "{", "}"
    elif isinstance(value, (list, tuple)):
        items = [render(v, level + 1) for v in value]
        open_, close = ("[", "]") if isinstance(value, list) else ("(", ")")
    else:
        return flat(value)  # a long string or expression: cannot be split safely
    if not items:
        return open_ + close
    return open_ + "\n" + "".join(f"{inner}{item},\n" for item in items) + INDENT * level + close


def _hug(value, level: int) -> str | None:
    """``f(a, b, g(<one item per line>), k=v)`` when every argument but one big call is short.

    Keeps ``P.at(0, 1, P.timeseries(...), id=2)`` from spending a line on each number.
    """
    if not isinstance(value, Call):
        return None
    half = WIDTH // 2
    big = [i for i, a in enumerate(value.args) if isinstance(a, Call) and _short(a, half) is None]
    if len(big) != 1:
        return None
    i = big[0]
    rest = Call("", *value.args[:i], *value.args[i + 1 :])
    rest.kwargs = value.kwargs
    if _short(rest, half + 2) is None:  # "(" + the arguments joined + ")"
        return None
    head = [flat(a) for a in value.args[:i]]
    tail = [flat(a) for a in value.args[i + 1 :]] + [f"{k}={flat(v)}" for k, v in value.kwargs.items()]
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
