"""Canonical JSON and atomic, change-only file writes.

Every generated file goes through here so output is byte-for-byte deterministic
(grafanalib ``_gen.write_dashboard``: sorted keys, 2-space indent, trailing
newline) and a rebuild with no change touches no file.
"""

from __future__ import annotations

import codecs
import functools
import gc
import itertools
import json
import math
import os
import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from json.encoder import encode_basestring  # the C implementation when _json is available
from pathlib import Path

from .errors import InputError


def dumps(obj, plain: bool = False) -> str:
    """The one canonical JSON form used for every file we write or compare.

    It is ``json.dumps(obj, sort_keys=True, indent=2, ensure_ascii=False)`` plus a
    newline, except that a whole-number float is written as an integer (``1.0`` -> ``1``;
    see ``canonical_numbers``). The stdlib only uses its C encoder without ``indent``; with it,
    its generator-based Python encoder was half the time of a 1,000-dashboard build.
    orjson (Rust) writes the same bytes for plain JSON data about 20x faster; where it
    may not (see ``_orjson_dumps``) ``_encode`` writes them in one Python pass, and
    anything else (non-string keys, NaN, subclasses) goes to ``json.dumps``.

    ``plain`` is the caller's word that ``obj`` holds only exact dicts, lists, strings, ints,
    booleans, None and finite floats that are not whole (``build.normalize.to_plain``'s output):
    orjson's text then needs no read-back to prove it, and has no ``N.0`` to rewrite.

    The first ``_ENCODE_FIRST`` calls in a process use ``_encode``: importing orjson (which imports
    uuid, datetime and enum) costs about as much as writing that many dashboards in Python, and a
    build of a few is benchmarked start-up (issue 19); a caller that knows more will follow says
    so (``expect``).
    """
    if next(_CALLS) >= _ENCODE_FIRST:
        text = _orjson_dumps(obj, plain)
        if text is not None:
            return text
    parts: list[str] = []
    try:
        _encode(obj, parts, "\n")
    except (_Unsupported, RecursionError, TypeError):
        return json.dumps(canonical_numbers(obj), sort_keys=True, indent=2, ensure_ascii=False) + "\n"
    parts.append("\n")
    return "".join(parts)


_ENCODE_FIRST = 16
_CALLS = itertools.count()


def expect(files: int) -> None:
    """Say that ``files`` more calls of ``dumps`` follow. Past ``_ENCODE_FIRST`` orjson's import
    pays for itself, so it writes them all: a build of 100 dashboards wrote its first 16 in Python,
    a twentieth of its instructions."""
    global _CALLS
    if files > _ENCODE_FIRST:
        _CALLS = itertools.count(_ENCODE_FIRST)


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


# Where orjson's float text differs from ours: it writes 1e-05 as 0.00001 and 1e-9 as 1e-9
# (repr: 1e-09), and from 1e16 on uses an exponent where whole numbers below 1e21 are plain
# digits here; a whole float it writes as "N.0" (fixed in ``_orjson_dumps``), but "-0.0"
# becomes "0". The searches start at literals so they skip straight to candidates.
_ORJSON_SHORT_EXPONENT = re.compile(rb"e-\d(?!\d)")
# With indent, a line ending in ".0" or ".0," ends in a number: a string would end in a quote.
_ORJSON_WHOLE_FLOAT = re.compile(rb"(\d)\.0(,?)\n")


def _orjson_float_risk(data: bytes, plain: bool = False) -> bool:
    """Whether orjson may have written a float otherwise than ``json.dumps``. In ``plain`` data
    (see ``dumps``) whole floats are ints already, so only small ones remain to look for: a big
    float (from 1e21) is written the same by both, and -0.0 is the int 0."""
    if b"0.0000" in data or (not plain and (b"e+" in data or b"-0.0" in data)):
        return True
    return any(data[m.start() - 1 : m.start()].isdigit() for m in _ORJSON_SHORT_EXPONENT.finditer(data))


