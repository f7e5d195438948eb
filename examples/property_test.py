"""Property-test your own code with citycoop's Hypothesis strategies.

Run it as a script (as CI does) or collect it with pytest: the test function is an
ordinary Hypothesis test.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from citycoop import Money, PolicyExport
from citycoop import strategies as cst


def share_of_largest_case(cases: list[PolicyExport], currency: str) -> Money | None:
    """Code under test: the largest valued case in *currency*, or None."""
    valued = [c.value for c in cases if c.value is not None and c.value.currency == currency]
    return max(valued, default=None)


# Drawing a list of full cases takes time on a busy machine: no deadline, and no
# "too slow" health check, so the property fails for what it checks, never for timing.
@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(cst.policy_exports("KRW"), max_size=20))
def test_largest_case_is_one_of_the_cases(cases: list[PolicyExport]) -> None:
    largest = share_of_largest_case(cases, "KRW")
    values = [c.value for c in cases if c.value is not None]
    if largest is None:
        assert values == []  # unknown values are not zero, so there is no largest
    else:
        assert largest in values
        assert all(value <= largest for value in values)


@settings(max_examples=30, deadline=None)
@given(st.from_type(Money))  # the plugin registers every citycoop type
def test_from_type_gives_valid_money(money: Money) -> None:
    assert money == Money(money.amount, money.currency)


if __name__ == "__main__":
    test_largest_case_is_one_of_the_cases()
    test_from_type_gives_valid_money()
    print("both properties held")
