"""Sphinx configuration for citycoop's documentation."""

import enum
import re
import typing
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

_HERE = Path(__file__).resolve().parent

#: The projects the docs cite: documentation URL, and a pattern of the names of their
#: objects. A project's objects are linked through its own inventory, vendored in
#: ``_inventories/<name>.inv`` by ``scripts/refresh_inventories.py`` (where the network
#: is reachable; the build itself reads no network). No inventory is ever written by
#: hand: a project whose inventory is not vendored is named in the docs, not linked.
PROJECTS = {
    "python": (
        "https://docs.python.org/3/",
        (
            r"decimal(\.\w+)?|datetime\.\w+|collections\.abc\.\w+|enum\.\w+|os\.PathLike"
            r"|typing\.\w+|ValueError|Exception|UserWarning"
        ),
    ),
    "attrs": ("https://www.attrs.org/en/stable/", r"attrs\.\w+"),
    "cattrs": ("https://catt.rs/en/stable/", r"cattrs\.\w+"),
    "pendulum": ("https://pendulum.eustace.io/docs/", r"pendulum(\.\w+)+"),
    "pint": ("https://pint.readthedocs.io/en/stable/", r"pint(\.\w+)+"),
    "pandas": ("https://pandas.pydata.org/docs/", r"pandas(\.\w+)+"),
    "babel": ("https://babel.pocoo.org/en/latest/", r"babel\.[\w.]+"),
    "pyarrow": ("https://arrow.apache.org/docs/python/", r"pyarrow(\.\w+)+"),
    "matplotlib": ("https://matplotlib.org/stable/", r"matplotlib\.[\w.]+"),
    "hypothesis": ("https://hypothesis.readthedocs.io/en/latest/", r"hypothesis\.[\w.]+"),
    "distributed": ("https://distributed.dask.org/en/stable/", r"distributed(\.\w+)+"),
}

_VENDORED = {name: _HERE / "_inventories" / f"{name}.inv" for name in PROJECTS}
intersphinx_mapping = {
    name: (url, str(_VENDORED[name]))
    for name, (url, _) in PROJECTS.items()
    if _VENDORED[name].exists()
}

# Every reference resolves: to citycoop's own pages, or through a vendored inventory to
# the projects it builds on. Private helpers and type variables have no page to link to.
nitpicky = True
nitpick_ignore_regex = [
    ("py:class", r"(citycoop(\.\w+)*\.)?_\w+"),
    # The rollup engine's working parts, named only in a Rollup's private fields.
    ("py:class", r"FrozenSums|Bucket"),
    # What progress= takes (None, True or a callback), said in each parameter's text.
    ("py:class", r"Progress"),
    # A report's parts, read through Report.sections (documented there).
    ("py:class", r"(citycoop\._report\.model\.)?(Section|Table)"),
    # Projects without a vendored inventory: named, not linked (see PROJECTS).
    *(
        (r"py:\w+", pattern)
        for name, (_, pattern) in PROJECTS.items()
        if name not in intersphinx_mapping
    ),
]

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
    "Client": "distributed.Client",
    "pendulum.date.Date": "pendulum.Date",
    "pendulum.datetime.DateTime": "pendulum.DateTime",
    "pint.registry.Quantity": "pint.Quantity",
    "CsvError": "citycoop.CsvError",
    "citycoop.io.csv.CsvError": "citycoop.CsvError",
}

# An alias of an object of a project named but not linked is named, not linked, too.
nitpick_ignore_regex += [
    ("py:class", re.escape(alias))
    for alias, target in _ALIASES.items()
    for name, (_, pattern) in PROJECTS.items()
    if name not in intersphinx_mapping and re.fullmatch(pattern, target)
]


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


def _enum_members(app, what, name, obj, options, lines):  # noqa: ANN001, ANN202, ARG001, PLR0917
    """List a code list's members, each with its value, in its class's own entry."""
    if what == "class" and isinstance(obj, type) and issubclass(obj, enum.Enum):
        listed = ", ".join(f"``{member.name}`` (``{member.value!r}``)" for member in obj)
        lines.extend(["", f"Members: {listed}.", ""])


def _skip_enum_members(app, what, name, obj, skip, options):  # noqa: ANN001, ANN202, ARG001, PLR0917
    """Leave out the members' own entries: they have no text of their own to show."""
    return True if isinstance(obj, enum.Enum) else None


def setup(app):  # noqa: ANN001, ANN201
    """Resolve references as the code spells them, show public bases, list enum members."""
    app.connect("missing-reference", _alias, priority=400)
    app.connect("autodoc-process-bases", _public_bases)
    app.connect("autodoc-process-docstring", _enum_members)
    app.connect("autodoc-skip-member", _skip_enum_members)


html_theme = "furo"
html_title = f"citycoop {release}"
