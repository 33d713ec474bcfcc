"""Drill-down: every per-service, per-instance and per-container panel links to a dashboard we build,
setting a variable that dashboard defines, from the clicked series' label (or the clicked row's field)."""

from __future__ import annotations

import json
import re
from urllib.parse import parse_qsl, urlsplit

import pytest

from .conftest import ROOT

BUILT = {p.stem: json.loads(p.read_text()) for p in (ROOT / "provisioning" / "dashboards" / "azora").glob("*.json")}
PER_SERIES = ("job", "instance", "name")  # labels naming a service, a host, a container
VALUE = re.compile(r"^\$\{__(field\.labels|data\.fields)\.(?P<label>\w+)\}$")


def _panels():
    for uid, d in sorted(BUILT.items()):
        for p in d["panels"]:
            if p.get("type") != "row":
                yield uid, p


def _per_series_labels(panel) -> set[str]:
    legends = " ".join(t.get("legendFormat", "") for t in panel.get("targets", []))
    exprs = " ".join(t.get("expr", "") for t in panel.get("targets", []))
    found = {lab for lab in PER_SERIES if "{{" + lab + "}}" in legends}
    if panel["type"] == "table":
        found |= {lab for lab in PER_SERIES if re.search(rf"by \([^)]*\b{lab}\b", exprs)}
    return found


def follow(url: str) -> tuple[dict, dict[str, str]]:
    """The dashboard a data link opens and the variables it sets (name -> label it carries)."""
    parts = urlsplit(url)
    uid = parts.path.removeprefix("/d/").split("/")[0]
    assert uid in BUILT, f"{url}: no dashboard {uid}"
    query = parts.query.replace("${__url_time_range}", "")
    assert "${__url_time_range}" in parts.query, f"{url}: does not keep the time range"
    sets = {}
    for key, value in parse_qsl(query):
        match = VALUE.match(value)
        assert key.startswith("var-") and match, f"{url}: {key}={value}"
        sets[key[4:]] = match["label"]
    return BUILT[uid], sets


PANELS = [(uid, p) for uid, p in _panels() if _per_series_labels(p)]


@pytest.mark.parametrize("uid, panel", PANELS, ids=[f"{u}:{p['title']}" for u, p in PANELS])
def test_per_series_panel_links_to_an_existing_dashboard_and_variable(uid, panel):
    links = [l for l in panel["fieldConfig"]["defaults"].get("links", []) if l["url"].startswith("/d/")]
    assert links, f"{uid} / {panel['title']}: no drill-down data link"
    carried = set()
    for link in links:
        target, sets = follow(link["url"])
        names = {v["name"] for v in target["templating"]["list"]}
        assert set(sets) <= names, (link["url"], names)
        carried |= set(sets.values())
    # The link carries at least one of the series' identifying labels.
    assert carried & _per_series_labels(panel)


def test_the_four_kinds_of_drill_down_exist():
    urls = {l["url"] for _, p in _panels() for l in p.get("fieldConfig", {}).get("defaults", {}).get("links", [])}
    assert any("/d/azora-api-gateway?" in u and "var-job=${__field.labels.job}" in u for u in urls)
    assert any("/d/azora-system-overview?" in u and "var-instance=${__field.labels.instance}" in u for u in urls)
    assert any("/d/azora-logs-traces?" in u and "var-job=" in u for u in urls)
    assert any("RUNBOOKS.md#${__data.fields.alertname}" in u for u in urls)


def test_lint_rule_fails_on_a_broken_link():
    from azora_dash.lint import run, select_rules
    from azora_dash.lint.registry import RULES

    broken = json.loads(json.dumps(BUILT["azora-api-gateway"]))
    panel = next(p for p in broken["panels"] if p.get("fieldConfig", {}).get("defaults", {}).get("links"))
    panel["fieldConfig"]["defaults"]["links"][0]["url"] = "/d/azora-gone?var-job=${__field.labels.job}"
    others = [(u, d) for u, d in BUILT.items() if u != "azora-api-gateway"]
    result = run([*others, ("broken", broken)], select_rules(RULES, only=["data-link/target"]))
    assert [(p.panel_title, p.message) for p in result.problems] == [
        (panel["title"], "data link to unknown dashboard 'azora-gone'")
    ]
