"""Write ``src/citycoop/_data/city_names.csv`` from the Countries States Cities Database.

Usage: ``python scripts/city_names.py city_names_ko_es.csv [OUTPUT]``

The input is an extract of the Countries States Cities Database
(https://github.com/dr5hn/countries-states-cities-database, ODbL v1.0): one row per city
of 15,000 people or more, or a capital, with its English, Korean and Spanish names. The
output keeps, per country and English name (compared without case or accents), the most
populous city's names in Korean and Spanish, and leaves out rows with neither. It is a
derivative database under the same licence (ODbL v1.0): keep it a separate file, with
the attribution the project's README asks for.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

from citycoop._core.places import folded

OUTPUT = Path(__file__).resolve().parent.parent / "src" / "citycoop" / "_data" / "city_names.csv"
COLUMNS = ("country", "name_en", "name_ko", "name_es")


def main(source: Path, output: Path = OUTPUT) -> int:
    """Write the names table; the exit status."""
    with source.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))

    def population(row: dict[str, str]) -> int:
        return int(row["population"] or 0)

    kept: dict[tuple[str, str], dict[str, str]] = {}
    for row in sorted(rows, key=lambda r: (r["country_code"], -population(r), r["id"])):
        if not (row["name_ko"] or row["name_es"]):
            continue
        key = (row["country_code"], folded(row["name_en"].strip()))
        kept.setdefault(key, row)
    with output.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(COLUMNS)
        for (country, _), row in sorted(kept.items()):
            writer.writerow((country, row["name_en"], row["name_ko"], row["name_es"]))
    sys.stdout.write(f"{output.name}: {len(kept):,} cities\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(Path(sys.argv[1]), *(Path(a) for a in sys.argv[2:3])))
