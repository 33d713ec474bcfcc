"""Exceptions the library raises; the CLI maps them to exit codes.

Exit codes (sqlfluff's EXIT_SUCCESS/FAIL/ERROR): 0 clean, 1 problems or
differences found, 2 usage, config, I/O or API error.
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_FOUND = 1
EXIT_ERROR = 2


class AzoraDashError(Exception):
    """Base class: a one-line, user-facing message that names the file/URL and the fix."""

    exit_code = EXIT_ERROR


class DefinitionError(AzoraDashError):
    """A dashboard module cannot be loaded or built (syntax error, no build(), exception, duplicate uid)."""


class ConfigError(AzoraDashError):
    """The user's configuration or options are wrong."""


class InputError(AzoraDashError):
    """An input file is missing, unreadable or not what it should be."""
