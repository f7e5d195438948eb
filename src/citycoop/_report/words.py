"""A report's words: localized labels and CLDR formatting for one locale."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from citycoop._core.formatting import (
    date_text,
    money_text,
    number_text,
    percent_text,
    time_text,
)
from citycoop._core.locale import check_locale, words_of
from citycoop._core.names import city_name
from citycoop._core.text import Text

if TYPE_CHECKING:
    from collections.abc import Iterable

    import pendulum

    from citycoop._core.codes import CodeEnum
    from citycoop._core.money import Money
    from citycoop._core.places import Country
    from citycoop._core.time import Period
    from citycoop._domain.focus import FocusArea
    from citycoop._fx.rates import Leg


class Words:
    """Localized labels and CLDR formatting for one locale."""

    def __init__(self, locale: str) -> None:
        self.locale = check_locale(locale)
        self.labels = words_of(self.locale).words
        #: The texts this report gave as recorded, having none in its language.
        self.untranslated: dict[Text, None] = {}

    def __call__(self, key: str, **values: object) -> str:
        return self.labels[key].format(**values)

    def text(self, text: Text) -> str:
        """*text* in this locale (BCP 47 lookup), else as recorded, which is noted."""
        found = text.in_(self.locale)
        if found.fell_back:
            self.untranslated[text] = None
        return found.text

    def texts(self, texts: Iterable[Text], separator: str = "; ") -> str:
        return separator.join(self.text(text) for text in texts)

    def focus(self, area: FocusArea) -> str:
        return area.label_in(self.locale)

    def code(self, member: CodeEnum) -> str:
        return member.label_in(self.locale)

    def time(self, moment: pendulum.DateTime) -> str:
        return time_text(moment, self.locale)

    def date(self, day: Any) -> str:
        return date_text(day, self.locale)

    def number(self, value: int | Decimal) -> str:
        return number_text(value, self.locale)

    def count(self, key: str, n: int) -> str:
        """*n* with its noun or counter, in the plural form CLDR gives *n* in this locale."""
        from babel import Locale

        forms = words_of(self.locale).counts[key]
        form = Locale.parse(self.locale).plural_form(n)
        return forms.get(form, forms["other"]).format(n=self.number(n))

    def ratio(self, value: Decimal | None) -> str:
        """A share in the locale's CLDR percent pattern, to a tenth of a percent."""
        return "—" if value is None else percent_text(value, self.locale)

    def leg(self, leg: Leg, file: str | None = None) -> str:
        """A rate used, with the locale's decimal mark and dates (and its file, if known)."""
        rate = leg.rate
        text = self(
            "rate",
            base=rate.base,
            quote=rate.quote,
            value=number_text(rate.value, self.locale),
            period=self.period(rate.period),
            source=rate.source,
            inverted=self("inverted") if leg.inverted else "",
            planning=self("planning") if leg.planning else "",
        )
        return text if file is None else text + self("rate_file", file=file)

    def legs(self, legs: Iterable[Leg]) -> str:
        return "; ".join(self.leg(leg) for leg in legs)

    def period(self, period: Period) -> str:
        if period.start == period.end:
            return self.date(period.start)
        return f"{self.date(period.start)} – {self.date(period.end)}"

    def money(self, money: Money | None, *, compact: bool = False) -> str:
        """Money by the one digit rule of citycoop's formatting; large sums compact too."""
        if money is None:
            return self("unknown")
        return money_text(money.amount, money.currency, self.locale, compact=compact)

    def country(self, country: Country) -> str:
        return country.name(self.locale)

    def city(self, city: Any) -> str:
        return f"{self.city_name(city)}, {self.country(city.country)}"

    def city_name(self, city: Any) -> str:
        """The city's name in this locale from the cited names table; else as recorded.

        Official usage corrects the table (키이우, 호찌민, Bogotá without "D.C."); a
        city the table lacks keeps its recorded name (see ``citycoop._core.names``).
        """
        found = city_name(str(city.name), city.country.code, self.locale)
        return str(city.name) if found is None else found
