"""Each mistake in the reference spec is caught, by the rule meant to catch it.

The expressions are the spec's own alert expressions, placed on a panel.
"""

from __future__ import annotations

import pytest

from azora_dash.lint import run

from .lint_helpers import dashboard, panel

CASES = [
    # HighErrorRate: label `status`, which the middleware never sets (it is status_code).
    (
        'rate(http_requests_total{status=~"5.."}[5m]) / rate(http_requests_total[5m]) > 0.05',
        "",
        "metrics/known",
        "metric 'http_requests_total' has no label 'status'",
    ),
    # HighCPUUsage: rate() over a gauge.
    ("rate(cpu_usage_percent[5m]) > 80", "", "promql/rate-on-gauge", "rate() over gauge 'cpu_usage_percent'"),
    ("rate(active_users[5m])", "", "promql/rate-on-gauge", "rate() over gauge 'active_users'"),
    # PaymentFailures: a metric no service emits.
    (
        "rate(payment_failed_total[5m]) > 0.01",
        "",
        "metrics/known",
        "metric 'payment_failed_total' is not in the metric catalogue",
    ),
    # "{{ $labels.service }}": no series carries `service`, whether grouped by it or shown in a legend.
    (
        "sum by (service) (rate(http_requests_total[5m]))",
        "",
        "metrics/known",
        "sum by (service): no series here has label 'service'",
    ),
    ("sum by (job) (rate(http_requests_total[5m]))", "{{service}}", "metrics/known", "legend uses {{service}}"),
]


@pytest.mark.parametrize("expr, legend, rule, message", CASES, ids=[c[3][:40] for c in CASES])
def test_spec_mistake_is_caught(expr, legend, rule, message):
    result = run([("spec.json", dashboard(panel(expr, legend=legend)))])
    hits = [p for p in result.problems if p.rule == rule and p.message.startswith(message)]
    assert len(hits) == 1, [(p.rule, p.message) for p in result.problems]


def _fix(text: str) -> str:
    for wrong, right in FIXES:
        text = text.replace(wrong, right)
    return text


FIXES = [
    ("status=~", "status_code=~"),
    ("cpu_usage_percent", "node_cpu_seconds_total"),
    ("rate(active_users[5m])", "active_users"),
    ("payment_failed_total", 'payments_processed_total{status="failed"}'),
    ("by (service)", "by (job)"),
    ("{{service}}", "{{job}}"),
]


@pytest.mark.parametrize("expr, legend, rule, message", CASES, ids=[c[3][:40] for c in CASES])
def test_corrected_query_is_clean(expr, legend, rule, message):
    """The same rule is silent on the fixed query, so the hit above is about the mistake."""
    result = run([("spec.json", dashboard(panel(_fix(expr), legend=_fix(legend))))])
    assert [p.message for p in result.problems if p.rule == rule] == []