_ORJSON_OPTIONS = None


def _orjson_dumps(obj, plain: bool = False) -> str | None:
    """``dumps`` by orjson, or None where its bytes could differ from ``json.dumps``.

    orjson raises on what it cannot write exactly as plain JSON (non-string keys, ints
    beyond 64 bits, str/int/dict subclasses with OPT_PASSTHROUGH_SUBCLASS) but writes NaN
    and infinities as null, tuples as lists and enums and UUIDs as values, so unless ``obj``
    is ``plain`` (see ``dumps``) the text must load back equal to ``obj``.
    """
    global _ORJSON_OPTIONS
    import orjson

    if _ORJSON_OPTIONS is None:
        _ORJSON_OPTIONS = (
            orjson.OPT_INDENT_2
            | orjson.OPT_SORT_KEYS
            | orjson.OPT_PASSTHROUGH_SUBCLASS
            | orjson.OPT_PASSTHROUGH_DATACLASS
            | orjson.OPT_PASSTHROUGH_DATETIME
        )
    try:
        data = orjson.dumps(obj, option=_ORJSON_OPTIONS)
    except (TypeError, orjson.JSONEncodeError):
        return None
    if _orjson_float_risk(data, plain) or (not plain and orjson.loads(data) != obj):
        return None
    data += b"\n"
    if not plain and (b".0\n" in data or b".0,\n" in data):
        data = _ORJSON_WHOLE_FLOAT.sub(rb"\1\2\n", data)
    return data.decode("utf-8")


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


# A run of 19 digits (2**63 has 19), found by mapping every digit to "0" and looking for 19 of
# them: bytes.translate and ``in`` run at memory speed, where re.search(rb"\d{19}") tried a match
# at every byte and cost three times the orjson parse it guards.
_DIGITS_TO_ZERO = bytes.maketrans(b"123456789", b"000000000")
_LONG_DIGITS = b"0" * 19


def _long_digits(data: bytes) -> bool:
    """Whether ``data`` holds a run of 19 digits.

    Such a run covers at least three consecutive multiples of 6, so every 6th byte (a sixth of
    the translating) shows three digits in a row wherever there is one; only then is the whole
    text searched. Most dashboards never get that far.
    """
    return b"000" in data[::6].translate(_DIGITS_TO_ZERO) and _LONG_DIGITS in data.translate(_DIGITS_TO_ZERO)


def loads(data: bytes | str):
    """``json.loads``, by orjson where it can: about twice as fast on dashboards.

    orjson is strict RFC 8259 JSON; what it refuses (NaN, Infinity) goes to ``json.loads``,
    which then accepts it or raises its own ``JSONDecodeError`` with the message and position
    users see today. orjson reads an integer beyond 64 bits as a float, so text with a run of
    19 digits (2**63 has 19) is left to ``json.loads`` too.
    """
    parsed = _fast_loads(data if isinstance(data, bytes) else data.encode())
    return json.loads(data) if parsed is _REFUSED else parsed


_REFUSED = object()


def _fast_loads(data: bytes):
    """orjson straight from the bytes (it checks UTF-8 itself), or ``_REFUSED`` where ``json.loads``
    must decide (see ``loads``): any orjson error, so every message is ``json.loads``'s."""
    import orjson

    if _long_digits(data):
        return _REFUSED
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError:
        return _REFUSED


@contextmanager
def no_cyclic_gc():
    """Pause CPython's cycle collector for a bulk pass over parsed JSON.

    Parsed dashboards, and what lint and diff derive from them (parsed queries, contexts,
    problems), hold no reference cycles, so reference counting frees them all; the cycle
    collector would only rescan every live dashboard again and again (measured: about a
    third of the lint time at 1,000 dashboards).
    """
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


