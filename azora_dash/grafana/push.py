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

On Grafana 12+ the same decisions run over the resource API (``resources.py``): the
message is an annotation on the object, one LIST replaces the per-dashboard GETs and
version reads, and ``resourceVersion`` makes each write an atomic compare-and-swap.
The two paths (``legacy.LegacyPath``, ``resources.ResourcePath``) offer the same few
methods; everything deciding what to do lives here.

Schema v2 (``schema="v2"``, Grafana 12.2+): the same decisions, with each dashboard written as
a v2 resource. What is compared and hashed is the classic model *as v2 carries it*
(``from_v2(to_v2(d))``, the identity for a built dashboard), so a v2 read-back proves our mark.
``"auto"`` keeps each live dashboard in the schema Grafana stores it in and creates new ones
as v1; the stored schema is part of "unchanged", so ``v1``/``v2`` convert what is stored.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field

from ..dashboard_v2 import spec_v2
from ..errors import AzoraDashError, ConfigError
from ..jsonio import canonical_numbers
from .client import GrafanaAPIError, GrafanaClient
from .legacy import LegacyPath, Live
from .pull import normalise, pmap, same
from .resources import FORMS, V2, V2_FORMS, ResourceAPI, ResourcePath

CREATE, UPDATE, UNCHANGED, CONFLICT, DELETE = "create", "update", "unchanged", "conflict", "delete"
SCHEMAS = ("auto", "v1", "v2")
PROVISIONED = "provisioned"
WRITES = (CREATE, UPDATE, DELETE)
_MARK = re.compile(r"azora-dash push \S+ content=sha256:([0-9a-f]{16,64})")
PROVISIONED_REASON = (
    "provisioned from files on this Grafana: push is not needed there, or remove it from file provisioning"
)


def content_hash(dashboard: dict) -> str:
    """sha256 of the compact canonical JSON (sorted keys, whole floats as ints) of the normalised dashboard.

    Whole-number floats are written as integers because Grafana 12+ returns them so
    (jsonio.canonical_numbers): the hash of what we pushed equals the hash of what comes back.
    """
    return _sha(canonical_numbers(normalise(dashboard)))


def _sha(data) -> str:
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def commit_message(dashboard: dict, commit: str | None) -> str:
    return f"azora-dash push {commit or 'uncommitted'} content=sha256:{content_hash(dashboard)}"


FORCE_HINT = "; use --force to overwrite"


def proves(message: str, live: dict) -> bool:
    """Whether ``message`` is our mark for exactly ``live``'s content.

    Marks written before numbers were canonical hashed ``1.0`` as is; a 10.x/11.x Grafana
    still returns that form, so the old hash is accepted too.
    """
    match = _MARK.search(message or "")
    if not match:
        return False
    mark = match.group(1)
    return mark in (content_hash(live)[: len(mark)], _sha(normalise(live))[: len(mark)])


@dataclass
class Item:
    uid: str
    title: str
    action: str
    url: str
    reason: str = ""
    live_version: object = None  # /api: version number; resource API: resourceVersion
    local: dict | None = field(default=None, repr=False)
    # Set when the push was forced over a conflict: overwrite whatever is live.
    overwrite: bool = False
    outcome: str = ""  # after apply: done | conflict | failed | skipped | provisioned
    schema: str = "v1"  # the schema this item is written in


@dataclass
class Plan:
    folder: str
    folder_uid: str
    create_folder: bool
    items: list[Item]
    path: object = field(default=None, repr=False)  # LegacyPath | ResourcePath
    grafana_version: str = ""
    parent_uid: str = ""  # where a folder to create is nested

    def of(self, action: str) -> list[Item]:
        return [i for i in self.items if i.action == action]

    @property
    def writes(self) -> list[Item]:
        return [i for i in self.items if i.action in WRITES]

    @property
    def api(self) -> str:
        return getattr(self.path, "name", "")


def open_path(client: GrafanaClient, schema: str = "auto"):
    """(Grafana version, the API path to use): the resource API where Grafana has it, else /api."""
    version = client.health()
    resources, v2 = ResourceAPI.discover_each(client, FORMS, V2_FORMS)
    path = ResourcePath(resources, v2, list_v2=schema == "v2") if resources else LegacyPath(client)
    if schema not in path.schemas and schema != "auto":
        raise ConfigError(
            f"{client.shown} (Grafana {version}) offers no dashboard.grafana.app v2/v2beta1 API in /apis, "
            "so it cannot store schema v2 (Grafana 12.2+ with dynamic dashboards can); push --schema v1"
        )
    return version, path


