"""Validate dashboard JSON files (used by ``azora-dash validate`` and ``make dashboards``)."""

from __future__ import annotations

from pathlib import Path

from ..errors import InputError
from ..jsonio import load_json
from .model import validate


def expand(paths: list[Path]) -> list[Path]:
    """Files as given; directories become their ``*.json`` files, sorted."""
    out = []
    for path in paths:
        if path.is_dir():
            out.extend(sorted(path.glob("*.json")))
        elif path.exists():
            out.append(path)
        else:
            raise InputError(f"{path}: no such file or directory")
    if not out:
        raise InputError(f"{', '.join(map(str, paths))}: no dashboard JSON files found; run `azora-dash build` first")
    return out


def validate_paths(paths: list[Path]) -> dict[Path, list[str]]:
    return {path: validate(load_json(path)) for path in expand(paths)}
