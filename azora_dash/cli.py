"""The ``azora-dash`` command line: a thin click layer over the library.

Commands live in ``azora_dash/commands/<name>.py`` and are listed explicitly in
``COMMANDS``. They are imported lazily, only when invoked, so that ``build`` does
not pay for ``requests`` or ``promql_parser`` at start-up. click itself is imported
only once ``main`` knows it needs it: a plain ``build`` or ``validate PATH...`` runs
without it (``commands.fast``), and a no-change build is answered from the build cache before
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


# The spellings the click-free path answers (``commands.fast``): each command's options with
# their defaults, and whether it takes PATHs (then at least one). Anything else (--check, --schema,
# --help, an unknown option, validate of the code rather than files) goes through click, which
# also owns every usage error.
PLAIN: dict[str, tuple[dict[str, str], bool]] = {
    "build": ({"--dashboards": "dashboards", "--out": "provisioning", "--format": "text"}, False),
    "validate": ({"--format": "text"}, True),
}


def _plain_options(args: list[str]) -> tuple[str, dict[str, str], list[str]] | None:
    """``(command, {option: value}, paths)`` for a plain spelling of a ``PLAIN`` command, else None."""
    if not args or args[0] not in PLAIN:
        return None
    defaults, takes_paths = PLAIN[args[0]]
    found, paths, rest = dict(defaults), [], args[1:]
    while rest:
        name, eq, value = rest[0].partition("=")
        if not name.startswith("-"):
            paths.append(rest[0])
        elif name not in found:
            return None
        elif eq:
            found[name] = value
        elif len(rest) < 2:
            return None
        else:
            found[name], rest = rest[1], rest[1:]
        rest = rest[1:]
    if found["--format"] not in ("text", "json") or not all(found.values()) or bool(paths) != takes_paths:
        return None
    return args[0], found, paths


def main(argv=None):
    args = sys.argv[1:] if argv is None else [str(a) for a in argv]
    plain = _plain_options(args)
    if plain is not None:
        from .commands import fast

        command, options, paths = plain
        if command == "build":
            from pathlib import Path

            fast.build(Path(options["--dashboards"]), Path(options["--out"]), options["--format"])
        else:
            fast.validate(paths, options["--format"])
        sys.exit(0)
    # click's own usage errors already exit 2; AzoraDashError is mapped in commands.common.
    sys.exit(__getattr__("cli").main(args=args, prog_name="azora-dash", standalone_mode=True))
