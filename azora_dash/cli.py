"""The ``azora-dash`` command line: a thin click layer over the library.

Commands live in ``azora_dash/commands/<name>.py`` and are listed explicitly in
``COMMANDS``. They are imported lazily, only when invoked, so that ``build`` does
not pay for ``requests`` or ``promql_parser`` at start-up. click itself is imported
only once ``main`` knows it needs it: a plain ``build`` runs without it
(``commands.fast_build``), and a no-change one is answered from the build cache before
grafanalib loads too, since start-up is all such a rebuild costs.
"""

from __future__ import annotations

import importlib
import sys

from . import __version__

# Explicit registry: name -> "module:attribute" (pint's CheckNames, not import scanning).
COMMANDS: dict[str, str] = {
    "build": "azora_dash.commands.build:build",
    "validate": "azora_dash.commands.build:validate",
    "diff": "azora_dash.commands.diff:diff",
    "monitoring": "azora_dash.commands.monitoring:monitoring",
    "push": "azora_dash.commands.push:push",
    "pull": "azora_dash.commands.push:pull",
    "import": "azora_dash.commands.import_:import_",
    "verify": "azora_dash.commands.verify:verify",
    "demo": "azora_dash.commands.demo:demo",
    "lint": "azora_dash.commands.lint:lint",
    "preview": "azora_dash.commands.preview:preview",
    "coverage": "azora_dash.commands.coverage:coverage",
    "backtest": "azora_dash.commands.backtest:backtest",
}


def _group():
    """The click group, made on first use (``azora_dash.cli.cli``)."""
    import click

    class LazyGroup(click.Group):
        def list_commands(self, ctx):
            return sorted(COMMANDS)

        def get_command(self, ctx, name):
            target = COMMANDS.get(name)
            if target is None:
                return None
            module, attr = target.split(":")
            return getattr(importlib.import_module(module), attr)

        def format_commands(self, ctx, formatter):
            """As click's, but each summary is the docstring's whole first line, never cut with "..."."""
            rows = [
                (name, self.get_command(ctx, name).get_short_help_str(limit=500)) for name in self.list_commands(ctx)
            ]
            with formatter.section("Commands"):
                formatter.write_dl(rows)

    @click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
    @click.version_option(__version__, prog_name="azora-dash")
    def cli():
        """Grafana dashboards and the monitoring stack of Azora OS, as code.

        \b
        Quick start:
          azora-dash build        # compile dashboards/ into provisioning/
          azora-dash validate     # check the result against Grafana's model
        """

    return cli


_made: dict = {}


def __getattr__(name: str):
    # PEP 562: `from azora_dash.cli import cli` builds the group (and imports click) on first use.
    if name == "cli":
        if "cli" not in _made:
            _made["cli"] = _group()
        return _made["cli"]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# The only spellings the click-free path answers; anything else (--check, --schema, --help, an
# unknown option) goes through click, which also owns every error message.
_BUILD_OPTIONS = {"--dashboards": "dashboards", "--out": "provisioning", "--format": "text"}


def _build_options(args: list[str]) -> dict[str, str] | None:
    """``build``'s --dashboards/--out/--format values, or None if ``args`` is anything else."""
    if not args or args[0] != "build":
        return None
    found = dict(_BUILD_OPTIONS)
    rest = args[1:]
    while rest:
        name, eq, value = rest[0].partition("=")
        if name not in found:
            return None
        if not eq:
            if len(rest) < 2:
                return None
            value, rest = rest[1], rest[1:]
        found[name] = value
        rest = rest[1:]
    return found if found["--format"] in ("text", "json") and all(found.values()) else None


def main(argv=None):
    args = sys.argv[1:] if argv is None else [str(a) for a in argv]
    options = _build_options(args)
    if options is not None:
        from pathlib import Path

        from .commands.fast_build import main as build

        build(Path(options["--dashboards"]), Path(options["--out"]), options["--format"])
        sys.exit(0)
    # click's own usage errors already exit 2; AzoraDashError is mapped in commands.common.
    sys.exit(__getattr__("cli").main(args=args, prog_name="azora-dash", standalone_mode=True))
