from __future__ import annotations

import datetime as dt
import decimal
import enum
import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

import citycoop
from _shared import reads_or_refuses
from citycoop import CitycoopError, Money, RateTable, convert
from citycoop import strategies as cst
from citycoop.strategies._base import FOR_TYPE

PUBLIC_TYPES = sorted(
    (
        getattr(citycoop, name)
        for name in citycoop.__all__
        if isinstance(getattr(citycoop, name), type)
    ),
    key=lambda t: t.__name__,
)


def _draws_its_type(kind: type, data: st.DataObject) -> None:
    """A drawn value is of its type; a value type's equal copy hashes alike.

    Rollup compares by identity: it is a result to read, not a value to compare.
    """
    value = data.draw(st.from_type(kind))
    assert isinstance(value, kind)
    if attrs.has(kind) and kind.__eq__ is not object.__eq__:
        copy = attrs.evolve(value) if all(f.init for f in attrs.fields(kind)) else value
        assert copy == value
        assert hash(copy) == hash(value)


# Each public type gets a fixed 50 draws in every profile (the thorough profile spends
# its budget on the properties below). Two classes, so that the workers share them.
class TestDrawsTypesAToL:
    @pytest.mark.parametrize(
        "kind", [t for t in PUBLIC_TYPES if t.__name__ < "M"], ids=lambda t: t.__name__
    )
    @settings(max_examples=50)
    @given(data=st.data())
    def test_draws_instances(self, kind, data):
        _draws_its_type(kind, data)


class TestDrawsTypesMToZ:
    @pytest.mark.parametrize(
        "kind", [t for t in PUBLIC_TYPES if t.__name__ >= "M"], ids=lambda t: t.__name__
    )
    @settings(max_examples=50)
    @given(data=st.data())
    def test_draws_instances(self, kind, data):
        _draws_its_type(kind, data)


class TestFromType:
    """st.from_type draws every public type through the installed plugin."""

    def test_every_registered_type_is_public(self):
        assert set(FOR_TYPE) <= set(citycoop.__all__)

    def test_every_public_class_has_a_strategy(self):
        """Exceptions other than the two below resolve from their typed constructors."""
        records = {t.__name__ for t in PUBLIC_TYPES if not issubclass(t, enum.Enum | BaseException)}
        assert records | {"UnknownCodeError", "ValidationError"} == set(FOR_TYPE)

    def test_each_registered_strategy_is_public_and_draws_its_type(self):
        """The @for_type declarations are the one table: each names an exported strategy."""
        for name, strategy in FOR_TYPE.items():
            assert strategy.__name__ in cst.__all__, name
            assert getattr(cst, strategy.__name__) is strategy

    def test_a_type_is_registered_once(self):
        from citycoop.strategies._base import for_type

        with pytest.raises(ValueError, match="Money already has the strategy money"):
            for_type("Money")(lambda: None)

    def test_plugin_builds_nothing_until_drawn(self):
        # Registering (at `import hypothesis`) reads the @for_type table and builds no
        # strategy; drawing Money builds its own and needs neither pint nor pandas.
        code = (
            "import sys, json, hypothesis.strategies as st, citycoop; "
            "from citycoop.strategies._base import FOR_TYPE; "
            "heavy = lambda: sorted(m for m in ('pint', 'pandas') if m in sys.modules); "
            "before = heavy(); st.from_type(citycoop.Money).example(); "
            "print(json.dumps([len(FOR_TYPE) > 60, before, heavy()]))"
        )
        done = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        )
        assert json.loads(done.stdout) == [True, [], []]

    def test_plugin_can_be_disabled(self):
        code = "import sys, hypothesis; print('citycoop' in sys.modules)"
        env = {**os.environ, "HYPOTHESIS_NO_PLUGINS": "1"}
        done = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
        )
        assert done.stdout.strip() == "False"
        plain = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        )
        assert plain.stdout.strip() == "True"


class TestArguments:
    """Strategy arguments are checked when drawing, with InvalidArgument."""

    @pytest.mark.parametrize(
        "strategy",
        [
            cst.money(min_value=5, max_value=1),
            cst.dates(dt.date(2022, 1, 1), dt.date(2021, 1, 1)),
            cst.periods(kind="week"),
            cst.mous(max_parties=1),
            cst.rates("USD", "USD"),
            cst.rate_tables(("USD",)),
            cst.focus_splits(max_areas=0),
            cst.portfolios(max_items=-1),
        ],
    )
    def test_invalid(self, strategy):
        @given(strategy)
        def draw(_value):
            pass

        with pytest.raises(InvalidArgument):
            draw()

    @given(cst.currencies())
    def test_no_fund_codes(self, code):
        assert code not in {"CHE", "CHW", "UYW", "BOV", "CLF", "COU", "MXV", "USN", "UYI"}

    @given(cst.money("JPY", min_value=-100, max_value=100))
    def test_money_bounds_and_places(self, money):
        assert money.currency == "JPY"
        assert -100 <= money.amount <= 100
        assert money.amount == money.amount.to_integral_value()

    @given(cst.countries(region="005"))
    def test_countries_in_region(self, country):
        assert country.intermediate_region is not None
        assert country.intermediate_region.code == "005"

    @given(cst.mous(status="active"))
    def test_mous_by_status(self, mou):
        assert mou.status.value == "active"
        assert mou.signed_at is not None


