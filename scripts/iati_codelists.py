"""Write ``src/citycoop/_data/iati_codes.csv`` from the official IATI code lists.

Usage: ``python scripts/iati_codelists.py CODELIST_DIR [OUTPUT]``

*CODELIST_DIR* holds the IATI 2.03 code lists in IATI's XML format (``Sector.xml``,
``TransactionType.xml``, ...), and optionally a ``latest-dac/`` folder with the OECD
DAC lists that are newer than the 2.03 release; their codes are added, so that files
using recent DAC codes are read. Only the lists the reader checks are written, with
each code's English name and whether it is withdrawn.

Source: IATI Standard (http://iatistandard.org/), CC BY 4.0.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path
from xml.etree import ElementTree as ET

#: The code lists the reader checks codes against.
LISTS = (
    "ActivityDateType",
    "ActivityStatus",
    "BudgetStatus",
    "BudgetType",
    "Country",
    "Currency",
    "GeographicVocabulary",
    "OrganisationRole",
    "OrganisationType",
    "Region",
    "RegionVocabulary",
    "Sector",
    "SectorCategory",
    "SectorVocabulary",
    "TransactionType",
    "Version",
)
DEFAULT_OUTPUT = Path(__file__).parent.parent / "src" / "citycoop" / "_data" / "iati_codes.csv"


def _items(path: Path) -> list[tuple[str, str, str]]:
    """``(code, English name, status)`` of every item of one code list file."""
    found: list[tuple[str, str, str]] = []
    for item in ET.parse(path).getroot().iter("codelist-item"):  # noqa: S314 (a trusted local file)
        code = (item.findtext("code") or "").strip()
        name = ""
        for narrative in item.iterfind("name/narrative"):
            if narrative.get("{http://www.w3.org/XML/1998/namespace}lang") in (None, "en"):
                name = " ".join((narrative.text or "").split())
                break
        found.append((code, name, item.get("status", "active")))
    return found


def rows(folder: Path) -> list[tuple[str, str, str, str]]:
    """Every ``(list, code, name, status)`` row, sorted by list then code as listed."""
    result: list[tuple[str, str, str, str]] = []
    for name in LISTS:
        items = {code: (label, status) for code, label, status in _items(folder / f"{name}.xml")}
        newer = folder / "latest-dac" / f"{name}.xml"
        if newer.exists():
            for code, label, status in _items(newer):
                items.setdefault(code, (label, status))
        result.extend((name, code, label, status) for code, (label, status) in items.items())
    return result


def main(argv: list[str]) -> int:
    """Write the table; *argv* is ``[script, codelist folder, optional output]``."""
    if len(argv) not in (2, 3):
        sys.stderr.write(__doc__ or "")
        return 2
    output = Path(argv[2]) if len(argv) == 3 else DEFAULT_OUTPUT
    with output.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(("list", "code", "name", "status"))
        writer.writerows(rows(Path(argv[1])))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
