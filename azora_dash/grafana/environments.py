"""Where push/pull talk to: named environments from ``azora-dash.yaml`` plus flags and env vars.

The checked-in file holds, per environment, the Grafana URL, the folder and the
NAME of the environment variable that holds the token -- never the token.
Precedence: ``--url``/``--token`` flags > ``GRAFANA_URL``/``GRAFANA_TOKEN`` >
the environment file; ``GRAFANA_USER``/``GRAFANA_PASSWORD`` (basic auth) are the
fallback when no token is found; ``user:password@`` in the URL is basic auth too, and is
removed from the URL so that no message ever shows the password. ``--org``/``GRAFANA_ORG_ID``
selects the org. Any problem is a one-line ``ConfigError`` (exit 2).

An environment's token is sent only to that environment's URL: ``--env production --url X``
needs credentials of its own for X (``--token``, ``GRAFANA_TOKEN`` or ``GRAFANA_USER``).
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit, urlunsplit

import yaml

from ..config import Config
from ..errors import ConfigError

ENV_FILE = Path("azora-dash.yaml")
_KEYS = {"url", "folder", "folder_uid", "parent_folder_uid", "token_env", "ca_bundle", "confirm"}
_TOP_KEYS = {"environments"}
_SECRET_KEYS = {"token", "password", "api_key", "apikey", "key"}
# What an HTTP header value can carry (RFC 9110 field-value, visible ASCII); requests refuses
# leading whitespace and CR/LF (utils.check_header_validity), http.client anything non-Latin-1.
_HEADER_SAFE = re.compile(r"[\x21-\x7e]+")


@dataclass(frozen=True)
class Target:
    """A resolved Grafana target. Secrets are excluded from ``repr`` and comparisons."""

    url: str
    folder: str
    folder_uid: str
    env: str | None = None
    token: str | None = field(default=None, repr=False, compare=False)
    user: str | None = None
    password: str | None = field(default=None, repr=False, compare=False)
    verify: bool | str = True
    timeout: float = 10.0
    token_source: str = ""  # where the credential came from, for messages ("GRAFANA_STAGING_TOKEN")
    org_id: int | None = None
    confirm: bool = False  # the environment asks before a push on a terminal (`confirm: true`)
    parent_folder_uid: str = ""  # create the folder nested in this one (Grafana 11+ nested folders)


def load_environments(path: Path) -> dict[str, dict]:
    try:
        text = path.read_text(encoding="utf-8")
        doc = yaml.safe_load(text) or {}
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such environment file; create it or pass --url") from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        raise ConfigError(f"{where}: not valid YAML: {exc.problem or exc.context}") from None
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ConfigError(f"{path}: cannot read environment file: {' '.join(str(exc).split())}") from None
    unknown = sorted(set(doc) - _TOP_KEYS, key=str) if isinstance(doc, dict) else []
    if unknown:
        raise ConfigError(
            f"{path}:{_key_line(text, unknown[0])}: unknown top-level key {unknown[0]!r} (allowed: environments)"
        )
    envs = doc.get("environments") if isinstance(doc, dict) else None
    if not isinstance(envs, dict) or not envs:
        raise ConfigError(f"{path}: expected a mapping `environments: {{staging: {{url: ...}}}}`")
    for name, entry in envs.items():
        _check_entry(path, name, entry)
    return envs


def _key_line(text: str, key) -> int:
    """The 1-based line of top-level ``key`` (the file already parsed, so composing it cannot fail)."""
    node = yaml.compose(text)
    return next(k.start_mark.line + 1 for k, _ in node.value if k.value == str(key))


def _check_entry(path: Path, name: str, entry) -> None:
    if not isinstance(entry, dict):
        raise ConfigError(f"{path}: environment {name!r} must be a mapping with url, folder, folder_uid, token_env")
    secret = _SECRET_KEYS & set(entry)
    if secret:
        raise ConfigError(
            f"{path}: environment {name!r} has {sorted(secret)[0]!r}; never check secrets in -- "
            "set token_env to the NAME of the environment variable holding the token"
        )
    unknown = set(entry) - _KEYS
    if unknown:
        raise ConfigError(
            f"{path}: environment {name!r} has unknown key {sorted(unknown)[0]!r} (allowed: {', '.join(sorted(_KEYS))})"
        )
    if not isinstance(entry.get("confirm", False), bool):
        raise ConfigError(f"{path}: environment {name!r}: confirm must be true or false")


def resolve(
    cfg: Config,
    env: str | None = None,
    url: str | None = None,
    token: str | None = None,
    env_file: Path = ENV_FILE,
    environ: Mapping[str, str] | None = None,
    ca_bundle: str | None = None,
    insecure: bool = False,
    timeout: float = 10.0,
    org: int | None = None,
) -> Target:
    """Combine flags, environment variables and the named environment into one ``Target``."""
    environ = os.environ if environ is None else environ
    entry: dict = {}
    if env:
        envs = load_environments(env_file)
        if env not in envs:
            raise ConfigError(f"{env_file}: no environment {env!r} (have: {', '.join(sorted(envs))})")
        entry = envs[env]
    chosen_url = url or environ.get("GRAFANA_URL") or entry.get("url")
    if (
        env
        and not url
        and environ.get("GRAFANA_URL")
        and entry.get("url")
        and environ["GRAFANA_URL"].rstrip("/") != str(entry["url"]).rstrip("/")
    ):
        # An ambient GRAFANA_URL silently beating --env would push to the wrong Grafana.
        raise ConfigError(f"GRAFANA_URL points elsewhere than --env {env} ({env_file}); unset it or pass --url")
    if not chosen_url and env:
        raise ConfigError(f"{env_file}: environment {env!r} has no url; add `url:` there, or pass --url")
    if not chosen_url:
        raise ConfigError(f"no Grafana URL: pass --url, set GRAFANA_URL, or choose --env NAME from {env_file}")
    if not str(chosen_url).startswith(("http://", "https://")):
        raise ConfigError(f"Grafana URL must start with http:// or https:// (got {str(chosen_url).split('@')[-1]!r})")
    chosen_url, url_user, url_password = _split_userinfo(str(chosen_url))
    if env and url and entry.get("url") and chosen_url.rstrip("/") != _split_userinfo(str(entry["url"]))[0].rstrip("/"):
        entry = {k: v for k, v in entry.items() if k != "token_env"}  # never send env's token elsewhere
        if not (token or environ.get("GRAFANA_TOKEN") or environ.get("GRAFANA_USER") or url_user):
            raise ConfigError(
                f"--url is not environment {env!r}'s URL, and its token is only sent there; "
                "pass --token (or GRAFANA_TOKEN) for this Grafana"
            )
    if insecure and ca_bundle:
        raise ConfigError("--insecure and --ca-bundle contradict each other; pass one")
    bundle = ca_bundle or entry.get("ca_bundle")
    if bundle and not Path(bundle).is_file():
        raise ConfigError(f"{bundle}: CA bundle not found (--ca-bundle)")
    secret, source = _credential(token, entry, environ, env_file, env)
    if secret and not _HEADER_SAFE.fullmatch(secret):
        raise ConfigError(
            f"the token from {source} contains whitespace, a newline or a character HTTP headers cannot carry; "
            "check for a trailing newline"
        )
    user = None if secret else (url_user or environ.get("GRAFANA_USER"))
    password = (url_password if url_user else environ.get("GRAFANA_PASSWORD")) if user else None
    if not secret and not user:
        raise ConfigError(
            "no Grafana credentials: set GRAFANA_TOKEN (or the environment's token_env), "
            "or GRAFANA_USER and GRAFANA_PASSWORD"
        )
    if timeout <= 0:
        raise ConfigError("--timeout must be positive")
    return Target(
        url=str(chosen_url).rstrip("/"),
        folder=str(entry.get("folder", cfg.folder)),
        folder_uid=str(entry.get("folder_uid", cfg.folder_uid)),
        env=env,
        token=secret,
        user=user,
        password=password,
        verify=False if insecure else (bundle or True),
        timeout=timeout,
        token_source=source or ("the URL's user" if url_user else "GRAFANA_USER/GRAFANA_PASSWORD" if user else ""),
        org_id=_org(org, environ),
        confirm=bool(entry.get("confirm", False)),
        parent_folder_uid=str(entry.get("parent_folder_uid") or ""),
    )


def _split_userinfo(url: str) -> tuple[str, str | None, str | None]:
    """(URL without user:password@, user, password): credentials never stay in a URL we may print."""
    parts = urlsplit(url)
    if not (parts.username or parts.password):
        return url, None, None
    host = parts.hostname or ""
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urlunsplit(parts._replace(netloc=netloc)), unquote(parts.username or ""), unquote(parts.password or "")


def _org(flag: int | None, environ: Mapping[str, str]) -> int | None:
    raw = flag if flag is not None else environ.get("GRAFANA_ORG_ID")
    if raw is None or raw == "":
        return None
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"GRAFANA_ORG_ID must be a number (got {str(raw)[:20]!r})") from None
    if value < 1:
        raise ConfigError("--org / GRAFANA_ORG_ID must be a positive org id")
    return value


def _credential(flag: str | None, entry: dict, environ: Mapping[str, str], env_file: Path, env: str | None):
    if flag:
        return flag, "--token"
    if environ.get("GRAFANA_TOKEN"):
        return environ["GRAFANA_TOKEN"], "GRAFANA_TOKEN"
    name = entry.get("token_env")
    if name:
        if environ.get(name):
            return environ[name], name
        if not environ.get("GRAFANA_USER"):
            raise ConfigError(f"environment {env!r} reads its token from ${name}, which is not set ({env_file})")
    return None, ""
