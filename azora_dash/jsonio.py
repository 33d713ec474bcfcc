"""Canonical JSON and atomic, change-only file writes.

Every generated file goes through here so output is byte-for-byte deterministic
(grafanalib ``_gen.write_dashboard``: sorted keys, 2-space indent, trailing
newline) and a rebuild with no change touches no file.
"""

from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass, field
from json.encoder import encode_basestring  # the C implementation when _json is available
from pathlib import Path

from .errors import InputError


def dumps(obj) -> str:
    """The one canonical JSON form used for every file we write or compare.

    It is ``json.dumps(obj, sort_keys=True, indent=2, ensure_ascii=False)`` plus a
    newline, except that a whole-number float is written as an integer (``1.0`` -> ``1``;
    see ``canonical_numbers``). The stdlib only uses its C encoder without ``indent``; with it,
    its generator-based Python encoder was half the time of a 1,000-dashboard
    build. ``_encode`` writes the same bytes for plain JSON data in one pass;
    anything else (non-string keys, NaN, subclasses) goes to ``json.dumps``.
    """
    parts: list[str] = []
    try:
        _encode(obj, parts, "\n")
    except (_Unsupported, RecursionError, TypeError):
        return json.dumps(canonical_numbers(obj), sort_keys=True, indent=2, ensure_ascii=False) + "\n"
    parts.append("\n")
    return "".join(parts)


# Go's encoding/json writes a float64 in exponent form from 1e21 on (encode.go floatEncoder),
# so only below that does a whole-number float come back from Grafana 12+ as plain digits.
_GO_PLAIN_LIMIT = 1e21


def _whole(value: float) -> bool:
    return math.isfinite(value) and value.is_integer() and abs(value) < _GO_PLAIN_LIMIT


def canonical_numbers(obj):
    """``obj`` with every whole-number float as an int, the form Grafana 12+ stores.

    Grafana 12 re-decodes a saved dashboard with plain ``encoding/json`` into
    ``map[string]interface{}`` (pkg/services/dashboards/service/dashboard_service.go,
    LegacySaveCommandToUnstructured), so every number is a float64 and Go re-encodes
    ``1.0`` as ``1``. Writing numbers that way ourselves makes built files, content
    hashes and diffs identical on every Grafana version.
    """
    kind = type(obj)
    if kind is float and _whole(obj):
        return int(obj)
    if kind is dict:
        return {k: canonical_numbers(v) for k, v in obj.items()}
    if kind is list or kind is tuple:
        return [canonical_numbers(v) for v in obj]
    return obj


class _Unsupported(Exception):
    """A value the fast path leaves to ``json.dumps``."""


_CONSTANTS = {None: "null", True: "true", False: "false"}


def _encode(obj, out: list[str], newline: str) -> None:
    kind = type(obj)
    if kind is str:
        out.append(encode_basestring(obj))
    elif kind is dict:
        if not obj:
            out.append("{}")
            return
        inner = newline + "  "
        sep = "{" + inner
        for key in sorted(obj):  # mixed key types raise TypeError: not plain JSON data
            if type(key) is not str:
                raise _Unsupported
            out.append(sep + encode_basestring(key) + ": ")
            _encode(obj[key], out, inner)
            sep = "," + inner
        out.append(newline + "}")
    elif kind is list or kind is tuple:
        if not obj:
            out.append("[]")
            return
        inner = newline + "  "
        sep = "[" + inner
        for item in obj:
            out.append(sep)
            _encode(item, out, inner)
            sep = "," + inner
        out.append(newline + "]")
    elif kind is int:
        out.append(int.__repr__(obj))
    elif kind is float and math.isfinite(obj):
        out.append(int.__repr__(int(obj)) if _whole(obj) else float.__repr__(obj))
    elif kind is bool or obj is None:
        out.append(_CONSTANTS[obj])
    else:
        raise _Unsupported


def load_json(path: Path):
    try:
        with open(path, encoding="utf-8") as fh:
            return json.load(fh)
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}:{exc.lineno}:{exc.colno}: invalid JSON: {exc.msg}") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror}") from None


@dataclass
class WriteResult:
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    @property
    def changed(self) -> list[str]:
        return sorted(self.written + self.removed)


def plan_tree(root: Path, files: dict[str, str], owned_globs: tuple[str, ...] = ()) -> WriteResult:
    """What `write_tree` would do, without doing it (used by ``build --check``)."""
    result = WriteResult()
    for rel, text in sorted(files.items()):
        target = root / rel
        try:
            same = target.read_bytes() == text.encode("utf-8")
        except (FileNotFoundError, NotADirectoryError):
            same = False
        (result.unchanged if same else result.written).append(rel)
    for pattern in owned_globs:
        for stale in sorted(root.glob(pattern)):
            rel = stale.relative_to(root).as_posix()
            if rel not in files:
                result.removed.append(rel)
    return result


def _stage(target: Path, text: str) -> Path:
    """Write ``text`` to a new temp file beside ``target``, for the caller to rename into place."""
    import tempfile  # here, not at the top: a no-change build never needs it, and its start-up is benchmarked

    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(text)
    os.chmod(tmp, 0o644)
    return Path(tmp)


def _contained(root: Path, rel: str) -> None:
    """Refuse a relative path that would leave ``root`` (callers check uids first; this is the backstop)."""
    parts = Path(rel).parts
    if "\0" in rel or not parts or Path(rel).is_absolute() or ".." in parts:
        raise InputError(f"{root}: refusing to write {rel!r}, which is not a plain path inside it")


def write_tree(root: Path, files: dict[str, str], owned_globs: tuple[str, ...] = ()) -> WriteResult:
    """Make ``root`` hold exactly ``files`` (relative path -> text).

    Only changed files are written, so mtimes of unchanged files stay put. All
    new contents are first staged as temp files beside their targets; only when
    every one is on disk are they renamed into place, so an error while staging
    (disk full, permissions) leaves the tree exactly as it was. Files matching
    ``owned_globs`` that are no longer generated are removed.
    """
    for rel in files:
        _contained(root, rel)
    plan = plan_tree(root, files, owned_globs)
    staged: list[tuple[str, Path]] = []
    try:
        for rel in plan.written:
            staged.append((rel, _stage(root / rel, files[rel])))
    except OSError as exc:
        for _, tmp in staged:
            tmp.unlink(missing_ok=True)
        raise InputError(f"{root}: cannot write generated files ({exc.strerror}); nothing was changed") from None
    for rel, tmp in staged:
        os.replace(tmp, root / rel)
    for rel in plan.removed:
        (root / rel).unlink(missing_ok=True)
    return plan
