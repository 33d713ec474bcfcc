"""Import of a schema v2 resource: the module's ``build --schema v2`` writes the resource again.

The importer works on the classic model (``dashboard_file.load`` reads v2 through
``dashboard_v2.from_v2``), which has no tabs and no conditions. What only v2 says is read
separately (``dashboard_v2.sections_v2``: row id -> tab, ``conditionalRendering``) and written
into the module as the builders say it: ``P.tabs``/``P.section(..., when=...)`` for flowing
sections, ``P.row(..., tab=True, when=...)`` for rows placed with ``P.at``. ``verify`` then
(``importer._verify``) checks both halves: the classic dashboard as for any import, and the marks.
"""

from __future__ import annotations

from ..config import Config
from ..dashboard_file import DashboardFile, load
from ..dashboard_v2 import sections_v2, to_v2
from ..errors import AzoraDashError
from ..layout import V2_KEY
from .residual import dropped
from .source import Call

# A v2 resource's metadata beyond its name and folder is the server's (uid, resourceVersion,
# generation, timestamps, managedFields, labels): a build never writes it, push gets it back.
REGENERATED_METADATA = "metadata (all but name and the grafana.app/folder annotation)"


def v2_source(data, name: str) -> tuple[dict, dict[int, dict]] | None:
    """(the resource, its v2-only layout by row id) if ``data`` is a v2 resource, else None."""
    file = data if isinstance(data, DashboardFile) else load(data, name)
    return (file.raw, sections_v2(file.raw, name)) if file.form == "v2" else None


def _when_code(group: dict):
    """``[P.when(...), ...]`` for a show/and group of variable conditions, else the group as JSON."""
    spec = group.get("spec") or {}
    items = spec.get("items") or []
    plain = (spec.get("visibility"), spec.get("condition")) == ("show", "and") and items
    if not plain or any(i.get("kind") != "ConditionalRenderingVariable" for i in items):
        return group
    calls = []
    for item in items:
        s = item["spec"]
        op = {"op": s["operator"]} if s["operator"] != "equals" else {}
        calls.append(Call("P.when", s["variable"], s["value"], **op))
    return calls


def _row_kwargs(mark: dict) -> dict:
    return {
        **({"tab": True} if mark.get("tab") else {}),
        **({"when": _when_code(mark["when"])} if "when" in mark else {}),
    }


def _mark_row(code, mark: dict):
    """The row's code (``P.at(x, y, P.row(...))``, maybe in ``P.extra``, or carried JSON) with ``mark``."""
    inner = code.args[2] if isinstance(code, Call) and code.func == "P.at" else code
    row = inner.args[0] if isinstance(inner, Call) and inner.func == "P.extra" else inner
    if isinstance(row, Call) and row.func == "P.row":
        row.kwargs.update(_row_kwargs(mark))
    elif isinstance(row, Call) and row.func == "P.carried":
        row.args[0] = {**row.args[0], V2_KEY: mark}
    else:
        raise AzoraDashError(f"row code {row!r} takes no v2 layout")


def _mark_sections(sections: list, marks: list[dict]):
    """House form: ``(title, panels)`` sections -> ``P.section``/``P.tabs`` where v2 says more."""
    out, titled = [], iter(marks)
    for title, panels in sections:
        mark = next(titled) if title is not None else {}
        when = {"when": _when_code(mark["when"])} if "when" in mark else {}
        out.append(Call("P.section", title, panels, **when) if when else (title, panels))
    if marks and all(m.get("tab") for m in marks):
        return Call("P.tabs", *out)
    return out


def with_sections(body, wanted: dict, sections: dict[int, dict]):
    """``body`` (the module's dashboard expression) saying the tabs and conditions in ``sections``."""
    rows = [p.get("id") for p in wanted.get("panels", []) if p.get("type") == "row"]
    if not sections:
        return body
    dash = body.args[0] if body.func == "P.Extended" else body
    if dash.func == "P.dashboard":
        dash.kwargs["sections"] = _mark_sections(dash.kwargs["sections"], [sections.get(i, {}) for i in rows])
        return body
    for source, code in zip(wanted.get("panels", []), dash.kwargs["panels"]):
        if source.get("type") == "row" and source.get("id") in sections:
            _mark_row(code, sections[source["id"]])
    return body


def notes(resource: dict, wanted: dict, sections: dict, cfg: Config) -> list[str]:
    """What the module's v2 build does not write of ``resource``: listed, never silent."""
    gone = sorted(dropped(resource.get("spec") or {}, to_v2(wanted, cfg.folder_uid, sections)["spec"]))
    out = ["", f"A v2 resource: its v2 build writes it again; regenerated: {REGENERATED_METADATA}."]
    if gone:
        out.append(f"Not carried from the v2 spec: {', '.join(gone)}")
    return out
