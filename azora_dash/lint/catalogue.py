"""The metric catalogue (catalogue.yaml) as lookups: series name -> type and labels.

The data lives in one YAML file so adding an exporter is a data change; users
add their own metrics with ``--catalogue FILE`` in the same format.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from ..errors import ConfigError, InputError

DEFAULT_PATH = Path(__file__).with_name("catalogue.yaml")
TYPES = {"counter", "gauge", "histogram", "summary", "info"}


@dataclass(frozen=True)
class Series:
    name: str
    family: str  # "http_request_duration_seconds" for ..._bucket
    type: str  # how this series behaves: counter (incl. _bucket/_sum/_count) or gauge/info
    family_type: str
    labels: frozenset[str]
    open: bool = False  # carries labels we cannot list (ALERTS)


def _expand(name: str, entry: dict, target_labels: tuple[str, ...], where: str) -> list[Series]:
    kind = entry.get("type")
    if kind not in TYPES:
        raise ConfigError(f"{where}: metric {name!r} has type {kind!r}; use one of {', '.join(sorted(TYPES))}")
    base = set(entry.get("labels") or ())
    if entry.get("scrape", True):
        base |= set(target_labels)
    is_open = bool(entry.get("open"))

    def series(suffix: str, behaves: str, extra=()) -> Series:
        return Series(name + suffix, name, behaves, kind, frozenset(base | set(extra)), is_open)

    if kind == "histogram":
        return [series("_bucket", "counter", ["le"]), series("_sum", "counter"), series("_count", "counter")]
    if kind == "summary":
        return [series("", "gauge", ["quantile"]), series("_sum", "counter"), series("_count", "counter")]
    return [series("", "gauge" if kind == "info" else kind)]


class Catalogue:
    def __init__(self, docs: list[tuple[str, dict]]):
        """``docs``: (where it came from, parsed YAML) pairs; later ones win."""
        self.series: dict[str, Series] = {}
        self.families: dict[str, str] = {}
        for where, doc in docs:
            target_labels = tuple(doc.get("target_labels") or ("job", "instance"))
            for name, entry in (doc.get("metrics") or {}).items():
                if not isinstance(entry, dict):
                    raise ConfigError(f"{where}: metric {name!r} must map to {{type: ..., labels: [...]}}")
                for s in _expand(str(name), entry, target_labels, where):
                    self.series[s.name] = s
                self.families[str(name)] = entry["type"]

    def get(self, name: str) -> Series | None:
        return self.series.get(name)

    def __contains__(self, name: str) -> bool:
        return name in self.series


def _read(path: Path) -> dict:
    try:
        # libyaml's loader when present: the catalogue is read on every lint run.
        doc = yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) or {}
    except FileNotFoundError:
        raise InputError(f"{path}: no such catalogue file") from None
    except yaml.YAMLError as exc:
        raise InputError(f"{path}: invalid YAML: {str(exc).splitlines()[0]}") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("metrics", {}), dict):
        raise ConfigError(f"{path}: a catalogue is a mapping with a `metrics:` mapping (see {DEFAULT_PATH.name})")
    return doc


def load(extra: list[Path] | tuple[Path, ...] = ()) -> Catalogue:
    """The built-in catalogue plus user files; later entries replace earlier ones."""
    return Catalogue([(str(p), _read(Path(p))) for p in (DEFAULT_PATH, *extra)])