@contextmanager
def bulk_load():
    """Around loading many JSON files: no cyclic GC while loading, then freeze what was loaded.

    ``gc.freeze`` moves the loaded dashboards out of the collector's sight for the rest of the
    process (refcounting still frees them), so linting or diffing them afterwards does not
    rescan them either; diff ran at about half the time and lint at three quarters.
    """
    with no_cyclic_gc():
        try:
            yield
        finally:
            # Before the collector is back: the allocations counted while it was paused would make
            # its first run a full collection of everything just loaded.
            gc.freeze()


def load_json(path: Path):
    """Parse one JSON file; every failure is one line naming the file and what to do."""
    try:
        with open(path, "rb") as fh:  # not Path(path): building a Path was a tenth of reading a file
            data = fh.read()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputError(
            f"{path}: is a directory; pass a JSON file, or the directory where a folder is accepted"
        ) from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror}") from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or (len(data) > 1 and b"\x00" in data[:4]):
        raise InputError(f"{path}: is UTF-16 text, not UTF-8; re-save it as UTF-8 (e.g. iconv -f UTF-16 -t UTF-8)")
    parsed = _fast_loads(data[3:] if data.startswith(codecs.BOM_UTF8) else data)
    if parsed is not _REFUSED:
        return parsed
    try:
        text = data.decode("utf-8-sig")  # a UTF-8 byte-order mark, as Windows editors write, is harmless
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: byte {exc.start} is not UTF-8; re-save the file as UTF-8") from None
    try:
        return json.loads(text)  # orjson refused these very bytes above: json.loads decides, and words the error
    except json.JSONDecodeError as exc:
        hint = " (the file ends early: truncated?)" if exc.pos >= len(text.rstrip()) else ""
        raise InputError(f"{path}:{exc.lineno}:{exc.colno}: invalid JSON: {exc.msg}{hint}") from None
    except RecursionError:
        raise InputError(f"{path}: JSON nested too deeply to be a dashboard") from None


@dataclass
class WriteResult:
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    @property
    def changed(self) -> list[str]:
        return sorted(self.written + self.removed)


class TreeWriter:
    """Make ``root`` hold exactly the files given to ``add``, atomically, one file at a time.

    ``add`` compares each file with what is on disk as soon as it is rendered and, if it
    differs, stages it as a temp file beside its target, so the caller need not keep every
    file in memory (at 3,000 dashboards that was 400 MiB and a fifth of the build in garbage
    collection). ``commit`` renames every staged file into place only once all were staged,
    and removes files matching ``owned_globs`` that were not added; an exception before it
    (a failing dashboard, a full disk) deletes the temp files and leaves the tree as it was.
    With ``dry_run`` nothing is staged: the result says what a real run would do.
    """

    def __init__(self, root: Path, owned_globs: tuple[str, ...] = (), dry_run: bool = False):
        self.root, self.owned_globs, self.dry_run = root, owned_globs, dry_run
        self.result = WriteResult()
        # (temp file, target) as plain strings: at 3,000 files two Path objects each were most of
        # the build's memory growth with the number of dashboards.
        self._staged: list[tuple[str, str]] = []
        self._seen: set[str] = set()
        self._folders: set[Path] = set()  # made already: one mkdir per folder, not per file
        # Per folder: whether it existed when its first file came. One that did not holds no file
        # to compare with, so a fresh build does not try to read each of its files first.
        self._existed: dict[Path, bool] = {}

    def add(self, rel: str, text: str) -> bytes:
        """Stage ``text`` as ``rel`` unless the file already holds it; returns its UTF-8 bytes."""
        _contained(self.root, rel)
        target = self.root / rel
        folder = target.parent
        data = text.encode("utf-8")
        self._seen.add(rel)
        existed = self._existed.get(folder)
        if existed is None:
            existed = self._existed[folder] = folder.is_dir()
        try:
            if existed and target.read_bytes() == data:
                self.result.unchanged.append(rel)
                return data
        except (FileNotFoundError, NotADirectoryError):
            pass
        self.result.written.append(rel)
        if self.dry_run:
            return data
        try:
            if folder not in self._folders:
                folder.mkdir(parents=True, exist_ok=True)
                self._folders.add(folder)
            self._staged.append((_stage(target, data), str(target)))
        except OSError as exc:
            self.abort()
            raise InputError(f"{target}: cannot write generated files ({exc.strerror}); nothing was changed") from None
        return data

    def abort(self) -> None:
        for tmp, _ in self._staged:
            try:
                os.unlink(tmp)
            except FileNotFoundError:
                pass
        self._staged.clear()

    def commit(self) -> WriteResult:
        for pattern in self.owned_globs:
            for stale in self.root.glob(pattern):
                rel = stale.relative_to(self.root).as_posix()
                if rel not in self._seen:
                    self.result.removed.append(rel)
        for tmp, target in self._staged:
            os.replace(tmp, target)
        self._staged.clear()
        if not self.dry_run:
            for rel in self.result.removed:
                (self.root / rel).unlink(missing_ok=True)
        for names in (self.result.written, self.result.unchanged, self.result.removed):
            names.sort()
        return self.result

    def __enter__(self) -> TreeWriter:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is not None:
            self.abort()


