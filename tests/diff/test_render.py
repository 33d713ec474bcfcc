"""Rendering: exact output for every fixture pair in all three formats, colour, Markdown limits."""

from __future__ import annotations

import json
import re

import pytest

from azora_dash.diff.core import Change, ChangeType, FieldChange, diff
from azora_dash.diff.render import GITHUB_COMMENT_LIMIT, MARKER, render_json, render_markdown, render_text

from .test_core import CASES, FIXTURES, load_case

RENDERERS = {"txt": render_text, "md": render_markdown, "json": render_json}


@pytest.mark.parametrize("ext", sorted(RENDERERS))
@pytest.mark.parametrize("case", CASES)
def test_fixture_output_is_exact(case, ext):
    expected = (FIXTURES / case / f"expected.{ext}").read_text()
    assert RENDERERS[ext](diff(*load_case(case))) == expected


def test_text_is_plain_unless_a_painter_is_given():
    changes = diff(*load_case("query_changed"))
    assert "\x1b[" not in render_text(changes)
    painted = render_text(changes, lambda text, kind: f"<{kind}>{text}</{kind}>")
    assert "<removed>        - sum by (job) (" in painted and "<added>        + sum by (job, route)" in painted
    assert re.sub(r"</?\w+>", "", painted) == render_text(changes)


def test_json_round_trips_the_changes():
    changes = diff(*load_case("variable_changed"))
    data = json.loads(render_json(changes))
    assert [c["name"] for c in data["changes"]] == ["instance", "job", "route"]


def test_markdown_starts_with_the_marker_the_workflow_searches_for():
    assert render_markdown([]).splitlines()[0] == MARKER
    assert render_markdown(diff(*load_case("panel_removed"))).splitlines()[0] == MARKER


def many_changes(dashboards: int, per_dashboard: int) -> list[Change]:
    long_query = 'sum by (job, route, status_code) (rate(http_requests_total{job=~"$job"}[$__rate_interval])) ' * 3
    return [
        Change(
            ChangeType.MODIFIED,
            "panel",
            f"dash-{d:03d}",
            f"Dashboard {d}",
            panel_id=p,
            panel_title=f"Panel {p}",
            fields=(FieldChange("expr[A]", long_query, long_query + "> 0"),),
        )
        for d in range(dashboards)
        for p in range(per_dashboard)
    ]


def test_markdown_is_truncated_under_githubs_limit_with_a_note():
    changes = many_changes(40, 30)
    full = render_markdown(changes, limit=10**9)
    assert len(full) > GITHUB_COMMENT_LIMIT  # the case is only meaningful if it would overflow
    cut = render_markdown(changes)
    assert len(cut) <= GITHUB_COMMENT_LIMIT
    assert cut.startswith(MARKER)
    shown = cut.count("- **modified**")
    assert 0 < shown < len(changes)
    assert f"showing {shown} of {len(changes)} changes" in cut
    # Every <details> opened is closed, so GitHub renders the rest of the comment.
    assert cut.count("<details>") == cut.count("</details>")
    assert "| Dashboard 39 (`dash-039`) |" in cut  # the summary table comes first and is whole


def test_one_huge_dashboard_is_cut_change_by_change():
    changes = many_changes(1, 400)
    cut = render_markdown(changes, limit=20000)
    assert len(cut) <= 20000
    assert cut.count("<details>") == 1 == cut.count("</details>")
    assert "_…cut here_" in cut and f"of {len(changes)} changes" in cut


def test_markdown_that_fits_has_no_note():
    out = render_markdown(diff(*load_case("query_changed")))
    assert "Truncated" not in out


def test_backticks_in_a_query_cannot_close_the_fence():
    change = Change(
        ChangeType.MODIFIED,
        "panel",
        "u",
        "U",
        panel_id=1,
        panel_title="P",
        fields=(FieldChange("expr[A]", "up", 'label_replace(up, "x", "```", "", "")'),),
    )
    out = render_markdown([change])
    assert "````promql\n    label_replace(up" in out


def test_titles_cannot_break_the_table_or_html():
    change = Change(ChangeType.REMOVED, "panel", "u", "A | <b>B</b>", panel_id=1, panel_title="P")
    out = render_markdown([change])
    assert "| A \\| &lt;b&gt;B&lt;/b&gt; (`u`) |" in out


def test_summary_table_of_many_dashboards_is_capped():
    changes = many_changes(1000, 1)
    cut = render_markdown(changes)
    assert len(cut) <= GITHUB_COMMENT_LIMIT
    assert "| … and 800 more dashboards |" in cut
    assert cut.count("<details>") > 0  # room is left for some detail, not only the table


# -- long strings ---------------------------------------------------------------------------------

LONG_OLD = 'sum by (job, operation) (rate(thanos_objstore_bucket_operations_total{job=~"$job"}[$interval]))'
LONG_NEW = LONG_OLD.replace("$interval", "$__rate_interval")


def one_field(field: str, old, new) -> list[Change]:
    return [
        Change(
            ChangeType.MODIFIED, "panel", "u", "U", panel_id=1, panel_title="p", fields=(FieldChange(field, old, new),)
        )
    ]


def test_a_long_expression_change_is_marked_inline_with_the_context_cut():
    text = render_text(one_field("expr[A]", LONG_OLD, LONG_NEW))
    assert '        ~ …ons_total{job=~"$job"}[$[-interval-]{+__rate_interval+}]))\n' in text
    assert f"        - {LONG_OLD}\n        + {LONG_NEW}\n" in text


def test_a_long_non_promql_string_is_a_block_too_and_markdown_shows_the_change():
    old, new = "x" * 90 + " fast", "x" * 90 + " slow"
    text = render_text(one_field("description", old, new))
    assert "      description:\n" in text and "[-fast-]{+slow+}" in text
    assert "change: `…xxxxxxxxxxxxxxxxxxxxxxx [-fast-]{+slow+}`" in render_markdown(one_field("description", old, new))


def test_multi_line_text_shows_only_the_changed_lines_with_one_line_of_context():
    old = "\n".join(f"line {i}" for i in range(20))
    new = old.replace("line 10", "line ten")
    text = render_text(one_field("options.content", old, new))
    block = text.split("options.content:\n")[1].split("\n1 change")[0]
    assert block.splitlines() == [
        "          line 9",
        "        - line 10",
        "        + line ten",
        "          line 11",
    ]
