"""The package surface (`citycoop/__init__.py`) and the shape of the code behind it."""

from __future__ import annotations

import ast
import datetime as dt
import importlib
import inspect
import json
import re
import subprocess
import sys
import typing
from pathlib import Path

import pytest

import citycoop
from _shared import ROOT

SRC = Path(citycoop.__file__).parent


def _module_name(path: Path) -> str:
    parts = path.relative_to(SRC.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """Every citycoop module *path* imports at run time, inside functions too."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skipped.update(id(child) for stmt in node.body for child in ast.walk(stmt))
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("citycoop"))
        elif (
            isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("citycoop")
        ):
            found.add(node.module)
            for alias in node.names:  # `from citycoop.io import json` imports a module
                candidate = f"{node.module}.{alias.name}"
                if (SRC.parent / candidate.replace(".", "/")).with_suffix(".py").exists():
                    found.add(candidate)
    return found


class TestSurface:
    """Public names are listed once, and dir() shows only them."""

    def test_dir_is_the_public_api(self):
        public = [name for name in dir(citycoop) if not name.startswith("__")]
        assert public == sorted(n for n in citycoop.__all__ if not n.startswith("__"))
        assert all(name.startswith("__") for name in set(dir(citycoop)) - set(citycoop.__all__))

    def test_lazy_table_matches_each_modules_all(self):
        modules: dict[str, set[str]] = {}
        for name, module in citycoop._LAZY.items():
            modules.setdefault(module, set()).add(name)
        for module, names in modules.items():
            assert names == set(importlib.import_module(f"citycoop.{module}").__all__)

    def test_all_is_the_eager_and_the_lazy_names(self):
        """The static __all__ is exactly what the modules export, eager and lazy."""
        tree = ast.parse((SRC / "__init__.py").read_text(encoding="utf-8"))
        eager = [
            node.module
            for node in tree.body
            if isinstance(node, ast.ImportFrom) and node.module and node.names[0].name == "*"
        ]
        assert eager  # the values and most of the domain load with the package
        names = {n for module in eager for n in importlib.import_module(module).__all__}
        expected = {"__version__", "datasets", *citycoop._LAZY, *names}
        assert sorted(citycoop.__all__) == sorted(expected)

    def test_every_public_name_resolves_to_its_home(self):
        for name, module in citycoop._LAZY.items():
            value = getattr(citycoop, name)
            if inspect.isclass(value) or inspect.isfunction(value):
                assert value.__module__ == f"citycoop.{module}"

    def test_all_lists_each_name_once(self):
        """Each name once; the order is ruff's (RUF022: constants, classes, functions)."""
        assert len(set(citycoop.__all__)) == len(citycoop.__all__)

    def test_lazy_modules_stay_unloaded(self):
        code = (
            "import citycoop, sys; "
            "print(sorted(m for m in sys.modules if m.startswith('citycoop.')))"
        )
        done = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        )
        loaded = {m.removeprefix("citycoop.") for m in ast.literal_eval(done.stdout)}
        assert not loaded & set(citycoop._LAZY.values())


class TestTypeHints:
    """Every public class's annotations resolve at run time (cattrs, Hypothesis and IDEs read them)."""

    @pytest.mark.parametrize(
        "name", [n for n in citycoop.__all__ if inspect.isclass(getattr(citycoop, n))]
    )
    def test_get_type_hints_resolves(self, name):
        hints = typing.get_type_hints(getattr(citycoop, name))
        assert all(hint is not None for hint in hints.values())

    def test_missing_rate_error_is_on_a_date(self):
        assert typing.get_type_hints(citycoop.MissingRateError.__init__)["on"] is dt.date


#: The layers, lowest first: a module may import its own layer and those below it. The
#: edges (the CLI, io, strategies, datasets, charts, columnar) may import every layer.
LAYERS = ("_core", "_domain", "_fx", "_prices", "_rollup", "_report")


def _layer(module: str) -> int:
    parts = module.split(".")
    if len(parts) > 1 and parts[1] in LAYERS:
        return LAYERS.index(parts[1])
    return len(LAYERS)  # an edge (or the package itself)


