"""Validate dashboard JSON against Grafana's dashboard model plus invariants the schema cannot state.

The schema (``schema/dashboard.schema.json``) is the official one from
grafana-foundation-sdk; see its ``$comment``. Validators are compiled once per
process: compiling one per file dominated validation time at 1,000 dashboards.

Two validators of the same schema: jsonschema-rs (Rust) answers "valid?" in tens of
microseconds; python-jsonschema, about 100x slower, runs only on a file the first
rejected, to explain why with the messages users know. Both check no ``format``
(python-jsonschema checks formats only when given a ``format_checker``; jsonschema-rs
is told ``validate_formats=False``), and ``tests/schema/test_model.py`` proves they agree.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

from ..dashboard_file import iter_panels
from .patches import LEGACY_BELOW, LEGACY_PATCHES, PATCHES, apply

# The vendored schemas sit beside this module (package data). Not importlib.resources: importing
# it (tempfile, shutil, zipfile) was a tenth of `azora-dash validate`'s start-up.
_HERE = Path(__file__).parent
MAX_UID_LEN = 40  # Grafana rejects longer uids (pkg/util/shortid_generator.go: MaxUIDLength)


@functools.lru_cache(maxsize=1)
def vendored_schema() -> dict:
    """The schema as vendored, before ``patches``."""
    return json.loads(_HERE.joinpath("dashboard.schema.json").read_text(encoding="utf-8"))


@functools.lru_cache(maxsize=2)
def _schema(legacy: bool = False) -> dict:
    return apply(vendored_schema(), PATCHES + LEGACY_PATCHES if legacy else PATCHES)


def is_legacy(dashboard: dict) -> bool:
    """Older than the schema models: Grafana migrates it on load (see ``patches.LEGACY_BELOW``)."""
    version = dashboard.get("schemaVersion")
    return isinstance(version, int) and not isinstance(version, bool) and version < LEGACY_BELOW


@functools.lru_cache(maxsize=2)
def _validator(legacy: bool = False):
    """python-jsonschema: slow, but its errors are the messages ``validate`` reports."""
    import jsonschema  # imported lazily: only an invalid file needs it

    schema = _schema(legacy)
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


@functools.lru_cache(maxsize=2)
def _fast_validator(legacy: bool = False):
    """jsonschema-rs: the verdict only."""
    import jsonschema_rs

    return jsonschema_rs.validator_for(_schema(legacy), validate_formats=False)


def schema_valid(dashboard) -> bool:
    """The fast verdict alone (``validate`` explains a False)."""
    return _fast_validator(isinstance(dashboard, dict) and is_legacy(dashboard)).is_valid(dashboard)


@functools.lru_cache(maxsize=1)
def _v2_validator():
    """foundation-sdk v0.0.18's ``jsonschema/dashboardv2.jsonschema.json``, vendored byte for byte;
    it has no root, so the dashboard spec is ``#/definitions/Dashboard``."""
    import jsonschema

    schema = json.loads(_HERE.joinpath("dashboardv2.jsonschema.json").read_text(encoding="utf-8"))
    schema = {**schema, "$ref": "#/definitions/Dashboard"}
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def validate_v2(resource) -> list[str]:
    """Problems with one v2 resource: its envelope, its spec against the v2 schema, the uid."""
    if not isinstance(resource, dict):
        return ["/: not a JSON object"]
    from jsonschema.exceptions import best_match

    errors = []
    if resource.get("kind") != "Dashboard":
        errors.append(f"/kind: {resource.get('kind')!r}, want 'Dashboard'")
    metadata = resource.get("metadata")
    uid = metadata.get("name") if isinstance(metadata, dict) else None
    if not uid:
        errors.append("/metadata/name: missing; it is the dashboard uid")
    elif len(uid) > MAX_UID_LEN:
        errors.append(f"/metadata/name: {uid!r} is {len(uid)} characters; Grafana allows at most {MAX_UID_LEN}")
    for err in sorted(_v2_validator().iter_errors(resource.get("spec")), key=lambda e: list(map(str, e.absolute_path))):
        if err.context:
            err = best_match(err.context)
        errors.append(f"/spec{_pointer(err.absolute_path)}: {err.message}")
    return errors