def _stage(target: Path, data: bytes) -> str:
    """Write ``data`` to a new temp file beside ``target`` (whose folder exists), for the caller to
    rename into place.

    Named by process id and a counter and created with O_EXCL, as ``tempfile.mkstemp`` does,
    without importing ``tempfile`` (with ``shutil``, ``random`` and the compressors behind it,
    a tenth of a build's start-up, which is benchmarked).
    """
    while True:
        tmp = os.path.join(target.parent, f".{target.name}.{os.getpid()}.{next(_TEMP_NAMES)}.tmp")
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            break
        except FileExistsError:  # left by an earlier process with this pid: take the next name
            continue
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            if _umask_hides(0o644):  # Grafana's container user must read the file, whatever the umask
                os.fchmod(fd, 0o644)
        finally:
            os.close(fd)
    except BaseException:
        os.unlink(tmp)
        raise
    return tmp


_TEMP_NAMES = itertools.count()


@functools.cache
def _umask_hides(mode: int) -> bool:
    """Whether the process umask takes bits of ``mode`` away from a new file (then it is set again).

    Read from /proc, not by ``os.umask`` (which can only be read by setting it, and a thread
    creating a file meanwhile would get the wrong mask); where /proc has no Umask line, assume it does.
    """
    try:
        with open("/proc/self/status", encoding="ascii", errors="replace") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return bool(int(line.split()[1], 8) & mode)
    except (OSError, ValueError, IndexError):
        pass
    return True


def _contained(root: Path, rel: str) -> None:
    """Refuse a relative path that would leave ``root`` (callers check uids first; this is the backstop)."""
    parts = Path(rel).parts
    if "\0" in rel or not parts or Path(rel).is_absolute() or ".." in parts:
        raise InputError(f"{root}: refusing to write {rel!r}, which is not a plain path inside it")


def _apply(root: Path, files: dict[str, str], owned_globs: tuple[str, ...], dry_run: bool) -> WriteResult:
    with TreeWriter(root, owned_globs, dry_run) as writer:
        for rel, text in files.items():
            writer.add(rel, text)
        return writer.commit()


def plan_tree(root: Path, files: dict[str, str], owned_globs: tuple[str, ...] = ()) -> WriteResult:
    """What `write_tree` would do, without doing it (used by ``--check``)."""
    return _apply(root, files, owned_globs, dry_run=True)


def write_tree(root: Path, files: dict[str, str], owned_globs: tuple[str, ...] = ()) -> WriteResult:
    """Make ``root`` hold exactly ``files`` (relative path -> text); see ``TreeWriter``.

    Only changed files are written, so mtimes of unchanged files stay put.
    """
    return _apply(root, files, owned_globs, dry_run=False)
