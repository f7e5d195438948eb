"""Sphinx configuration for citycoop's documentation."""

import tomllib
import typing
import zlib
from importlib.metadata import version as _version
from pathlib import Path

import citycoop

project = "citycoop"
author = "citycoop developers"
copyright = "2026, citycoop developers"
release = _version("citycoop")
version = ".".join(release.split(".")[:2])

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.intersphinx",
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
suppress_warnings = ["myst.xref_missing"]

# Every reference resolves: to citycoop's own pages, or through intersphinx to the
# projects it builds on. Private helpers and type variables have no page to link to.
nitpicky = True
nitpick_ignore_regex = [
    ("py:class", r"(citycoop(\.\w+)*\.)?_\w+"),
    # The rollup engine's working parts, named only in a Rollup's private fields.
    ("py:class", r"FrozenSums|Bucket"),
    # A report's parts, read through Report.sections (documented there).
    ("py:class", r"(citycoop\._report\.model\.)?(Section|Table)"),
]

_HERE = Path(__file__).resolve().parent


def _inventories() -> dict[str, tuple[str, str]]:
    """Write an inventory per project listed in external.toml; the build reads no network."""
    folder = _HERE / "_build" / "inventories"
    folder.mkdir(parents=True, exist_ok=True)
    mapping: dict[str, tuple[str, str]] = {}
    projects = tomllib.loads((_HERE / "external.toml").read_text(encoding="utf-8"))
    for name, entry in projects.items():
        lines = "".join(
            f"{target} {role} 1 {page or '.'} -\n"
            for target, (role, page) in entry["objects"].items()
        )
        header = (
            "# Sphinx inventory version 2\n"
            f"# Project: {name}\n# Version: \n"
            "# The remainder of this file is compressed using zlib.\n"
        )
        path = folder / f"{name}.inv"
        path.write_bytes(header.encode() + zlib.compress(lines.encode()))
        mapping[name] = (entry["url"], str(path))
    return mapping


intersphinx_mapping = _inventories()

#: Names as the source code spells them (imported under an alias, or re-exported) and
#: the objects they are.
_ALIASES = {
    "Decimal": "decimal.Decimal",
    "dt.date": "datetime.date",
    "dt.datetime": "datetime.datetime",
    "pd.DataFrame": "pandas.DataFrame",
    "pa.Table": "pyarrow.Table",
    "Figure": "matplotlib.figure.Figure",
    "SearchStrategy": "hypothesis.strategies.SearchStrategy",
    "pendulum.date.Date": "pendulum.Date",
    "pendulum.datetime.DateTime": "pendulum.DateTime",
    "pint.registry.Quantity": "pint.Quantity",
    "CsvError": "citycoop.CsvError",
    "citycoop.io.csv.CsvError": "citycoop.CsvError",
}


def _alias(app, env, node, contnode):  # noqa: ANN001, ANN202 - Sphinx's event signature
    """Resolve a reference spelt as the code spells it, by the object's documented name."""
    target = node.get("reftarget")
    if node.get("refdomain") != "py" or target not in _ALIASES:
        return None
    from sphinx.ext import intersphinx

    node["reftarget"] = _ALIASES[target]
    found = intersphinx.missing_reference(app, env, node, contnode)
    if found is not None:
        return found
    domain = env.get_domain("py")
    return domain.resolve_xref(
        env, node["refdoc"], app.builder, node["reftype"], node["reftarget"], node, contnode
    )


def _public_bases(app, name, obj, options, bases):  # noqa: ANN001, ANN202, ARG001
    """Show a class's public bases, not the private helper classes it shares."""

    def origin(base: type) -> type:  # OfBudget[Budget] is a generic alias of OfBudget
        return typing.get_origin(base) or base

    def private(base: type) -> bool:
        kind = origin(base)
        # A class of a private package that citycoop does not export is a helper.
        return kind is typing.Generic or (
            kind.__module__.startswith("citycoop._") and kind.__name__ not in citycoop.__all__
        )

    while any(private(base) for base in bases):
        bases[:] = [
            public
            for base in bases
            for public in (
                (b for b in origin(base).__bases__ if b is not object) if private(base) else (base,)
            )
        ]


def setup(app):  # noqa: ANN001, ANN201
    """Resolve references as the code spells them, and show public bases only."""
    app.connect("missing-reference", _alias, priority=400)
    app.connect("autodoc-process-bases", _public_bases)


html_theme = "furo"
html_title = f"citycoop {release}"