_PANEL_OR_ROW = [{"$ref": "#/definitions/Panel"}, {"$ref": "#/definitions/RowPanel"}]


def _panel_branch(err) -> list | None:
    """A panel fails ``oneOf [Panel, RowPanel]`` as a whole: the errors of the kind it says it is
    (all of them, so a panel with three problems shows three), or None when it says no kind."""
    instance = err.instance
    if isinstance(instance, dict) and isinstance(instance.get("type"), str):
        branch = 1 if instance["type"] == "row" else 0
        chosen = [e for e in err.context if e.relative_schema_path and e.relative_schema_path[0] == branch]
        if chosen:
            return chosen
    return None


def _explained(err) -> list:
    """The errors that say why: a panel's every problem; for other alternatives the best match."""
    from jsonschema.exceptions import best_match

    if not err.context:
        return [err]
    if err.validator_value == _PANEL_OR_ROW and not isinstance(err.instance, dict):
        err.message = f"{err.instance!r} is not a panel object"  # not "should not be valid under {...}"
        return [err]
    chosen = _panel_branch(err)
    if chosen is None:
        return _explained(best_match(err.context))
    return [leaf for e in chosen for leaf in _explained(e)]


def _pointer(path) -> str:
    return "/" + "/".join(str(p) for p in path) if path else "/"


def invariant_errors(dashboard: dict) -> list[str]:
    """What the schema cannot state and Grafana refuses: a uid longer than it stores."""
    uid = dashboard.get("uid")
    if uid and len(uid) > MAX_UID_LEN:
        return [f"/uid: {uid!r} is {len(uid)} characters; Grafana allows at most {MAX_UID_LEN}"]
    return []


def invariant_warnings(dashboard: dict) -> list[str]:
    """What Grafana accepts and repairs on import, but not stably, so a file should not rely on it.

    A missing uid gets a random one on every import (pkg/services/dashboards/database: saveDashboard,
    ``if dash.UID == "" { ... generateNewDashboardUid }``), breaking links and re-imports. Missing or
    duplicate panel ids are renumbered on load (DashboardModel.ts constructor: ensurePanelsHaveUniqueIds;
    Grafana 12's backend migration does the same), so ``viewPanel=`` links may land elsewhere.
    """
    warnings = []
    if not dashboard.get("uid"):
        warnings.append("/uid: missing; Grafana assigns a random uid on import, so set a stable one")
    seen: dict[int, str] = {}
    for pointer, panel, _ in iter_panels(dashboard):
        pid = panel.get("id")
        if pid is None:
            if "libraryPanel" not in panel:
                warnings.append(f"{pointer}/id: panel {panel.get('title', '')!r} has no id; Grafana assigns one")
        elif pid in seen:
            warnings.append(f"{pointer}/id: panel id {pid} is also used at {seen[pid]}; Grafana renumbers one")
        else:
            seen[pid] = pointer
    return warnings


def validate(dashboard) -> list[str]:
    """All problems with one dashboard, as ``/json/pointer: message`` strings (empty when valid)."""
    if not isinstance(dashboard, dict):
        return ["/: not a JSON object; a dashboard file holds one dashboard object"]
    if schema_valid(dashboard):
        return invariant_errors(dashboard)
    found = [leaf for err in _validator(is_legacy(dashboard)).iter_errors(dashboard) for leaf in _explained(err)]
    found.sort(key=lambda e: list(map(str, e.absolute_path)))
    return [f"{_pointer(e.absolute_path)}: {e.message}" for e in found] + invariant_errors(dashboard)