class TestLayout:
    """Imports point down the layers; no import cycle, not even inside a function."""

    def test_imports_point_down(self):
        upward = sorted(
            f"{_module_name(path)} -> {target}"
            for path in SRC.rglob("*.py")
            for target in _imports(path)
            if target != "citycoop" and _layer(target) > _layer(_module_name(path))
        )
        assert upward == []

    def test_no_private_name_from_another_package(self):
        """A package reaches another's internals only through names without an underscore."""
        found = []
        for path in SRC.rglob("*.py"):
            here = _module_name(path).split(".")[:2]
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("citycoop"):
                    there = (node.module or "").split(".")[:2]
                    found.extend(
                        f"{_module_name(path)}: {node.module}.{alias.name}"
                        for alias in node.names
                        if alias.name.startswith("_") and there != here
                    )
        assert found == []

    def test_no_private_usage_suppressed(self):
        """No lint suppression hides a reach into citycoop's private names."""
        hits = [
            (str(path.relative_to(SRC)), line.strip())
            for path in SRC.rglob("*.py")
            for line in path.read_text(encoding="utf-8").splitlines()
            if "SLF001" in line or "reportPrivateUsage" in line
        ]
        # lxml's stubs name the parsed element class `_Element`; one alias spells it.
        assert hits == [
            (
                "io/_iati_activity.py",
                "from lxml.etree import _Element  # pyright: ignore[reportPrivateUsage]",
            )
        ]

    def test_argument_paths_come_from_one_helper(self):
        """No error path such as ``"rollup.currency"`` is typed by hand: `Arguments` makes them."""
        functions = {
            name for name in citycoop.__all__ if inspect.isfunction(getattr(citycoop, name))
        }
        functions |= {"columnar", "sector", "fiscal_year", "read_activities", "from_arrow"}
        typed = []
        for path in SRC.rglob("*.py"):
            if "strategies" in path.parts:
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            named = {  # the one place each function's name is written: Arguments("rollup")
                id(arg)
                for call in ast.walk(tree)
                if isinstance(call, ast.Call) and ast.unparse(call.func) == "Arguments"
                for arg in call.args
            }
            for node in ast.walk(tree):
                text = None
                if id(node) in named:
                    continue
                if isinstance(node, ast.Constant) and isinstance(node.value, str):
                    text = node.value
                elif isinstance(node, ast.JoinedStr) and node.values:
                    first = node.values[0]
                    if isinstance(first, ast.Constant) and isinstance(first.value, str):
                        text = first.value
                if text is None:
                    continue
                head, dot, rest = text.partition(".")
                head = head.partition("[")[0]
                if dot and head in functions and rest[:1].isidentifier() and " " not in text:
                    typed.append(f"{path.relative_to(SRC)}:{node.lineno}: {text}")
        assert typed == []

    def test_no_source_file_over_600_lines(self):
        sizes = {
            str(path.relative_to(SRC)): len(path.read_text(encoding="utf-8").splitlines())
            for path in SRC.rglob("*.py")
        }
        assert {name: size for name, size in sizes.items() if size > 600} == {}

    def test_no_import_cycles(self):
        graph = {_module_name(p): _imports(p) for p in SRC.rglob("*.py")}
        graph = {m: {d for d in deps if d in graph and d != m} for m, deps in graph.items()}
        # The package itself imports everything eagerly, so an edge into it counts too.
        state: dict[str, int] = {}
        cycles: list[list[str]] = []

        def visit(node: str, path: list[str]) -> None:
            state[node] = 1
            for dep in sorted(graph[node]):
                if state.get(dep) == 1:
                    cycles.append([*path[path.index(dep) :], dep] if dep in path else [node, dep])
                elif dep not in state:
                    visit(dep, [*path, dep])
            state[node] = 2

        for module in sorted(graph):
            if module not in state:
                visit(module, [module])
        assert cycles == []


