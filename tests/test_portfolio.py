"""Budgets (`_budgets`), reported figures and the portfolio (`_portfolio`)."""

from __future__ import annotations

import pendulum
import pytest

from citycoop import (
    MOU,
    ONLINE,
    Budget,
    BudgetKind,
    City,
    Money,
    Official,
    Organisation,
    Period,
    ReportedFigures,
    ValidationError,
)
from citycoop._budgets import effective_budgets

SEOUL = City("Seoul", "KR", "Asia/Seoul")
LIMA = City("Lima", "PE", "America/Lima")
SMG = Organisation("Seoul Metropolitan Government", "city_government", city=SEOUL)
MML = Organisation("Metropolitan Municipality of Lima", "city_government", city=LIMA)
OH = Official("Oh Se-hoon", "Mayor of Seoul", SMG)
MUNOZ = Official("Jorge Muñoz Wells", "Mayor of Lima", MML)


def lima_mou(**changes) -> MOU:
    fields = {
        "signatories": [OH, MUNOZ],
        "signed_at": pendulum.datetime(2021, 11, 25, 8, 30, tz="Asia/Seoul"),
        "status": "signed",
        "venue": ONLINE,
        "focus_areas": ["citizen_safety", "public_transport", "digital"],
    }
    fields.update(changes)
    return MOU("Seoul-Lima", [SMG, MML], **fields)


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
