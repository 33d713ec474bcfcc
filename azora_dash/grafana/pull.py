"""Read live dashboards from Grafana in the build's canonical form (``azora-dash pull``).

``fetch_live`` is the library entry point other commands use (``diff --grafana``):
it returns ``{uid: dashboard}`` with Grafana's bookkeeping fields stripped, so a
live dashboard that matches the code compares equal to the built one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait
from pathlib import Path
from typing import TypeVar

from ..dashboard_file import REGENERATED
from ..jsonio import WriteResult, dumps, write_tree
from ..uids import check_uid
from .client import Auth, GrafanaAPIError, GrafanaClient
from .environments import Target

T = TypeVar("T")
R = TypeVar("R")


def normalise(dashboard: dict) -> dict:
    return {k: v for k, v in dashboard.items() if k not in REGENERATED}


def same(a: dict, b: dict) -> bool:
    """Equal once volatile fields are ignored (dict equality already ignores key order)."""
    return normalise(a) == normalise(b)


def pmap(fn: Callable[[T], R], items: Iterable[T], concurrency: int) -> list[R]:
    """``[fn(x) for x in items]`` on ``concurrency`` threads; the first exception cancels the rest."""
    items = list(items)
    if concurrency <= 1 or len(items) <= 1:
        return [fn(x) for x in items]
    pool = ThreadPoolExecutor(max_workers=concurrency)
    try:
        futures = [pool.submit(fn, x) for x in items]
        done, _ = wait(futures, return_when=FIRST_EXCEPTION)
        for fut in futures:
            if fut.done() and fut.exception() is not None:
                raise fut.exception()
        return [f.result() for f in futures]
    finally:
        # On error or Ctrl-C, queued calls never start; running ones finish their one request.
        pool.shutdown(wait=False, cancel_futures=True)


def connect(target: Target, concurrency: int = 4, trace=None, **kwargs) -> GrafanaClient:
    auth = Auth(token=target.token, user=target.user, password=target.password)
    return GrafanaClient(
        target.url,
        auth,
        timeout=target.timeout,
        verify=target.verify,
        pool=concurrency,
        trace=trace,
        org_id=target.org_id,
        **kwargs,
    )


def fetch_live(
    client: GrafanaClient, uids: Iterable[str] = (), folder_uid: str | None = None, concurrency: int = 4
) -> dict[str, dict]:
    """Live dashboards by uid: the given ``uids``, else every dashboard in ``folder_uid``."""
    wanted = list(uids) or [hit.get("uid") for hit in client.search(folder_uid=folder_uid)]
    # A uid names a URL path and, in ``pull``, a file: a broken or hostile Grafana must not
    # send either outside where it belongs.
    wanted = sorted(check_uid(uid, f"{client.shown} (dashboard search)") for uid in wanted)

    def one(uid: str) -> tuple[str, dict]:
        try:
            found = client.get_dashboard(uid)
        except GrafanaAPIError as exc:
            if exc.status != 406:
                raise
            # 12+: pkg/api/dashboard.go GetDashboard answers 406 for a dashboard stored in schema v2.
            raise GrafanaAPIError(
                406,
                f"{client.shown}: dashboard {uid!r} is stored in schema v2 (dynamic dashboards); "
                "pull and diff read the classic model only -- name the other uids, or export it from Grafana",
            ) from None
        if found is None:
            raise GrafanaAPIError(404, f"{client.shown}: no dashboard with uid {uid!r}")
        return uid, normalise(found["dashboard"])

    return dict(pmap(one, wanted, concurrency))


def pull(
    client: GrafanaClient, out: Path, uids: Iterable[str] = (), folder_uid: str | None = None, concurrency: int = 4
) -> tuple[dict[str, dict], WriteResult]:
    """Write each live dashboard to ``out/<uid>.json`` atomically; never deletes files."""
    live = fetch_live(client, uids, folder_uid, concurrency)
    return live, write_tree(out, {f"{uid}.json": dumps(d) for uid, d in live.items()})
