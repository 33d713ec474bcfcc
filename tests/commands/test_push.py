"""``azora-dash push`` / ``pull`` end to end against the stand-in Grafana."""

from __future__ import annotations

import json

import pytest
import yaml
from click.testing import CliRunner

from azora_dash.cli import cli
from azora_dash.grafana import client as grafana_api

from ..conftest import ROOT, invoke
from ..fakes.grafana_stub import running

TOKEN = "glsa_TOP_SECRET_0123456789abcdef"
DASHBOARDS = ROOT / "dashboards"
BUILT = sorted(p.stem for p in (ROOT / "provisioning/dashboards/azora").glob("*.json"))


@pytest.fixture
def grafana(monkeypatch):
    monkeypatch.setattr(grafana_api, "_sleep", lambda s: None)
    with running(token=TOKEN) as stub:
        yield stub


def env(stub, token=TOKEN, **extra):
    return {"GRAFANA_URL": stub.url, "GRAFANA_TOKEN": token, "GRAFANA_USER": None, "GRAFANA_PASSWORD": None, **extra}


def push(stub, *args, exit_code=0, **kwargs):
    return invoke(["push", "--dashboards", DASHBOARDS, *args], exit_code=exit_code, env=env(stub, **kwargs))


def test_dry_run_push_and_repush(grafana):
    dry = push(grafana, "--dry-run")
    assert grafana.writes == []
    assert "create     folder 'Azora' (uid azora)" in dry.stdout
    assert f"create     {BUILT[0]:<32} {grafana.url}/d/{BUILT[0]}" in dry.stdout
    assert "(dry run: nothing written)" in dry.stderr
    first = push(grafana)
    assert [line.split()[0] for line in first.stdout.splitlines()] == ["created"] * (len(BUILT) + 1)
    assert f"{len(BUILT)} created" in first.stderr
    writes = len(grafana.writes)
    again = push(grafana)
    assert len(grafana.writes) == writes
    assert f"{len(BUILT)} unchanged" in again.stderr


def test_json_output(grafana):
    report = json.loads(push(grafana, "--format", "json").stdout)
    assert report["summary"] == {"created": len(BUILT)} and report["create_folder"] is True
    assert [d["uid"] for d in report["dashboards"]] == BUILT
    assert {d["url"] for d in report["dashboards"]} == {f"{grafana.url}/d/{uid}" for uid in BUILT}


def test_conflict_exits_1_and_force_overwrites(grafana):
    push(grafana)
    grafana.human_save(BUILT[0], lambda d: d.update(title="edited"))
    refused = push(grafana, exit_code=1)
    assert f"conflict   {BUILT[0]}" in refused.stdout and "saved by alice" in refused.stdout
    assert "nothing was written" in refused.stderr and "--force" in refused.stderr
    assert push(grafana, "--dry-run", exit_code=1).stdout.count("conflict") == 1
    forced = push(grafana, "--force")
    assert grafana.dashboards[BUILT[0]]["data"]["title"] != "edited"
    assert "use --force" not in forced.output and "overwritten (--force)" in forced.stdout


def test_prune_shown_in_dry_run(grafana):
    push(grafana)
    grafana.save(
        {
            "dashboard": {"uid": "retired", "title": "Retired", "tags": ["managed-by-azora-dash"]},
            "folderUid": "azora",
            "message": "azora-dash push x content=sha256:0000000000000000",
        },
        "ci",
    )
    out = push(grafana, "--prune", "--dry-run", exit_code=1).stdout
    assert "conflict   retired" in out and "would be pruned" in out  # its hash is not its content's


def test_401_is_one_line_exit_2_and_never_shows_the_token(grafana):
    result = push(grafana, "--verbose", token=TOKEN + "-wrong", exit_code=2)
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "credentials rejected" in errors[0]
    assert [e[1] for e in grafana.log] == ["/api/health", "/apis"]  # stops at the first 401
    assert TOKEN not in result.stdout + result.stderr


