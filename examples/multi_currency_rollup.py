"""Add up cases held in several currencies into one total, and say which rates were used.

The rates are typed in here from the ECB reference rates of 25 November 2021, so the
example runs anywhere; `RateTable.from_ecb_csv(path)` reads the whole published history.
"""

from __future__ import annotations

from citycoop import City, Money, Period, PolicyExport, Rate, RateTable, rollup

ecb_2021_11_25 = Period.day("2021-11-25")
rates = RateTable(
    [
        Rate("EUR", "USD", "1.1223", ecb_2021_11_25, "ECB reference rate"),
        Rate("EUR", "KRW", "1337.04", ecb_2021_11_25, "ECB reference rate"),
        Rate("EUR", "NZD", "1.6394", ecb_2021_11_25, "ECB reference rate"),
    ]
)
lima = City("Lima", "PE", "America/Lima")
auckland = City("Auckland", "NZ", "Pacific/Auckland")
# Illustrative amounts, not records: the embedded dataset states no case values.
cases = [
    PolicyExport(
        "Traffic signals",
        lima,
        "public_transport",
        value=Money("250000", "USD"),
        value_date="2021-11-25",
    ),
    PolicyExport(
        "CCTV centre",
        lima,
        {"citizen_safety": 70, "digital": 30},
        value=Money("300e6", "KRW"),
        value_date="2021-11-25",
    ),
    PolicyExport(
        "Card readers",
        auckland,
        "public_transport",
        value=Money("120000.50", "NZD"),
        value_date="2021-11-25",
    ),
    PolicyExport("Training", auckland, "capacity_building", value_date="2021-11-25"),
]

result = rollup(cases, by=("country", "focus_area"), currency="USD", rates=rates)
print(result)
print("\nRates used:")
for leg in result.legs:
    rate = leg.rate
    print(f"  1 {rate.base} = {rate.value} {rate.quote} on {rate.period} ({rate.source})")
assert result.total.unvalued == 1  # counted, never summed as zero
