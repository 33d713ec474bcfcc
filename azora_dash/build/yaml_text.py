"""Block-style YAML for the provisioning files, without PyYAML.

The provisioning files are small documents of maps, lists, strings, numbers and
booleans. Importing PyYAML to write them cost about a third of grafanalib's own
import, on every build (its start-up is benchmarked against that import, issue 19).
The output is what ``yaml.safe_dump(doc, sort_keys=False)`` writes for them: keys in
order, lists not indented under their key, a string left plain only when it cannot
be read back as anything else, else single-quoted (double-quoted if it holds a
control character). A test reads every file back with PyYAML. Grafana reads these
files with yaml.Unmarshal into typed structs (pkg/services/provisioning/datasources/
config_reader.go, parseDatasourceConfig; dashboards/config_reader.go likewise), so a
quoted '15s' is the same string to it as a plain 15s.
"""

from __future__ import annotations

import json
import re

# Conservative plain scalars: no leading indicator, no ": " / " #", no spaces at all.
_PLAIN = re.compile(r"[A-Za-z/$][\w./$:{}-]*")
# YAML 1.1 (PyYAML, yaml.v2) reads these as booleans or null; yaml.v3 reads some of them too.
_SPECIAL = {"y", "yes", "n", "no", "on", "off", "true", "false", "null", "~"}
_KEY = re.compile(r"[A-Za-z_][\w.-]*")


def _scalar(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if not isinstance(value, str):
        raise TypeError(f"cannot write {type(value).__name__} as YAML")
    if _PLAIN.fullmatch(value) and not value.endswith(":") and value.lower() not in _SPECIAL:
        return value
    if value.isprintable():
        return "'" + value.replace("'", "''") + "'"
    return json.dumps(value)  # a JSON string is a YAML double-quoted scalar


def _key(key: str) -> str:
    if not isinstance(key, str):
        raise TypeError(f"cannot write a {type(key).__name__} key as YAML")
    return key if _KEY.fullmatch(key) and key.lower() not in _SPECIAL else _scalar(key)


def _lines(value, indent: str) -> list[str]:
    """``value`` as the lines that follow a ``key:`` or ``-`` (nested maps indent, lists do not)."""
    out = []
    if isinstance(value, dict):
        for key, item in value.items():
            out += _entry(f"{indent}{_key(key)}:", item, indent + "  ", indent)
    else:
        for item in value:
            head, *rest = _entry(f"{indent}-", item, indent + "  ", indent + "  ", inline=True)
            out += [head, *rest]
    return out


def _entry(head: str, value, child: str, list_indent: str, inline: bool = False) -> list[str]:
    if isinstance(value, (dict, list)) and value:
        if inline and isinstance(value, dict):
            # "- key: ..." carries the first key on the dash's line, as PyYAML writes it.
            first, *rest = _lines(value, child)
            return [f"{head} {first.lstrip()}", *rest]
        return [head, *_lines(value, child if isinstance(value, dict) or inline else list_indent)]
    text = ("{}" if isinstance(value, dict) else "[]") if isinstance(value, (dict, list)) else _scalar(value)
    return [f"{head} {text}"]


def dump(doc: dict) -> str:
    """``doc`` as block-style YAML text (one document, trailing newline)."""
    return "\n".join(_lines(doc, "")) + "\n"