def test_token_absent_from_every_output_including_verbose(grafana):
    grafana.fail("POST", "/api/dashboards/db", status=500)
    grafana.fail("GET", "/api/folders/", status=429, retry_after="0")
    outputs = [
        push(grafana, "--verbose"),
        push(grafana, "--verbose", "--format", "json"),
        invoke(["pull", "--verbose", "--out", "unused"], exit_code=2, env=env(grafana, GRAFANA_URL="not-a-url")),
    ]
    text = "".join(r.stdout + r.stderr for r in outputs)
    assert "trace: GET" in text and "retrying" in text
    assert TOKEN not in text


def test_insecure_warns(grafana):
    result = push(grafana, "--dry-run", "--insecure")
    assert "warning: --insecure" in result.stderr


def test_env_from_file(grafana, tmp_path):
    envs = tmp_path / "azora-dash.yaml"
    envs.write_text(
        yaml.safe_dump(
            {
                "environments": {
                    "staging": {
                        "url": grafana.url,
                        "folder": "Staging",
                        "folder_uid": "stg",
                        "token_env": "GRAFANA_STAGING_TOKEN",
                    }
                }
            }
        )
    )
    environ = {"GRAFANA_URL": None, "GRAFANA_TOKEN": None, "GRAFANA_STAGING_TOKEN": TOKEN}
    invoke(["push", "--dashboards", DASHBOARDS, "--env", "staging", "--env-file", envs], env=environ)
    assert grafana.folders["stg"]["title"] == "Staging"
    missing = invoke(
        ["push", "--env", "staging", "--env-file", envs], exit_code=2, env={**environ, "GRAFANA_STAGING_TOKEN": None}
    )
    assert missing.stderr.strip() == (
        f"error: environment 'staging' reads its token from $GRAFANA_STAGING_TOKEN, which is not set ({envs})"
    )


def test_pull_matches_the_build(grafana, tmp_path):
    push(grafana)
    invoke(["pull", "--out", tmp_path], env=env(grafana))
    for uid in BUILT:
        built = (ROOT / "provisioning/dashboards/azora" / f"{uid}.json").read_text()
        assert (tmp_path / f"{uid}.json").read_text() == built
    one = invoke(["pull", BUILT[0], "--out", tmp_path / "one", "--format", "json"], env=env(grafana))
    assert json.loads(one.stdout)["dashboards"] == [BUILT[0]]


def test_build_does_not_import_requests():
    import subprocess
    import sys

    code = "import sys; from azora_dash.cli import main; import azora_dash.commands.build; print('requests' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_progress_bar_only_on_a_terminal(monkeypatch):
    import io
    import sys

    from azora_dash.commands.push import _progress

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    monkeypatch.setattr(sys, "stderr", Terminal())
    for label in ("planning", "pushing"):
        with _progress(5, "text", label) as update:
            update(5)
        assert label in sys.stderr.getvalue()
    with _progress(5, "json", "pushing") as update:
        assert update is None
    monkeypatch.setattr(sys, "stderr", io.StringIO())
    with _progress(5, "text", "planning") as update:
        assert update is None


def test_ca_bundle_beats_requests_ca_bundle(tmp_path, monkeypatch):
    from ..fakes.grafana_stub import self_signed

    monkeypatch.setattr(grafana_api, "_sleep", lambda s: None)
    cert, key = self_signed(tmp_path)
    with running(tls=(cert, key), token=TOKEN) as stub:
        environ = env(stub, REQUESTS_CA_BUNDLE="/etc/ssl/certs/ca-certificates.crt")
        refused = invoke(["pull", "--out", tmp_path / "a"], exit_code=2, env=environ)
        assert "TLS verification failed; use --ca-bundle" in refused.stderr
        invoke(["pull", "--out", tmp_path / "b", "--ca-bundle", cert], env=environ)


PASSWORD = "pw-VERY-distinctive-4242"


def _all_output(results, folder) -> str:
    files = "".join(p.read_text(errors="replace") for p in folder.rglob("*") if p.is_file())
    return "".join(r.stdout + r.stderr for r in results) + files


