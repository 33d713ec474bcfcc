"""The ``azora-dash`` command line: a thin click layer over the library.

Commands live in ``azora_dash/commands/<name>.py`` and are listed explicitly in
``COMMANDS``. They are imported lazily, only when invoked, so that ``build`` does
not pay for ``requests`` or ``promql_parser`` at start-up.
"""

from __future__ import annotations

import importlib
import sys

import click

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
        rows = [(name, self.get_command(ctx, name).get_short_help_str(limit=500)) for name in self.list_commands(ctx)]
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


def main(argv=None):
    # click's own usage errors already exit 2; AzoraDashError is mapped in commands.common.
    sys.exit(cli.main(args=argv, prog_name="azora-dash", standalone_mode=True))
