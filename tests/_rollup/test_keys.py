"""Grouping keys (`_grouping`): names, key functions, fiscal years and splits."""

from __future__ import annotations

import operator
import re
import typing
from decimal import Decimal

import pytest

import citycoop
import citycoop.columnar
from _shared import LIMA, SEOUL
from citycoop import FocusArea, PolicyExport, Region, Split, ValidationError, fiscal_year
from citycoop._rollup.keys import FUNCTIONS, KEY_TABLE, PATHS, compile_keys, expand, plain

CASE = PolicyExport("Signals", LIMA, {"public_transport": 60, "digital": 40}, year=2021)


class TestCompileKeys:
    """Key names become one getter; unknown names list the valid ones."""

    def test_plain_paths_share_one_getter(self):
        keys = compile_keys(("country", "year"))
        assert keys.names == ("country", "year")
        assert not keys.may_split
        assert keys.get(CASE) == (LIMA.country, 2021)

    def test_a_function_may_split(self):
        keys = compile_keys("focus_area")
        assert keys.may_split
        raw = keys.get(CASE)
        assert isinstance(raw, Split)
        assert dict(raw.parts) == {
            FocusArea.PUBLIC_TRANSPORT: Decimal(60),
            FocusArea.DIGITAL: Decimal(40),
        }

    def test_key_functions_are_named_by_their_name(self):
        def policy(item: PolicyExport) -> str:
            return item.policy.original

        keys = compile_keys([policy, operator.attrgetter("year"), "region"])
        assert keys.names == ("policy", "key1", "region")
        assert keys.get(CASE) == ("Signals", 2021, Region("019"))

    def test_unknown_name_lists_the_valid_ones(self):
        with pytest.raises(ValidationError, match=r"rollup\.by\[1\]: 'yaer'.*country.*year"):
            compile_keys(("region", "yaer"))

    def test_not_a_key(self):
        with pytest.raises(ValidationError, match=r"rollup\.by\[0\]: 3"):
            compile_keys([3])

    def test_no_name_is_both_a_path_and_a_function(self):
        assert not set(PATHS) & set(FUNCTIONS)

    def test_the_key_table_is_the_one_list_of_names(self):
        """KeyName, the rollup docstring's list and the columnar keys all follow KEY_TABLE."""
        names = [key.name for key in KEY_TABLE]
        assert len(set(names)) == len(names)
        assert sorted(typing.get_args(citycoop.KeyName)) == sorted(names)
        assert set(PATHS) | set(FUNCTIONS) == set(names)
        assert all((key.path is None) != (key.function is None) for key in KEY_TABLE)
        doc = citycoop.rollup.__doc__ or ""
        listed = doc[doc.index("by: Key names") : doc.index("or key functions")]
        assert sorted(re.findall(r'``"(\w+)"``', listed)) == sorted(names)
        assert tuple(sorted(k.name for k in KEY_TABLE if k.columnar)) == citycoop.columnar.KEYS


class TestFiscalYear:
    """A fiscal year is named by its first calendar year."""

    @pytest.mark.parametrize(("day", "year"), [("2022-03-31", 2021), ("2022-04-01", 2022)])
    def test_april_start(self, day, year):
        case = PolicyExport("x", SEOUL, "digital", value_date=day)
        assert fiscal_year(4)(case) == year

    @pytest.mark.parametrize("month", [0, 13, True, "4"])
    def test_bad_month(self, month):
        with pytest.raises(ValidationError, match=r"^fiscal_year\.start_month"):
            fiscal_year(month)


def test_expand_multiplies_the_shares_of_every_split():
    first = Split(((FocusArea.DIGITAL, Decimal(60)), (FocusArea.HEALTH, Decimal(40))))
    second = Split((("KR", Decimal(50)), ("PE", Decimal(50))))
    pairs = dict(expand((first, second)))
    assert pairs[FocusArea.DIGITAL, "PE"] == Decimal(3000)
    assert sorted(pairs.values()) == [Decimal(2000)] * 2 + [Decimal(3000)] * 2


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (LIMA.country, "PE"),
        (Region("419"), "419"),
        (LIMA, "Lima"),
        (FocusArea.DIGITAL, "digital"),
        (2021, 2021),
    ],
)
def test_plain(value, shown):
    assert plain(value) == shown
