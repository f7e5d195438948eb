"""Quantities (`_units`): one registry, exact hours."""

from __future__ import annotations

from decimal import Decimal

import pint
import pytest

from citycoop import ValidationError
from citycoop._units import hours, registry, to_hours


def test_hours_are_exact_decimals_in_the_registry():
    quantity = hours("1.5")
    assert quantity.magnitude == Decimal("1.5")
    assert str(quantity.units) == "hour"
    assert quantity._REGISTRY is registry()


def test_quantities_of_other_registries_are_converted():
    other = pint.UnitRegistry()
    assert to_hours(other.Quantity(90, "minute"), "f") == hours("1.5")


@pytest.mark.parametrize("value", [-1, "NaN", "ten", object(), "1e13"])
def test_bad_durations_name_the_field(value):
    with pytest.raises(ValidationError, match=r"^Cohort\.hours: "):
        to_hours(value, "Cohort.hours")
