"""Sphinx configuration for citycoop's documentation."""

from importlib.metadata import version as _version

project = "citycoop"
author = "citycoop developers"
copyright = "2026, citycoop developers"
release = _version("citycoop")
version = ".".join(release.split(".")[:2])

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
]
source_suffix = {".md": "markdown"}
exclude_patterns = ["_build", "conftest.py"]
myst_enable_extensions = ["colon_fence"]
myst_heading_anchors = 3
autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_default_options = {"members": True, "show-inheritance": True}
napoleon_google_docstring = True
nitpicky = False
suppress_warnings = ["myst.xref_missing"]

html_theme = "furo"
html_title = f"citycoop {release}"
