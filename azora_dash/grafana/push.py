"""Plan and apply a push of the built dashboards to Grafana, like ``terraform plan/apply``.

How we know a live dashboard is still the one we pushed (conflict detection):
every save we make carries a commit ``message`` (POST /api/dashboards/db
``message``, "Set a commit message for the version history", dashboard.md)
of the form ``azora-dash push <commit> content=sha256:<hash of what we pushed>``.
Grafana writes a new, immutable version row with that message on every save
(pkg/services/dashboards/database: saveDashboard inserts a DashboardVersion).
When the live dashboard differs from the code we read its *current* version
(GET /api/dashboards/uid/<uid>/versions/<version>, which returns the stored
message verbatim -- unlike the list endpoint, which rewrites it to "Initial save"
for a first version, pkg/api/dashboard.go GetDashboardVersions). If that message
is not ours, or its hash is not the live content's, someone else saved since our
last push: a conflict. Dashboards equal to the code cost one GET and no write.

Writes use Grafana's own optimistic locking: an update sends the live
``version`` with ``overwrite: false``, so a save that lands between plan and
apply makes Grafana answer 412 ``version-mismatch`` instead of being clobbered
(getExistingDashboardByIDOrUIDForUpdate). Each dashboard is one POST, which
Grafana applies atomically: an interrupted push leaves each one old or new and
a rerun converges because the plan is recomputed from what is live.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field

from ..errors import AzoraDashError
from .client import GrafanaAPIError, GrafanaClient
from .pull import normalise, pmap, same

CREATE, UPDATE, UNCHANGED, CONFLICT, DELETE = "create", "update", "unchanged", "conflict", "delete"
WRITES = (CREATE, UPDATE, DELETE)
_MARK = re.compile(r"azora-dash push \S+ content=sha256:([0-9a-f]{16,64})")


def content_hash(dashboard: dict) -> str:
    """sha256 of the compact canonical JSON (sorted keys) of the normalised dashboard."""
    text = json.dumps(normalise(dashboard), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def commit_message(dashboard: dict, commit: str | None) -> str:
    return f"azora-dash push {commit or 'uncommitted'} content=sha256:{content_hash(dashboard)}"


FORCE_HINT = "; use --force to overwrite"


@dataclass
class Item:
    uid: str
    title: str
    action: str
    url: str
    reason: str = ""
    live_version: int | None = None
    local: dict | None = field(default=None, repr=False)
    # Set when the push was forced over a conflict: overwrite whatever is live.
    overwrite: bool = False
    outcome: str = ""  # after apply: done | conflict | failed | skipped


@dataclass
class Plan:
    folder: str
    folder_uid: str
    create_folder: bool
    items: list[Item]

    def of(self, action: str) -> list[Item]:
        return [i for i in self.items if i.action == action]

    @property
    def writes(self) -> list[Item]:
        return [i for i in self.items if i.action in WRITES]


def plan_push(
    client: GrafanaClient,
    local: dict[str, dict],
    folder: str,
    folder_uid: str,
    managed_tag: str,
    prune: bool = False,
    concurrency: int = 4,
) -> Plan:
    """Read-only: compare every local dashboard (and, with ``prune``, the folder) with what is live."""
    for uid, dash in local.items():
        if managed_tag not in dash.get("tags", []):
            raise AzoraDashError(
                f"dashboard {uid}: has no {managed_tag!r} tag, so it was not built by azora-dash; run `azora-dash build` and push what it wrote"
            )
    folder_exists = client.get_folder(folder_uid) is not None
    items = pmap(lambda uid: _classify(client, uid, local[uid], folder_uid, managed_tag), sorted(local), concurrency)
    if prune and folder_exists:
        stale = [
            h
            for h in client.search(folder_uid=folder_uid)
            if h.get("uid") not in local and managed_tag in (h.get("tags") or [])
        ]
        items += pmap(lambda hit: _classify_prune(client, hit), sorted(stale, key=lambda h: h["uid"]), concurrency)
    return Plan(folder, folder_uid, not folder_exists, items)


def _classify(client: GrafanaClient, uid: str, dash: dict, folder_uid: str, managed_tag: str) -> Item:
    item = Item(uid, dash.get("title", uid), CREATE, client.dashboard_url(uid), local=dash)
    found = client.get_dashboard(uid)
    if found is None:
        return item
    live, meta = found["dashboard"], found.get("meta", {})
    item.live_version = live.get("version", meta.get("version"))
    in_folder = meta.get("folderUid", "") == folder_uid
    if same(live, dash) and in_folder:
        item.action = UNCHANGED
        return item
    item.action = UPDATE
    if managed_tag not in (live.get("tags") or []):
        item.action, item.reason = (
            CONFLICT,
            f"exists in Grafana but is not managed by azora-dash (no {managed_tag!r} tag)",
        )
    else:
        item.reason = _edited_since_push(client, uid, live)
        if item.reason:
            item.action = CONFLICT
    return item


def _classify_prune(client: GrafanaClient, hit: dict) -> Item:
    uid = hit["uid"]
    item = Item(uid, hit.get("title", uid), DELETE, client.dashboard_url(uid), reason="no longer defined in code")
    found = client.get_dashboard(uid)
    if found is None:  # deleted meanwhile: nothing to do
        item.action, item.reason = UNCHANGED, "already gone"
        return item
    item.live_version = found["dashboard"].get("version")
    edited = _edited_since_push(client, uid, found["dashboard"])
    if edited:
        item.action, item.reason = CONFLICT, f"would be pruned, but {edited}"
    return item


def _edited_since_push(client: GrafanaClient, uid: str, live: dict) -> str:
    """'' when the live dashboard is exactly what azora-dash last saved, else why not."""
    version = live.get("version")
    entry = client.get_version(uid, version) if isinstance(version, int) else None
    message = (entry or {}).get("message") or ""
    match = _MARK.search(message)
    if match and match.group(1) == content_hash(live)[: len(match.group(1))]:
        return ""
    who = (entry or {}).get("createdBy") or "someone"
    return f"was changed in Grafana since azora-dash pushed it (version {version} saved by {who}){FORCE_HINT}"


@dataclass
class Outcome:
    plan: Plan
    refused: bool = False  # conflicts found and not forced: nothing was written
    error: AzoraDashError | None = None

    def count(self, outcome: str) -> int:
        return sum(1 for i in self.plan.items if i.outcome == outcome)


def apply_plan(
    client: GrafanaClient,
    plan: Plan,
    commit: str | None = None,
    force: bool = False,
    concurrency: int = 4,
    progress: Callable[[int], None] | None = None,
) -> Outcome:
    """Carry out ``plan``; refuses (writes nothing) when it has conflicts unless ``force``."""
    conflicts = plan.of(CONFLICT)
    for item in plan.items:
        item.outcome = {UNCHANGED: "done", CONFLICT: "conflict"}.get(item.action, "skipped")
    if conflicts and not force:
        return Outcome(plan, refused=True)
    for item in conflicts:  # forced: overwrite, or delete what prune would have deleted
        item.action, item.overwrite, item.outcome = (UPDATE if item.local is not None else DELETE), True, "skipped"
        item.reason = item.reason.removesuffix(FORCE_HINT) + "; overwritten (--force)"  # the advice was taken
    if plan.create_folder:
        _create_folder(client, plan)
    outcome = Outcome(plan)
    # Deletes first: a dashboard whose uid changed in code keeps its title, and Grafana
    # refuses the new one (412 name-exists) while the old one is still in the folder.
    for batch in (plan.of(DELETE), [i for i in plan.writes if i.action != DELETE]):
        if outcome.error is None:
            _run_batch(client, plan, batch, commit, concurrency, progress, outcome)
    return outcome


def _run_batch(
    client: GrafanaClient,
    plan: Plan,
    items: list[Item],
    commit: str | None,
    concurrency: int,
    progress: Callable[[int], None] | None,
    outcome: Outcome,
) -> None:
    stop = threading.Event()  # set by the first failure so queued writes never start
    pool = ThreadPoolExecutor(max_workers=max(1, concurrency))
    try:
        futures = {pool.submit(_guarded, stop, client, plan, item, commit): item for item in items}
        for fut in as_completed(futures):
            item = futures[fut]
            if fut.cancelled():
                continue  # never started after an earlier failure: stays "skipped"
            try:
                item.outcome = fut.result()
            except AzoraDashError as exc:
                item.outcome = "failed"
                if outcome.error is None:
                    outcome.error = exc
                    for other in futures:  # 401/403 must not become a storm of failing writes
                        other.cancel()
            if progress:
                progress(1)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _create_folder(client: GrafanaClient, plan: Plan) -> None:
    try:
        client.create_folder(plan.folder_uid, plan.folder)
    except GrafanaAPIError as exc:
        if exc.status == 403:
            raise GrafanaAPIError(
                403, f"token lacks permission to create folder {plan.folder!r} (uid {plan.folder_uid}): {exc}"
            ) from None
        # 409: created meanwhile (e.g. a retried POST that had landed) -- fine if it exists now.
        if exc.status != 409 or client.get_folder(plan.folder_uid) is None:
            raise


def _guarded(stop: threading.Event, client: GrafanaClient, plan: Plan, item: Item, commit: str | None) -> str:
    if stop.is_set():
        return "skipped"
    try:
        return _write(client, plan, item, commit)
    except BaseException:
        stop.set()
        raise


def _write(client: GrafanaClient, plan: Plan, item: Item, commit: str | None) -> str:
    try:
        if item.action == DELETE:
            return _delete(client, item)
        body = dict(item.local)
        if item.action == UPDATE and not item.overwrite:
            body["version"] = item.live_version  # optimistic lock: 412 if saved since we looked
        client.upsert_dashboard(body, plan.folder_uid, commit_message(item.local, commit), overwrite=item.overwrite)
        return "done"
    except GrafanaAPIError as exc:
        return _write_failed(client, plan, item, exc)


def _delete(client: GrafanaClient, item: Item) -> str:
    try:
        client.delete_dashboard(item.uid)
    except GrafanaAPIError as exc:
        if exc.status != 404:  # 404: already gone (a retried DELETE may have landed)
            raise
    return "done"


def _write_failed(client: GrafanaClient, plan: Plan, item: Item, exc: GrafanaAPIError) -> str:
    if exc.grafana_status == "version-mismatch":
        # A retried POST whose first attempt had landed looks exactly like this; so does a
        # human saving between plan and apply. Only the live content tells them apart.
        found = client.get_dashboard(item.uid)
        if found is not None and same(found["dashboard"], item.local):
            return "done"
        item.reason = "was changed in Grafana while pushing (version-mismatch); rerun to see the conflict"
        return "conflict"
    if exc.grafana_status == "name-exists":
        raise GrafanaAPIError(
            412,
            f"dashboard {item.uid}: another dashboard titled {item.title!r} already exists in "
            f"folder {plan.folder!r}; rename or delete it in Grafana (or --prune if azora-dash "
            "made it under another uid)",
            "name-exists",
        ) from None
    if exc.status == 403:
        raise GrafanaAPIError(
            403,
            f"dashboard {item.uid}: token lacks permission to write folder {plan.folder!r} "
            f"(uid {plan.folder_uid}): {exc}",
        ) from None
    raise exc
