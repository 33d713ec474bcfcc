"""The preview directory: index HTML, file set, writing, loading, and the CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from html.parser import HTMLParser

import pytest

from azora_dash.diff.core import load_dashboards
from azora_dash.errors import InputError
from azora_dash.jsonio import dumps
from azora_dash.preview.site import INDEX, IndexEntry, render_index, render_site, write_site

from ..conftest import ROOT, invoke
from .helpers import UID, change, dashboard


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs, self.imgs, self.scripts = [], [], 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a":
            self.hrefs.append(a["href"])
        elif tag == "img":
            self.imgs.append(a["src"])
        elif tag == "script":
            self.scripts += 1


def links(html: str) -> Links:
    parser = Links()
    parser.feed(html)
    return parser


def test_index_links_and_embeds_every_svg_and_escapes_titles():
    entries = [IndexEntry("a", "A & <b>", "a.svg"), IndexEntry("b", "B", "b.svg", {"added": 2, "moved": 1})]
    html = render_index(entries)
    found = links(html)
    assert found.imgs == ["a.svg", "b.svg"]
    assert {"a.svg", "b.svg", "#a", "#b"} <= set(found.hrefs)
    assert found.scripts == 0
    assert "A &amp; &lt;b&gt;" in html and "2 added, 1 moved" in html


@pytest.mark.parametrize("uid", ["../escape", "a/b", ".hidden"])
def test_uids_that_are_not_safe_file_names_are_refused(uid):
    with pytest.raises(InputError, match="not a Grafana uid"):
        render_site({uid: dict(dashboard(), uid=uid)})


def test_site_has_one_svg_per_dashboard_and_an_index():
    other = dict(dashboard(), uid="t-other", title="Other")
    files = render_site({UID: dashboard(), "t-other": other})
    assert sorted(files) == [INDEX, "t-demo.svg", "t-other.svg"]
    assert links(files[INDEX]).imgs == ["t-demo.svg", "t-other.svg"]
    assert "change-" not in files["t-demo.svg"].replace(".change-", "")


def test_site_with_changes_draws_removed_dashboards_and_counts_changes():
    gone = dict(dashboard(), uid="t-gone", title="Gone")
    old = {UID: dashboard(), "t-gone": gone}
    changes = [
        change("added", panel_id=2),
        change("modified", panel_id=3),
        change("removed", scope="dashboard", uid="t-gone", title="Gone"),
    ]
    files = render_site({UID: dashboard()}, old, changes)
    assert sorted(files) == [INDEX, "t-demo.svg", "t-gone.svg"]
    assert 'class="dashboard change-removed"' in files["t-gone.svg"]
    assert "1 added, 1 modified" in files[INDEX] and "dashboard removed" in files[INDEX]


def test_write_site_is_change_only_and_removes_stale_svgs(tmp_path):
    (tmp_path / "old-board.svg").write_text("<svg/>")
    (tmp_path / "notes.txt").write_text("mine")
    files = render_site({UID: dashboard()})
    first = write_site(tmp_path, files)
    assert sorted(first.written) == [INDEX, "t-demo.svg"] and first.removed == ["old-board.svg"]
    assert (tmp_path / "notes.txt").exists()  # not ours, left alone
    again = write_site(tmp_path, files)
    assert again.written == [] and sorted(again.unchanged) == [INDEX, "t-demo.svg"]


def test_loading_merges_paths_and_rejects_duplicates_and_empty_input(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "one.json").write_text(dumps(dashboard()))
    (tmp_path / "two.json").write_text(dumps(dict(dashboard(), uid="t-two")))
    assert sorted(load_dashboards([tmp_path / "a", tmp_path / "two.json"])) == [UID, "t-two"]
    with pytest.raises(InputError, match="two.json: duplicate dashboard uid 't-two'"):
        load_dashboards([tmp_path / "two.json", tmp_path / "two.json"])
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match=r"empty: no \*.json dashboards in this directory"):
        load_dashboards([tmp_path / "empty"])
    (tmp_path / "bad.json").write_text('{"title": "no uid"}')
    assert list(load_dashboards([tmp_path / "bad.json"])) == ["bad"]  # keyed by the file name, as import names it


def test_cli_without_paths_previews_what_the_code_builds_now(project):
    source = project / "dashboards" / "api_gateway.py"
    source.write_text(source.read_text().replace('"Request rate",', '"Requests per second",', 1))
    out = project / "preview"
    result = invoke(["preview", "--out", out], cwd=project)  # no PATH and no rebuild: the code is the source
    built = sorted(p.stem for p in (project / "provisioning/dashboards/azora").glob("*.json"))
    assert sorted(p.stem for p in out.glob("*.svg")) == built
    assert f"open {out / INDEX}" in result.stderr
    assert sorted(links((out / INDEX).read_text()).imgs) == [f"{uid}.svg" for uid in built]
    assert ">Requests per second</text>" in (out / "azora-api-gateway.svg").read_text()


def test_cli_json_output_and_missing_path(tmp_path):
    (tmp_path / "d.json").write_text(dumps(dashboard()))
    result = invoke(["preview", "--out", str(tmp_path / "out"), "--format", "json", str(tmp_path / "d.json")])
    report = json.loads(result.output)
    assert report["dashboards"] == 1 and report["changes"] is None
    assert sorted(report["written"]) == [INDEX, "t-demo.svg"]
    result = invoke(["preview", "--out", str(tmp_path / "out"), str(tmp_path / "nope")], exit_code=2)
    assert "nope: no such file or directory" in result.stderr and len(result.stderr.splitlines()) == 1


def test_site_is_byte_identical_across_processes_and_hash_seeds():
    # Set and dict-of-set iteration order changes with PYTHONHASHSEED; the output must not.
    script = (
        "import json, sys; from tests.preview.helpers import UID, change, dashboard; "
        "from azora_dash.preview.site import render_site; "
        "ch = [change('modified', panel_id=3), change('moved', panel_id=3), change('removed', panel_id=4), "
        "change('modified', scope='variable', name='job'), change('added', scope='variable', name='env')]; "
        "sys.stdout.write(json.dumps(render_site({UID: dashboard()}, {UID: dashboard()}, ch), sort_keys=True))"
    )
    outputs = [
        subprocess.run(
            [sys.executable, "-c", script],
            cwd=ROOT,
            capture_output=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout
        for seed in ("1", "2", "3")
    ]
    assert outputs[0] == outputs[1] == outputs[2] and b"change-moved change-modified" not in outputs[0]
    assert b"panel change-modified change-moved" in outputs[0]  # kinds in sorted order


def test_a_dashboard_without_uid_is_drawn_under_a_safe_name_from_its_file(tmp_path):
    board = {k: v for k, v in dashboard().items() if k != "uid"}
    (tmp_path / "Node Exporter (copy).json").write_text(dumps(board))
    (tmp_path / "plain.json").write_text(dumps(board))
    files = render_site(load_dashboards(tmp_path))
    svgs = sorted(n for n in files if n.endswith(".svg"))
    assert len(svgs) == 2 and "plain.svg" in svgs
    odd = next(n for n in svgs if n != "plain.svg")
    assert odd.startswith("Node-Exporter-copy-") and "/" not in odd and len(odd) <= 40 + len(".svg")
