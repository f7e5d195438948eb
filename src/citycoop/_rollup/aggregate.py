"""The public entry point of the rollup engine: :func:`rollup`."""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Sized
from typing import TYPE_CHECKING, Any, Literal

from citycoop._core.decimals import EXACT
from citycoop._core.progress import Progress, counted
from citycoop._core.validation import iterable
from citycoop._fx.rates import DEFAULT_POLICY, RatePolicy
from citycoop._fx.table import RateTable
from citycoop._prices.deflate import (
    Method,
    constant_prices,
)
from citycoop._rollup.keys import (
    ROLLUP,
    By,
)
from citycoop._rollup.result import Rollup
from citycoop._rollup.start import new_run

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from citycoop._prices.index import PriceIndex


__all__ = ["rollup"]


def rollup(
    items: Iterable[Any],
    by: By = (),
    *,
    currency: str | None = None,
    rates: RateTable | None = None,
    on: dt.date | str = "value_date",
    policy: RatePolicy = DEFAULT_POLICY,
    missing: Literal["raise", "omit"] = "raise",
    measures: str | Sequence[str] = (),
    prices: PriceIndex | None = None,
    base_year: int | None = None,
    method: Method = "deflate_then_convert",
    economy: str | None = None,
    progress: Progress = None,
) -> Rollup:
    """Group *items* by *by*, count them and total their values exactly.

    Args:
        items: Any iterable of policy exports, of the records of MOUs, training cohorts
            and budgets (:func:`~citycoop.mou_records`, :func:`~citycoop.cohort_records`,
            :func:`~citycoop.budget_records`), of IATI activities, transactions and
            budgets (:func:`~citycoop.activity_records`,
            :func:`~citycoop.transaction_records`,
            :func:`~citycoop.activity_budget_records`), or of other objects with
            ``value``, ``value_date``, ``recipient`` (a city, a country where only the
            country is known, a :class:`Split` over several of these, or ``None``) and
            the attributes the keys read; it is read once, so generators stream.
        by: Key names (:data:`KeyName`: ``"country"``, ``"city"``, ``"region"``,
            ``"sub_region"``, ``"year"``, ``"focus_area"``, ``"funding"``,
            ``"funder"``, ``"status"``, ``"modality"``, ``"currency"``, ``"sector"``,
            ``"transaction_type"``, ``"organisation"``) or key functions such as
            :func:`fiscal_year`, :func:`sector` or ``operator.attrgetter("policy")`` for
            any other attribute. An unknown name is a :class:`~citycoop.ValidationError`
            listing the valid ones, and a type error for mypy and pyright. A key may
            return a :class:`Split`; ``"focus_area"`` does for cases split over several
            areas, and the place keys for a recipient split over several places.
        currency: Convert totals into this currency (with *rates*, needed only when an
            amount is in another currency).
        rates: The rates to convert with.
        on: ``"value_date"`` converts each item at its own value date (the IATI
            rule); a date converts everything at that one reporting date.
        policy: Which rate serves a date.
        missing: ``"raise"`` (a missing rate raises :class:`~citycoop.MissingRateError`)
            or ``"omit"`` (the subtotal is left out, listed in
            :attr:`Rollup.unconverted`, and its group marked incomplete). Never zero.
        measures: Attributes to sum exactly in each group besides money, such as
            ``("participants", "person_hours")`` of :func:`~citycoop.cohort_records`:
            whole numbers, Decimals or pint quantities of one unit. ``None`` is
            unknown: counted in :attr:`Measure.unknown`, never added as zero. An item
            that a key splits over several groups cannot be measured (its share of a
            head count is not defined), and is refused.
        prices: A price index: each group also gets its total at *base_year*'s prices
            in *currency* (:attr:`Group.constant`), each value deflated from the year of
            its value date. Needs *currency*, *rates*, *base_year* and
            ``on="value_date"``.
        base_year: The year whose prices the constant totals are in.
        method: ``"deflate_then_convert"`` (each value's own currency index, then the
            base year's rate, on 1 July) or ``"convert_then_deflate"`` (each value
            converted at its value date, as for :attr:`Group.converted`, then deflated
            with the index of *currency*); see :func:`~citycoop.deflate`.
        economy: The economy whose index to use, where the index has several for a
            currency (the DAC deflators all price US dollars).
        progress: ``progress(done, total)`` is called every 4,096 items and at the end
            (*total* is ``None`` for a generator); ``True`` shows a ``tqdm`` bar.

    Exact Decimals are summed per (group, currency, rates that serve the value date);
    each subtotal is converted once, and each converted total is rounded once, at the end.
    Memory grows with the groups and the distinct (currency, value date) pairs, not with
    the items; only items with an ``identifier`` or a ``parent`` are remembered, so that
    a parent's value can be taken out when its children arrive. Constant prices cost
    no more per item: each (currency, rates, year) subtotal is deflated once.

    >>> import citycoop
    >>> result = citycoop.rollup(citycoop.datasets.seoul().exports, by="country")
    >>> result.total.count, result.total.unvalued, len(result.rows)
    (15, 15, 11)

    .. versionadded:: 0.1.0
    """
    with decimal.localcontext(EXACT):  # sums of bounded amounts never round
        run = new_run(
            by,
            currency=currency,
            rates=rates,
            on=on,
            policy=policy,
            missing=missing,
            measures=measures,
            constant=None
            if prices is None
            else constant_prices(prices, base_year, method, economy, where=ROLLUP),
        )
        total = len(items) if isinstance(items, Sized) else None
        given = iterable(items, ROLLUP("items"))
        run.add_all(counted(given, progress, what="rollup", field=ROLLUP("progress"), total=total))
        return run.result()