class TestImport:
    """import citycoop stays cheap."""

    def test_heavy_modules_not_imported(self):
        # The standard library's tomllib, csv, html and fractions wait for first use too,
        # unless what citycoop imports itself (attrs, pendulum) loads them.
        modules = (
            "('pint','pandas','lxml','hypothesis','iso4217','tomllib','csv','html','fractions')"
        )

        def loaded(statement: str) -> set[str]:
            code = f"{statement}; import sys, json; print(json.dumps([m for m in {modules} if m in sys.modules]))"
            done = subprocess.run(
                [sys.executable, "-c", code], capture_output=True, text=True, check=True
            )
            return set(json.loads(done.stdout))

        assert loaded("import citycoop") <= loaded("import attrs, pendulum")

    def test_all_is_sorted_and_complete(self):
        assert len(set(citycoop.__all__)) == len(citycoop.__all__)  # order: ruff RUF022
        for name in citycoop.__all__:
            assert getattr(citycoop, name) is not None

    def test_function_layer_loads_on_first_use(self):
        code = (
            "import citycoop, sys; assert 'citycoop._fx.table' not in sys.modules; "
            "from citycoop import rollup, RateTable; assert 'citycoop._rollup.aggregate' in sys.modules; "
            "assert 'rollup' in dir(citycoop); print(rollup.__module__, RateTable.__module__)"
        )
        done = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        )
        assert done.stdout.split() == ["citycoop._rollup.aggregate", "citycoop._fx.table"]

    def test_unknown_attribute(self):
        with pytest.raises(AttributeError):
            _ = citycoop.nonexistent


class TestArchitecturePage:
    """docs/architecture.md names every module, so a newcomer finds each room."""

    def test_every_module_is_named(self):
        from _shared import ROOT

        page = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
        missing = [
            str(path.relative_to(SRC))
            for path in sorted(SRC.rglob("*.py"))
            if path.name != "__init__.py" and f"{path.name}`" not in page
        ]
        assert missing == []

    def test_the_layer_table_is_the_tests(self):
        from _shared import ROOT

        page = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
        assert all(f"`{layer}`" in page for layer in LAYERS)


class TestDocsLinks:
    """The docs link other projects only through their own inventories, never hand-made ones."""

    def conf(self):
        import importlib.util

        spec = importlib.util.spec_from_file_location("docs_conf", ROOT / "docs" / "conf.py")
        assert spec is not None
        assert spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module

    def test_linked_projects_have_a_real_inventory(self):
        conf = self.conf()
        for name, (url, path) in conf.intersphinx_mapping.items():
            assert url == conf.PROJECTS[name][0]
            data = Path(path).read_bytes()
            assert data.startswith(b"# Sphinx inventory version 2\n"), name
            assert Path(path).parent == ROOT / "docs" / "_inventories"

    def test_every_other_project_is_named_not_linked(self):
        conf = self.conf()
        ignored = {pattern for _, pattern in conf.nitpick_ignore_regex}
        for name, (_, pattern) in conf.PROJECTS.items():
            assert (name in conf.intersphinx_mapping) != (pattern in ignored), name
        assert not (ROOT / "docs" / "external.toml").exists()  # no table to make one from

    def test_every_module_of_the_api_page_has_its_heading(self):
        page = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
        section = page.split("## Modules\n", 1)[1]
        modules = re.findall(r"\.\. automodule:: (\S+)", section)
        headings = re.findall(r"^### `([^`]+)`", section, flags=re.MULTILINE)
        assert modules
        assert headings == modules

    def test_enum_members_are_listed_in_their_class_not_as_empty_entries(self):
        conf = self.conf()
        lines: list[str] = []
        conf._enum_members(None, "class", "citycoop.BudgetKind", citycoop.BudgetKind, {}, lines)
        assert lines[-2] == "Members: ``ORIGINAL`` (``'original'``), ``REVISED`` (``'revised'``)."
        member = citycoop.BudgetKind.REVISED
        skip = conf._skip_enum_members
        assert skip(None, "attribute", "REVISED", member, skip=False, options={}) is True
        assert skip(None, "method", "x", citycoop.Money.format, skip=False, options={}) is None
