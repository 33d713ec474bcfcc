"""Run rules over dashboards: build each dashboard's context once, then apply suppressions."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from pathlib import Path

from .. import dashboard_file
from ..dashboard_file import DashboardFile
from ..errors import ConfigError
from ..jsonio import bulk_load, no_cyclic_gc
from . import sidecar
from .base import Rule
from .catalogue import Catalogue
from .catalogue import load as load_catalogue
from .context import DashboardContext
from .model import LintResult, Problem
from .profiles import CHOICES, in_profile, profile_of
from .registry import RULES
from .sidecar import Exclusion


def _names(rules) -> dict[str, str]:
    """Every name the rules answer to (id and aliases) -> the rule's id."""
    return {name: r.id for r in rules for name in (r.id, *r.aliases)}


def select_rules(rules: list[type[Rule]], only=(), disable=()) -> list[Rule]:
    """Instances of the chosen rules (by id or alias); unknown ids are a usage error naming the valid ones."""
    names = _names(rules)
    for rid in (*only, *disable):
        if rid not in names:
            raise ConfigError(f"unknown rule {rid!r}; `azora-dash lint --list-rules` shows the {len(rules)} rule ids")
    only, disable = {names[r] for r in only}, {names[r] for r in disable}
    return [r() for r in rules if (not only or r.id in only) and r.id not in disable]


def load_paths(paths: list[Path]) -> list[DashboardFile]:
    """Every dashboard in the given JSON files and directories (``dashboard_file.load_paths``).

    A missing uid is not refused here: lint reports it (dashboard/uid).
    """
    with bulk_load():
        return dashboard_file.load_paths(paths)


def _as_file(item: DashboardFile | tuple[str, dict]) -> DashboardFile:
    # (source, dashboard) pairs are accepted for callers holding a bare dict (tests, benchmarks).
    return item if isinstance(item, DashboardFile) else DashboardFile(item[1], item[0])


def _exclusions(
    file: DashboardFile, seen: dict[Path, tuple[Exclusion, ...]], names: dict[str, str]
) -> tuple[Exclusion, ...]:
    """The ``.lint`` exclusions beside a file, under current rule ids (read and renamed once per
    directory); built dashboards carry theirs from the module instead."""
    if not file.source.endswith(".json"):
        return ()
    directory = Path(file.source).resolve().parent
    if directory not in seen:
        seen[directory] = tuple(replace(x, rule=names.get(x.rule, x.rule)) for x in sidecar.load(directory))
    return seen[directory]


def _suppress(problem: Problem, ctx: DashboardContext) -> Problem:
    panel = ctx.panel_by_id(problem.panel_id) if problem.panel_id is not None else None
    reason = panel.suppressions.get(problem.rule) if panel else None
    if reason is None and ctx.exclusions:
        title = str(ctx.dashboard.get("title") or "")
        hit = next((x for x in ctx.exclusions if x.matches(problem.rule, title, problem.panel_title)), None)
        reason = hit.reason if hit else None
    return problem._replace(suppressed=True, reason=reason) if reason is not None else problem


def _by_id(suppressions: dict[int, dict[str, str]], names: dict[str, str]) -> dict[int, dict[str, str]]:
    # A suppression may name a rule by an alias (its id before the rename); key it by the id.
    return {pid: {names.get(r, r): why for r, why in rules.items()} for pid, rules in suppressions.items()}


def _check_profile(profile: str) -> None:
    if profile not in CHOICES:
        raise ConfigError(f"unknown lint profile {profile!r}; choose one of {', '.join(CHOICES)}")


def run(
    dashboards: list[DashboardFile | tuple[str, dict]],
    rules: list[Rule] | None = None,
    catalogue: Catalogue | None = None,
    each=iter,
    profile: str = "azora",
) -> LintResult:
    """Lint dashboards with ``rules`` (default: every registered rule) that ``profile`` runs.

    ``each`` wraps the per-dashboard loop (the CLI passes a progress bar); the library never prints.
    """
    if rules is None:
        rules = [r() for r in RULES]
    _check_profile(profile)
    catalogue = catalogue or load_catalogue()
    # The contexts die when _lint returns, before the collector is back on: alive, the objects
    # made while it was paused would all be scanned by its first run.
    names, sidecars = _names(rules), {}
    with no_cyclic_gc():
        # No name holds the list here, so it is freed as soon as _lint returns.
        return _lint(
            [_context(f, catalogue, profile, names, sidecars) for f in map(_as_file, dashboards)], rules, each, profile
        )


def _context(file: DashboardFile, catalogue, profile: str, names: dict[str, str], sidecars: dict) -> DashboardContext:
    exclusions = _exclusions(file, sidecars, names)
    ctx = DashboardContext(file.dashboard, catalogue, file.source, _by_id(file.suppressions, names), exclusions)
    ctx.profile = profile_of(file.dashboard, profile)
    return ctx


def _lint(contexts: list[DashboardContext], rules: list[Rule], each, profile: str) -> LintResult:
    problems: list[Problem] = []
    for ctx in each(contexts):
        for rule in rules:
            if in_profile(rule, ctx.profile):
                problems.extend(_suppress(p, ctx) for p in rule.check(ctx))
    by_uid = {c.uid: c for c in contexts}
    for rule in rules:
        for p in rule.check_all(contexts):
            ctx = by_uid.get(p.dashboard_uid)
            if ctx is None or in_profile(rule, ctx.profile):
                problems.append(_suppress(p, ctx) if ctx else p)
    # One selector pattern repeated in an expression (numerator and denominator) is one problem.
    used = Counter(c.profile for c in contexts)
    return LintResult(list(dict.fromkeys(problems)), len(contexts), profile, dict(sorted(used.items())))
