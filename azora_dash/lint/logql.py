"""LogQL syntax, checked by Grafana's own grammar (@grafana/lezer-logql) under Node.

There is no LogQL parser for Python worth trusting, and writing one would drift from
what Grafana's editor accepts; so every expression of a lint run goes, in one batch,
to ``tools/logql/check.mjs`` (dependencies locked in its package-lock.json,
installed by ``make logql``). Grafana substitutes variables before the query reaches
Loki, so they are substituted here first, as for PromQL.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

from ..promql import substitute

CHECKER_DIR = Path(__file__).resolve().parents[2] / "tools" / "logql"
# Grafana's Loki datasource fills $__auto with the query's step-derived range.
_LOGQL_BUILTINS = {"__auto": "1m"}


class CheckerUnavailable(Exception):
    """Node or the locked npm packages are missing; the message says how to install them."""


def _command() -> list[str]:
    node = shutil.which(os.environ.get("AZORA_NODE", "node"))
    if node is None:
        raise CheckerUnavailable("node not found: install Debian's nodejs (`make logql` does)")
    if not (CHECKER_DIR / "node_modules" / "@grafana" / "lezer-logql").is_dir():
        raise CheckerUnavailable(f"{CHECKER_DIR}: @grafana/lezer-logql is not installed; run `make logql`")
    return [node, str(CHECKER_DIR / "check.mjs")]


def check(exprs: list[str]) -> list[str | None]:
    """One message per expression: None when it parses, else where it stops parsing."""
    if not exprs:
        return []
    cmd = _command()
    prepared = [substitute(e, _LOGQL_BUILTINS) for e in exprs]
    proc = subprocess.run(cmd, input=json.dumps(prepared), capture_output=True, text=True, timeout=60)
    if proc.returncode != 0:
        raise CheckerUnavailable(f"{cmd[1]} failed: {proc.stderr.strip().splitlines()[-1:]}")
    return [
        None if r is None else f"syntax error at character {r['at']} near {r['near']!r}"
        for r in json.loads(proc.stdout)
    ]
