"""The rollup engine and its immutable results (`_rollups`)."""

from __future__ import annotations

import datetime as dt
import decimal
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import citycoop
from _shared import CITIES, RATES, cases, differential_cases, rollup_options
from citycoop import (
    City,
    MissingRateError,
    Money,
    PolicyExport,
    ValidationError,
    fiscal_year,
    rollup,
)


class TestRollup:
    """Rollups count, sum exactly and convert once per subtotal."""

    def test_counts_and_unvalued(self):
        items = [
            PolicyExport(
                "a", CITIES[0], "digital", value=Money("10.00", "USD"), value_date="2021-01-01"
            ),
            PolicyExport("b", CITIES[0], "digital", value_date="2021-02-01"),
            PolicyExport(
                "c", CITIES[1], "digital", value=Money(1100, "KRW"), value_date="2021-03-01"
            ),
        ]
        result = rollup(items, by="country", currency="USD", rates=RATES)
        peru = next(g for g in result if g.key[0].code == "PE")
        assert (peru.count, peru.unvalued) == (2, 1)
        assert peru.total("USD") == Money(10, "USD")
        unvalued_only = rollup([items[1]], by="country", currency="USD", rates=RATES)
        assert unvalued_only.rows[0].converted is None  # unknown, not zero
        assert unvalued_only.total.converted is None
        assert result.total.converted == Money("11.00", "USD")
        assert result.total.count == 3
        assert {leg.rate.quote for leg in result.legs} == {"KRW"}

    def test_missing_rate_raises_or_is_listed(self):
        items = [
            PolicyExport("a", CITIES[0], "digital", value=Money(5, "JPY"), value_date="2021-01-01")
        ]
        with pytest.raises(MissingRateError):
            rollup(items, currency="USD", rates=RATES)
        result = rollup(items, currency="USD", rates=RATES, missing="omit")
        assert not result.total.complete
        assert result.unconverted[0].amount == Money(5, "JPY")
        assert result.total.converted is None  # nothing could be converted: no total, not zero

    def test_a_total_beyond_money_bounds_is_refused(self):
        big = Money("6e20", "USD")  # each within bounds; together 1.2e21 is not
        items = [PolicyExport(p, CITIES[0], "digital", value=big, year=2021) for p in "ab"]
        with pytest.raises(ValidationError, match=r"Money\.amount: .* below 10\*\*21"):
            rollup(items, by="country")
        assert rollup(items[:1], by="country").total.totals == (big,)

    def test_target_needs_a_minor_unit(self):
        with pytest.raises(ValidationError, match="minor unit"):
            rollup([], currency="XAU", rates=RATES)

    def test_value_date_needed(self):
        items = [PolicyExport("a", CITIES[0], "digital", year=2021, value=Money(5, "USD"))]
        with pytest.raises(ValidationError, match="value_date"):
            rollup(items, currency="EUR", rates=RATES)
        assert rollup(items, currency="EUR", rates=RATES, on="2021-06-30").total.converted == Money(
            4, "EUR"
        )

    def test_split_counts_once_in_total(self):
        item = PolicyExport(
            "a",
            CITIES[0],
            {"digital": 60, "water_supply": 40},
            value=Money("0.05", "USD"),
            value_date="2021-01-01",
        )
        result = rollup([item], by=("country", "focus_area"))
        assert [g.total("USD") for g in result] == [Money("0.03", "USD"), Money("0.02", "USD")]
        assert result.total.count == 1
        assert result.level(1).rows[0].count == 1

    def test_fiscal_year_and_attribute_keys(self):
        item = PolicyExport(
            "a", CITIES[0], "digital", value=Money(1, "USD"), value_date="2021-02-01"
        )
        assert rollup([item], by=fiscal_year(4)).rows[0].key == (2020,)
        assert rollup([item], by="year").rows[0].key == (2021,)
        with pytest.raises(ValidationError):
            rollup([item], by="colour")

    def test_hierarchy_not_double_counted(self):
        parent = PolicyExport(
            "program",
            CITIES[0],
            "digital",
            identifier="p",
            value=Money(100, "USD"),
            value_date="2021-01-01",
        )
        kids = [
            PolicyExport(
                f"k{i}",
                CITIES[0],
                "digital",
                parent="p",
                value=Money(40, "USD"),
                value_date="2021-01-01",
            )
            for i in range(2)
        ]
        result = rollup([parent, *kids], by="country")
        assert result.total.total("USD") == Money(80, "USD")
        assert result.rows[0].total("USD") == Money(80, "USD")
        assert result.conflicts[0].parent_value == Money(100, "USD")

    def test_records_and_html(self):
        item = PolicyExport(
            "a", CITIES[0], "digital", value=Money(1, "USD"), value_date="2021-02-01"
        )
        result = rollup([item], by="country", currency="EUR", rates=RATES)
        assert result.to_records() == [
            {
                "country": "PE",
                "country_name": "Peru",
                "count": 1,
                "unvalued": 0,
                "cities": 1,
                "countries": 1,
                "total_USD": Decimal(1),
                "converted_EUR": Decimal("0.80"),
                "complete": True,
            }
        ]
        assert "<table>" in result._repr_html_()
        assert "country=PE" in repr(result)

    @given(st.lists(cases, max_size=25), st.lists(cases, max_size=25))
    def test_union_equals_sum_of_parts(self, a, b):
        whole = rollup(a + b, by="country", currency="EUR", rates=RATES)
        left = rollup(a, by="country", currency="EUR", rates=RATES)
        right = rollup(b, by="country", currency="EUR", rates=RATES)
        # Exact per-currency totals add up exactly.
        for currency in {m.currency for m in whole.total.totals}:
            assert whole.total.total(currency) == left.total.total(currency) + right.total.total(
                currency
            )
        # A rollup with no valued item has no converted total at all.
        assert (whole.total.converted is None) == (
            left.total.converted is None and right.total.converted is None
        )

        def exact(result):
            value = result.total.converted_exact
            return Decimal(0) if value is None else value

        with decimal.localcontext(prec=60):
            gap = exact(whole) - (exact(left) + exact(right))
            # Conversion divides at 50 significant digits, so a sum converted at once and
            # the same sum converted in two parts may differ in the 49th digit, no more.
            bound = (abs(exact(whole)) + 1) * Decimal("1e-48")
        assert abs(gap) <= bound
        assert whole.total.count == left.total.count + right.total.count

    @given(st.lists(cases, max_size=30), st.randoms())
    def test_order_does_not_matter(self, items, rnd):
        shuffled = list(items)
        rnd.shuffle(shuffled)
        first = rollup(items, by=("country", "focus_area"), currency="USD", rates=RATES)
        second = rollup(shuffled, by=("country", "focus_area"), currency="USD", rates=RATES)
        assert first.rows == second.rows
        assert first.total == second.total

    @given(st.lists(cases, max_size=30))
    def test_splits_add_up_and_unvalued_never_change_totals(self, items):
        result = rollup(items, by="focus_area")
        per_currency: dict[str, Decimal] = {}
        for group in result:
            for money in group.totals:
                per_currency[money.currency] = (
                    per_currency.get(money.currency, Decimal(0)) + money.amount
                )
        assert per_currency == {m.currency: m.amount for m in result.total.totals}
        valued = [c for c in items if c.value is not None]
        assert rollup(valued, by="focus_area").total.totals == result.total.totals


