"""One lint rule per module, named after its id (``promql_syntax.py`` is ``promql/syntax``).

Rules are listed explicitly in ``azora_dash.lint.registry.RULES``.
"""
