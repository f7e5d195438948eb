"""Who else works in Seoul's partner countries? Real IATI files beside Seoul's own records.

    python examples/iati_partners.py [USAID_FILE CAF_FILE]

Reads USAID's Ecuador activity file and CAF's (Development Bank of Latin America)
activity file, both as published through IATI, and prints:

- USAID's transactions in Ecuador by year and DAC sector, in US dollars;
- CAF's activities in Peru by focus area (CAF files its sectors under its own codes,
  vocabulary 99; the mapping below is this example's reading of CAF's sector names);
- Seoul's own cases and MOUs in the same countries, next to both.

Without arguments the files are looked for in the public reference data beside the
project (or the folder named by ``CITYCOOP_REFERENCE_DATA``), under
``data/iati-activities``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import citycoop
from citycoop import Country, FocusArea, rollup
from citycoop.io.iati import read_activities

#: CAF's own sector codes (vocabulary 99) read as focus areas; the others map to none.
CAF_FOCUS = {
    "1": FocusArea.E_GOVERNMENT,  # Administración pública
    "3": FocusArea.WATER_SUPPLY,  # Agua, saneamiento, ... gestión de residuos
    "4": FocusArea.EDUCATION,  # Educación, cultura y deporte
    "8": FocusArea.HEALTH,  # Salud
    "10": FocusArea.DIGITAL,  # Tecnologías de la información y la comunicación
    "11": FocusArea.PUBLIC_TRANSPORT,  # Transporte
}
PERU, ECUADOR = Country("PE"), Country("EC")


def files() -> tuple[Path, Path] | None:
    if len(sys.argv) == 3:
        return Path(sys.argv[1]), Path(sys.argv[2])
    root = Path(__file__).resolve().parent.parent.parent / "shared"
    folder = Path(os.environ.get("CITYCOOP_REFERENCE_DATA", root)) / "data" / "iati-activities"
    usaid, caf = folder / "usaid-ec.xml", folder / "CAF-ActivityFile-2025-10-10.xml"
    return (usaid, caf) if usaid.exists() and caf.exists() else None


def main() -> int:
    found = files()
    if found is None:
        print("The IATI files were not found: pass USAID_FILE CAF_FILE (see the docstring).")
        return 0
    usaid_file, caf_file = found
    usaid = list(read_activities(usaid_file))
    caf = list(read_activities(caf_file))
    # Both publishers report in US dollars; a table with no rates converts USD into USD.
    usd = citycoop.RateTable([])

    print(f"USAID, Ecuador: {len(usaid)} activities, transactions by year and DAC sector (USD)")
    transactions = rollup(
        citycoop.transaction_records(usaid),
        by=("transaction_type", "year", "sector"),
        currency="USD",
        rates=usd,
    )
    for group in transactions.level(2):
        kind, year = group.key
        if kind.code == "3" and year is not None and year >= 2022:  # disbursements
            print(f"  {kind.label} {year}: {group.converted.format()} in {group.count} items")
    top = sorted(
        (g for g in transactions if g.key[0].code == "3" and g.key[1] == 2024),
        key=lambda g: g.converted.amount,
        reverse=True,
    )[:3]
    for group in top:
        print(f"    sector {group.key[2]}: {group.converted.format()}")

    print("CAF, Peru: activities and commitments by focus area (USD)")
    in_peru = [a for a in caf if PERU in {share.country for share in a.countries}]
    activities = rollup(
        citycoop.activity_records(in_peru, vocabulary="99", focus_areas=CAF_FOCUS),
        by="focus_area",
    )
    committed = rollup(
        (
            r
            for r in citycoop.transaction_records(in_peru, vocabulary="99", focus_areas=CAF_FOCUS)
            if r.transaction_type.code == "2"
        ),
        by="focus_area",
        currency="USD",
        rates=usd,
    )
    amounts = {group.key: group.converted for group in committed}
    for group in activities:
        area = group.key[0]
        name = "no focus area of citycoop's" if area is None else area.label
        noun = "activity" if group.count == 1 else "activities"
        print(f"  {name}: {group.count} {noun}, {amounts[group.key].format()} committed")

    print("Beside Seoul's own records")
    seoul = citycoop.datasets.seoul()
    cases = {g.key[0]: g.count for g in rollup(seoul.exports, by="country")}
    mous = {g.key[0]: g.count for g in rollup(citycoop.mou_records(seoul), by="country")}
    others = {
        g.key[0]: g.count for g in rollup(citycoop.activity_records([*usaid, *caf]), by="country")
    }
    for country in (PERU, ECUADOR):
        print(
            f"  {country.name()}: Seoul {cases.get(country, 0)} case(s) and "
            f"{mous.get(country, 0)} MOU(s); USAID and CAF {others.get(country, 0)} activities"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
