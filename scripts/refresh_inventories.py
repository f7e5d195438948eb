"""Fetch the Sphinx inventories (``objects.inv``) of the projects the docs link to.

Usage: ``python scripts/refresh_inventories.py [NAME ...]`` (all of them by default)

Each project's own ``objects.inv`` is downloaded from its documentation site into
``docs/_inventories/<name>.inv``, checked to be a Sphinx inventory, and kept in the
repository, so that the documentation build links to those projects without reaching the
network. ``docs/conf.py`` links a project's objects only when its inventory is there; a
project without one is named in the docs but not linked (see ``PROJECTS`` there).

Run it where the network is reachable, when a project moves its pages, and commit what
it writes. Inventories are never written by hand.
"""

from __future__ import annotations

import sys
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent / "docs"
sys.path.insert(0, str(HERE))

from conf import PROJECTS  # noqa: E402 - the one list of projects, in docs/conf.py

FOLDER = HERE / "_inventories"
HEADER = b"# Sphinx inventory version 2\n"


def fetch(name: str) -> Path:
    """Download *name*'s inventory into ``docs/_inventories``; its path."""
    url = PROJECTS[name][0] + "objects.inv"
    with urllib.request.urlopen(url, timeout=60) as response:  # noqa: S310 - https URLs of PROJECTS
        data = response.read()
    if not data.startswith(HEADER):
        message = f"{url} is not a Sphinx inventory (it starts {data[:40]!r})"
        raise SystemExit(message)
    FOLDER.mkdir(exist_ok=True)
    path = FOLDER / f"{name}.inv"
    path.write_bytes(data)
    return path


def main(names: list[str]) -> int:
    """Fetch the inventories of *names* (every project when empty); the exit status."""
    unknown = sorted(set(names) - set(PROJECTS))
    if unknown:
        sys.stderr.write(f"unknown projects {unknown}; known: {', '.join(PROJECTS)}\n")
        return 2
    for name in names or list(PROJECTS):
        try:
            path = fetch(name)
        except OSError as error:
            sys.stderr.write(f"{name}: not fetched ({error})\n")
            return 1
        sys.stdout.write(
            f"{name}: {path.relative_to(HERE.parent)} ({path.stat().st_size:,} bytes)\n"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
