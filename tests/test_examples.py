from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
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

    def test_notebook(self):
        nbformat = pytest.importorskip("nbformat")
        nbclient = pytest.importorskip("nbclient")
        notebook = nbformat.read(EXAMPLES / "portfolio.ipynb", as_version=4)
        nbclient.NotebookClient(notebook, timeout=120, kernel_name="python3").execute()
        outputs = [
            output for cell in notebook.cells if cell.cell_type == "code" for output in cell.outputs
        ]
        assert any("text/html" in output.get("data", {}) for output in outputs)  # the rollup table
        assert any("image/png" in output.get("data", {}) for output in outputs)  # the chart
        assert "of 89 reported cases are recorded" in outputs[-1]["text"]


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
