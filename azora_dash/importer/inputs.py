"""grafana.com export placeholders (``__inputs``, ``${DS_PROMETHEUS}``) filled in before an import.

Grafana fills them only in its import dialog: ``DashTemplateEvaluator.Eval`` and ``evalValue``
(grafana/grafana ``pkg/services/dashboardimport/utils/dash_template_evaluator.go``) replace
``${NAME}`` in every string of the dashboard with the value chosen for each ``__inputs`` entry,
refuse the import when an input has no value, and force ``__expr__`` (server-side expressions)
to itself. Provisioning and the API never do this, so a provisioned export looks for a
datasource literally called ``${DS_ZABBIX}``. The import does the dialog's job here: each
placeholder the dashboard uses is mapped by ``--datasource NAME=VALUE`` (a datasource uid, or
``$var`` for one of the dashboard's own datasource variables); one left unmapped that no
variable of the dashboard defines is an error naming it, and nothing is written.
"""

from __future__ import annotations

import re

from ..dashboard_file import variables
from ..errors import InputError

# Grafana's varRegex (dash_template_evaluator.go): ${...}, shortest match.
PLACEHOLDER = re.compile(r"\$\{(.+?)\}")
EXPRESSIONS = "__expr__"  # expr.DatasourceType, which Eval maps to itself


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _substitute(value, values: dict[str, str]):
    if isinstance(value, str):
        return PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), value) if "${" in value else value
    if isinstance(value, dict):
        return {k: _substitute(v, values) for k, v in value.items()}
    if isinstance(value, list):
        return [_substitute(v, values) for v in value]
    return value


def _inputs(data: dict) -> dict[str, dict]:
    items = data.get("__inputs")
    items = items if isinstance(items, list) else []
    return {i["name"]: i for i in items if isinstance(i, dict) and isinstance(i.get("name"), str)}


def _values(inputs: dict[str, dict], mapping: dict[str, str], defined: set[str], name: str) -> dict[str, str]:
    values = {}
    for key, item in inputs.items():
        if key in mapping:
            target = PLACEHOLDER.fullmatch(mapping[key])
            variable = target.group(1) if target else mapping[key][1:] if mapping[key].startswith("$") else None
            if variable is not None and variable not in defined:
                raise InputError(
                    f"{name}: --datasource {key}={mapping[key]}: the dashboard has no variable {variable!r} "
                    f"(it has: {', '.join(sorted(defined)) or 'none'})"
                )
            values[key] = mapping[key]
        elif item.get("pluginId") == EXPRESSIONS:
            values[key] = EXPRESSIONS
        elif item.get("type") == "constant" and isinstance(item.get("value"), str):
            values[key] = item["value"]  # what the import dialog offers for a constant input
    return values


def fill_inputs(data: dict, mapping: dict[str, str], name: str) -> tuple[dict, list[str]]:
    """``data`` with its placeholders replaced, and a note per replacement for the module's header."""
    inputs = _inputs(data)
    unknown = sorted(set(mapping) - set(inputs))
    if unknown:
        declared = ", ".join(sorted(inputs)) or "none"
        raise InputError(f"{name}: --datasource {unknown[0]}: the file declares no such input (__inputs: {declared})")
    if not inputs:
        return data, []
    defined = {v.get("name") for v in variables(data) if isinstance(v.get("name"), str)}
    values = _values(inputs, mapping, defined, name)
    used = {m for s in _strings(data) if "${" in s for m in PLACEHOLDER.findall(s)} & set(inputs)
    missing = sorted(used - set(values) - defined)
    if missing:
        shown = ", ".join(f"${{{m}}}" for m in missing)
        raise InputError(
            f"{name}: placeholder(s) {shown} are only filled in by Grafana's import dialog; map each with "
            f"--datasource {missing[0]}=<datasource uid> (or ='$datasource' for a datasource variable); nothing written"
        )
    values = {k: v for k, v in values.items() if k in used}
    notes = [f"${{{k}}} (from __inputs) replaced by {v!r}" for k, v in sorted(values.items())]
    return (_substitute(data, values) if values else data), notes
