"""``monitoring/alertmanager/alertmanager.yml``: the spec's routing and escalation, with no inline secret.

Secrets are read from files compose mounts under /run/secrets (``smtp_auth_password_file``,
Slack ``api_url_file``, PagerDuty ``routing_key_file``; Alertmanager docs,
configuration.md). Alertmanager has no native SMS: on-call engineers get SMS/phone
pages from PagerDuty's own notification rules, which is the spec's "SMS" step.
"""

from __future__ import annotations

from ..config import Config
from .settings import Stack

GROUP_BY = ["alertname", "job"]

# Escalation policy (spec "Escalation Policy") -> Alertmanager timers; rendered into the file header.
POLICY = """\
Escalation policy (spec) -> Alertmanager:
1. Immediate: severity=critical routes have group_wait 10s (just long enough to batch a
   burst) -> email to the team + Slack #alerts-critical; in production also PagerDuty,
   which pages the on-call engineer by SMS/phone (PagerDuty notification rules).
   Re-sent every hour while firing (repeat_interval 1h).
2. 5 minutes: severity=warning waits group_wait 5m before the first email, so a warning
   that clears within 5 minutes never notifies; re-sent every 4h.
3. 15 minutes: severity=info is batched: group_wait 15m, group_interval 15m, one
   digest email, repeated daily.
4. 1 hour: Prometheus rule CriticalAlertEscalation fires when a critical alert has been
   firing for 1h (alert_rules.yml); it carries escalation=senior and routes to the
   senior engineers (email + their PagerDuty service + Slack).
Grouping by alertname and job. Warnings/infos are inhibited while a critical alert fires
for the same job. Alertmanager has no acknowledgements: silence an alert to stop repeats."""


def _email(to: str) -> dict:
    return {
        "to": to,
        "send_resolved": True,
        "headers": {
            "Subject": "[{{ .Status | toUpper }}] Azora {{ .CommonLabels.severity }}: {{ .GroupLabels.alertname }}"
        },
        "text": (
            "{{ range .Alerts }}Alert: {{ .Annotations.summary }}\n"
            "Description: {{ .Annotations.description }}\n"
            "Severity: {{ .Labels.severity }}\nRunbook: {{ .Annotations.runbook_url }}\n\n{{ end }}"
        ),
    }


def _slack(stack: Stack) -> dict:
    return {
        "api_url_file": stack.secret_path("slack_webhook_url"),
        "channel": stack.slack_channel,
        "send_resolved": True,
        "title": "[{{ .Status | toUpper }}] CRITICAL: {{ .GroupLabels.alertname }} ({{ .GroupLabels.job }})",
        "text": (
            "{{ range .Alerts }}*{{ .Annotations.summary }}*\n{{ .Annotations.description }}\n"
            "Runbook: {{ .Annotations.runbook_url }}\n{{ end }}"
        ),
    }


def _pagerduty(stack: Stack, key: str) -> dict:
    return {
        "routing_key_file": stack.secret_path(key),
        "severity": "critical",
        "description": "{{ .CommonAnnotations.summary }}",
        "send_resolved": True,
    }


def receivers(stack: Stack) -> list[dict]:
    critical = [_email(stack.team_email), _email(stack.critical_email)]
    return [
        {"name": "team-email", "email_configs": [_email(stack.team_email)]},
        # Same mailbox, own name: info alerts arrive as a 15-minute digest, and
        # `amtool config routes test` can tell the two routes apart.
        {"name": "team-digest", "email_configs": [_email(stack.team_email)]},
        {"name": "critical", "email_configs": critical, "slack_configs": [_slack(stack)]},
        {
            "name": "critical-production",
            "email_configs": critical,
            "slack_configs": [_slack(stack)],
            "pagerduty_configs": [_pagerduty(stack, "pagerduty_routing_key")],
        },
        {
            "name": "senior-engineers",
            "email_configs": [_email(stack.senior_email)],
            "slack_configs": [_slack(stack)],
            "pagerduty_configs": [_pagerduty(stack, "pagerduty_senior_routing_key")],
        },
    ]


def _route(receiver: str, matchers: list[str], wait: str, interval: str, repeat: str) -> dict:
    return {
        "receiver": receiver,
        "matchers": matchers,
        "group_wait": wait,
        "group_interval": interval,
        "repeat_interval": repeat,
    }


def route(stack: Stack) -> dict:
    # First match wins (no `continue`): each alert goes to exactly one receiver, and every
    # receiver that matters for it is listed in that receiver (team email included).
    return {
        "receiver": "team-email",
        "group_by": GROUP_BY,
        "group_wait": "30s",
        "group_interval": "5m",
        "repeat_interval": "4h",
        "routes": [
            _route("senior-engineers", ['escalation="senior"'], "10s", "1m", "1h"),
            _route(
                "critical-production", ['severity="critical"', f'environment="{stack.environment}"'], "10s", "1m", "1h"
            ),
            _route("critical", ['severity="critical"'], "10s", "1m", "1h"),
            _route("team-email", ['severity="warning"'], "5m", "5m", "4h"),
            _route("team-digest", ['severity="info"'], "15m", "15m", "24h"),
        ],
    }


def config(cfg: Config, stack: Stack) -> dict:
    return {
        "global": {
            "resolve_timeout": "5m",
            "smtp_smarthost": stack.smtp_smarthost,
            "smtp_from": stack.smtp_from,
            "smtp_auth_username": stack.smtp_username,
            "smtp_auth_password_file": stack.secret_path("smtp_password"),
            "smtp_require_tls": True,
        },
        "route": route(stack),
        "inhibit_rules": [
            {
                "source_matchers": ['severity="critical"'],
                "target_matchers": ['severity=~"warning|info"'],
                "equal": ["job"],
            }
        ],
        "receivers": receivers(stack),
    }
