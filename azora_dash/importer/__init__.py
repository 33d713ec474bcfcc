"""``azora-dash import``: turn a Grafana dashboard's JSON into a dashboard module that round-trips.

``import_dashboard(data, cfg)`` returns the module's source. The module builds,
through the normal ``compile``/``normalize`` path, a dashboard whose canonical
JSON equals the source's after the same normalisation (ids and versions
aside). The importer checks that itself before returning, so a module it
writes never silently differs from what was imported.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from ..build.compile import take_marks
from ..build.normalize import normalize
from ..config import Config
from ..dashboard_file import REGENERATED
from ..errors import AzoraDashError, InputError
from ..jsonio import dumps, write_tree
from ..uids import check_uid, derived_uid
from . import source as S
from .catalog import catalogue
from .dashboard import check_dashboard, dashboard, resolve_datasources, slug
from .inputs import fill_inputs
from .panel_code import Context
from .residual import dropped
from .v2 import notes as v2_notes
from .v2 import v2_source, with_sections

__all__ = [
    "ImportFailed",
    "check_dashboard",
    "check_size",
    "default_out",
    "ImportResult",
    "import_dashboard",
    "import_to_file",
    "normalised",
    "panel_report",
    "slug",
]


# The largest real dashboards are under 1 MB (Node Exporter Full, 125 panels: 0.5 MB). An import holds
# the dashboard several times over (the source, each candidate, the module's text, its rebuild), about
# 50 bytes of memory per input byte, and writes a module nobody would read; past this size it refuses.
MAX_IMPORT_BYTES = 5 * 1024 * 1024


def check_size(path: Path) -> None:
    """One ``InputError`` line if ``path`` is too large to import, before anything reads it."""
    try:
        size = path.stat().st_size
    except OSError:
        return  # reading it will say what is wrong
    if size > MAX_IMPORT_BYTES:
        raise InputError(
            f"{path}: {size / 1e6:.1f} MB is over import's limit of {MAX_IMPORT_BYTES // 2**20} MB (real dashboards "
            "are under 1 MB; a module this large is no code anyone reads); keep it as JSON or split it"
        )


class ImportFailed(AzoraDashError):
    """The generated module would not rebuild the dashboard exactly (an importer bug; please report it)."""


def normalised(data: dict, cfg: Config) -> dict:
    """The form imports are compared in: normalised, without the fields in ``REGENERATED``."""
    out = normalize(data, cfg)
    for key in REGENERATED:
        out.pop(key, None)
    return out


def _notes(ctx: Context, data: dict, filled: list[str]) -> list[str]:
    notes = ["Queries use Q helpers where one yields exactly the imported expression, literal PromQL otherwise."]
    if ctx.form != "house":
        notes.append("Panels keep their imported grid positions (P.at): a hand-drawn layout is kept, not reflowed.")
    if filled:
        notes += ["", "Placeholders filled in as Grafana's import dialog would:"] + [f"- {n}" for n in filled]
    if ctx.notes:
        notes += ["", "Carried over as JSON because no builder expresses it:"]
        notes += [f"- {n}" for n in ctx.notes]
    # One entry per field whatever the panel/target: "panels[*].targets[*].step".
    gone = sorted({re.sub(r"\[\d+\]", "[*]", p) for p in dropped(data, normalize(data, ctx.cfg))} - set(REGENERATED))
    if gone:
        notes += [
            "",
            f"Not carried (only Grafana's import dialog reads them, never provisioning): {', '.join(gone)}",
        ]
    return notes


def import_dashboard(data, cfg: Config, name: str = "dashboard", datasources: dict[str, str] | None = None) -> str:
    """Python source of a dashboard module rebuilding ``data``; ``name`` labels errors and the docstring.

    ``datasources`` maps ``__inputs`` placeholders (``DS_PROMETHEUS``) to a datasource uid or ``$variable``.
    """
    return _import(data, cfg, name, datasources or {})[0]


def panel_report(outcomes: list[str | None]) -> dict:
    """``{"builder_calls": n, "json": m, "json_reasons": {reason: count, ...}}``, commonest reason first."""
    reasons = Counter(o for o in outcomes if o is not None)
    return {
        "builder_calls": outcomes.count(None),
        "json": sum(reasons.values()),
        "json_reasons": dict(sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0]))),
    }


def _import(data, cfg: Config, name: str, datasources: dict[str, str]) -> tuple[str, dict, int, dict]:
    """(module source, the dashboard it builds, how many items were carried as JSON, ``panel_report``)."""
    v2 = v2_source(data, name)  # a v2 resource: (it, its tabs and conditions), which classic JSON cannot hold
    sections = v2[1] if v2 else {}
    data, filled = fill_inputs(check_dashboard(data, name), datasources, name)
    data = resolve_datasources(data)
    try:
        wanted = normalised(data, cfg)
    except Exception as exc:  # noqa: BLE001 - normalize assumes Grafana's shapes; name the file instead
        raise InputError(f"{name}: not a dashboard Grafana would load ({type(exc).__name__}: {exc})") from None
    ctx = Context(cfg, catalogue(cfg))
    if not wanted.get("uid"):
        wanted["uid"] = derived_uid(cfg.uid(slug(wanted["title"]).replace("_", "-")))
        ctx.notes.append(f"dashboard had no uid; given {wanted['uid']!r} (a stable uid is what Grafana keys it on)")
    check_uid(wanted["uid"], name)  # it becomes provisioning/.../<uid>.json at the next build
    try:
        body = with_sections(dashboard(ctx, wanted), wanted, sections)
    except Exception as exc:  # noqa: BLE001 - a shape we did not foresee: one line, not a traceback
        raise ImportFailed(
            f"{name}: cannot import ({type(exc).__name__}: {exc}); please report this with the file"
        ) from None
    rendered = S.render(body, 1)
    imports = ["import grafanalib.core as G"] if "G." in rendered else []
    used = [f"{m} as {a}" for m, a in (("panels", "P"), ("queries", "Q"), ("variables", "V")) if f"{a}." in rendered]
    if used:
        imports.append(f"from azora_dash import {', '.join(used)}")
    doc = f"{wanted['title']}: imported from {name} by `azora-dash import`."
    notes = _notes(ctx, data, filled) + (v2_notes(v2[0], wanted, sections, cfg) if v2 else [])
    text = S.black(S.module(doc, notes, imports, body))
    return text, _verify(text, wanted, cfg, name, sections), len(ctx.notes), panel_report(ctx.outcomes)


def _verify(text: str, wanted: dict, cfg: Config, name: str, sections: dict) -> dict:
    """The module rebuilds ``wanted`` and, for a v2 import, the same tabs and conditions (``sections``)."""
    namespace: dict = {}
    try:
        exec(compile(text, f"<import of {name}>", "exec"), namespace)  # noqa: S102 - the module we just wrote
        built = normalize(namespace["build"](cfg), cfg)
    except Exception as exc:  # noqa: BLE001
        raise ImportFailed(
            f"{name}: the generated module fails ({type(exc).__name__}: {exc}); please report this with the file"
        ) from None
    if take_marks(built)[1] != sections or dumps(normalised(built, cfg)) != dumps(wanted):
        raise ImportFailed(
            f"{name}: the generated module does not rebuild the dashboard exactly; please report this with the file"
        )
    return built


def default_out(data: dict, directory: Path = Path("dashboards")) -> Path:
    """``dashboards/<slug>.py``, the slug from the dashboard's title."""
    return directory / f"{slug(data.get('title', ''))}.py"