def test_url_password_never_printed_or_written(monkeypatch, tmp_path):
    monkeypatch.setattr(grafana_api, "_sleep", lambda s: None)
    with running(basic=("admin", PASSWORD), version="12.2") as stub:
        url = stub.url.replace("http://", f"http://admin:{PASSWORD}@")
        environ = {"GRAFANA_URL": url, "GRAFANA_TOKEN": None, "GRAFANA_USER": None, "GRAFANA_PASSWORD": None}
        base = ["push", "--dashboards", DASHBOARDS, "--verbose"]
        results = [
            invoke([*base, "--dry-run"], env=environ),
            invoke([*base, "--format", "json"], env=environ),
            invoke(["pull", "--verbose", "--out", tmp_path / "live"], env=environ),
        ]
        stub.human_save(BUILT[0], lambda d: d.update(title="edited"))
        results.append(invoke([*base, "--prune"], exit_code=1, env=environ))
        stub.fail("GET", "/apis", status=500, times=3)
        results.append(invoke(base, exit_code=2, env=environ))
    assert "created" in results[1].stdout and json.loads(results[1].stdout)["url"] == stub.url
    assert PASSWORD not in _all_output(results, tmp_path)


def test_token_with_a_trailing_newline_is_one_line(grafana):
    result = push(grafana, token=TOKEN + "\n", exit_code=2)
    assert result.stderr.strip().splitlines() == [
        "error: the token from GRAFANA_TOKEN contains whitespace, a newline or a character HTTP headers cannot carry; "
        "check for a trailing newline"
    ]
    assert TOKEN not in result.stdout + result.stderr and grafana.log == []


def test_env_token_is_never_sent_to_another_url(grafana, tmp_path):
    envs = tmp_path / "azora-dash.yaml"
    prod = {"url": "https://grafana.prod.example", "token_env": "GRAFANA_PROD_TOKEN"}
    envs.write_text(yaml.safe_dump({"environments": {"production": prod}}))
    environ = {"GRAFANA_URL": None, "GRAFANA_TOKEN": None, "GRAFANA_USER": None, "GRAFANA_PROD_TOKEN": TOKEN}
    args = ["push", "--dashboards", DASHBOARDS, "--env", "production", "--env-file", envs, "--url", grafana.url]
    refused = invoke([*args, "--dry-run"], exit_code=2, env=environ)
    assert "is not environment 'production''s URL" in refused.stderr and grafana.log == []
    invoke([*args, "--dry-run", "--token", TOKEN], env=environ)  # its own credentials: fine


def test_not_a_grafana_is_exit_2_before_any_plan(grafana):
    grafana.fail("GET", "/", kind="html", status=404, times=50)
    result = push(grafana, "--dry-run", exit_code=2)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "is not a Grafana" in lines[0] and "check the base URL" in lines[0]
    assert result.stdout == ""


def test_version_in_verbose_and_json_and_org_sent(monkeypatch):
    monkeypatch.setattr(grafana_api, "_sleep", lambda s: None)
    with running(token=TOKEN, version="13.0") as stub:
        verbose = push(stub, "--dry-run", "--verbose", "--org", "2")
        assert "Grafana 13.0.0" in verbose.stderr and "over /apis/dashboard.grafana.app/v0alpha1" in verbose.stderr
        report = json.loads(push(stub, "--format", "json", GRAFANA_ORG_ID="2").stdout)
        assert report["grafana_version"] == "13.0.0" and report["api"].endswith("/v0alpha1")
        assert set(stub.org_headers) == {"2"}


def _confirming_env(tmp_path, stub):
    envs = tmp_path / "azora-dash.yaml"
    production = {"url": stub.url, "token_env": "GRAFANA_PRODUCTION_TOKEN", "confirm": True}
    envs.write_text(yaml.safe_dump({"environments": {"production": production}}))
    environ = {"GRAFANA_URL": None, "GRAFANA_TOKEN": None, "GRAFANA_PRODUCTION_TOKEN": TOKEN}
    return ["push", "--dashboards", DASHBOARDS, "--env", "production", "--env-file", envs], environ


