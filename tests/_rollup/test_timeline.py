"""Time queries (`_timeline`): in force, ending within, yearly timelines."""

from __future__ import annotations

import pytest

import citycoop
from _shared import CITIES, RATES
from citycoop import (
    City,
    Money,
    Period,
    PolicyExport,
    ValidationError,
)


class TestTimeQueries:
    """In-force and ending queries, and yearly timelines with running totals."""

    def test_in_force_and_ending(self):
        from citycoop import MOU, Organisation, StrategyHorizon, ending_within, in_force

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
