"""The Seoul-Lima smart-city MOU: who signed, when on each side's clocks, and on what."""

from __future__ import annotations

import citycoop

portfolio = citycoop.datasets.seoul()
(lima,) = portfolio.mous_with("Lima")

print(lima.title, f"({lima.status})")
for party, local in lima.local_signing_times().items():
    print(f"  {party.name}: {local.format('dddd D MMMM YYYY, HH:mm')} {local.timezone_name}")
print("  focus areas:", ", ".join(area.label for area in lima.focus_areas))
for area in lima.focus_areas:
    print(f"    {area.label}: OECD DAC sectors {', '.join(area.sectors)}")
print("  horizons:", ", ".join(f"{h.term}-term" for h in lima.horizons))
print("  sources:", *lima.documents, sep="\n    ")