def module_path(data: dict, out: Path | None) -> Path:
    """Where the module goes: ``--out`` is a folder, as for every other command, unless it names a ``.py`` file."""
    if out is None:
        return default_out(data)
    return out if out.suffix == ".py" else default_out(data, out)


@dataclass(frozen=True)
class ImportResult:
    out: Path
    source: str
    carried: int  # items listed under "Carried over as JSON"
    panels: dict  # panel_report: how many panels became builder calls, how many JSON and why
    schema_problems: list[str]  # what `azora-dash validate` will say about the rebuilt dashboard


def import_to_file(
    data, name: str, out: Path | None, cfg: Config, force: bool = False, datasources: dict[str, str] | None = None
) -> ImportResult:
    """Import ``data`` and write the module atomically; refuses to replace ``out`` unless ``force``."""
    from ..schema.model import validate  # jsonschema is only needed here, not on every import of the package

    out = module_path(check_dashboard(data, name), out)
    if out.exists() and not force:
        raise InputError(f"{out}: already exists; choose another --out or pass --force to replace it")
    text, built, carried, panels = _import(data, cfg, name, datasources or {})  # as read: v2 keeps its tabs
    write_tree(out.parent, {out.name: text})
    # A faithful import keeps what the source had, including fields today's schema
    # rejects; say so now rather than at the next `make dashboards`.
    problems = validate(built)
    return ImportResult(out, text, carried, panels, problems)
