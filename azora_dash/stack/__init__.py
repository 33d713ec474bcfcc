"""The rest of the monitoring stack as code: alert rules, Prometheus, Alertmanager, compose.

``render(cfg)`` builds every file in memory (path relative to the output directory,
``monitoring/`` by default); ``generate`` writes them atomically, or with ``check``
only reports what is stale, like ``azora_dash.build.project``.

Those live in ``files`` and load on first use: a dashboard module that imports
``azora_dash.stack.slos`` for the SLO declarations makes every build import this package,
and a build needs none of the other files' modules (start-up is benchmarked, issue 19).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .files import ALERTMANAGER, COMPOSE, OWNED, PROMETHEUS, RULES, RUNBOOKS, SLO_RULES, generate, render

__all__ = ["ALERTMANAGER", "COMPOSE", "OWNED", "PROMETHEUS", "RULES", "RUNBOOKS", "SLO_RULES", "generate", "render"]


def __getattr__(name: str):
    if name not in __all__:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from . import files

    return getattr(files, name)
