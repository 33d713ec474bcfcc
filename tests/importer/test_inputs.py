"""importer.inputs: grafana.com export placeholders are filled in as Grafana's import dialog does, or refused."""

from __future__ import annotations

import pytest

from azora_dash.errors import InputError
from azora_dash.importer.inputs import fill_inputs


def _export(**extra) -> dict:
    return {
        "__inputs": [{"name": "DS_Z", "type": "datasource", "pluginId": "zabbix"}],
        "title": "z",
        "panels": [{"id": 1, "type": "stat", "datasource": "${DS_Z}", "targets": [{"datasource": {"uid": "${DS_Z}"}}]}],
        "templating": {"list": [{"name": "ds", "type": "datasource", "query": "zabbix"}]},
        **extra,
    }


def test_a_mapped_placeholder_is_replaced_in_every_string():
    data, notes = fill_inputs(_export(), {"DS_Z": "zbx-uid"}, "z.json")
    assert data["panels"][0]["datasource"] == "zbx-uid"
    assert data["panels"][0]["targets"][0]["datasource"] == {"uid": "zbx-uid"}
    assert notes == ["${DS_Z} (from __inputs) replaced by 'zbx-uid'"]


def test_it_may_be_mapped_to_a_datasource_variable_the_dashboard_has():
    data, _ = fill_inputs(_export(), {"DS_Z": "$ds"}, "z.json")
    assert data["panels"][0]["datasource"] == "$ds"
    with pytest.raises(InputError, match=r"^z.json: --datasource DS_Z=\$nope: the dashboard has no variable 'nope'"):
        fill_inputs(_export(), {"DS_Z": "$nope"}, "z.json")


def test_an_unmapped_placeholder_is_an_error_naming_it():
    with pytest.raises(InputError, match=r"^z.json: placeholder\(s\) \$\{DS_Z\} .* --datasource DS_Z=") as err:
        fill_inputs(_export(), {}, "z.json")
    assert "\n" not in str(err.value)


def test_a_placeholder_a_variable_defines_an_unused_one_and_expressions_need_no_mapping():
    defined = _export(templating={"list": [{"name": "DS_Z", "type": "datasource", "query": "zabbix"}]})
    assert fill_inputs(defined, {}, "z.json") == (defined, [])
    unused = {**_export(), "panels": []}
    assert fill_inputs(unused, {}, "z.json") == (unused, [])
    expr = _export()
    expr["__inputs"][0]["pluginId"] = "__expr__"
    assert fill_inputs(expr, {}, "z.json")[0]["panels"][0]["datasource"] == "__expr__"


def test_a_mapping_for_an_input_the_file_lacks_is_refused():
    with pytest.raises(InputError, match=r"--datasource DS_X: the file declares no such input \(__inputs: DS_Z\)"):
        fill_inputs(_export(), {"DS_X": "u"}, "z.json")