class TestProperties:
    """Properties of money, conversion, time and rollups over drawn values."""

    @given(cst.aware_datetimes(), cst.timezones(), cst.timezones())
    def test_local_views_agree_on_the_instant(self, instant, first, second):
        one, other = instant.in_timezone(first), instant.in_timezone(second)
        # Compare instants, not wall times: Python compares two zones' views of an
        # ambiguous local time (a DST fold) as unequal (PEP 495), which is why citycoop
        # stores instants in UTC.
        assert one.in_timezone("UTC") == other.in_timezone("UTC") == instant.in_timezone("UTC")
        assert one.timestamp() == other.timestamp()

    @given(cst.periods())
    def test_periods_never_end_before_they_start(self, period):
        assert period.start <= period.end

    @given(cst.money(min_value=Decimal("0.01"), max_value=10**12), st.data())
    def test_direct_and_triangulated_agree(self, money, data):
        day = dt.date(2021, 11, 25)
        table = data.draw(cst.rate_tables((money.currency, "EUR", "KRW"), (day,), base="USD"))
        target = "KRW" if money.currency != "KRW" else "EUR"
        via_base = convert(money, target, on=day, rates=table)
        # The same path computed by hand, leg by leg, rounding only at the end.
        usd = convert(money, "USD", on=day, rates=table).amount
        with decimal.localcontext(prec=50):
            by_hand = usd * table.find("USD", target, day)[0].rate.value
        unit = Decimal(1).scaleb(-(citycoop.currency_info(target).minor_units or 0))
        assert abs(via_base.rounded().amount - by_hand) <= unit

    @given(st.lists(cst.policy_exports(currency="EUR"), max_size=20))
    def test_rollup_totals_match_item_sums(self, cases):
        result = citycoop.rollup(cases, by="country")
        expected = sum((c.value for c in cases if c.value is not None), Money.zero("EUR"))
        assert result.total.total("EUR") == expected
        assert result.total.count == len(cases)
        assert result.total.unvalued == sum(c.value is None for c in cases)

    @given(st.lists(cst.policy_exports("KRW", valued=True), min_size=1, max_size=10))
    def test_missing_rate_is_never_zero(self, cases):
        with pytest.raises(citycoop.MissingRateError):
            citycoop.rollup(cases, currency="CHF", rates=RateTable(()))
        partial = citycoop.rollup(cases, currency="CHF", rates=RateTable(()), missing="omit")
        assert partial.total.complete is False
        assert partial.total.converted is None  # nothing converted: no total, not zero
        assert sum(u.amount for u in partial.unconverted if u.key == ()) == partial.total.total(
            "KRW"
        )


ANYTHING = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.text(max_size=20),
    st.decimals(),
    st.dates(),
    st.datetimes(),
    st.lists(st.integers() | st.text(max_size=5), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
    st.tuples(st.integers()),
)
CONSTRUCTORS = [
    getattr(citycoop, name)
    for name in sorted(citycoop.__all__)
    if isinstance(getattr(citycoop, name), type)
    and attrs.has(getattr(citycoop, name))
    and name
    not in {
        "Group",
        "Conflict",
        "Unconverted",
        "Reconciliation",
        "Rollup",
        "Conversion",
        "Leg",
        "Split",
        "Timeline",
        "YearRow",
        "CurrencyInfo",
    }
]


def call_with_anything(function, args) -> None:
    """Call *function*; only citycoop errors may come out, or Python's own arity TypeError.

    What the fuzz tests below check: arbitrary values never end in a bare Python error.
    """
    try:
        function(*args)
    except CitycoopError:
        pass
    except TypeError as error:
        message = str(error)
        assert "argument" in message, message


class TestBadInput:
    """Arbitrary values fed to public constructors raise only citycoop errors (or TypeError for arity)."""

    @pytest.mark.parametrize("constructor", CONSTRUCTORS, ids=lambda t: t.__name__)
    @given(args=st.lists(ANYTHING, max_size=4))
    def test_constructors(self, constructor, args):
        call_with_anything(constructor, args)

    @given(ANYTHING)
    def test_parsers(self, value):
        # Hypothesis also draws the string constants of the code under test ("digital",
        # "signed"), which are valid: a parser gives its type or a citycoop error, never
        # anything else.
        for parse, kind in (
            (Money.parse, Money),
            (citycoop.FocusArea.parse, citycoop.FocusArea),
            (citycoop.MOUStatus.parse, citycoop.MOUStatus),
        ):
            try:
                parsed = parse(value)
            except CitycoopError:
                continue
            assert isinstance(parsed, kind)
            assert isinstance(value, str | kind)  # only text (or the value itself) parses

    @given(st.text(max_size=200))
    def test_rate_files(self, text):
        import io

        for load in (
            RateTable.from_ecb_csv,
            RateTable.from_fed_h10_csv,
            RateTable.from_world_bank_csv,
        ):
            outcome = reads_or_refuses(lambda load=load: load(io.StringIO(text)))
            assert isinstance(outcome, RateTable | CitycoopError)


