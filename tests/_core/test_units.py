"""Quantities (`_units`): hours on pint's application registry, converted exactly."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pint
import pytest

from citycoop import Cohort, Period, TrainingTrack, ValidationError
from citycoop._core.units import hours, quantity_in_hours, registry, to_hours


@pytest.fixture
def decimal_registry() -> Iterator[pint.UnitRegistry]:
    """A Decimal registry set as the application registry for one test, then put back."""
    before = pint.get_application_registry().get()
    units = pint.UnitRegistry(non_int_type=Decimal, cache_folder=None)
    pint.set_application_registry(units)
    try:
        yield units
    finally:
        pint.set_application_registry(before)


def _track(*cohorts: Cohort) -> TrainingTrack:
    return TrainingTrack("Smart mobility", "public_transport", cohorts=cohorts)


def test_quantities_live_on_the_application_registry():
    quantity = hours("1.5")
    assert quantity._REGISTRY is pint.get_application_registry().get()
    assert quantity._REGISTRY is registry()
    assert str(quantity.units) == "hour"


def test_whole_hours_are_ints_and_convert_cleanly():
    ureg = pint.get_application_registry()
    track = _track(Cohort(Period.year(2022), participants=12, hours=4))
    assert track.person_hours.magnitude == 48
    assert type(track.person_hours.magnitude) is int
    assert 10 * ureg.hour + track.person_hours == ureg.Quantity(58, "hour")
    assert track.person_hours.to("day").magnitude == 2  # not 1.999999999999999872


def test_fractions_of_an_hour_sum_exactly_on_a_float_registry():
    track = _track(*(Cohort(Period.year(2022), participants=1, hours="0.1") for _ in range(3)))
    assert track.person_hours.magnitude == pytest.approx(0.3)
    assert repr(track.person_hours.magnitude) == "0.3"  # not 0.30000000000000004


def test_a_decimal_registry_set_by_the_user_is_used(decimal_registry):
    cohort = Cohort(Period.year(2022), participants=3, hours="1.5")
    assert cohort.hours._REGISTRY is decimal_registry
    assert cohort.hours.magnitude == Decimal("1.5")
    assert type(cohort.hours.magnitude) is Decimal
    assert cohort.person_hours.to("minute").magnitude == Decimal(270)
    assert decimal_registry.Quantity(Decimal("0.5"), "hour") + cohort.hours == hours(2)


@pytest.mark.usefixtures("decimal_registry")
def test_objects_built_before_and_after_a_registry_change_stay_equal_and_hash_alike():
    before = Cohort(Period.year(2022), participants=1, hours=2)
    pint.set_application_registry(pint.UnitRegistry(non_int_type=Decimal, cache_folder=None))
    after = Cohort(Period.year(2022), participants=1, hours=2)
    assert before == after
    assert hash(before) == hash(after)
    assert len({before, after}) == 1


def test_quantities_of_other_registries_are_converted_exactly():
    other = pint.UnitRegistry()
    assert to_hours(other.Quantity(90, "minute"), "f") == hours("1.5")
    assert to_hours(other.Quantity(6, "minute"), "f").magnitude == 0.1


def test_units_named_by_text_convert_exactly():
    assert quantity_in_hours(Decimal(2), "day", "q") == hours(48)
    with pytest.raises(ValidationError, match=r"^q\.unit: "):
        quantity_in_hours(Decimal(2), "parsec", "q")


@pytest.mark.parametrize("value", [-1, "NaN", "ten", object(), "1e13"])
def test_bad_durations_name_the_field(value):
    with pytest.raises(ValidationError, match=r"^Cohort\.hours: "):
        to_hours(value, "Cohort.hours")
