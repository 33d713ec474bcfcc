"""``grafanalib.core``, imported with the methods attrs generates for its classes compiled once.

attrs writes each class's ``__init__``, ``__repr__``, ``__eq__``... as source text and compiles it
as the class is created (``attr._make``: ``compile(script, filename, "exec")``). For grafanalib's
classes that compile is about 60% of ``import grafanalib.core``: 50-75 ms on the CI machine, 300 M
of its 770 M instructions. Every command that builds a dashboard pays it, and a build's start-up
and its 100-dashboard figure are benchmarked against grafanalib (issue 19). Python keeps a
module's compiled code between runs in ``__pycache__``; this keeps attrs' code the same way, beside
ours. While ``grafanalib.core`` is imported, and only then, the ``compile`` that ``attr._make``
calls is served from a file keyed by the exact source, file name and compile flags. What had to be
compiled is saved for the next run.

Nothing else changes. attrs still writes the source, registers it for tracebacks (linecache) and
runs the code, and a code object is only ever reused for the identical source. An unreadable or
foreign file is ignored and rewritten. ``PYTHONDONTWRITEBYTECODE`` is obeyed, and a failure to save
is silent, as it is for Python's own bytecode. The file is trusted as a ``.pyc`` is: whoever can
write it can write our bytecode. Should attrs stop calling ``compile`` from ``attr._make``, the
cache simply goes unused.

Every module of ours that needs grafanalib imports it from here (``from .grafanalib_cache import
core as G``); an import-linter contract keeps it so.
"""

import __future__

import builtins
import marshal
import os
import sys
from importlib.util import MAGIC_NUMBER, cache_from_source

# Bumped when the file's layout changes; with Python's bytecode magic, a file of another layout
# or interpreter is ignored.
_LAYOUT = 1

# What the last import did (tests, and anyone asking why a start-up was slow).
stats = {"reused": 0, "compiled": 0, "saved": False}


def path() -> str | None:
    """The cache file: beside this module's bytecode, wherever ``PYTHONPYCACHEPREFIX`` puts that,
    with the interpreter's tag (``cpython-311``, ``.opt-1`` under -O) in its name; None for an
    interpreter that keeps no bytecode cache."""
    try:
        return cache_from_source(__file__)[: -len(".pyc")] + ".attrs"
    except NotImplementedError:  # sys.implementation.cache_tag is None
        return None


def _inherited_flags(module) -> int:
    """The ``__future__`` flags a bare ``compile()`` in ``module`` inherits (attr._make has
    ``annotations``), for compiling here exactly what it would compile there."""
    flags = 0
    for name in __future__.all_feature_names:
        feature = getattr(__future__, name)
        if vars(module).get(name) is feature:
            flags |= feature.compiler_flag
    return flags


def _load(where: str | None) -> dict:
    if where is None:
        return {}
    try:
        # One read: marshal.load(fh) reads object by object, four times slower for this file.
        with open(where, "rb") as fh:
            header, codes = marshal.loads(fh.read())
    except Exception:  # noqa: BLE001 - missing, truncated or not ours: compile as attrs would
        return {}
    return codes if header == (_LAYOUT, MAGIC_NUMBER) and type(codes) is dict else {}


def _save(where: str, codes: dict) -> bool:
    """Write ``codes`` atomically; False if the folder is not writable (a read-only install)."""
    tmp = f"{where}.{os.getpid()}.tmp"
    try:
        os.makedirs(os.path.dirname(where), exist_ok=True)
        with open(tmp, "wb") as fh:
            fh.write(marshal.dumps(((_LAYOUT, MAGIC_NUMBER), codes)))
        os.replace(tmp, where)
    except (OSError, ValueError):  # ValueError: marshal refused a value (no code object should)
        try:
            os.unlink(tmp)
        except OSError:
            pass
        return False
    return True


def _import_core():
    import attr._make as make

    real, where = builtins.compile, path()
    inherited = _inherited_flags(make)
    cached, used, counts = _load(where), {}, {"reused": 0, "compiled": 0}

    def compile(source, filename, mode, flags=0, dont_inherit=False, optimize=-1, **more):  # noqa: A001
        if not dont_inherit:
            flags |= inherited
        if more or optimize != -1 or mode != "exec" or type(source) is not str or type(filename) is not str:
            return real(source, filename, mode, flags, True, optimize, **more)
        key = (flags, filename, source)
        code = cached.get(key)
        if code is None:
            code = real(source, filename, mode, flags, True)
        counts["reused" if key in cached else "compiled"] += 1
        used[key] = code
        return code

    shadowed = vars(make).get("compile")
    make.compile = compile
    try:
        import grafanalib.core as core
    finally:
        if shadowed is None:
            del make.compile
        else:
            make.compile = shadowed
    stats.update(counts, saved=False)
    if counts["compiled"] and where is not None and not sys.dont_write_bytecode:
        # Only what this import used: entries of an older attrs or grafanalib drop out.
        stats["saved"] = _save(where, used)
    return core


core = _import_core()
