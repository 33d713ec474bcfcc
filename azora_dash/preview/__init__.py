"""Layout previews: each dashboard's grid as SVG, change highlighting, an HTML index."""
