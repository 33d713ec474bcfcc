"""Shared fixtures: the repo root, a CliRunner helper that re-raises real bugs (sqlfluff utils/testing/cli.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from azora_dash.cli import cli

ROOT = Path(__file__).resolve().parent.parent


def invoke(args, exit_code=0, cwd=None, env=None):
    """Run the CLI; assert the exit code (None: any); re-raise anything that is not a SystemExit."""
    runner = CliRunner()
    if cwd is not None:
        import os

        old = os.getcwd()
        os.chdir(cwd)
    try:
        result = runner.invoke(cli, [str(a) for a in args], env=env)
    finally:
        if cwd is not None:
            os.chdir(old)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    assert exit_code is None or result.exit_code == exit_code, (
        f"exit {result.exit_code}\nstdout: {result.stdout}\nstderr: {result.stderr}"
    )
    return result


def skip_or_fail(msg: str):
    """A missing real tool skips a test on a developer machine and fails it in CI."""
    import os

    if os.environ.get("CI", "").lower() in ("true", "1", "yes"):
        pytest.fail(msg)
    pytest.skip(msg)


@pytest.fixture
def project(tmp_path):
    """A scratch copy of dashboards/ and the committed provisioning/ to build in."""
    shutil.copytree(ROOT / "dashboards", tmp_path / "dashboards")
    shutil.copytree(ROOT / "provisioning", tmp_path / "provisioning")
    return tmp_path