class TestLevels:
    """A rollup is a value; level() is a pure function of it that reports its own gaps."""

    ITEMS = (
        PolicyExport("a", CITIES[0], "digital", value=Money(5, "JPY"), value_date="2021-01-01"),
        PolicyExport("b", CITIES[0], "digital", value=Money(7, "KRW"), value_date="2021-03-01"),
        PolicyExport(
            "c", CITIES[1], "water_supply", value=Money(2, "EUR"), value_date="2020-06-01"
        ),
    )

    def result(self):
        return rollup(
            self.ITEMS, by=("country", "year"), currency="USD", rates=RATES, missing="omit"
        )

    def test_level_reports_its_own_unconverted_subtotals(self):
        result = self.result()
        by_country = result.level(1)
        assert by_country.by == ("country",)
        assert [u.key for u in by_country.unconverted] == [(CITIES[0].country,), ()]
        assert by_country.unconverted[0].amount == Money(5, "JPY")
        peru = by_country.rows[1]
        assert (peru.key, peru.count, peru.complete) == ((CITIES[0].country,), 2, False)
        assert peru.converted == Money("0.01", "USD")  # 7 KRW at 1,100 per USD

    def test_levels_agree_with_a_rollup_by_fewer_keys(self):
        result = self.result()
        direct = rollup(self.ITEMS, by="country", currency="USD", rates=RATES, missing="omit")
        level = result.level(1)
        assert (level.rows, level.total, level.legs) == (direct.rows, direct.total, direct.legs)
        assert level.unconverted == direct.unconverted
        assert result.level(0).rows == (result.total,)
        assert result.level(2) is result
        assert level.level(0).rows == result.level(0).rows

    def test_a_split_item_counts_once_in_every_level(self):
        case = PolicyExport(
            "x",
            CITIES[0],
            focus={"digital": 50, "water_supply": 50},
            year=2020,
            value=Money(1, "EUR"),
        )
        result = rollup([case], by=("country", "focus_area", "year"))
        for depth in range(4):
            level = result.level(depth)
            assert level.total.count == 1
            direct = rollup([case], by=("country", "focus_area", "year")[:depth])
            assert [(g.key, g.count) for g in level] == [(g.key, g.count) for g in direct]

    def test_level_changes_nothing(self):
        result = self.result()
        before = (result.rows, result.total, result.legs, result.unconverted)
        for depth in (0, 1, 1, 2):
            result.level(depth)
        assert (result.rows, result.total, result.legs, result.unconverted) == before

    def test_holds_no_mutable_engine(self):
        import attrs

        result = self.result()
        for field in attrs.fields(type(result)):
            value = getattr(result, field.name)
            assert not callable(value)
            assert not isinstance(value, dict | list | set)
        with pytest.raises(TypeError):
            result._cells[()] = None  # a read-only view

    @pytest.mark.parametrize("depth", [-1, 3, "1", True, 1.0])
    def test_bad_depth(self, depth):
        with pytest.raises(ValidationError, match=r"Rollup\.level\.depth"):
            self.result().level(depth)


