"""Time queries (`_timeline`): in force, ending within, yearly timelines."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import strategies as st

import citycoop
from citycoop import (
    City,
    FocusArea,
    Money,
    Period,
    PolicyExport,
    Rate,
    RateTable,
    ValidationError,
)

CITIES = (
    City("Lima", "PE", "America/Lima"),
    City("Bogotá", "CO", "America/Bogota"),
    City("Kyiv", "UA", "Europe/Kyiv"),
    City("Auckland", "NZ", "Pacific/Auckland"),
)
RATES = RateTable(
    [
        Rate("USD", code, value, Period.year(year), "test")
        for year in (2020, 2021)
        for code, value in (("KRW", "1100"), ("PEN", "3.5"), ("EUR", "0.8"))
    ]
)

cases = st.builds(
    PolicyExport,
    st.just("policy"),
    st.sampled_from(CITIES),
    st.sampled_from(
        [FocusArea.DIGITAL, FocusArea.PUBLIC_TRANSPORT, {"digital": 60, "water_supply": 40}]
    ),
    value_date=st.dates(
        min_value=__import__("datetime").date(2020, 1, 1),
        max_value=__import__("datetime").date(2021, 12, 31),
    ),
    value=st.none()
    | st.builds(
        Money,
        st.decimals(min_value=0, max_value=Decimal("1e9"), places=2),
        st.sampled_from(["USD", "KRW", "PEN", "EUR"]),
    ),
)


def totals(result):
    return {(g.key, m.currency): m.amount for g in result for m in g.totals}


class TestTimeQueries:
    """In-force and ending queries, and yearly timelines with running totals."""

    def test_in_force_and_ending(self):
        from citycoop import MOU, Organisation, Period, StrategyHorizon, ending_within, in_force

        seoul = Organisation("SMG", "city_government", city=City("Seoul", "KR", "Asia/Seoul"))
        lima = Organisation("MML", "city_government", city=CITIES[0])
        mou = MOU(
            "x",
            [seoul, lima],
            signed_at="2021-11-25T08:30+09:00",
            status="active",
            validity=Period("2021-11-25", "2024-11-24"),
        )
        assert in_force([mou], "2023-01-01") == (mou,)
        assert in_force([mou], "2025-01-01") == ()
        assert in_force([mou.with_status("terminated")], "2023-01-01") == ()
        assert ending_within([mou], Period.year(2024)) == (mou,)
        horizons = [
            StrategyHorizon("mid", Period("2022-01-01", "2023-12-31")),
            StrategyHorizon("long"),
        ]
        assert in_force(horizons, "2022-06-01") == (horizons[0],)
        assert ending_within(horizons, Period.year(2023)) == (horizons[0],)
        assert len(in_force(citycoop.datasets.seoul().mous, "2022-01-01")) == 2
        with pytest.raises(ValidationError):
            ending_within([mou], "2024")  # type: ignore[arg-type]

    def test_timeline(self):
        from citycoop import timeline

        items = [
            PolicyExport(
                "a", CITIES[0], "digital", value=Money(1100, "KRW"), value_date="2020-03-01"
            ),
            PolicyExport(
                "b", CITIES[1], "digital", value=Money(10, "USD"), value_date="2022-03-01"
            ),
            PolicyExport("c", CITIES[1], "digital", year=2022),
            PolicyExport("d", CITIES[1], "digital"),
        ]
        result = timeline(items)
        assert [(r.year, r.count, r.cumulative_count) for r in result] == [
            (2020, 1, 1),
            (2021, 0, 1),
            (2022, 2, 3),
        ]
        assert result.rows[-1].cumulative_totals == (Money(1100, "KRW"), Money(10, "USD"))
        assert result.undated is not None
        assert result.undated.count == 1

    def test_timeline_converted(self):
        from citycoop import timeline

        items = [
            PolicyExport(
                "a", CITIES[0], "digital", value=Money(1100, "KRW"), value_date="2020-03-01"
            ),
            PolicyExport(
                "b", CITIES[1], "digital", value=Money(10, "USD"), value_date="2021-03-01"
            ),
        ]
        rows = timeline(items, currency="USD", rates=RATES).rows
        assert [r.converted for r in rows] == [Money("1.00", "USD"), Money("10.00", "USD")]
        assert rows[-1].cumulative_converted == Money("11.00", "USD")
        assert list(timeline([])) == []
