from __future__ import annotations

from ..base import Rule
from ..context import DashboardContext, PanelRef
from ..model import Problem, Severity

# Unit ids Grafana knows (grafana packages/grafana-data/src/valueFormats/categories.ts:
# getCategories, at ed1aac226b3b), a superset of dashboard-linter's lint/rule_panel_units.go list
# (which lacks the newer eps, epm, recps, recpm, rowsps, rowspm, reqpm and currencyTRY).
VALID_UNITS = frozenset(
    """
none string short percent percentunit humidity dB hex0x hex sci locale pixel accMS2 accFS2 accG degree radian grad
arcmin arcsec areaM2 areaF2 areaMI2 flops mflops gflops tflops pflops eflops zflops yflops ppm conppb conngm3
conngNm3 conμgm3 conμgNm3 conmgm3 conmgNm3 congm3 congNm3 conmgdL conmmolL currencyUSD currencyGBP currencyEUR
currencyJPY currencyRUB currencyUAH currencyBRL currencyDKK currencyISK currencyNOK currencySEK currencyCZK
currencyCHF currencyPLN currencyBTC currencymBTC currencyμBTC currencyZAR currencyINR currencyKRW currencyIDR
currencyPHP currencyVND bytes decbytes bits decbits kbytes deckbytes mbytes decmbytes gbytes decgbytes tbytes
dectbytes pbytes decpbytes pps binBps Bps binbps bps KiBs Kibits KBs Kbits MiBs Mibits MBs Mbits GiBs Gibits GBs
Gbits TiBs Tibits TBs Tbits PiBs Pibits PBs Pbits dateTimeAsIso dateTimeAsIsoNoDateIfToday dateTimeAsUS
dateTimeAsUSNoDateIfToday dateTimeAsLocal dateTimeAsLocalNoDateIfToday dateTimeAsSystem dateTimeFromNow watt kwatt
megwatt gwatt mwatt Wm2 voltamp kvoltamp voltampreact kvoltampreact watth watthperkg kwatth kwattm amph kamph mamph
joule ev amp kamp mamp volt kvolt mvolt dBm ohm kohm Mohm farad µfarad nfarad pfarad ffarad henry mhenry µhenry
lumens flowgpm flowcms flowcfs flowcfm litreh flowlpm flowmlpm lux forceNm forcekNm forceN forcekN Hs KHs MHs GHs
THs PHs EHs massmg massg masslb masskg masst lengthmm lengthin lengthft lengthm lengthkm lengthmi pressurembar
pressurebar pressurekbar pressurepa pressurehpa pressurekpa pressurehg pressurepsi radbq radci radgy radrad radsv
radmsv radusv radrem radexpckg radr radsvh radmsvh radusvh rotrpm rothz rotrads rotdegs celsius fahrenheit kelvin
hertz ns µs ms s m h d dtdurationms dtdurations dthms dtdhms timeticks clockms clocks cps ops reqps rps wps iops
cpm opm rpm wpm mps mpm eps epm recps recpm rowsps rowspm reqpm currencyTRY velocityms velocitykmh velocitymph velocityknot mlitre litre m3 Nm3 dm3 gallons bool
bool_yes_no bool_on_off
""".split()
)
# Custom units: "<kind>:<text>" ids that getValueFormat (valueFormats.ts) builds a formatter for:
# prefix:, suffix:, time: (a moment.js date format), si:, count:, currency:, bool:.
CUSTOM_UNIT_KINDS = ("prefix", "suffix", "time", "si", "count", "currency", "bool")
UNIT_PANELS = {"stat", "singlestat", "graph", "table", "timeseries", "gauge"}


def valid_unit(unit: str) -> bool:
    kind, colon, text = unit.partition(":")
    return unit in VALID_UNITS or (bool(colon) and kind in CUSTOM_UNIT_KINDS and bool(text))


