"""schema.files: one pass over files that are read one at a time answers as the whole-list functions."""

from __future__ import annotations

import json

from azora_dash.dashboard_file import iter_paths, load_paths
from azora_dash.dashboard_v2 import to_v2
from azora_dash.schema.files import check_files
from azora_dash.schema.model import invariant_warnings, validate, validate_v2

from ..conftest import ROOT

BUILT = ROOT / "provisioning/dashboards/azora"


def test_check_files_answers_as_checking_the_whole_list(tmp_path):
    classic = json.loads(sorted(BUILT.glob("*.json"))[0].read_text())
    v2 = to_v2(classic, "azora")
    docs = {
        "good.json": classic,
        "broken.json": {**classic, "panels": [{"id": "one", "type": "stat"}]},
        "no-uid.json": {k: v for k, v in classic.items() if k != "uid"},
        "twice.json": {**classic, "panels": classic["panels"][:1] * 2},
        "v2.json": v2,
        "v2-broken.json": {**v2, "spec": {**v2["spec"], "title": 5}},
    }
    for name, doc in docs.items():
        (tmp_path / name).write_text(json.dumps(doc), encoding="utf-8")
    files = load_paths([tmp_path])
    errors, warnings = check_files(iter_paths([tmp_path]))
    whole = {f.source: validate_v2(f.raw) if f.form == "v2" else validate(f.dashboard) for f in files}
    repairs = {f.source: invariant_warnings(f.dashboard) for f in files if f.form != "v2"}
    assert (errors, warnings) == (whole, repairs)
    assert [bool(errors[str(tmp_path / n)]) for n in docs] == [False, True, False, False, False, True]
    assert [bool(warnings.get(str(tmp_path / n))) for n in docs] == [False, False, True, True, False, False]
