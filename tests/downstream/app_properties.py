"""An app's own property tests, as its developer writes them with citycoop's strategies.

Hypothesis' default settings and health checks, nothing suppressed; only the example
database is off, so that every run starts afresh. citycoop's suite runs this module in
a separate process while other processes keep every core busy.

No ``from __future__ import annotations`` here: ``st.builds`` reads an attrs class's
field types, which must then be real types, not strings.
"""

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st

import citycoop

settings.register_profile("app", database=None)
settings.load_profile("app")


@attrs.frozen
class Briefing:
    """The app's own record: a partner city and the cases sent there."""

    partner: citycoop.City
    cases: tuple[citycoop.PolicyExport, ...]


def valued(cases: tuple[citycoop.PolicyExport, ...]) -> int:
    return sum(1 for case in cases if case.value is not None)


@given(st.from_type(citycoop.MOU))
def test_an_mou_has_two_parties(mou: citycoop.MOU) -> None:
    assert len(mou.parties) >= 2


@given(st.from_type(citycoop.PolicyExport))
def test_a_case_has_a_recipient(case: citycoop.PolicyExport) -> None:
    assert case.recipient.country.code


@given(st.from_type(citycoop.Portfolio))
def test_a_portfolio_rolls_up(portfolio: citycoop.Portfolio) -> None:
    assert citycoop.rollup(portfolio.exports).total.count == len(portfolio.exports)


@given(st.builds(Briefing))
def test_a_briefing_counts_its_values(briefing: Briefing) -> None:
    assert 0 <= valued(briefing.cases) <= len(briefing.cases)
