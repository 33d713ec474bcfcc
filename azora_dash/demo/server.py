"""``azora-dash demo``: serve synthetic metrics for every Azora job on one HTTP server.

Each job has its own registry on its own path, ``/metrics/<job>``, so a
Prometheus scrape config per job (``metrics_path``) gives every series the
``job`` label the dashboards and alert rules select on (``Config``). Series are
advanced lazily on each scrape, so an idle demo costs nothing.
"""

from __future__ import annotations

import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from prometheus_client import disable_created_metrics
from prometheus_client.exposition import choose_encoder

from ..config import Config
from .exporters import exporter_sims
from .services import ServiceSim

PATH_PREFIX = "/metrics/"


class Job:
    """A job's simulator and registry; a lock keeps concurrent scrapes from interleaving."""

    def __init__(self, name: str, sim):
        self.name, self.sim, self.lock = name, sim, threading.Lock()

    def scrape(self, now: float, accept: str = "") -> bytes:
        """The exposition in the format ``accept`` asks for: OpenMetrics carries the exemplars."""
        encode, _ = choose_encoder(accept)
        with self.lock:
            self.sim.advance(now)
            return encode(self.sim.registry)


def make_jobs(cfg: Config, seed: int = 0) -> dict[str, Job]:
    # prom-client (the services' library) exposes no *_created series; match it.
    disable_created_metrics()
    sims = [ServiceSim(s, cfg, seed) for s in cfg.services] + exporter_sims(cfg, seed)
    return {s.job: Job(s.job, s) for s in sims}


def _handler(jobs: dict[str, Job]):
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            name = self.path.split("?", 1)[0].removeprefix(PATH_PREFIX)
            job = jobs.get(name) if self.path.startswith(PATH_PREFIX) else None
            if job is None:
                body = "".join(f"{PATH_PREFIX}{j}\n" for j in sorted(jobs)).encode()
                return self._send(404 if self.path not in ("/", "") else 200, "text/plain; charset=utf-8", body)
            accept = self.headers.get("Accept", "")
            self._send(200, choose_encoder(accept)[1], job.scrape(time.time(), accept))

        def _send(self, status: int, ctype: str, body: bytes):
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):  # the library never prints; scrapes are not news
            pass

    return Handler


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # A scraper that hangs up mid-response (Prometheus stopping) is routine, not worth a traceback.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class DemoServer:
    """The demo HTTP server running in a daemon thread; ``stop()`` shuts it down."""

    def __init__(self, cfg: Config, host: str = "127.0.0.1", port: int = 9464, seed: int = 0):
        self.jobs = make_jobs(cfg, seed)
        self.httpd = _Server((host, port), _handler(self.jobs))
        self.host, self.port = host, self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, name="azora-demo", daemon=True)

    def start(self) -> DemoServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port}"

    def urls(self) -> list[str]:
        return [f"http://{self.address}{PATH_PREFIX}{j}" for j in sorted(self.jobs)]


def scrape_configs(jobs, address: str, interval: str | None = None) -> list[dict]:
    """Prometheus ``scrape_configs`` entries for the demo: one job each, told apart by metrics_path."""
    configs = []
    for job in sorted(jobs):
        entry = {"job_name": job, "metrics_path": f"{PATH_PREFIX}{job}", "static_configs": [{"targets": [address]}]}
        if interval:
            entry["scrape_interval"] = interval
        configs.append(entry)
    return configs