def _legacy_unit(panel: dict) -> tuple[str, str]:
    """Where pre-7 panels keep their unit, which Grafana moves to fieldConfig on load: a graph's left
    y-axis ``yaxes[0].format`` (timeseries/migrations.ts: flotToGraphOptions, "Keep the y-axis unit"),
    a singlestat's ``format`` (SingleStatBaseOptions.ts: sharedSingleStatPanelChangedHandler), an
    old table's column ``styles`` (table/migrations.ts: migrateTableStyleToOverride makes each
    style's ``unit``, or ``time: <dateFormat>`` for a date column, a unit override)."""
    if panel.get("type") == "graph":
        yaxes = panel.get("yaxes")
        first = yaxes[0] if isinstance(yaxes, list) and yaxes and isinstance(yaxes[0], dict) else {}
        return str(first.get("format") or ""), "/yaxes/0/format"
    if panel.get("type") == "singlestat":
        return str(panel.get("format") or ""), "/format"
    styles = panel.get("styles")
    if panel.get("type") == "table" and isinstance(styles, list):
        for i, style in enumerate(styles):
            if isinstance(style, dict) and style.get("unit"):
                return str(style["unit"]), f"/styles/{i}/unit"
            if isinstance(style, dict) and style.get("type") == "date":
                return f"time: {style.get('dateFormat') or ''}", f"/styles/{i}/dateFormat"
    return "", ""


def configured_unit(panel: dict) -> tuple[str, str]:
    """The unit and its pointer below the panel. An override's unit wins over the default, as in the
    linter's getConfiguredUnit; a legacy panel's own unit wins over fieldConfig, as in Grafana's migration."""
    field_config = panel.get("fieldConfig") or {}
    for i, override in enumerate(field_config.get("overrides") or []):
        for j, prop in enumerate(override.get("properties") or []):
            if prop.get("id") == "unit" and prop.get("value"):
                return str(prop["value"]), f"/fieldConfig/overrides/{i}/properties/{j}/value"
    legacy, where = _legacy_unit(panel)
    if legacy:
        return legacy, where
    return str((field_config.get("defaults") or {}).get("unit") or ""), "/fieldConfig/defaults/unit"


def _has_mappings(panel: dict) -> bool:
    field_config = panel.get("fieldConfig") or {}
    if (field_config.get("defaults") or {}).get("mappings"):
        return True
    return any(
        prop.get("id") == "mappings" and prop.get("value")
        for o in field_config.get("overrides") or []
        for prop in o.get("properties") or []
    )


def _exempt(ref: PanelRef) -> bool:
    # A stat showing a non-numeric field, or values mapped to text, needs no unit.
    fields = ((ref.panel.get("options") or {}).get("reduceOptions") or {}).get("fields")
    return (ref.type == "stat" and bool(fields)) or _has_mappings(ref.panel)


class PanelUnits(Rule):
    """Every query panel sets a unit Grafana knows.

    **Why**: without a unit 0.05 might be 5 %, 50 ms or 0.05 requests; the
    viewer has to guess, and Grafana cannot scale values (1.2 K, 3 MiB).

    **Bad**:

        "fieldConfig": {"defaults": {"unit": "seconds"}}

    **Good**:

        "fieldConfig": {"defaults": {"unit": "s"}}

    Units are read where Grafana reads them: also a legacy ``graph``'s ``yaxes[0].format``, a
    ``singlestat``'s ``format`` and an old ``table``'s column ``styles``; custom units (``suffix:req``, ``time:YYYY-MM-DD``, ``si:B``,
    ``count:``, ``currency:``, ``prefix:``, ``bool:``) are valid.

    Parity: grafana/dashboard-linter ``lint/rule_panel_units.go``. Deviations: upstream reads only
    ``fieldConfig`` (so every legacy graph, singlestat and old table fails there), and rejects
    custom units and the units Grafana added after its list (``eps``, ``recps``, ...).
    """

    id = "panel/units"
    group = "convention"
    aliases = ("panel-units",)  # dashboard-linter's name, the id before one naming style
    severity = Severity.ERROR

    def check(self, ctx: DashboardContext) -> list[Problem]:
        found = []
        for ref in ctx.panels:
            if ref.type not in UNIT_PANELS or _exempt(ref):
                continue
            unit, where = configured_unit(ref.panel)
            if not valid_unit(unit):
                found.append(
                    self.problem(
                        ctx, f"has no or invalid units defined: '{unit}'", panel=ref, path=f"{ref.path}{where}"
                    )
                )
        return found
