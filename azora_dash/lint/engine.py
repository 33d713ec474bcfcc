"""Run rules over dashboards: build each dashboard's context once, then apply suppressions."""

from __future__ import annotations

import gc
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from ..errors import ConfigError, InputError
from ..jsonio import load_json
from .catalogue import Catalogue
from .catalogue import load as load_catalogue
from .context import DashboardContext
from .model import LintResult, Problem, Rule


def select_rules(rules: list[type[Rule]], only=(), disable=()) -> list[Rule]:
    """Instances of the chosen rules; unknown ids are a usage error naming the valid ones."""
    known = {r.id for r in rules}
    for rid in (*only, *disable):
        if rid not in known:
            raise ConfigError(f"unknown rule {rid!r}; `azora-dash lint --list-rules` shows the {len(known)} rule ids")
    return [r() for r in rules if (not only or r.id in only) and r.id not in disable]


def load_paths(paths: list[Path]) -> list[tuple[str, dict]]:
    """(source, dashboard) for every JSON file given or found (sorted) in a directory.

    Not ``diff.load_dashboards``: that keys by uid and rejects duplicates or a
    missing uid, which lint must report (dashboard/uid) rather than refuse, and
    lint needs each file's path for line numbers.
    """
    out = []
    for path in paths:
        if not path.exists():
            raise InputError(
                f"{path}: no such file or directory (run `azora-dash build` first, or pass dashboard JSON)"
            )
        files = sorted(path.glob("*.json")) if path.is_dir() else [path]
        if path.is_dir() and not files:
            raise InputError(f"{path}: no *.json dashboards in this directory")
        for file in files:
            data = load_json(file)
            # The HTTP API and "Export for sharing" wrap the model in {"dashboard": {...}}.
            if isinstance(data, dict) and isinstance(data.get("dashboard"), dict):
                data = data["dashboard"]
            if not isinstance(data, dict) or "panels" not in data and "templating" not in data:
                raise InputError(f"{file}: not a Grafana dashboard (no panels or templating)")
            out.append((str(file), data))
    return out


def _suppress(problem: Problem, ctx: DashboardContext) -> Problem:
    if problem.panel_id is None:
        return problem
    panel = ctx.panel_by_id(problem.panel_id)
    reason = panel.suppressions.get(problem.rule) if panel else None
    return replace(problem, suppressed=True, reason=reason) if reason is not None else problem


@contextmanager
def _no_cyclic_gc():
    """Pause CPython's cycle collector while linting.

    A run allocates about a million small objects (parsed queries, contexts,
    problems), none of them in reference cycles, so reference counting frees
    them all; the cycle collector would only rescan every loaded dashboard again
    and again (measured: about a third of the lint time at 1,000 dashboards).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def run(
    dashboards: list[tuple[str, dict]],
    rules: list[Rule] | None = None,
    catalogue: Catalogue | None = None,
    each=iter,
) -> LintResult:
    """Lint ``(source, dashboard)`` pairs with ``rules`` (default: every registered rule).

    ``each`` wraps the per-dashboard loop (the CLI passes a progress bar); the library never prints.
    """
    if rules is None:
        from .registry import RULES

        rules = [r() for r in RULES]
    catalogue = catalogue or load_catalogue()
    with _no_cyclic_gc():
        contexts = [DashboardContext(d, catalogue, source) for source, d in dashboards]
        problems: list[Problem] = []
        for ctx in each(contexts):
            for rule in rules:
                problems.extend(_suppress(p, ctx) for p in rule.check(ctx))
        by_uid = {c.uid: c for c in contexts}
        for rule in rules:
            for p in rule.check_all(contexts):
                ctx = by_uid.get(p.dashboard_uid)
                problems.append(_suppress(p, ctx) if ctx else p)
    # One selector pattern repeated in an expression (numerator and denominator) is one problem.
    return LintResult(list(dict.fromkeys(problems)), len(contexts))
