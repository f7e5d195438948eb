"""An app's property tests pass with Hypothesis' defaults on a machine kept busy."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

from _shared import ROOT

#: The app's module, as its developer writes it.
APP = ROOT / "tests" / "downstream" / "app_properties.py"


def test_default_health_checks_pass_while_every_core_is_busy(tmp_path):
    app = tmp_path / "app"
    app.mkdir()
    shutil.copy(APP, app / "test_app.py")
    (app / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    # citycoop as an app has it: installed, in site-packages (this suite runs it from a
    # source checkout, whose modules Hypothesis would read as the app's own code).
    installed = tmp_path / "lib" / "site-packages"
    shutil.copytree(ROOT / "src" / "citycoop", installed / "citycoop")
    busy = [
        subprocess.Popen([sys.executable, "-c", "while True: pass"])
        for _ in range(os.cpu_count() or 2)
    ]
    try:
        done = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_app.py"],
            cwd=app,
            env={**os.environ, "PYTHONPATH": str(installed)},
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
    finally:
        for process in busy:
            process.kill()
            process.wait()
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "4 passed" in done.stdout
    assert str(installed) in done.stdout + _where_citycoop_is(installed, app)


def _where_citycoop_is(installed, app) -> str:
    """Where the app's Python finds citycoop (the copy in site-packages, not the source)."""
    return subprocess.run(
        [sys.executable, "-c", "import citycoop; print(citycoop.__file__)"],
        cwd=app,
        env={**os.environ, "PYTHONPATH": str(installed)},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
