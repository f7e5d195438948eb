"""CLDR formatting, the one home (`_core/formatting.py`)."""

from __future__ import annotations

import pytest

from citycoop import Money, ValidationError
from citycoop._core.formatting import compact_money_text, money_text
from citycoop._report.words import Words


class TestOneDigitRule:
    """Money reads alike wherever citycoop shows it: ISO digits at least, none rounded away."""

    @pytest.mark.parametrize(
        "money",
        [
            Money("1400000", "UAH"),
            Money("804.8e9", "KRW"),
            Money("1.005", "USD"),
            Money("12.5", "IQD"),  # ISO 4217: 3 digits; CLDR displays 0
            Money("-3", "JPY"),
        ],
    )
    @pytest.mark.parametrize("locale", ["en", "ko", "es"])
    def test_money_format_and_the_report_agree(self, money, locale):
        assert Words(locale).money(money) == money.format(locale)

    def test_iso_digits_win_and_no_digit_is_lost(self):
        assert Money("12.5", "IQD").format("en").endswith("12.500")
        assert Money("1.005", "USD").format("en") == "$1.005"

    def test_compact_states_the_full_amount_too(self):
        from babel.numbers import format_compact_currency

        amount = Money("804.8e9", "KRW").amount
        text = money_text(amount, "KRW", "en", compact=True)
        short = format_compact_currency(amount, "KRW", locale="en", fraction_digits=1)
        assert text == f"{short} ({money_text(amount, 'KRW', 'en')})"
        assert money_text(amount, "KRW", "en") == "₩804,800,000,000"

    def test_a_chart_tick_with_cldr_spacing(self):
        from babel.numbers import format_compact_currency

        short = format_compact_currency(1_200_000.0, "UAH", locale="en", fraction_digits=1)
        tick = compact_money_text(1_200_000.0, "UAH", "en")
        assert tick.replace("\u00a0", "") == short.replace("\u00a0", "")
        assert "UAH\u00a01" in tick  # letters, then digits: a no-break space between

    def test_an_unknown_locale_is_named(self):
        with pytest.raises(ValidationError, match=r"^Money\.format\.locale"):
            Money(1, "USD").format("xx_NOPE")
