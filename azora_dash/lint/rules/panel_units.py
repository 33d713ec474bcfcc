from __future__ import annotations

from ..base import Rule
from ..context import DashboardContext, PanelRef
from ..model import Problem, Severity

# Unit ids Grafana knows (grafana packages/grafana-data/src/valueFormats/categories.ts),
# the same set dashboard-linter's lint/rule_panel_units.go accepts.
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
cpm opm rpm wpm mps mpm velocityms velocitykmh velocitymph velocityknot mlitre litre m3 Nm3 dm3 gallons bool
bool_yes_no bool_on_off
""".split()
)
UNIT_PANELS = {"stat", "singlestat", "graph", "table", "timeseries", "gauge"}


def configured_unit(panel: dict) -> str:
    """An override's unit wins over the default, as in the linter's getConfiguredUnit."""
    field_config = panel.get("fieldConfig") or {}
    for override in field_config.get("overrides") or []:
        for prop in override.get("properties") or []:
            if prop.get("id") == "unit" and prop.get("value"):
                return str(prop["value"])
    return str((field_config.get("defaults") or {}).get("unit") or "")


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

    Parity: grafana/dashboard-linter ``lint/rule_panel_units.go``.
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
            unit = configured_unit(ref.panel)
            if unit not in VALID_UNITS:
                found.append(
                    self.problem(
                        ctx,
                        f"has no or invalid units defined: '{unit}'",
                        panel=ref,
                        path=f"{ref.path}/fieldConfig/defaults/unit",
                    )
                )
        return found