def plan_push(
    client: GrafanaClient,
    local: dict[str, dict],
    folder: str,
    folder_uid: str,
    managed_tag: str,
    prune: bool = False,
    concurrency: int = 4,
    progress: Callable[[int], None] | None = None,
    schema: str = "auto",
    sections: dict[str, dict] | None = None,
    parent_folder_uid: str = "",
) -> Plan:
    """Read-only: compare every local dashboard (and, with ``prune``, the folder) with what is live.

    ``schema``: "v1" or "v2" writes every dashboard in that schema; "auto" keeps the stored one.
    ``sections``: by uid, the build's v2-only layout marks (``Compiled.sections``) for v2 writes.
    ``parent_folder_uid``: a folder that does not exist yet is created inside this one.
    """
    for uid, dash in local.items():
        if managed_tag not in dash.get("tags", []):
            raise AzoraDashError(
                f"dashboard {uid}: has no {managed_tag!r} tag, so it was not built by azora-dash; run `azora-dash build` and push what it wrote"
            )
    version, path = open_path(client, schema)
    folder_exists = client.get_folder(folder_uid) is not None
    path.prepare()

    def one(uid: str) -> Item:
        marks = (sections or {}).get(uid)
        item = _classify(client, path, uid, local[uid], folder_uid, managed_tag, schema, marks)
        if progress:
            progress(1)
        return item

    items = pmap(one, sorted(local), concurrency)
    if prune and folder_exists:
        stale = path.in_folder(folder_uid, managed_tag, set(local))
        items += pmap(lambda hit: _classify_prune(client, path, *hit), stale, concurrency)
    return Plan(folder, folder_uid, not folder_exists, items, path, version, parent_folder_uid)


def as_v2(dashboard: dict, sections: dict | None = None) -> dict:
    """What a v2 write of ``dashboard`` stores and a v2 read returns: the classic model of its v2
    form, with the v2-only marks (tabs, conditions) on it (``resources.V2_SECTIONS``)."""
    return V2.from_spec(dashboard.get("uid") or "", spec_v2(dashboard, sections))


def _classify(
    client: GrafanaClient,
    path,
    uid: str,
    dash: dict,
    folder_uid: str,
    managed_tag: str,
    schema: str = "auto",
    sections: dict | None = None,
) -> Item:
    live = path.live(uid)
    wanted = (live.schema if live else "v1") if schema == "auto" else schema
    local = as_v2(dash, sections) if wanted == "v2" else dash
    item = Item(uid, dash.get("title", uid), CREATE, client.dashboard_url(uid), local=local, schema=wanted)
    if live is None:
        return item
    item.live_version, item.action = live.lock, UPDATE
    if live.dashboard is None:
        item.action, item.reason = CONFLICT, f"{live.note}; azora-dash cannot compare it{FORCE_HINT}"
    elif wanted not in path.schemas:
        item.action, item.reason = CONFLICT, f"is stored as {live.schema} but {path.name} cannot write {wanted}"
    elif same(live.dashboard, local) and live.folder == folder_uid and live.schema == wanted:
        item.action = UNCHANGED
    elif live.provisioned:
        item.action, item.reason = PROVISIONED, PROVISIONED_REASON
    elif managed_tag not in (live.dashboard.get("tags") or []):
        item.action = CONFLICT
        item.reason = f"exists in Grafana but is not managed by azora-dash (no {managed_tag!r} tag)"
    else:
        item.action, item.reason = _edited_since_push(live)
        if item.action == UPDATE and live.schema != wanted and not item.reason:
            item.reason = f"stored as {live.schema} in Grafana; rewritten as {wanted} (--schema {schema})"
    return item


def _classify_prune(client: GrafanaClient, path, uid: str, title: str) -> Item:
    item = Item(uid, title, DELETE, client.dashboard_url(uid), reason="no longer defined in code")
    live = path.live(uid)
    if live is None:  # deleted meanwhile: nothing to do
        item.action, item.reason = UNCHANGED, "already gone"
        return item
    item.live_version = live.lock
    action, why = _edited_since_push(live) if live.dashboard is not None else (CONFLICT, live.note)
    if action == CONFLICT:
        item.action, item.reason = CONFLICT, f"would be pruned, but {why}"
    return item


