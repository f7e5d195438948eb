"""Budgets (`_budgets`), reported figures and the portfolio (`_portfolio`)."""

from __future__ import annotations

import pytest

import citycoop
from citycoop import (
    Budget,
    BudgetKind,
    Money,
    Period,
    ReportedFigures,
    ValidationError,
)
from citycoop._domain.budgets import effective_budgets


class TestBudgetsAndReports:
    """A revised budget replaces the original; reports need a figure."""

    def test_revised_wins(self):
        original = Budget(Period.year(2017), Money("690e6", "KRW"))
        revised = Budget(Period.year(2017), Money("700e6", "KRW"), BudgetKind.REVISED)
        assert effective_budgets((original, revised)) == (revised,)
        assert effective_budgets((revised, original)) == (revised,)
        with pytest.raises(ValidationError):
            effective_budgets((original, original))

    def test_reported_needs_a_figure(self):
        with pytest.raises(ValidationError):
            ReportedFigures("2021-11-24")


class TestLookups:
    """Cases and MOUs by place and by focus area."""

    def test_exports_to_a_city_its_country_and_its_name_alike(self):
        seoul = citycoop.datasets.seoul()
        manila = next(c.recipient for c in seoul.exports if c.recipient.name == "Manila")
        assert seoul.exports_to(manila) == seoul.exports_to("MANILA")
        assert seoul.exports_to(manila.country) == seoul.exports_to(manila)
        assert len(seoul.exports_to(manila)) == 2
        assert seoul.exports_to("Atlantis") == ()

    def test_a_place_that_is_none_of_these_is_refused(self):
        with pytest.raises(citycoop.ValidationError, match=r"^place: 42"):
            citycoop.datasets.seoul().exports_to(42)  # type: ignore[arg-type]

    def test_by_focus_area(self):
        seoul = citycoop.datasets.seoul()
        assert all(citycoop.FocusArea.DIGITAL in c.focus_areas for c in seoul.exports_in("digital"))
        assert len(seoul.mous_in("citizen_safety")) == 2
        with pytest.raises(citycoop.ValidationError):
            seoul.mous_in("astrology")
