"""Every command in the README's shell blocks works when pasted into a clean shell (no venv on PATH)."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess

import pytest

from .conftest import ROOT

# Needed only to run the whole stack, and said so where the README uses it; CI has no Docker.
EXTERNAL = {"docker"}
CLEAN_ENV = {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": "/tmp", "LANG": "C.UTF-8"}


def commands() -> list[str]:
    text = (ROOT / "README.md").read_text()
    lines = []
    for block in re.findall(r"```sh\n(.*?)```", text, flags=re.S):
        for line in block.splitlines():
            line = re.sub(r"\s+#.*$", "", line).strip().rstrip("&").strip()
            if line and not line.startswith("#"):
                lines.append(line)
    return lines


def clean_shell(script: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["/bin/bash", "--noprofile", "--norc", "-c", script],
        cwd=ROOT,
        env=CLEAN_ENV,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_readme_has_shell_blocks_with_azora_dash_commands():
    assert any(c.startswith(".venv/bin/azora-dash ") for c in commands())


@pytest.mark.parametrize("line", commands())
def test_readme_command_is_found_in_a_clean_shell(line):
    words = [w for w in shlex.split(line) if not re.fullmatch(r"[A-Z_]+=.*", w)]
    program = words[1] if words[0] == "export" and len(words) > 1 and "=" not in words[1] else words[0]
    if words[0] == "export":
        return  # an assignment: nothing to find
    if program in EXTERNAL and shutil.which(program, path=CLEAN_ENV["PATH"]) is None:
        pytest.skip(f"{program} is not installed here (the README says the stack needs it)")
    if program == ".venv/bin/azora-dash":
        # Running the real command would start servers or talk to Grafana; its --help proves it resolves.
        result = clean_shell(shlex.join([*words[:2], "--help"]))
    elif program == "make":
        result = clean_shell(shlex.join(["make", "-n", *words[1:]]))
    else:
        result = clean_shell(f"type -P {shlex.quote(program)} || type {shlex.quote(program)}")
    assert "command not found" not in result.stderr and result.returncode == 0, (line, result.stderr)
