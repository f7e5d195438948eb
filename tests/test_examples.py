from __future__ import annotations

import subprocess
import sys

import pytest

from _shared import ROOT

EXAMPLES = ROOT / "examples"


class TestExamples:
    """Every example script runs, and the notebook executes, so they cannot rot."""

    @pytest.mark.parametrize("script", sorted(EXAMPLES.glob("*.py")), ids=lambda p: p.name)
    def test_script(self, script):
        done = subprocess.run(
            [sys.executable, str(script)], capture_output=True, text=True, check=False, timeout=300
        )
        assert done.returncode == 0, done.stderr
        assert done.stdout

    def test_notebook(self, reference):
        """The Seoul–Kyiv notebook runs end to end on the real rate files, with no workaround."""
        nbformat = pytest.importorskip("nbformat")
        nbclient = pytest.importorskip("nbclient")
        notebook = nbformat.read(EXAMPLES / "seoul_kyiv.ipynb", as_version=4)
        code = "\n".join(cell.source for cell in notebook.cells if cell.cell_type == "code")
        for workaround in ("%matplotlib", "savefig", "IPython.display", "float(", "astype("):
            assert workaround not in code
        client = nbclient.NotebookClient(
            notebook,
            timeout=300,
            kernel_name="python3",
            resources={"metadata": {"path": str(EXAMPLES)}},
        )
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("CITYCOOP_REFERENCE_DATA", str(reference))
            client.execute()
        outputs = [
            output for cell in notebook.cells if cell.cell_type == "code" for output in cell.outputs
        ]
        assert not [o for o in outputs if o.output_type == "error"]
        html = [o["data"]["text/html"] for o in outputs if "text/html" in o.get("data", {})]
        conversion = next(h for h in html if "UAH" in h and "KRW" in h)
        assert "UAH -&gt; USD -&gt; EUR -&gt; KRW" in conversion
        assert "World Bank" in conversion  # UAH to USD
        assert "ECB" in conversion  # USD to EUR to KRW
        assert any("participants" in h and "person_hours" in h for h in html)  # training
        assert sum("image/png" in o.get("data", {}) for o in outputs) == 2  # both charts
        # Other publishers' IATI files: USAID's 2022 disbursements in Ecuador, to the cent
        # (the how-to page's figure), and CAF's Peru activities by focus area.
        assert any("46,720,301.00" in h for h in html)
        assert any("focus_area" in h and "public_transport" in h for h in html)
        plain = "".join(o.get("data", {}).get("text/plain", "") for o in outputs)
        assert "'USAID and CAF activities': 321" in plain
        printed = "".join(o.get("text", "") for o in outputs if o.output_type == "stream")
        assert "['activities.xml', 'exports.csv', 'programme.json']" in printed
        assert "of 89 reported cases are recorded" in printed
        # The 2026 draft at a planning rate, said as such; frames converted and deflated
        # row by row; USAID's transactions totalled per type, never together.
        assert "planning rate: USD->UAH 2024 annual average" in plain
        assert any("converted_USD_rates" in h and "74715.92" in h for h in html)
        assert any("constant_UAH_2021" in h for h in html)
        assert any("outgoing_commitment" in h and "314,821,451.00" in h for h in html)
        assert "USD 74715.92" in printed  # UAH 3,000,000 at the 2024 average of 40.1520827


class TestReadme:
    """The README's example runs as written."""

    def test_example(self, capsys):
        text = (ROOT / "README.md").read_text(encoding="utf-8")
        blocks = [block.split("```", 1)[0] for block in text.split("```python\n")[1:]]
        assert blocks
        for block in blocks:
            exec(compile(block, "README.md", "exec"), {})  # noqa: S102 - the project's own README
        out = capsys.readouterr().out
        assert "'Lima': 'Wed 24 Nov 18:30'" in out
        assert "USD 675542272.48" in out

    def test_set_up_commands_are_what_ci_runs(self):
        """Exactly two set-up commands; CI runs each as written, in a fresh environment."""
        text = (ROOT / "README.md").read_text(encoding="utf-8")
        commands = [
            line.strip() for line in text.splitlines() if line.startswith("    python -m pip")
        ]
        assert commands == [
            "python -m pip install -e . && python -m citycoop",
            'python -m pip install -e ".[dev]" && python -m pytest',
        ]
        ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
        main_job, tests = commands
        assert f"  {main_job} > /dev/null\n" in ci
        assert f"\n{tests}\n" in ci

    def test_main_job_needs_no_extra(self):
        """`python -m citycoop` imports nothing an extra brings (the README installs none)."""
        code = (
            "import sys, runpy, io, contextlib\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n"
            "    try:\n"
            "        runpy.run_module('citycoop', run_name='__main__')\n"
            "    except SystemExit as done:\n"
            "        assert not done.code, done.code\n"
            "extras = {'hypothesis', 'pandas', 'lxml', 'matplotlib', 'pyarrow', 'duckdb', 'numpy'}\n"
            "print(sorted(extras & {m.split('.')[0] for m in sys.modules}))\n"
        )
        done = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=120
        )
        assert done.returncode == 0, done.stderr
        assert done.stdout.strip().splitlines()[-1] == "[]"