FUNCTIONS = [
    citycoop.rollup,
    citycoop.reconcile,
    citycoop.convert,
    citycoop.convert_batch,
    citycoop.in_force,
    citycoop.ending_within,
    citycoop.timeline,
    citycoop.budget_totals,
    citycoop.fiscal_year,
    citycoop.currency_info,
]


class TestBadArguments:
    """Arbitrary positional arguments to public functions raise only citycoop errors."""

    @pytest.mark.parametrize("function", FUNCTIONS, ids=lambda f: f.__name__)
    @given(args=st.lists(ANYTHING, max_size=3))
    def test_functions(self, function, args):
        call_with_anything(function, args)


class TestErrorStrategies:
    """The error strategies draw errors citycoop itself raised."""

    @settings(max_examples=30)
    @given(cst.validation_errors())
    def test_validation_errors_name_a_field(self, error):
        assert isinstance(error, citycoop.ValidationError)
        assert error.field
        assert str(error).startswith(error.field)

    @settings(max_examples=30)
    @given(cst.unknown_code_errors())
    def test_unknown_codes_are_unknown(self, error):
        assert error.field == "Money.currency"
        with pytest.raises(citycoop.UnknownCodeError):
            citycoop.currency_info(error.value)


def _drawn(strategy, examples: int = 300) -> list:
    """What *strategy* draws in *examples* examples (generation only, no shrinking)."""
    from hypothesis import Phase

    values = []

    @settings(max_examples=examples, database=None, phases=[Phase.generate], deadline=None)
    @given(strategy)
    def draw(value):
        values.append(value)

    draw()
    return values


def _reaches(strategy, condition, examples: int = 300) -> bool:
    """Whether *strategy* draws a value meeting *condition* within *examples* draws."""
    return any(condition(value) for value in _drawn(strategy, examples))


class TestReach:
    """Built once and shared, the strategies still reach the edges of what they draw."""

    def test_zero_and_both_bounds(self):
        # A range of five amounts, so that the draws cover it whatever Hypothesis'
        # version prefers; on wide ranges the bounds come from Hypothesis' own edge cases.
        amounts = {m.amount for m in _drawn(cst.money("USD", min_value="-0.02", max_value="0.02"))}
        assert amounts == {Decimal(n) / 100 for n in range(-2, 3)}
        assert _reaches(cst.money("KRW", max_value=10**15), lambda m: m.amount == 0, 1000)

    @pytest.mark.parametrize(
        ("strategy", "members", "examples"),
        [
            (cst.focus_areas(), list(citycoop.FocusArea), 300),
            (cst.mous().map(lambda m: m.status), list(citycoop.MOUStatus), 200),
            (cst.policy_exports().map(lambda c: c.status), list(citycoop.ExportStatus), 300),
            (cst.transactions().map(lambda t: t.type), list(citycoop.TransactionType), 600),
        ],
    )
    def test_every_code_list_member(self, strategy, members, examples):
        assert set(_drawn(strategy, examples)) == set(members)

    def test_split_focus_areas_and_unknown_values(self):
        assert _reaches(cst.policy_exports(), lambda c: len(c.focus) == 3)
        assert _reaches(cst.policy_exports(), lambda c: c.value is None)
        assert _reaches(cst.cities(), lambda c: c.population == 0)

    def test_times_next_to_a_daylight_saving_change(self):
        # An instant less than an hour after New York's clocks move: the offset an hour
        # earlier differs.
        def after_a_change(instant):
            return instant.utcoffset() != instant.subtract(hours=1).utcoffset()

        assert _reaches(cst.aware_datetimes(timezone="America/New_York"), after_a_change)

    def test_coordinates_reach_the_poles_and_the_antimeridian(self):
        drawn = _drawn(cst.coordinates(), 300)
        assert all(-90 <= c.latitude <= 90 and -180 <= c.longitude <= 180 for c in drawn)
        assert all(c.latitude.as_tuple().exponent >= -5 for c in drawn)
        assert _reaches(cst.coordinates(), lambda c: abs(c.latitude) == 90, 1000)
        assert _reaches(cst.coordinates(), lambda c: abs(c.longitude) == 180, 1000)


def test_strategies_build_and_map_with_named_functions():
    """Hypothesis describes the function of a ``builds`` or ``map`` at every draw; older
    releases read a lambda's source to do so (about half a millisecond each), which made
    an app's default health checks fail on a busy machine."""
    import ast

    import citycoop.strategies

    folder = Path(citycoop.strategies.__file__).parent
    found = []
    for path in sorted(folder.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            name = getattr(node.func, "attr", getattr(node.func, "id", None))
            if name in {"builds", "map"} and isinstance(node.args[0], ast.Lambda):
                found.append(f"{path.name}:{node.lineno}")
    assert found == []
