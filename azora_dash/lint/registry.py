"""The explicit list of rules (pint's CheckNames): add a rule here, not by import scanning."""

from __future__ import annotations

from .rules.dashboard_uid import DashboardUid
from .rules.dashboard_uneditable import UneditableDashboard
from .rules.data_link_target import DataLinkTarget
from .rules.layout_grid import LayoutGrid
from .rules.logql_syntax import LogqlSyntax
from .rules.metrics_known import MetricsKnown
from .rules.panel_datasource import PanelDatasource
from .rules.panel_no_targets import PanelNoTargets
from .rules.panel_title_description import PanelTitleDescription
from .rules.panel_unit_matches_query import PanelUnitMatchesQuery
from .rules.panel_units import PanelUnits
from .rules.promql_counter_without_rate import PromqlCounterWithoutRate
from .rules.promql_histogram_quantile import PromqlHistogramQuantile
from .rules.promql_rate_on_gauge import PromqlRateOnGauge
from .rules.promql_syntax import PromqlSyntax
from .rules.target_counter_agg import TargetCounterAgg
from .rules.target_instance import TargetInstance
from .rules.target_job import TargetJob
from .rules.target_promql import TargetPromql
from .rules.target_rate_interval import TargetRateInterval
from .rules.template_datasource import TemplateDatasource
from .rules.template_instance import TemplateInstance
from .rules.template_job import TemplateJob
from .rules.template_label_promql import TemplateLabelPromql
from .rules.template_on_time_change_reload import TemplateOnTimeChangeReload

RULES = [
    # Parity with grafana/dashboard-linter's Prometheus rules.
    TemplateDatasource,
    TemplateJob,
    TemplateInstance,
    TemplateLabelPromql,
    TemplateOnTimeChangeReload,
    PanelDatasource,
    PanelTitleDescription,
    PanelUnits,
    PanelNoTargets,
    TargetPromql,
    TargetRateInterval,
    TargetJob,
    TargetInstance,
    TargetCounterAgg,
    UneditableDashboard,
    # Azora's own.
    PromqlSyntax,
    MetricsKnown,
    PromqlRateOnGauge,
    PromqlCounterWithoutRate,
    PromqlHistogramQuantile,
    PanelUnitMatchesQuery,
    LayoutGrid,
    DashboardUid,
    LogqlSyntax,
    DataLinkTarget,
]


def module_name(rule_id: str) -> str:
    """``promql/syntax`` -> ``promql_syntax``: the file a rule lives in."""
    return rule_id.replace("/", "_").replace("-", "_")