# ---------------------------------------------------------------- a reference to differ from


def _reference(cases, names, *, currency, rates, on, policy):
    """What rollup's rows say, computed the plain way: one case at a time.

    Per group: the count, the cases without a value, the distinct cities and countries,
    exact totals per currency and, with *currency*, the sum of every (currency, value
    date) subtotal converted with :func:`citycoop.convert`, rounded once. Values no rate
    serves are listed and make the group incomplete.
    """
    read = {
        "country": lambda c: c.recipient.country,
        "city": lambda c: c.recipient,
        "region": lambda c: c.recipient.country.region,
        "sub_region": lambda c: c.recipient.country.sub_region,
        "year": lambda c: c.year,
        "status": lambda c: c.status,
    }
    groups = {}
    for case in cases:
        key = tuple(read[name](case) for name in names)
        group = groups.setdefault(key, {"count": 0, "unvalued": 0, "cities": set(), "sums": {}})
        group["count"] += 1
        group["cities"].add(case.recipient)
        if case.value is None:
            group["unvalued"] += 1
            continue
        day = case.value_date if on == "value_date" else on
        slot = (case.value.currency, day)
        group["sums"][slot] = group["sums"].get(slot, Decimal(0)) + case.value.amount
    rows = {}
    for key, group in groups.items():
        totals = {}
        for (code, _), amount in group["sums"].items():
            totals[code] = totals.get(code, Decimal(0)) + amount
        converted, complete, missed = None, True, set()
        if currency is not None and group["sums"]:
            exact, any_converted = Decimal(0), False
            for (code, day), amount in group["sums"].items():
                try:
                    conversion = citycoop.convert(
                        Money(amount, code), currency, on=day, rates=rates, policy=policy
                    )
                except citycoop.MissingRateError:
                    complete = False
                    missed.add((Money(amount, code), day))
                    continue
                exact += conversion.amount
                any_converted = True
            if any_converted:
                places = citycoop.currency_info(currency).minor_units
                step = Decimal(1).scaleb(-places)
                converted = Money(exact.quantize(step, rounding=decimal.ROUND_HALF_EVEN), currency)
        rows[key] = (
            group["count"],
            group["unvalued"],
            len(group["cities"]),
            len({city.country for city in group["cities"]}),
            tuple(Money(totals[code], code) for code in sorted(totals)),
            converted,
            complete,
            missed,
        )
    return rows


class TestAgainstReference:
    """rollup gives what the plain one-case-at-a-time reference gives, on every key set,
    rate table (annual, daily, with gaps), policy, missing rate and on= date."""

    @settings(max_examples=150)
    @given(differential_cases(), rollup_options())
    def test_same_rows(self, cases, options):
        names, currency, on = options["by"], options["currency"], options["on"]
        table, policy = options["rates"], options["policy"]
        result = citycoop.rollup(cases, missing="omit", **options)
        expected = _reference(cases, names, currency=currency, rates=table, on=on, policy=policy)
        got = {
            row.key: (
                row.count,
                row.unvalued,
                row.cities,
                row.countries,
                row.totals,
                row.converted,
                row.complete,
                {(u.amount, u.on) for u in result.unconverted if u.key == row.key},
            )
            for row in result.rows
        }
        assert got == expected
        assert result.total.count == len(cases)
        # The same rollup from a generator: nothing depends on reading the items twice.
        assert citycoop.rollup(iter(cases), missing="omit", **options).rows == result.rows
        # In another order: the same rows, to the last of the 50 digits.
        backwards = citycoop.rollup(cases[::-1], missing="omit", **options)
        assert [(row.key, row.converted_exact) for row in backwards.rows] == [
            (row.key, row.converted_exact) for row in result.rows
        ]
        assert backwards.total.converted_exact == result.total.converted_exact

    def test_equal_cities_as_many_objects(self, monkeypatch):
        """A city built once per row counts once, also past the identity cache's limit."""
        import citycoop._rollup.engine as module

        monkeypatch.setattr(module, "_SEEN_LIMIT", 8)

        def rows():
            for day in range(1, 29):
                lima = City("Lima", "PE", "America/Lima")  # a new, equal object each time
                yield PolicyExport(
                    "p", lima, "digital", value=Money(1, "PEN"), value_date=dt.date(2021, 2, day)
                )

        result = rollup(rows(), by="country")
        (row,) = result.rows
        assert (row.count, row.cities, row.countries) == (28, 1, 1)
        assert row.totals == (Money(28, "PEN"),)


class TestText:
    def test_counts_read_in_the_singular_and_plural(self):
        case = PolicyExport("a", CITIES[0], "digital")
        assert "  total: 1 item (1 unvalued)" in repr(rollup([case], by="country"))
        assert "  total: 2 items (2 unvalued)" in repr(rollup([case, case], by="country"))