def _edited_since_push(live: Live) -> tuple[str, str]:
    """(UPDATE, note) when the live dashboard is what azora-dash last saved, else (CONFLICT, why)."""
    try:
        message, who = live.message_of()
    except GrafanaAPIError as exc:
        if exc.status == 403:
            # A read-only token: plan anyway, saying what was not checked (never abort).
            return UPDATE, "not checked for edits in Grafana: reading version history needs dashboards:write"
        return CONFLICT, (
            f"unknown history (version {live.lock} unreadable: HTTP {exc.status}); check it in Grafana{FORCE_HINT}"
        )
    if proves(message, live.dashboard):
        return UPDATE, ""
    return CONFLICT, (
        f"was changed in Grafana since azora-dash pushed it (version {live.lock} saved by {who}){FORCE_HINT}"
    )


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
        item.outcome = {UNCHANGED: "done", CONFLICT: "conflict", PROVISIONED: PROVISIONED}.get(item.action, "skipped")
    if conflicts and not force:
        return Outcome(plan, refused=True)
    for item in conflicts:  # forced: overwrite, or delete what prune would have deleted
        item.action, item.overwrite, item.outcome = (UPDATE if item.local is not None else DELETE), True, "skipped"
        item.reason = item.reason.removesuffix(FORCE_HINT) + "; overwritten (--force)"  # the advice was taken
        if item.live_version is None and item.local is not None:
            item.action = CREATE
    if plan.create_folder:
        create_folder(client, plan.folder_uid, plan.folder, plan.parent_uid)
    outcome = Outcome(plan)
    # Deletes first: on 10.x-11.2 a dashboard whose uid changed in code keeps its title, and
    # Grafana refuses the new one (412 name-exists) while the old one is still in the folder.
    for batch in (plan.of(DELETE), [i for i in plan.writes if i.action != DELETE]):
        if outcome.error is None:
            _run_batch(plan, batch, commit, concurrency, progress, outcome)
    return outcome


def validate_plan(plan: Plan, commit: str | None = None) -> int:
    """--dry-run on the resource API: let Grafana validate each create/update (``dryRun=All``).

    Returns how many Grafana would refuse; their reasons go on the items. /api has no dry run.
    """
    if not plan.path.validates or plan.create_folder:
        return 0  # a dry-run create into a folder that does not exist yet would fail for that alone
    refused = 0
    for item in plan.writes:
        if item.action == DELETE:
            continue
        try:
            plan.path.save(item, plan.folder_uid, commit_message(item.local, commit), dry_run=True)
        except GrafanaAPIError as exc:
            if exc.status in (401, 403):
                item.reason = f"not validated by Grafana: {exc}"
                continue
            refused += 1
            item.action, item.reason = CONFLICT, f"Grafana would refuse this write: {exc}"
    return refused


def _run_batch(
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
        futures = {pool.submit(_guarded, stop, plan, item, commit): item for item in items}
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


def create_folder(client: GrafanaClient, uid: str, title: str, parent_uid: str = "") -> None:
    try:
        client.create_folder(uid, title, parent_uid)
    except GrafanaAPIError as exc:
        if exc.status == 403:
            raise GrafanaAPIError(
                403, f"token lacks permission to create folder {title!r} (uid {uid}): {exc}"
            ) from None
        if exc.status == 404 and parent_uid:
            raise GrafanaAPIError(
                404, f"cannot create folder {title!r} in parent folder {parent_uid!r}: it does not exist ({exc})"
            ) from None
        # Both mean "exists" (a retried POST that had landed, or a racing push): 409 on 11.x
        # (ErrFolderWithSameUIDExists), 412 version-mismatch on 10.x and on 12+ when the k8s store
        # answers AlreadyExists (pkg/api/apierrors/folder.go ToFolderErrorResponse). Read it.
        if exc.status not in (409, 412) or client.get_folder(uid) is None:
            raise


def _guarded(stop: threading.Event, plan: Plan, item: Item, commit: str | None) -> str:
    if stop.is_set():
        return "skipped"
    try:
        return _write(plan, item, commit)
    except BaseException:
        stop.set()
        raise


def _write(plan: Plan, item: Item, commit: str | None) -> str:
    try:
        if item.action == DELETE:
            plan.path.delete(item.uid)
        else:
            plan.path.save(item, plan.folder_uid, commit_message(item.local, commit))
        return "done"
    except GrafanaAPIError as exc:
        return _write_failed(plan, item, exc)


def _write_failed(plan: Plan, item: Item, exc: GrafanaAPIError) -> str:
    # /api: 412 version-mismatch; resource API: 409 Conflict on a stale resourceVersion (or
    # AlreadyExists on create). A retried write whose first attempt had landed looks exactly
    # like a human saving between plan and apply; only the live content tells them apart.
    if exc.grafana_status == "version-mismatch" or (exc.status == 409 and item.action != DELETE):
        current = plan.path.current(item.uid)
        if current is not None and same(current, item.local):
            return "done"
        item.reason = "was changed in Grafana while pushing (concurrent edit); rerun to see the conflict"
        return "conflict"
    if exc.status == 400 and "provisioned" in str(exc).lower():
        item.reason = PROVISIONED_REASON  # not retried: no retry can save a provisioned dashboard
        return PROVISIONED
    if exc.grafana_status == "name-exists":  # 10.x-11.2 only: unique titles went away in 11.3 (PR #90687)
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
