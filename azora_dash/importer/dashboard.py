"""A whole dashboard -> module body: variables, annotations, links, panels, dashboard fields."""

from __future__ import annotations

import re

from ..dashboard_file import REGENERATED, DashboardFile, datasource_ref, load
from ..errors import InputError
from .panel_code import Context, panel
from .residual import patch, paths, same
from .source import Call, Code

# Dashboard fields G.Dashboard takes as arguments (with the JSON type each must have).
FIELDS = {
    "title": str,
    "uid": str,
    "description": str,
    "tags": list,
    "timezone": str,
    "refresh": str,
    "graphTooltip": int,
    "editable": bool,
}
# Our variable builders, tried in turn against every imported variable.
# (builder, extra arguments after cfg) tried in order for each variable.
VARIABLE_BUILDERS = (("datasource", ()), ("job", ()), ("job", ("cfg.infra_job_regex",)), ("instance", ()))


def check_dashboard(data, name: str) -> dict:
    """The dashboard inside ``data`` (a dashboard, or Grafana's ``{"dashboard", "meta"}`` answer)."""
    if not isinstance(data, DashboardFile):
        data = load(data, name)
    data = data.dashboard
    if (
        not isinstance(data, dict)
        or not isinstance(data.get("title"), str)
        or "panels" not in data
        and "rows" not in data
    ):
        raise InputError(f'{name}: not a Grafana dashboard (expected a JSON object with "title" and "panels")')
    if data.get("rows"):
        raise InputError(
            f'{name}: uses the pre-Grafana-5 "rows" layout; open and save it in a current Grafana first, then import'
        )
    problem = _shape(data)
    if problem:
        raise InputError(f"{name}: {problem}")
    return data


def resolve_datasources(data: dict) -> dict:
    """Legacy string datasources of panels and targets as the refs Grafana's schema-33 step makes of them.

    ``$var`` becomes ``{"type": <the variable's plugin>, "uid": "$var"}`` and the built-ins their refs
    (``dashboard_file.datasource_ref``); a datasource name stays as the file says it. Grafana would do
    the same on load, so nothing changes for Grafana, and every command reading the module sees the type.
    """

    def panel(item):
        if not isinstance(item, dict):
            return item
        out = {**item, "datasource": datasource_ref(item["datasource"], data)} if "datasource" in item else dict(item)
        if isinstance(item.get("targets"), list):
            out["targets"] = [
                {**t, "datasource": datasource_ref(t["datasource"], data)}
                if isinstance(t, dict) and "datasource" in t
                else t
                for t in item["targets"]
            ]
        if isinstance(item.get("panels"), list):
            out["panels"] = [panel(p) for p in item["panels"]]
        return out

    return {**data, "panels": [panel(p) for p in data["panels"]]} if isinstance(data.get("panels"), list) else data


def _objects(value, where: str) -> str | None:
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        return f"{where} must be a list of objects"
    return None


def _shape(data: dict) -> str | None:
    """The first structural problem normalisation could not cope with, as a message naming its place."""
    for key in ("templating", "annotations"):
        if key in data and not (isinstance(data[key], dict) and not _objects(data[key].get("list", []), "")):
            return f'"{key}" must be an object whose "list" is a list of objects'
    return _panels_shape(data.get("panels", []), "panels")


def _panels_shape(panels, where: str) -> str | None:
    if _objects(panels, where):
        return f'"{where}" must be a list of panel objects'
    for i, item in enumerate(panels):
        here = f"{where}[{i}]"
        if "fieldConfig" in item and not isinstance(item["fieldConfig"], dict):
            return f'"{here}.fieldConfig" must be an object'
        if "targets" in item and _objects(item["targets"], ""):
            return f'"{here}.targets" must be a list of objects'
        problem = _panels_shape(item["panels"], f"{here}.panels") if "panels" in item else None
        if problem:
            return problem
    return None


def slug(text: str) -> str:
    """``"Node Exporter Full"`` -> ``node_exporter_full`` (a module file name)."""
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_") or "dashboard"


