"""One module per CLI command group. Bodies stay short: parse, call the library, map errors."""
