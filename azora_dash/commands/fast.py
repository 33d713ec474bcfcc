"""``build`` and ``validate`` without click: their reports, and ``cli.main``'s path for them.

These are the commands ``make dashboards`` and CI run on every commit; a build's start-up is
benchmarked against importing grafanalib alone and validate against ``json.load`` (issue 19),
and click's import was about a tenth of a build's start-up. So ``cli.main`` hands their plain
spellings (``cli.PLAIN``) to ``build`` and ``validate`` here, which make the same library calls
and print the same report and error line as the click commands (``commands.build``); those
handle every other spelling (--check, --schema, --help, validate without PATHs) and own usage
errors. An unchanged build is answered from the build cache before grafanalib or the config load.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from ..errors import EXIT_FOUND
from .output import echo, emit_json, report_files, reported_errors


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


def build(dashboards_dir: Path, out: Path, fmt: str) -> None:
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
        from ..build.project import build as run
        from ..config import DEFAULT

        result = run(DEFAULT, dashboards_dir, out, key=key)
        report(out, result.uids, result.files, result.cached, False, fmt)


def check(files, fmt: str) -> None:
    """``validate``'s work and report for ``files`` (``DashboardFile``s, read as they are checked);
    exit 1 if any is invalid."""
    from ..jsonio import no_cyclic_gc
    from ..schema.files import check_files

    # Files are read one at a time as they are checked (schema.files.check_files), which makes no
    # reference cycles for the collector to look for.
    with no_cyclic_gc():
        found, warnings = check_files(files)
    if fmt == "json":
        emit_json({str(p): {"errors": errs, "warnings": warnings.get(p, [])} for p, errs in found.items()})
    else:
        for path, errors in found.items():
            for err in errors:
                echo(f"{path}: {err}")
            for warning in warnings.get(path, ()):
                echo(f"{path}: warning: {warning}")
        bad = sum(1 for e in found.values() if e)
        warned = sum(1 for w in warnings.values() if w)
        echo(f"{len(found)} file(s) checked, {bad} invalid, {warned} with warnings", err=True)
    if any(found.values()):
        raise SystemExit(EXIT_FOUND)


def validate(paths: list[str], fmt: str) -> None:
    """``azora-dash validate PATH...``: the files and folders given, checked one at a time."""
    from ..dashboard_file import iter_paths

    with reported_errors(fmt):
        check(iter_paths([Path(p) for p in paths]), fmt)
