"""Load dashboard modules by path and compile them into canonical dashboard dicts.

A dashboard module defines ``build(cfg) -> grafanalib.core.Dashboard`` and
nothing else public (grafanalib ``_gen.loader`` loads by path the same way).
Every failure becomes a one-line ``DefinitionError`` naming the file.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import NamedTuple

from ..config import Config
from ..dashboard_file import iter_panels
from ..errors import DefinitionError
from ..layout import V2_KEY
from ..panels import SUPPRESS_KEY
from ..uids import check_uid
from .normalize import normalize


class Compiled(NamedTuple):
    """One compiled module (a NamedTuple: a frozen dataclass compiles its methods at import, and
    a build's start-up is benchmarked)."""

    source: Path
    dashboard: dict
    suppressions: dict[int, dict[str, str]]  # panel id -> {rule: reason}
    sections: dict[int, dict]  # row id -> v2-only layout (tab, condition)

    @property
    def uid(self) -> str:
        return self.dashboard["uid"]


def discover(directory: Path) -> list[Path]:
    """Dashboard modules in ``directory``, sorted so build order is stable."""
    if not directory.is_dir():
        raise DefinitionError(f"{directory}: no such directory of dashboard modules (use --dashboards DIR)")
    return sorted(p for p in directory.glob("*.py") if not p.name.startswith("_"))


def _where(path: Path, exc: BaseException) -> str:
    """file:line of the innermost frame inside the dashboard module, for the error line."""
    import traceback  # only on failure: `azora-dash build` start-up is benchmarked (issue 8)

    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if Path(frame.filename).resolve() == path.resolve():
            return f"{path}:{frame.lineno}"
    return str(path)


def load_module(path: Path):
    name = f"azora_dash_dashboards.{path.stem}"
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise DefinitionError(f"{path}: not a Python module")
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    except SyntaxError as exc:
        raise DefinitionError(f"{path}:{exc.lineno}: syntax error: {exc.msg}") from None
    except Exception as exc:  # noqa: BLE001 - any import-time failure is the module's fault
        raise DefinitionError(f"{_where(path, exc)}: import failed: {type(exc).__name__}: {exc}") from None
    finally:
        sys.modules.pop(name, None)
    return module


def compile_module(path: Path, cfg: Config) -> Compiled:
    module = load_module(path)
    build = getattr(module, "build", None)
    if not callable(build):
        raise DefinitionError(
            f"{path}: defines no build(cfg) function; add `def build(cfg): ...` returning a Dashboard"
        )
    try:
        dashboard = build(cfg)
    except Exception as exc:  # noqa: BLE001
        raise DefinitionError(f"{_where(path, exc)}: build() raised {type(exc).__name__}: {exc}") from None
    if not hasattr(dashboard, "to_json_data"):
        raise DefinitionError(f"{path}: build() returned {type(dashboard).__name__}, not a grafanalib Dashboard")
    try:
        data = normalize(dashboard, cfg)
    except Exception as exc:  # noqa: BLE001
        raise DefinitionError(f"{path}: cannot serialise dashboard: {type(exc).__name__}: {exc}") from None
    if not data.get("uid"):
        raise DefinitionError(f"{path}: dashboard has no uid; set a stable uid=cfg.uid('<slug>')")
    return Compiled(path, data, *take_marks(data))


def take_marks(dashboard: dict) -> tuple[dict[int, dict[str, str]], dict[int, dict]]:
    """Remove our marks from the built JSON, in one walk, and return them by panel id:
    ``panels.suppress`` marks (lint exceptions) and rows' v2-only layout (``layout.V2_KEY``: tabs,
    conditions, for ``to_v2``)."""
    suppressions, sections = {}, {}
    for slot in iter_panels(dashboard):
        panel = slot.panel
        if SUPPRESS_KEY in panel and (mark := panel.pop(SUPPRESS_KEY)):
            suppressions[panel.get("id")] = dict(mark)
        if V2_KEY in panel and (mark := panel.pop(V2_KEY)):
            sections[panel.get("id")] = dict(mark)
    return suppressions, sections


def iter_compiled(paths: list[Path], cfg: Config):
    """Compile the modules one at a time, failing on the first error or on a duplicate uid."""
    seen: dict[str, Path] = {}
    for path in paths:
        item = compile_module(path, cfg)
        check_uid(item.uid, str(path))  # the uid names its file in provisioning/
        if item.uid in seen:
            raise DefinitionError(
                f"{path}: duplicate dashboard uid {item.uid!r} (also in {seen[item.uid]}); give each dashboard its own uid"
            )
        seen[item.uid] = path
        yield item


def compile_all(paths: list[Path], cfg: Config) -> list[Compiled]:
    """Every module compiled, in memory."""
    return list(iter_compiled(paths, cfg))
