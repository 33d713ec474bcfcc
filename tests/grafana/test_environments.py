"""Resolving the Grafana target: flags > GRAFANA_* > azora-dash.yaml; secrets never checked in."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from azora_dash.config import DEFAULT
from azora_dash.errors import ConfigError
from azora_dash.grafana.environments import load_environments, resolve

REPO_FILE = Path(__file__).resolve().parents[2] / "azora-dash.yaml"


@pytest.fixture
def env_file(tmp_path):
    path = tmp_path / "azora-dash.yaml"
    path.write_text(
        yaml.safe_dump(
            {
                "environments": {
                    "staging": {
                        "url": "https://staging.example",
                        "folder": "Azora (staging)",
                        "folder_uid": "azora-stg",
                        "parent_folder_uid": "platform",
                        "token_env": "GRAFANA_STAGING_TOKEN",
                    },
                    "production": {"url": "https://prod.example", "token_env": "GRAFANA_PRODUCTION_TOKEN"},
                }
            }
        )
    )
    return path


def test_checked_in_file_has_staging_and_production_and_no_secrets():
    envs = load_environments(REPO_FILE)
    assert {"staging", "production"} <= set(envs)
    for entry in envs.values():
        assert entry["url"].startswith("https://") and entry["token_env"].isupper()


def test_env_selects_url_folder_and_token_variable(env_file):
    target = resolve(DEFAULT, env="staging", env_file=env_file, environ={"GRAFANA_STAGING_TOKEN": "s3cret"})
    assert (target.url, target.folder, target.folder_uid) == ("https://staging.example", "Azora (staging)", "azora-stg")
    assert target.token == "s3cret" and target.token_source == "GRAFANA_STAGING_TOKEN"
    assert target.verify is True and target.parent_folder_uid == "platform"
    assert "s3cret" not in repr(target)


def test_folder_defaults_to_config(env_file):
    target = resolve(DEFAULT, env="production", env_file=env_file, environ={"GRAFANA_PRODUCTION_TOKEN": "p"})
    assert (target.folder, target.folder_uid) == (DEFAULT.folder, DEFAULT.folder_uid)
    assert target.parent_folder_uid == ""  # top level


def test_precedence_flags_then_environment_variables(env_file):
    environ = {"GRAFANA_URL": "https://env.example", "GRAFANA_TOKEN": "from-env", "GRAFANA_STAGING_TOKEN": "stg"}
    assert resolve(DEFAULT, environ=environ).url == "https://env.example"
    assert resolve(DEFAULT, environ=environ).token == "from-env"
    flagged = resolve(DEFAULT, url="https://flag.example/", token="from-flag", environ=environ)
    assert (flagged.url, flagged.token) == ("https://flag.example", "from-flag")
    assert (
        resolve(DEFAULT, env="staging", env_file=env_file, url="https://staging.example", environ=environ).token
        == "from-env"
    )


def test_ambient_grafana_url_cannot_silently_redirect_an_env(env_file):
    with pytest.raises(ConfigError, match="GRAFANA_URL points elsewhere than --env staging"):
        resolve(
            DEFAULT,
            env="staging",
            env_file=env_file,
            environ={"GRAFANA_URL": "https://prod.example", "GRAFANA_STAGING_TOKEN": "x"},
        )


def test_basic_auth_fallback():
    target = resolve(DEFAULT, url="http://g:3000", environ={"GRAFANA_USER": "admin", "GRAFANA_PASSWORD": "pw"})
    assert (target.token, target.user, target.password) == (None, "admin", "pw")
    assert "pw" not in repr(target)


@pytest.mark.parametrize(
    "kwargs, environ, message",
    [
        ({}, {"GRAFANA_TOKEN": "t"}, "no Grafana URL"),
        ({"url": "grafana.example"}, {"GRAFANA_TOKEN": "t"}, "must start with http"),
        ({"url": "https://g"}, {}, "no Grafana credentials"),
        ({"env": "staging"}, {}, r"reads its token from \$GRAFANA_STAGING_TOKEN, which is not set"),
        ({"env": "qa"}, {}, "no environment 'qa' \\(have: production, staging\\)"),
        ({"url": "https://g", "insecure": True, "ca_bundle": "x.pem"}, {"GRAFANA_TOKEN": "t"}, "contradict"),
        ({"url": "https://g", "ca_bundle": "/nonexistent.pem"}, {"GRAFANA_TOKEN": "t"}, "CA bundle not found"),
    ],
)
def test_config_errors_are_one_line(env_file, kwargs, environ, message):
    with pytest.raises(ConfigError, match=message) as err:
        resolve(DEFAULT, env_file=env_file, environ=environ, **kwargs)
    assert "\n" not in str(err.value)


def test_insecure_and_ca_bundle(tmp_path):
    bundle = tmp_path / "ca.pem"
    bundle.write_text("-----BEGIN CERTIFICATE-----\n")
    assert resolve(DEFAULT, url="https://g", token="t", insecure=True).verify is False
    assert resolve(DEFAULT, url="https://g", token="t", ca_bundle=str(bundle)).verify == str(bundle)


@pytest.mark.parametrize(
    "entry, message",
    [
        ({"url": "https://g", "token": "oops"}, "never check secrets in"),
        ({"url": "https://g", "colour": "red"}, "unknown key 'colour'"),
        ("https://g", "must be a mapping"),
    ],
)
def test_bad_environment_files(tmp_path, entry, message):
    path = tmp_path / "e.yaml"
    path.write_text(yaml.safe_dump({"environments": {"staging": entry}}))
    with pytest.raises(ConfigError, match=message) as err:
        load_environments(path)
    assert "oops" not in str(err.value)


def test_missing_environment_file(tmp_path):
    with pytest.raises(ConfigError, match="no such environment file"):
        resolve(DEFAULT, env="staging", env_file=tmp_path / "none.yaml", environ={})


@pytest.mark.parametrize(
    "text, expected",
    [
        ("environments:\n  staging:\n    url: [https://x\n", "azora-dash.yaml:4: not valid YAML"),
        (
            "environments:\n  staging: {url: https://x}\nenviroments: {}\n",
            "azora-dash.yaml:3: unknown top-level key 'enviroments'",
        ),
        ("environments:\n  prod:\n    url: https://x\n    confirm: yes please\n", "confirm must be true or false"),
    ],
)
def test_bad_file_names_the_line_and_key(tmp_path, text, expected):
    path = tmp_path / "azora-dash.yaml"
    path.write_text(text)
    with pytest.raises(ConfigError, match=expected.replace("[", r"\[")):
        load_environments(path)


def test_missing_url_names_the_environment_file(tmp_path):
    path = tmp_path / "envs.yaml"
    path.write_text("environments:\n  production:\n    token_env: T\n")
    with pytest.raises(ConfigError, match=r"envs.yaml: environment 'production' has no url"):
        resolve(DEFAULT, env="production", env_file=path, environ={"T": "t"})
    with pytest.raises(ConfigError, match=r"choose --env NAME from .*envs.yaml"):
        resolve(DEFAULT, env_file=path, environ={"GRAFANA_TOKEN": "t"})


def test_checked_in_production_asks_before_a_push():
    assert resolve(DEFAULT, env="production", env_file=REPO_FILE, environ={"GRAFANA_PRODUCTION_TOKEN": "t"}).confirm