def variables(ctx: Context, wanted: list[dict]) -> list:
    out, kept = [], []
    for var in wanted:
        for name, args in VARIABLE_BUILDERS:
            code = Call(f"V.{name}", Code("cfg"), *map(Code, args))
            if same(ctx.normal_variable(ctx.eval(code)), var):
                out.append(code)
                break
        else:
            out.append(var)
            kept.append(str(var.get("name", "?")))
    if kept:
        ctx.notes.append(f"variables kept as JSON: {', '.join(kept)}")
    return out


def _fields(wanted: dict) -> dict:
    kwargs = {k: wanted[k] for k, kind in FIELDS.items() if type(wanted.get(k)) is kind}
    time = wanted.get("time")
    if isinstance(time, dict) and set(time) == {"from", "to"} and all(isinstance(v, str) for v in time.values()):
        kwargs["time"] = Call("G.Time", time["from"], time["to"])
    return kwargs


def _outside_lists(data: dict) -> dict:
    """The dashboard without what is rebuilt item by item (panels, variables, annotations)."""
    out = {k: v for k, v in data.items() if k != "panels"}
    for key in ("templating", "annotations"):
        if isinstance(out.get(key), dict):
            out[key] = {k: v for k, v in out[key].items() if k != "list"}
    return out


def dashboard(ctx: Context, wanted: dict):
    """Expression for the whole dashboard: ``G.Dashboard(...)``, wrapped in ``P.Extended`` if needed."""
    variables_code = variables(ctx, wanted["templating"]["list"])
    panel_codes = [panel(ctx, p) for p in wanted.get("panels", [])]
    code = house(ctx, wanted, variables_code, panel_codes)
    if code is not None:
        ctx.form = "house"
        return code
    kwargs = _fields(wanted)
    kwargs["templating"] = Call("G.Templating", list=variables_code)
    kwargs["annotations"] = Call("G.Annotations", list=wanted["annotations"]["list"])
    if "links" in wanted:
        kwargs["links"] = wanted["links"]
    kwargs["panels"] = panel_codes
    code = Call("G.Dashboard", **kwargs)
    built = ctx.normal_dashboard(ctx.eval(code))
    diff = patch(_outside_lists(built), _outside_lists(wanted))
    if diff:
        ctx.notes.append(f"dashboard: extra JSON {', '.join(paths(diff))}")
        code = Call("P.Extended", code, diff)
    return code


def house(ctx: Context, wanted: dict, variables_code: list, panel_codes: list):
    """``P.dashboard(cfg, ...)`` with flowing sections, if that rebuilds ``wanted`` exactly, else None.

    This is how our own dashboards come back: no fixed positions, no extra JSON.
    """
    cfg, tags = ctx.cfg, wanted.get("tags", [])
    uid = wanted.get("uid", "")
    if (
        not isinstance(uid, str)
        or not isinstance(tags, list)
        or not uid.startswith(cfg.uid_prefix)
        or len(tags) != len(cfg.tags) + 2
        or tags[-1] != cfg.managed_tag
    ):
        return None
    sections: list = []
    for source, code in zip(wanted.get("panels", []), panel_codes):
        inner = code.args[2] if isinstance(code, Call) and code.func == "P.at" else None
        if inner is None:
            return None
        if inner.func == "P.row" and not inner.kwargs:
            sections.append((source.get("title", ""), []))
        elif inner.func != "P.row":
            if not sections:
                sections.append((None, []))
            sections[-1][1].append(inner)
    if variables_code == [Call(f"V.{n}", Code("cfg")) for n in ("datasource", "job", "instance")]:
        variables_code = Code("V.service_variables(cfg)")
    code = Call(
        "P.dashboard",
        Code("cfg"),
        uid[len(cfg.uid_prefix) :],
        wanted["title"],
        wanted.get("description", ""),
        tags[-2],
        variables=variables_code,
        sections=sections,
    )
    try:
        built = ctx.normal_dashboard(ctx.eval(code))
    except Exception:  # noqa: BLE001 - e.g. a panel too wide for place(): not house-shaped
        return None
    built = {k: v for k, v in built.items() if k not in REGENERATED}
    return code if same(built, wanted) else None
