"""Stable panel ids through the CLI: inserting a panel changes no other panel's id, and diff says so."""

from __future__ import annotations

import json

from ..conftest import ROOT, invoke

NEW_PANEL = """                    P.stat(
                        "Inserted first",
                        "A panel added at the top of the first row.",
                        Q.request_rate(cfg, by=()),
                        "reqps",
                    ),
"""


def test_inserting_a_panel_is_one_change_and_moves_no_id(project):
    before = project / "before"
    invoke(["build", "--dashboards", project / "dashboards", "--out", before])
    source = project / "dashboards" / "api_gateway.py"
    text = source.read_text()
    anchor = '                    P.stat(\n                        "Request rate",'
    source.write_text(text.replace(anchor, NEW_PANEL + anchor, 1))
    after = project / "after"
    invoke(["build", "--dashboards", project / "dashboards", "--out", after])

    def ids(root):
        board = json.loads((root / "dashboards/azora/azora-api-gateway.json").read_text())
        return {p["title"]: p["id"] for p in board["panels"]}

    old, new = ids(before), ids(after)
    assert {t: new[t] for t in old} == old
    result = invoke(["diff", before / "dashboards/azora", after / "dashboards/azora", "--format", "json"], exit_code=1)
    changes = [(c["kind"], c["panel_title"]) for c in json.loads(result.stdout)["changes"] if c["scope"] == "panel"]
    kinds = {kind for kind, _ in changes}
    assert ("added", "Inserted first") in changes and "removed" not in kinds
    assert not any(kind == "modified" for kind, _ in changes)


def test_diff_reports_a_surviving_panels_changed_id():
    case = ROOT / "tests/fixtures/diff/ids_shifted"
    result = invoke(["diff", case / "old", case / "new"], exit_code=1)
    assert '~ panel 3 "Requests" modified\n      id: 2 -> 3' in result.stdout
