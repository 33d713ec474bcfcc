"""Lint profiles: which rule groups run (each rule declares its ``group``, base.Rule.group).

A module of its own, without the rules, so the CLI can offer the choices without importing them.
"""

from __future__ import annotations

from ..config import DEFAULT

GROUPS = ("correctness", "convention", "house")
# "foreign" is for dashboards someone else wrote: Azora's house style (its metric catalogue,
# descriptions, links to dashboards we build) does not apply to them; the rest does.
PROFILES = {
    "azora": GROUPS,
    "foreign": ("correctness", "convention"),
    "correctness": ("correctness",),
}
# The CLI's default: "azora" for a dashboard our build wrote, "foreign" for any other.
AUTO = "auto"
CHOICES = (AUTO, *PROFILES)


def in_profile(rule, profile: str) -> bool:
    return rule.group in PROFILES[profile]


def profile_of(dashboard: dict, profile: str) -> str:
    """The profile a dashboard is linted with: ``profile`` itself unless it is ``auto``, which
    picks "azora" for what our build wrote (every built dashboard carries Config.managed_tag)
    and "foreign" for anything else."""
    if profile != AUTO:
        return profile
    tags = dashboard.get("tags")
    return "azora" if isinstance(tags, list) and DEFAULT.managed_tag in tags else "foreign"
