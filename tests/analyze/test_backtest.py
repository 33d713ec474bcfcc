"""Backtest against a real Prometheus serving backfilled history with planted incidents."""

from __future__ import annotations

import json

import pytest
import yaml

from azora_dash.analyze.backtest import Rule, replay
from azora_dash.config import DEFAULT
from azora_dash.stack import RULES, generate

from ..conftest import invoke
from ..verify.live_prometheus import binaries
from .history import STEP, Incident, backfilled

H = 3600
# Three 10-minute outages and a 2-minute blip of the gateway over two days, plus a
# "gap": 90 s down, one good scrape, 90 s down again (for: 2m must start over).
INCIDENTS = (
    Incident("azora-gateway", 6 * H, 600),
    Incident("azora-gateway", 20 * H, 600),
    Incident("azora-gateway", 34 * H, 600),
    Incident("azora-gateway", 40 * H, 120),
    Incident("azora-gateway", 44 * H, 90),
    Incident("azora-gateway", 44 * H + 105, 90),
)
ANY_DOWN = {
    "groups": [
        {
            "name": "test",
            "interval": f"{STEP}s",
            "rules": [{"alert": "AnyTargetDown", "expr": "up == 0", "labels": {"severity": "info"}}],
        }
    ]
}


@pytest.fixture(scope="module")
def history(tmp_path_factory):
    if not all(binaries().values()):
        pytest.skip("prometheus/promtool not installed; run `make tools`")
    with backfilled(tmp_path_factory.mktemp("history"), INCIDENTS) as h:
        yield h


@pytest.fixture(scope="module")
def rule_files(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("rules")
    generate(DEFAULT, tmp / "monitoring")
    extra = tmp / "any_down.yml"
    extra.write_text(yaml.safe_dump(ANY_DOWN))
    return tmp / "monitoring" / RULES, extra


def run_backtest(history, *args, exit_code=0):
    result = invoke(
        ["backtest", "--prometheus", history.url, "--end", history.end, "--interval", f"{STEP}s", *args],
        exit_code=exit_code,
    )
    return result


def by_name(result):
    return {a["alert"]: a for a in json.loads(result.stdout)["alerts"]}


def test_planted_episodes_are_reported_exactly(history, rule_files):
    generated, extra = rule_files
    result = run_backtest(history, "--rules", generated, "--rules", extra, "--range", "2d", "--format", "json")
    alerts = by_name(result)
    # ServiceDown (for: 2m): each 10-minute outage fires 2 minutes in and resolves at the first
    # good evaluation: 8 minutes. The blip and the interrupted gap never last 2 minutes: no episode.
    down = alerts["ServiceDown"]
    assert (down["episodes"], down["longest_seconds"], down["shortest_seconds"]) == (3, 480, 480)
    assert down["firing_seconds"] == 3 * 480 and down["flapping"] == 0
    # for: 0 fires on the first bad evaluation: 3 x 10 min, the 2-minute blip, the gap's two 90 s halves.
    anyd = alerts["AnyTargetDown"]
    assert (anyd["episodes"], anyd["longest_seconds"], anyd["shortest_seconds"]) == (6, 600, 90)
    assert anyd["firing_seconds"] == 3 * 600 + 120 + 2 * 90 and anyd["flapping"] == 3
    # One entry per alerting rule, quiet ones included.
    doc = json.loads(result.stdout)
    generated_alerts = [r for g in yaml.safe_load(generated.read_text())["groups"] for r in g["rules"] if "alert" in r]
    assert len(doc["alerts"]) == len(generated_alerts) + 1
    assert alerts["HighCPUUsage"]["episodes"] == 0
    summary = doc["summary"]
    assert (summary["episodes"], summary["flapping"]) == (9, 3)
    assert summary["actionable_share"] == pytest.approx(6 / 9)
    assert doc["warnings"] == []


def test_max_episodes_gate_and_markdown(history, rule_files):
    _, extra = rule_files
    run_backtest(history, "--rules", extra, "--range", "2d", "--max-episodes", "6")
    result = run_backtest(
        history, "--rules", extra, "--range", "2d", "--max-episodes", "5", "--format", "markdown", exit_code=1
    )
    assert "| AnyTargetDown | `severity=info` | 6 | 35m | 10m | 1m30s | 3 |" in result.stdout


def test_range_beyond_the_data_warns_with_the_oldest_sample(history, rule_files):
    _, extra = rule_files
    result = run_backtest(history, "--rules", extra, "--range", "3d")
    assert "warning: the range starts" in result.stderr
    import datetime as dt

    oldest = dt.datetime.fromtimestamp(history.start, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert f"the oldest sample is {oldest}" in result.stderr
    assert "AnyTargetDown{}: 6 episode(s)" in result.stdout or "AnyTargetDown: 6 episode(s)" in result.stdout


def test_bad_input_is_one_line_and_exit_2(history, tmp_path):
    bad = tmp_path / "bad.yml"
    bad.write_text("groups: [")
    result = run_backtest(history, "--rules", bad, exit_code=2)
    assert "invalid YAML" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    result = run_backtest(history, "--rules", tmp_path / "missing.yml", exit_code=2)
    assert "no such rule file" in result.stderr


def _rule(for_s=0, keep=0):
    return Rule("X", "up == 0", for_s, keep, 15, "g", "f")


def test_replay_follows_prometheus_state_machine():
    times = [float(t) for t in range(0, 301, 15)]
    present = {t for t in times if 30 <= t < 120}
    assert replay(times, present, _rule(), 300) == [(30, 120)]
    assert replay(times, present, _rule(for_s=60), 300) == [(90, 120)]
    assert replay(times, present, _rule(for_s=90), 300) == []  # active 30..105: gone at 120, before for: 90s
    # keep_firing_for holds the alert over a short gap and delays the resolution.
    gappy = present | {t for t in times if 135 <= t < 180}
    assert replay(times, gappy, _rule(keep=30), 300) == [(30, 210)]
    # Still firing at the end of the range: the episode is cut there.
    assert replay(times, {t for t in times if t >= 240}, _rule(), 300) == [(240, 300)]
