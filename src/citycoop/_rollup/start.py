"""The start of a rollup: its arguments checked, then one :class:`~.engine.Run` built.

Shared by :func:`citycoop.rollup` and ``citycoop.columnar.rollup``, so both check the
same arguments and name them in errors by the function the caller called.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from citycoop._core.currencies import currency_info, normalize_currency
from citycoop._core.errors import ValidationError
from citycoop._core.time import to_date
from citycoop._core.validation import Arguments, iterable
from citycoop._fx.table import RateTable
from citycoop._rollup.engine import Run
from citycoop._rollup.keys import ROLLUP, By, compile_keys

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Sequence

    from citycoop._fx.rates import RatePolicy
    from citycoop._prices.deflate import ConstantPrices

__all__ = ["new_run"]


def new_run(
    by: By,
    *,
    currency: str | None,
    rates: RateTable | None,
    on: dt.date | str,
    policy: RatePolicy,
    missing: str,
    measures: str | Sequence[str] = (),
    constant: ConstantPrices | None = None,
    where: Arguments = ROLLUP,
) -> Run:
    """The state of one rollup, its arguments checked (for :func:`rollup` and engines).

    Errors name the arguments of the function *where* speaks for (``rollup.currency``,
    ``columnar.rollup.currency``).
    """
    keys = compile_keys(by, where)
    names = (
        (measures,) if isinstance(measures, str) else tuple(iterable(measures, where("measures")))
    )
    for index, name in enumerate(names):
        if not isinstance(name, str) or not name.isidentifier():
            raise ValidationError(where("measures", index), name, "an attribute name")
    if len(set(names)) != len(names):
        raise ValidationError(where("measures"), list(names), "each attribute once")
    target = None if currency is None else normalize_currency(currency, where("currency"))
    if target is not None and currency_info(target).minor_units is None:
        raise ValidationError(where("currency"), target, "a currency with a minor unit to round to")
    # Rates are needed only for amounts in another currency: they are asked for when
    # such an amount comes (Run.new_part), or now for constant prices.
    if target is not None and not isinstance(rates, RateTable | None):
        raise ValidationError(where("rates"), rates, "a RateTable to convert into " + target)
    if missing not in ("raise", "omit"):
        raise ValidationError(where("missing"), missing, "'raise' or 'omit'")
    fixed = None if on == "value_date" else to_date(on, where("on"))
    if constant is not None and (target is None or fixed is not None):
        raise ValidationError(
            where("prices"),
            constant.prices.title,
            "constant prices with currency=<code>, rates and on='value_date' "
            "(each value is deflated from the year of its value date)",
        )
    if constant is not None and rates is None:
        raise ValidationError(where("rates"), rates, "a RateTable for constant prices")
    return Run(
        keys,
        target=target,
        rates=rates,
        fixed=fixed,
        policy=policy,
        missing=missing,
        measures=names,
        constant=constant,
        where=where,
    )
