"""What a builder's output lacks compared with the source: a deep-merge patch.

``patch(built, wanted)`` returns the JSON that, deep-merged over ``built``,
gives ``wanted``: differing or missing keys carry ``wanted``'s value, keys only
``built`` has carry ``None`` (normalisation drops nulls, so that deletes them).
Lists are replaced whole, as grafanalib's ``extraJson`` merge does.
"""

from __future__ import annotations

from ..jsonio import dumps


def same(a, b) -> bool:
    """Canonical-JSON equality: stricter than ``==`` (1 vs 1.0, true vs 1)."""
    return dumps(a) == dumps(b)


# Replaced whole, never merged: grafanalib writes a datasource as a string that only the build
# turns into a {type, uid} ref, so a patch of the ref's fields would merge into nothing.
ATOMIC = frozenset({"datasource"})


def patch(built: dict, wanted: dict) -> dict:
    out = {}
    for key in sorted(built.keys() | wanted.keys()):
        if key not in wanted:
            out[key] = None
        elif key not in built:
            out[key] = wanted[key]
        elif isinstance(built[key], dict) and isinstance(wanted[key], dict) and key not in ATOMIC:
            sub = patch(built[key], wanted[key])
            if sub:
                out[key] = sub
        elif not same(built[key], wanted[key]):
            out[key] = wanted[key]
    return out


def leaves(value) -> int:
    """How many scalar values ``value`` holds: the size of a panel or of a patch."""
    if isinstance(value, dict):
        return sum(leaves(v) for v in value.values()) or 1
    if isinstance(value, list):
        return sum(leaves(v) for v in value) or 1
    return 1


def paths(value, prefix: str = "") -> list[str]:
    """Top-level JSON paths of a patch, for the module's header comment: ``options.legend``."""
    if not isinstance(value, dict) or not value:
        return [prefix]
    out = []
    for key, sub in value.items():
        path = f"{prefix}.{key}" if prefix else key
        if sub is None:
            out.append(f"{path} (unset)")
            continue
        nested = isinstance(sub, dict) and sub and prefix.count(".") < 1 and key not in ATOMIC
        out += paths(sub, path) if nested else [path]
    return out


def dropped(raw, normalised, prefix: str = "") -> list[str]:
    """Paths present (non-null) in ``raw`` but gone after normalisation: reported, never silent."""
    if isinstance(raw, dict) and isinstance(normalised, dict):
        out = []
        for key, value in raw.items():
            path = f"{prefix}.{key}" if prefix else str(key)
            if key not in normalised:
                if value is not None:
                    out.append(path)
            else:
                out += dropped(value, normalised[key], path)
        return out
    if isinstance(raw, list) and isinstance(normalised, list) and len(raw) == len(normalised):
        return [p for i, (a, b) in enumerate(zip(raw, normalised)) for p in dropped(a, b, f"{prefix}[{i}]")]
    return []
