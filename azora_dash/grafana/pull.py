"""Read live dashboards from Grafana in the build's canonical form (``azora-dash pull``).

``fetch_live`` is the library entry point other commands use (``diff --grafana``):
it returns ``{uid: dashboard}`` with Grafana's bookkeeping fields stripped, so a
live dashboard that matches the code compares equal to the built one.

A dashboard Grafana stores in schema v2 answers 406 on ``/api`` (12+: pkg/api/dashboard.go
GetDashboard); it is read from the resource API's v2 endpoint instead and converted to the
classic model by ``dashboard_v2`` (``resources.V2``), so pull and diff see it like any other.
``pull(..., schema="v2")`` writes each one as the v2 resource ``build --schema v2`` writes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait
from pathlib import Path
from threading import Lock
from typing import TypeVar

from ..dashboard_file import REGENERATED
from ..dashboard_v2 import to_v2
from ..jsonio import WriteResult, dumps, write_tree
from ..uids import check_uid
from .client import Auth, GrafanaAPIError, GrafanaClient
from .environments import Target
from .resources import V2_FORMS, ResourceAPI, split_sections

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
    return {uid: found[0] for uid, found in fetch_with_folders(client, uids, folder_uid, concurrency).items()}


def subfolders(client: GrafanaClient, folder_uid: str) -> list[str]:
    """``folder_uid`` and every folder nested below it, parents first (each folder read once)."""
    found, queue = [folder_uid], [folder_uid]
    while queue:
        parent = queue.pop(0)
        for child in client.child_folders(parent):
            uid = check_uid(str(child.get("uid") or ""), f"{client.shown} (folders of {parent})")
            if uid not in found:  # a broken Grafana answering a cycle must not loop us
                found.append(uid)
                queue.append(uid)
    return found


def fetch_with_folders(
    client: GrafanaClient,
    uids: Iterable[str] = (),
    folder_uid: str | None = None,
    concurrency: int = 4,
    recursive: bool = False,
) -> dict[str, tuple[dict, str, dict]]:
    """``fetch_live`` with each dashboard's folder uid and v2-only layout marks (tabs, conditions;
    empty unless stored as v2): ``{uid: (dashboard, folder uid, marks)}``. ``recursive`` also
    reads the folders nested in ``folder_uid``."""
    folders = subfolders(client, folder_uid) if recursive and folder_uid else [folder_uid]
    wanted = list(uids) or [hit.get("uid") for f in folders for hit in client.search(folder_uid=f)]
    # A uid names a URL path and, in ``pull``, a file: a broken or hostile Grafana must not
    # send either outside where it belongs.
    wanted = sorted(check_uid(uid, f"{client.shown} (dashboard search)") for uid in wanted)
    v2 = _V2Reader(client)

    def one(uid: str) -> tuple[str, tuple[dict, str, dict]]:
        try:
            found = client.get_dashboard(uid)
        except GrafanaAPIError as exc:
            if exc.status != 406:
                raise
            return uid, v2.read(uid)
        if found is None:
            raise GrafanaAPIError(404, f"{client.shown}: no dashboard with uid {uid!r}")
        return uid, (normalise(found["dashboard"]), (found.get("meta") or {}).get("folderUid") or "", {})

    return dict(pmap(one, wanted, concurrency))


class _V2Reader:
    """Reads v2-stored dashboards from the resource API; discovers its version on first use."""

    def __init__(self, client: GrafanaClient):
        self.client, self.lock, self.api = client, Lock(), None

    def read(self, uid: str) -> tuple[dict, str, dict]:
        with self.lock:
            if self.api is None:
                self.api = ResourceAPI.discover(self.client, V2_FORMS) or False
        shown = f"{self.client.shown}: dashboard {uid!r} is stored in schema v2"
        if not self.api:
            raise GrafanaAPIError(406, f"{shown}, but /apis offers no dashboard.grafana.app v2 or v2beta1 to read it")
        res = self.api.get(uid)
        if res is None:
            raise GrafanaAPIError(404, f"{shown}, but {self.api.base}/{uid} is not found")
        if res.dashboard is None:
            raise GrafanaAPIError(200, f"{shown} and not readable: {res.problem or 'no spec'}")
        dashboard, marks = split_sections(res.dashboard)
        return normalise(dashboard), res.folder, marks


def pull(
    client: GrafanaClient,
    out: Path,
    uids: Iterable[str] = (),
    folder_uid: str | None = None,
    concurrency: int = 4,
    schema: str = "v1",
    recursive: bool = False,
) -> tuple[dict[str, dict], WriteResult]:
    """Write each live dashboard to ``out/<uid>.json`` atomically; never deletes files.

    ``schema="v2"`` writes the v2 resource (folder in its annotation), byte for byte what
    ``build --schema v2`` writes for the same dashboard. Files stay flat however deep the folders
    (a uid is unique in an org; no folder name ever chooses a path).
    """
    found = fetch_with_folders(client, uids, folder_uid, concurrency, recursive)
    live = {uid: dash for uid, (dash, _, _) in found.items()}
    if schema == "v2":
        files = {f"{uid}.json": dumps(to_v2(dash, folder, marks)) for uid, (dash, folder, marks) in found.items()}
    else:
        files = {f"{uid}.json": dumps(dash) for uid, dash in live.items()}
    return live, write_tree(out, files)
