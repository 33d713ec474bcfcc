"""The build cache: what the last build wrote into an output directory and from which inputs.

A record lives in a git-ignored ``.azora-dash/`` beside the dashboards directory, not in
the output, so the output holds only Grafana's files; one record per output directory,
keyed by its resolved path. This module imports neither grafanalib nor click nor the
config, so a no-change rebuild is answered before any of them load (``azora_dash.cli.main``): that start-up is
the whole cost of a cached rebuild.
"""

from __future__ import annotations

import importlib.util
import json
import os
from pathlib import Path

from ..errors import InputError

try:  # hashlib's own BLAKE2, without importing hashlib: that loads OpenSSL, ~3 ms of a build's start-up
    from _blake2 import blake2b
except ImportError:  # an interpreter without CPython's built-in module
    from hashlib import blake2b

CACHE_DIR = ".azora-dash"
# The whole azora_dash package (panels.py, queries.py, ...), not just build/: any of it shapes the output.
PACKAGE = Path(__file__).resolve().parents[1]
# The config's part of the key when it is ``config.DEFAULT``: that is ``Config()``, which
# config.py (hashed with the rest of the package) fully determines.
DEFAULT_CONFIG = "default"


def _grafanalib_dir() -> Path:
    """grafanalib's folder, found without importing it (its import is most of a build's start-up)."""
    spec = importlib.util.find_spec("grafanalib")
    if spec is None or not spec.submodule_search_locations:
        raise InputError("grafanalib is not installed; run `make venv`")
    return Path(next(iter(spec.submodule_search_locations)))


def fingerprint(config: str, dashboards_dir: Path) -> str:
    """Everything a build's output depends on: the config (``DEFAULT_CONFIG`` or a config's repr),
    every Python file of this package and of the dashboards directory (helpers included), and
    the installed grafanalib.

    Each file counts by name, size and modification time, not content: that is what Python
    checks before it runs a module's cached bytecode (importlib's SourceFileLoader, for this
    package and for the dashboard modules, which ``compile.load_module`` imports the same way),
    so an edit this key misses is one the build itself would not run either. Reading and hashing
    every file was a tenth of a build's start-up.
    """
    digest = blake2b(f"{config}\0".encode(), digest_size=32)
    for root, recurse in ((str(_grafanalib_dir()), False), (str(PACKAGE), True), (str(dashboards_dir), True)):
        for rel, path in _python_files(root, recurse):
            st = os.stat(path)
            digest.update(f"{rel} {st.st_size} {st.st_mtime_ns}\0".encode())
    return digest.hexdigest()


def _python_files(root: str, recurse: bool = True) -> list[tuple[str, str]]:
    """(name relative to ``root``, path) of every ``*.py`` under it, sorted by name; bytecode
    folders are not walked. ``os.scandir`` rather than ``Path.rglob``/``os.walk``: this runs on
    every build, cached or not, and was a tenth of a cached rebuild's own time."""
    found, folders = [], [("", root)]
    while folders:
        prefix, folder = folders.pop()
        try:
            listing = os.scandir(folder)
        except (FileNotFoundError, NotADirectoryError):  # nothing to hash: the build names what is missing
            continue
        with listing as entries:
            for entry in entries:
                if entry.name.endswith(".py") and entry.is_file():
                    found.append((prefix + entry.name, entry.path))
                elif recurse and entry.name != "__pycache__" and entry.is_dir():
                    folders.append((f"{prefix}{entry.name}/", entry.path))
    return sorted(found)


def sha(data: bytes) -> str:
    """A file's content hash in the build record."""
    return blake2b(data, digest_size=32).hexdigest()


def cache_path(dashboards_dir: Path, out: Path) -> Path:
    """The build record for ``out``: in a git-ignored ``.azora-dash/`` beside the dashboards directory."""
    key = blake2b(str(out.resolve()).encode(), digest_size=8).hexdigest()
    return dashboards_dir.resolve().parent / CACHE_DIR / f"build-{key}.json"


def cache_hit(record: Path, out: Path, key: str) -> list[str] | None:
    """The uids of the last build if its inputs had this key and its files are untouched."""
    try:
        cache = json.loads(record.read_text())
        if cache["key"] != key:
            return None
        if any(sha((out / rel).read_bytes()) != digest for rel, digest in cache["files"].items()):
            return None
        return cache["uids"]
    except (OSError, ValueError, KeyError, TypeError):
        return None


def up_to_date(dashboards_dir: Path, out: Path) -> tuple[list[str] | None, str | None]:
    """The uids a build of ``dashboards_dir`` into ``out`` with the default config would report,
    if it would compile nothing (else None), and the inputs' key, which ``project.build`` takes
    so that a build right after this check neither fingerprints the inputs nor looks up the record again."""
    if not dashboards_dir.is_dir():
        return None, None
    key = fingerprint(DEFAULT_CONFIG, dashboards_dir)
    return cache_hit(cache_path(dashboards_dir, out), out, key), key


def save(record: Path, key: str, uids: list[str], shas: dict[str, str]) -> None:
    """Best effort: a record that cannot be written only costs the next build its shortcut."""
    from ..jsonio import write_tree

    try:
        record.parent.mkdir(parents=True, exist_ok=True)
        write_tree(record.parent, {record.name: json.dumps({"key": key, "uids": uids, "files": shas}, sort_keys=True)})
    except (OSError, InputError):
        record.unlink(missing_ok=True)
