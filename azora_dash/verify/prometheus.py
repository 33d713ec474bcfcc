"""A small client for the Prometheus HTTP API (docs: prometheus.io/docs/prometheus/latest/querying/api/).

One method per endpoint verify needs. It never prints. Credentials come from the
environment (``PROMETHEUS_USER``/``PROMETHEUS_PASSWORD`` for basic auth, or
``PROMETHEUS_TOKEN`` for a bearer token) and never appear in messages: errors
name the URL without userinfo. ``requests`` is imported here only, so commands
that never talk to Prometheus do not load it.
"""

from __future__ import annotations

import os
from urllib.parse import quote, urlsplit, urlunsplit

from ..errors import AzoraDashError

USER_ENV, PASSWORD_ENV, TOKEN_ENV = "PROMETHEUS_USER", "PROMETHEUS_PASSWORD", "PROMETHEUS_TOKEN"


class PrometheusUnreachable(AzoraDashError):
    """Prometheus cannot be reached, refuses our credentials, or does not speak its API (exit 2)."""


class QueryError(Exception):
    """Prometheus rejected one query (bad_data, execution, timeout); carries its own message."""


def redact(url: str) -> str:
    """The URL without any ``user:password@`` part, safe to show."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path, "", ""))


class PrometheusClient:
    def __init__(self, url: str, timeout: float = 30.0, env=None, session=None, verify: bool | str = True):
        """``verify``: True (system CAs), a CA bundle path, or False (``--insecure``); as for Grafana."""
        import requests

        env = os.environ if env is None else env
        self.base = url.rstrip("/")
        self.shown = redact(self.base)
        self.timeout = timeout
        self.session = session or requests.Session()
        # Per request, as grafana/client.py does: requests lets REQUESTS_CA_BUNDLE override session.verify.
        self.verify = verify
        if env.get(TOKEN_ENV):
            self.session.headers["Authorization"] = f"Bearer {env[TOKEN_ENV]}"
        elif env.get(USER_ENV):
            self.session.auth = (env[USER_ENV], env.get(PASSWORD_ENV, ""))

    def _get(self, path: str, params) -> object:
        import requests

        url = f"{self.base}{path}"
        try:
            resp = self.session.get(url, params=params, timeout=self.timeout, verify=self.verify)
        except requests.exceptions.SSLError:
            # Reached, but its certificate did not verify: "is it running?" would send people the wrong way.
            raise PrometheusUnreachable(
                f"TLS verification failed for Prometheus at {self.shown}; pass --ca-bundle FILE with its CA "
                "(or --insecure to skip verification)"
            ) from None
        except requests.RequestException as exc:
            # The exception text may embed the URL; name only the redacted one.
            raise PrometheusUnreachable(
                f"cannot reach Prometheus at {self.shown} ({type(exc).__name__}); check --prometheus and that it is running"
            ) from None
        if resp.status_code in (401, 403):
            raise PrometheusUnreachable(
                f"Prometheus at {self.shown} answered {resp.status_code}; set {USER_ENV}/{PASSWORD_ENV} or {TOKEN_ENV}"
            )
        try:
            body = resp.json()
        except ValueError:
            raise PrometheusUnreachable(
                f"{self.shown}{path} answered {resp.status_code} without a Prometheus API body; is --prometheus the server's base URL?"
            ) from None
        # API: 400 bad_data, 422 execution error, 503 timeout/abort all come with status "error".
        if not isinstance(body, dict) or body.get("status") != "success":
            error = (
                body.get("error", f"HTTP {resp.status_code}") if isinstance(body, dict) else f"HTTP {resp.status_code}"
            )
            raise QueryError(str(error))
        return body.get("data")

    def query(self, expr: str, time: float) -> list:
        """Instant query: the list of result series (a scalar/string counts as one)."""
        return _as_series(self._get("/api/v1/query", {"query": expr, "time": time}))

    def query_range(self, expr: str, start: float, end: float, step: float) -> list:
        return _as_series(self._get("/api/v1/query_range", {"query": expr, "start": start, "end": end, "step": step}))

    def query_exemplars(self, expr: str, start: float, end: float) -> list[dict]:
        """Exemplars of the series ``expr`` selects: [{seriesLabels, exemplars: [{labels, value, timestamp}]}]."""
        return self._get("/api/v1/query_exemplars", {"query": expr, "start": start, "end": end}) or []

    def series(self, selector: str, start: float, end: float) -> list[dict]:
        """Label sets of every series ``selector`` matches in [start, end]."""
        return self._get("/api/v1/series", {"match[]": selector, "start": start, "end": end}) or []

    def label_names(self, selector: str, start: float, end: float) -> list[str]:
        return self._get("/api/v1/labels", {"match[]": selector, "start": start, "end": end}) or []

    def label_values(self, label: str, selector: str, start: float, end: float) -> list[str]:
        return (
            self._get(
                f"/api/v1/label/{quote(label, safe='')}/values", {"match[]": selector, "start": start, "end": end}
            )
            or []
        )

    def metadata(self) -> dict[str, list[dict]]:
        """Metric name -> its type/help/unit as the targets expose them (``/api/v1/metadata``)."""
        return self._get("/api/v1/metadata", {}) or {}


def _as_series(data) -> list:
    result = (data or {}).get("result")
    if (data or {}).get("resultType") in ("scalar", "string"):
        return [result]
    return result or []
