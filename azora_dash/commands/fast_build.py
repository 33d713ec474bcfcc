"""``azora-dash build`` without click: its report, and ``cli.main``'s path for a plain build.

A build's start-up is benchmarked against importing grafanalib alone (issue 19), and click's
import was about a tenth of it. So ``cli.main`` hands a plain ``build`` (only --dashboards,
--out and --format; ``cli._build_options``) to ``main`` here, which answers an unchanged
build from the build cache before grafanalib or the config load, and otherwise builds with
the same library call, report and error line as the click command (``commands.build``), which
handles every other spelling (--check, --schema, --help) and owns usage errors.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from .output import echo, report_files, reported_errors


def report(out: Path, uids: list[str], files, cached: bool, check: bool, fmt: str) -> None:
    """What ``build`` prints: the files (``output.report_files``), then a one-line summary for people."""
    report_files(out, files, check, fmt, "generated", {"dashboards": uids, "cached": cached})
    if check or fmt != "text":
        return
    if cached:
        echo(f"{len(uids)} dashboards; up to date (no input changed since the last build)", err=True)
    else:
        echo(
            f"{len(uids)} dashboards; {len(files.written)} written, "
            f"{len(files.removed)} removed, {len(files.unchanged)} unchanged",
            err=True,
        )


def main(dashboards_dir: Path, out: Path, fmt: str) -> None:
    """Build ``dashboards_dir`` into ``out`` as ``azora-dash build`` does, printing its report."""
    from ..build.cache import up_to_date

    with reported_errors(fmt):
        try:
            uids, key = up_to_date(dashboards_dir, out)
        except Exception:  # noqa: BLE001 - not answerable from the cache: the build below says what is wrong
            uids = key = None
        if uids is not None:
            # An empty jsonio.WriteResult, without importing jsonio and its dataclasses for it.
            report(out, uids, SimpleNamespace(written=[], removed=[], unchanged=[], changed=[]), True, False, fmt)
            return
        from ..build.project import build
        from ..config import DEFAULT

        result = build(DEFAULT, dashboards_dir, out, key=key)
        report(out, result.uids, result.files, result.cached, False, fmt)
