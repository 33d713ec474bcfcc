"""Where the two sides of a diff come from: JSON on disk, the working tree, a git ref, live Grafana.

``load_source`` is the one seam: every kind returns ``{uid: dashboard}``.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..config import DEFAULT, Config
from ..errors import ConfigError, InputError
from .core import load_dashboards

# What a ref needs to build its own dashboards: its package and its dashboard modules.
_REF_PATHS = ("azora_dash", "dashboards")
_BUILD_TIMEOUT = 600
# Runs the ref's own CLI; `main` has existed since the first commit, `python -m azora_dash.cli` has not.
_RUN_CLI = "import sys; from azora_dash.cli import main; main(sys.argv[1:])"


@dataclass(frozen=True)
class Source:
    kind: str  # "path" | "worktree" | "git" | "grafana"
    value: str | None = None  # the path, or the git ref

    def describe(self) -> str:
        return {"worktree": "working tree", "git": f"git ref {self.value}"}.get(self.kind, str(self.value))


def load_source(
    source: Source,
    cfg: Config = DEFAULT,
    dashboards_dir: Path = Path("dashboards"),
    repo: Path = Path("."),
    live: Callable[[], dict[str, dict]] | None = None,
) -> dict[str, dict]:
    """``{uid: dashboard}`` for one side of a diff.

    ``live`` fetches live Grafana's dashboards (the CLI builds it from push's
    connection options around ``from_grafana``), so connecting stays in the CLI.
    """
    if source.kind == "path":
        return load_dashboards(Path(source.value))
    if source.kind == "worktree":
        return from_worktree(cfg, dashboards_dir)
    if source.kind == "git":
        return from_git_ref(source.value, repo)
    if source.kind == "grafana":
        if live is None:
            raise ConfigError("--grafana needs a connection to Grafana (see `azora-dash push --help` for its options)")
        return live()
    raise ConfigError(f"unknown diff source kind {source.kind!r}")


def from_grafana(client, folder_uid: str, managed_tag: str, concurrency: int = 4) -> dict[str, dict]:
    """Live dashboards in ``folder_uid`` that azora-dash manages (push never touches others,
    so an unmanaged one there is not "removed from code")."""
    from ..grafana.pull import fetch_live

    live = fetch_live(client, folder_uid=folder_uid, concurrency=concurrency)
    return {uid: d for uid, d in live.items() if managed_tag in (d.get("tags") or ())}


def from_worktree(cfg: Config, dashboards_dir: Path) -> dict[str, dict]:
    """The dashboards the working tree's code builds now, exactly as `build` would write them."""
    from ..build.project import DASHBOARD_DIR, render

    compiled, files = render(cfg, dashboards_dir)
    # Round-trip through the written text so both sides are plain parsed JSON.
    return {c.uid: json.loads(files[f"{DASHBOARD_DIR}/{c.uid}.json"]) for c in compiled}


def _git(repo: Path, *args: str) -> bytes:
    try:
        proc = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, timeout=120)
    except FileNotFoundError:
        raise ConfigError("git is not installed; install git or diff two directories of JSON") from None
    if proc.returncode != 0:
        msg = proc.stderr.decode(errors="replace").strip().splitlines()
        raise InputError(f"git {' '.join(args[:2])}: {msg[-1] if msg else 'failed'}")
    return proc.stdout


def _extract(repo: Path, ref: str, dest: Path) -> bool:
    """Unpack the ref's package and dashboards into ``dest``; False when the ref has neither."""
    present = _git(repo, "ls-tree", "--name-only", ref, "--", *_REF_PATHS).decode().split()
    if "dashboards" not in present or "azora_dash" not in present:
        return False
    archive = _git(repo, "archive", "--format=tar", ref, "--", *_REF_PATHS)
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(dest, filter="data")
    return True


def from_git_ref(ref: str, repo: Path = Path(".")) -> dict[str, dict]:
    """Build the dashboards at ``ref`` with that ref's own code, in a temp dir.

    The committed provisioning/ may be stale; building is the only honest base.
    A ref without dashboards yet (the project's first PR) has none.
    """
    try:
        _git(repo, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    except InputError:
        raise InputError(
            f"{ref}: not a commit in {repo}; fetch it first (in CI: actions/checkout with fetch-depth: 0)"
        ) from None
    with tempfile.TemporaryDirectory(prefix="azora-diff-") as tmp:
        tree, out = Path(tmp) / "tree", Path(tmp) / "out"
        tree.mkdir()
        if not _extract(repo, ref, tree):
            return {}
        # Only the ref's tree on the path: our own azora_dash must not shadow the ref's.
        env = {**os.environ, "PYTHONPATH": str(tree), "PYTHONDONTWRITEBYTECODE": "1"}
        try:
            proc = subprocess.run(
                [sys.executable, "-c", _RUN_CLI, "build", "--out", str(out)],
                cwd=tree,
                env=env,
                capture_output=True,
                text=True,
                timeout=_BUILD_TIMEOUT,
            )
        except subprocess.TimeoutExpired:
            raise InputError(f"{ref}: building its dashboards took over {_BUILD_TIMEOUT}s") from None
        if proc.returncode != 0:
            last = (proc.stderr.strip().splitlines() or ["no output"])[-1]
            raise InputError(f"{ref}: building its dashboards failed: {last}")
        # Dashboards only: provisioning/ also holds YAML and may one day hold other JSON.
        built = out / "dashboards"
        return load_dashboards(built) if built.is_dir() else {}


def compare(
    old: Source,
    new: Source,
    cfg: Config = DEFAULT,
    dashboards_dir: Path = Path("dashboards"),
    repo: Path = Path("."),
    live: Callable[[], dict[str, dict]] | None = None,
):
    """Load both sides and diff them: the one call `azora-dash diff` makes."""
    from .core import diff

    a = load_source(old, cfg, dashboards_dir, repo, live)
    b = load_source(new, cfg, dashboards_dir, repo, live)
    if old.kind == new.kind == "path" and Path(old.value).is_file() and Path(new.value).is_file():
        a = _one_to_one(a, b)
    return diff(a, b)


def _one_to_one(old: dict[str, dict], new: dict[str, dict]) -> dict[str, dict]:
    """``diff old.json new.json`` compares the two files with each other when either has no uid:
    such a dashboard is keyed by its file name, and two names must not make it two dashboards.
    (Two uids that differ stay two dashboards: Grafana keys on the uid.)"""
    if len(old) != 1 or len(new) != 1 or old.keys() == new.keys():
        return old
    (a,), (b,) = old.values(), new.values()
    return {next(iter(new)): a} if not a.get("uid") or not b.get("uid") else old