def test_confirm_environment_asks_on_a_terminal(grafana, tmp_path, monkeypatch):
    from azora_dash.commands import push as push_command

    args, environ = _confirming_env(tmp_path, grafana)
    monkeypatch.setattr(push_command, "_interactive", lambda: True)
    declined = CliRunner().invoke(cli, [str(a) for a in args], env=environ, input="n\n")
    assert declined.exit_code == 1 and grafana.writes == []
    assert f"create     {BUILT[0]:<32}" in declined.stdout  # the plan is shown before the question
    assert "Push " in declined.stderr and "production" in declined.stderr and "declined" in declined.stderr
    accepted = CliRunner().invoke(cli, [str(a) for a in args], env=environ, input="y\n")
    assert accepted.exit_code == 0 and f"{len(BUILT)} created" in accepted.stderr
    assert grafana.writes


def test_confirm_is_skipped_with_yes_or_off_a_terminal(grafana, tmp_path, monkeypatch):
    from azora_dash.commands import push as push_command

    args, environ = _confirming_env(tmp_path, grafana)
    # CliRunner's stdin is not a terminal, as in CI: no question, the push goes ahead.
    ci = invoke(args, env=environ)
    assert "Push " not in ci.stderr and f"{len(BUILT)} created" in ci.stderr
    grafana.human_save(BUILT[0], lambda d: d.update(title="edited"))
    monkeypatch.setattr(push_command, "_interactive", lambda: True)
    forced = invoke([*args, "--yes", "--force"], env=environ)
    assert "Push " not in forced.stderr and "overwritten (--force)" in forced.stdout


def test_misspelt_key_in_the_environment_file_is_one_line_naming_it(tmp_path):
    envs = tmp_path / "azora-dash.yaml"
    envs.write_text("environments:\n  staging:\n    url: https://x\nenvironment: {}\n")
    result = invoke(["push", "--env", "staging", "--env-file", envs], exit_code=2, env={"GRAFANA_URL": None})
    assert result.stderr == f"error: {envs}:4: unknown top-level key 'environment' (allowed: environments)\n"


def test_push_pull_and_diff_schema_v2_against_13(monkeypatch, tmp_path):
    monkeypatch.setattr(grafana_api, "_sleep", lambda s: None)
    with running(token=TOKEN, version="13.0") as stub:
        push(stub, "--schema", "v2")
        assert {row["stored"] for row in stub.dashboards.values()} == {"v2"}
        again = json.loads(push(stub, "--schema", "v2", "--format", "json").stdout)
        assert {d["result"] for d in again["dashboards"]} == {"unchanged"} and {
            d["schema"] for d in again["dashboards"]
        } == {"v2"}
        diff = invoke(["diff", "--grafana", "--dashboards", DASHBOARDS], env=env(stub))
        assert diff.stdout == "No dashboard changes.\n"
        invoke(["build", "--dashboards", DASHBOARDS, "--schema", "v2", "--out", tmp_path / "build"])
        invoke(["pull", "--schema", "v2", "--out", tmp_path / "pulled"], env=env(stub))
        for built in (tmp_path / "build").glob("*.json"):
            assert (tmp_path / "pulled" / built.name).read_bytes() == built.read_bytes(), built.name
        stub.human_save_v2(BUILT[0], lambda spec: spec.update(title="Edited in the UI"))
        refused = push(stub, "--schema", "v2", exit_code=1)
        assert f"conflict   {BUILT[0]}" in refused.stdout and "nothing was written" in refused.stderr


def test_push_schema_v2_to_a_grafana_without_v2_is_one_line(grafana):
    result = push(grafana, "--schema", "v2", exit_code=2)
    assert "offers no dashboard.grafana.app v2/v2beta1 API" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and grafana.writes == []


def test_pull_recursive_takes_nested_folders(grafana, tmp_path):
    grafana.add_folder("azora", "Azora")
    grafana.add_folder("team", "Team", "azora")
    grafana.save({"dashboard": {"uid": "nested", "title": "Nested", "tags": []}, "folderUid": "team"}, "u")
    flat = json.loads(invoke(["pull", "--out", tmp_path / "a", "--format", "json"], env=env(grafana)).stdout)
    deep = json.loads(invoke(["pull", "-r", "--out", tmp_path / "b", "--format", "json"], env=env(grafana)).stdout)
    assert flat["dashboards"] == [] and deep["dashboards"] == ["nested"]
