"""pandas DataFrames of rollups, export cases, MOUs and training tracks (extra ``pandas``).

Every frame follows the same conventions (the table in the interoperability guide lists
them column by column):

- money stays exact: amounts are Arrow decimal columns
  (``pd.ArrowDtype(pa.decimal128(38, s))``) of :class:`~decimal.Decimal` values, next to
  a currency column (or a column name that says the currency);
- whole numbers (years, populations, GeoNames ids, counts, participants) are pandas'
  nullable ``Int64``, so an unknown one is ``<NA>``, never a float ``NaN``;
- latitudes and longitudes are ``float64`` degrees (``NaN`` where unknown);
- calendar dates (``value_date``, ``on``) are ``datetime64`` day values and instants
  (``signed_at``) time-zone-aware ``datetime64[..., UTC]``;
- text and codes are ``object`` columns holding ``str`` or ``None``.

>>> import citycoop
>>> from citycoop.io import frames
>>> df = frames.exports_frame(citycoop.datasets.seoul().exports)
>>> df.loc[0, "recipient_name"], int(df.loc[0, "year"])
('Wellington', 2007)
>>> str(df["value_amount"].dtype), bool(df["value_amount"].isna().all())  # no value stated
('decimal128(38, 0)[pyarrow]', True)
>>> frames.exports_from_frame(df) == citycoop.datasets.seoul().exports
True

.. versionadded:: 0.1.0
"""

# pandas ships no type information of its own (pandas-stubs is a separate project).
# pyright: reportUnknownMemberType=false, reportUnknownVariableType=false, reportUnknownArgumentType=false, reportMissingTypeStubs=false

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any, cast

from citycoop._core.currencies import normalize_currency
from citycoop._core.errors import CsvError, ValidationError, show_value
from citycoop._core.extras import require
from citycoop._core.validation import Arguments
from citycoop._fx.convert import convert
from citycoop._fx.rates import DEFAULT_POLICY, RatePolicy
from citycoop._fx.table import RateTable
from citycoop._prices.deflate import Method, deflate
from citycoop._prices.index import PriceIndex
from citycoop.io._csv_texts import given_translations, translation_columns, translations_of
from citycoop.io._frame_money import FLOAT_AMOUNT, day_cell, each_row, is_gap, read_rows
from citycoop.io.csv import (
    COLUMNS,
    WHOLE_COLUMNS,
    CellError,
    cases_from_cells,
    cells_of,
)

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    import pandas as pd

    from citycoop._core.money import Money
    from citycoop._domain.agreements import MOU
    from citycoop._domain.exports import PolicyExport
    from citycoop._domain.training import TrainingTrack
    from citycoop._fx.convert import ConversionBatch
    from citycoop._rollup.result import Rollup


require("pandas", __name__)

__all__ = [
    "conversions_frame",
    "convert_frame",
    "deflate_frame",
    "exact_column",
    "exports_frame",
    "exports_from_frame",
    "mous_frame",
    "rollup_frame",
    "training_frame",
]

_DECIMALS = ("value_amount",)
_WHOLE = tuple(c for c in COLUMNS if c in WHOLE_COLUMNS)
#: Columns of degrees: every latitude and longitude (recipient, funder, implementer).
_DEGREES = tuple(c for c in COLUMNS if c.endswith(("latitude", "longitude")))
#: The columns a case cannot do without.
_REQUIRED = ("policy", "focus", "recipient_name", "recipient_country", "recipient_timezone")


def _pandas() -> Any:
    import pandas as pd

    return pd


def exports_frame(cases: Iterable[PolicyExport]) -> pd.DataFrame:
    """One row per case, with the columns of :data:`citycoop.io.csv.COLUMNS`.

    Texts in other languages follow, one column per language (``policy@ko``), as in CSV.
    """
    pd = _pandas()
    rows: list[dict[str, Any]] = []
    versions: list[dict[str, str]] = []
    for case in cases:
        row: dict[str, Any] = dict(zip(COLUMNS, cells_of(case), strict=True))
        versions.append(translations_of(case))
        row["value_amount"] = case.value.amount if case.value is not None else None
        for column in _WHOLE:
            row[column] = int(row[column]) if row[column] else None
        for column in _DEGREES:
            row[column] = float(row[column]) if row[column] else float("nan")
        rows.append(row)
    extra = translation_columns(versions)
    for row, more in zip(rows, versions, strict=True):
        row.update((column, more.get(column, "")) for column in extra)
    frame = pd.DataFrame(rows, columns=[*COLUMNS, *extra])
    for column in _WHOLE:
        frame[column] = frame[column].astype("Int64")
    for column in _DEGREES:
        frame[column] = frame[column].astype("float64")
    frame["value_date"] = pd.to_datetime(frame["value_date"].replace("", None), format="%Y-%m-%d")
    text = [
        c for c in (*COLUMNS, *extra) if c not in (*_WHOLE, *_DEGREES, *_DECIMALS, "value_date")
    ]
    frame[text] = frame[text].astype(object).where(frame[text] != "", None)
    frame["value_amount"] = exact_column(pd, [row["value_amount"] for row in rows], frame.index)
    return _plain_text(pd, frame, keep=_DECIMALS)


#: The most digits an exact amount column holds (Arrow's decimal128).
DECIMAL_DIGITS = 38


def exact_column(pd: Any, values: list[Any], index: Any = None) -> Any:
    """Amounts (``Decimal``, ``int`` or ``None``) as an exact pandas column.

    The dtype is ``pd.ArrowDtype(pa.decimal128(38, s))``, *s* the most decimal places
    of any value, so ``sum()``, ``groupby().sum()`` and ``plot()`` work without floats;
    a gap is ``<NA>``. Values that need more than 38 digits stay an ``object`` column
    of ``Decimal`` rather than lose one.
    """
    import pyarrow as pa

    numbers = [Decimal(v) if isinstance(v, int) else v for v in values]
    places = max((-int(v.as_tuple().exponent) for v in numbers if v is not None), default=0)
    places = max(places, 0)
    whole = max((v.adjusted() + 1 for v in numbers if v is not None and v), default=1)
    if whole + places > DECIMAL_DIGITS:
        return pd.Series(values, index=index, dtype=object)
    dtype = pd.ArrowDtype(pa.decimal128(DECIMAL_DIGITS, places))
    return pd.Series(pa.array(numbers, type=dtype.pyarrow_dtype), index=index, dtype=dtype)


def _plain_text(pd: Any, frame: Any, *, keep: Iterable[str] = ()) -> Any:
    """Text columns as ``object`` columns of ``str`` and ``None``, on every pandas version.

    pandas 3 infers its own string dtype (missing values ``NaN``) where pandas 2 keeps
    ``object``; a frame of citycoop's reads the same on both. Columns in *keep*
    (Decimals) are left as they are.
    """
    kept = set(keep)
    for column in frame.columns:
        series = frame[column]
        if column in kept or not _is_text(pd, series):
            continue
        values = series.astype(object)
        frame[column] = values.where(values.notna(), None)
    return frame


def _is_text(pd: Any, series: Any) -> bool:
    """Whether a column holds text and gaps only (pandas' string dtype, or plain objects)."""
    if series.dtype != object:
        return bool(pd.api.types.is_string_dtype(series.dtype))
    return all(isinstance(value, str) for value in series.dropna().tolist())


def exports_from_frame(frame: pd.DataFrame) -> tuple[PolicyExport, ...]:
    """Cases back from a frame made by :func:`exports_frame`, or shaped like it.

    Only the columns a case needs are required (``policy``, ``focus`` and the recipient's
    ``name``, ``country`` and ``timezone``); any other column of
    :data:`citycoop.io.csv.COLUMNS` that is absent is unknown for every case, and columns
    of other names are not read. Whole numbers may come as numpy integers or as floats
    such as ``2007.0`` (pandas' way of storing a column with gaps); an amount must be
    exact (``Decimal``, ``int`` or text) and a float amount is refused, as ``Money``
    refuses it.

    Every row is checked before anything is returned; a :class:`citycoop.io.csv.CsvError`
    lists the problems by row label and column, and checking stops after
    :data:`citycoop.io.csv.MAX_PROBLEMS` bad rows (``CsvError.stopped``).

    >>> import pandas as pd
    >>> frame = pd.DataFrame({"policy": ["Signals"], "focus": ["public_transport"],
    ...     "recipient_name": ["Lima"], "recipient_country": ["PE"],
    ...     "recipient_timezone": ["America/Lima"], "year": [2021.0]})
    >>> exports_from_frame(frame)[0].year
    2021
    """
    pd = _pandas()
    if not isinstance(frame, pd.DataFrame):
        raise ValidationError(
            "exports_from_frame.frame", type(frame).__name__, "a pandas.DataFrame"
        )
    missing = [c for c in _REQUIRED if c not in frame.columns]
    if missing:
        raise CsvError("<frame>", [f"missing columns {missing}"])
    twice = sorted({str(c) for c in frame.columns[frame.columns.duplicated()] if c in COLUMNS})
    if twice:
        raise CsvError("<frame>", [f"columns given twice {twice}"])
    extra = given_translations([str(c) for c in frame.columns], "<frame>")
    present = [c for c in COLUMNS if c in frame.columns] + extra

    def rows() -> Iterator[tuple[str, dict[str, str] | CellError]]:
        for label, record in frame[present].iterrows():
            cells = dict.fromkeys((*COLUMNS, *extra), "")
            problem: CellError | None = None
            for column, value in record.items():
                try:
                    cells[str(column)] = _text(pd, str(column), value)
                except CellError as error:
                    problem = problem or error
            yield f"row {show_value(label)}", problem or cells

    return cases_from_cells(rows(), "<frame>")


def _text(pd: Any, column: str, value: Any) -> str:
    """One frame cell as the CSV reader's text, refusing what would not be exact.

    Missing is ``None``, ``pd.NA``, ``pd.NaT`` or a float NaN (never ``Decimal("NaN")``,
    which ``Money`` refuses). A cell that is not one value (a list, an array) is refused;
    so is a float amount of any width (``numpy.float32`` included), and a value date
    that is neither a date, a timestamp at midnight nor text.
    """
    if is_gap(pd, value):
        return ""
    if not pd.api.types.is_scalar(value):
        raise CellError(column, f"a {type(value).__name__} is not one value")
    if column == "value_date":
        day = day_cell(pd, value, column)
        return day if isinstance(day, str) else day.isoformat()
    floating = pd.api.types.is_float(value)  # a Python or numpy float of any width
    if floating and column == "value_amount":
        raise CellError(column, f"{value!r} {FLOAT_AMOUNT}")
    if floating and column in WHOLE_COLUMNS:
        if not float(value).is_integer():
            raise CellError(column, f"{value!r} is not a whole number")
        return str(int(value))
    if floating and column in _DEGREES:
        # The float's shortest repr, written out without an exponent (1e-05 -> 0.00001).
        return format(Decimal(repr(float(value))), "f")
    return str(value)


def mous_frame(mous: Iterable[MOU]) -> pd.DataFrame:
    """One row per MOU: title, status, parties, signing instant (UTC) and scope."""
    pd = _pandas()
    rows = [
        {
            "identifier": mou.identifier,
            "title": mou.title.original,
            "status": mou.status.value,
            "parties": "; ".join(party.name.original for party in mou.parties),
            "partner_countries": "; ".join(
                dict.fromkeys(p.country.code for p in mou.parties[1:] if p.country is not None)
            ),
            "signed_at": None if mou.signed_at is None else mou.signed_at.isoformat(),
            "venue": None if mou.venue is None else str(mou.venue),
            "focus_areas": "; ".join(area.value for area in mou.focus_areas),
            "horizons": "; ".join(h.term.value for h in mou.horizons),
            "training_tracks": len(mou.training),
            "documents": len(mou.documents),
        }
        for mou in mous
    ]
    frame = pd.DataFrame(
        rows,
        columns=[
            "identifier",
            "title",
            "status",
            "parties",
            "partner_countries",
            "signed_at",
            "venue",
            "focus_areas",
            "horizons",
            "training_tracks",
            "documents",
        ],
    )
    frame["signed_at"] = pd.to_datetime(frame["signed_at"], utc=True, format="ISO8601")
    return _plain_text(pd, frame)


def training_frame(tracks: Iterable[TrainingTrack]) -> pd.DataFrame:
    """One row per training track, with participants and person-hours (exact)."""
    pd = _pandas()
    rows = [
        {
            "topic": track.topic.original,
            "focus_area": track.focus_area.value,
            "modality": None if track.modality is None else track.modality.value,
            "provider": None if track.provider is None else track.provider.name.original,
            "cohorts": len(track.cohorts),
            "participants": track.participants,
            "person_hours": track.person_hours.magnitude,
        }
        for track in tracks
    ]
    frame = pd.DataFrame(
        rows,
        columns=[
            "topic",
            "focus_area",
            "modality",
            "provider",
            "cohorts",
            "participants",
            "person_hours",
        ],
    )
    frame["participants"] = frame["participants"].astype("Int64")
    frame["person_hours"] = frame["person_hours"].astype(object)
    return _plain_text(pd, frame, keep=("person_hours",))


def conversions_frame(batch: ConversionBatch) -> pd.DataFrame:
    """One row per converted amount (see :meth:`citycoop.ConversionBatch.to_records`).

    ``amount`` and the converted columns (``converted_USD``, ``exact_USD``) are
    Decimals; ``on`` is a ``datetime64`` day; ``path`` and ``rates`` are text.

    >>> import citycoop
    >>> from citycoop import Money, Period, Rate, RateTable
    >>> rates = RateTable([Rate("USD", "KRW", "1100", Period.year(2021), "test")])
    >>> batch = citycoop.convert_batch([(Money(2200, "KRW"), "2021-06-30")], "USD", rates=rates)
    >>> frame = conversions_frame(batch)
    >>> frame.loc[0, ["amount", "currency", "converted_USD", "path"]].tolist()
    [Decimal('2200'), 'KRW', Decimal('2.00'), 'KRW->USD']
    >>> frame["on"].dtype.kind  # datetime64
    'M'
    """
    pd = _pandas()
    converted, exact = f"converted_{batch.currency}", f"exact_{batch.currency}"
    columns = ["amount", "currency", "on", converted, exact, "path", "rates"]
    records = batch.to_records()
    frame = pd.DataFrame(records, columns=columns)
    for column in ("amount", converted):
        frame[column] = exact_column(pd, [r[column] for r in records], frame.index)
    frame[exact] = frame[exact].astype(object)  # 50 significant digits: more than Arrow holds
    frame["on"] = pd.to_datetime(frame["on"])
    return _plain_text(pd, frame, keep=("amount", converted, exact))


def rollup_frame(result: Rollup) -> pd.DataFrame:
    """The rows of a rollup (see :meth:`citycoop.Rollup.to_records`); amounts stay Decimals.

    A key of whole numbers (``year``, always) is pandas' nullable ``Int64``, so an unknown
    year is ``<NA>``, never a float ``NaN`` beside ``2007.0``; counts are integers; country and
    region keys come with their names. A measure of whole numbers (``participants``)
    is ``Int64`` too; a measure of quantities (``person_hours``) gives each magnitude
    in the unit of the quantities (hours), in an ``object`` column; a measure that no
    group knows is an ``object`` column of ``None``.

    >>> import citycoop
    >>> frame = rollup_frame(citycoop.rollup(citycoop.datasets.seoul().exports, by="year"))
    >>> str(frame["year"].dtype), int(frame["year"].iloc[0])
    ('Int64', 2007)
    """
    pd = _pandas()
    records = result.to_records()
    quantities: set[str] = set()
    for record in records:  # a quantity's magnitude, in the unit every group shares
        for name in result.measures:
            value: Any = record[name]
            if value is not None and hasattr(value, "units"):
                record[name] = value.magnitude
                quantities.add(name)
    frame = pd.DataFrame(records, columns=_columns(result, records))
    money = [c for c in frame.columns if c.startswith(("total_", "converted_"))]
    if result.constant_prices is not None:
        money.append(f"constant_{result.currency}")
    for column in frame.columns:
        if column in money or column in quantities:
            # From the records, so that pandas never turns an int beside a gap into a float.
            values = [record.get(column) for record in records]
            frame[column] = (
                exact_column(pd, values, frame.index)
                if column in money
                else pd.Series(values, index=frame.index, dtype=object)
            )
        elif column in (*result.by, *result.measures) and _whole(frame[column]):
            frame[column] = frame[column].astype("Int64")
        elif column == "year" and frame[column].isna().all():
            frame[column] = frame[column].astype("Int64")  # no year known: still a number
        elif column in result.measures and frame[column].isna().all():
            # No group knows the measure, so neither its kind nor its unit is known.
            frame[column] = pd.Series([None] * len(frame), index=frame.index, dtype=object)
    return _plain_text(pd, frame, keep=(*money, *quantities))


def _columns(result: Rollup, records: list[dict[str, object]]) -> list[str]:
    """Every column of the records, in first-seen order (a rollup with no rows has its keys)."""
    names: dict[str, None] = {}
    for record in records:
        names.update(dict.fromkeys(record))
    return list(names) if names else list(result.by)


def _whole(column: Any) -> bool:
    """Whether a column holds whole numbers (and gaps) only."""
    values = [v for v in column.tolist() if v is not None and v == v]  # noqa: PLR0124 - NaN
    return bool(values) and all(
        (isinstance(v, int) and not isinstance(v, bool))
        or (isinstance(v, float) and v.is_integer())
        for v in values
    )


def convert_frame(
    frame: pd.DataFrame,
    *,
    to: str,
    rates: RateTable,
    amount: str = "amount",
    currency: str = "currency",
    date: str = "date",
    policy: RatePolicy = DEFAULT_POLICY,
) -> pd.DataFrame:
    """*frame* with each amount converted into *to* at its date's rate, and the rates used.

    A copy of *frame* with two new columns: ``converted_<TO>``, each amount converted by
    :func:`citycoop.convert` and rounded once (an exact column, :func:`exact_column`), and
    ``converted_<TO>_rates``, the rates it used as text (each rate's period and source;
    a planning rate says so). A row without an amount gives gaps. Every row is checked
    first: a float amount, a missing currency or date is a :class:`~citycoop.CsvError`
    naming each bad row; a missing rate is a :class:`~citycoop.MissingRateError` naming
    its row.

    >>> import pandas as pd
    >>> from decimal import Decimal
    >>> from citycoop import Period, Rate, RateTable
    >>> rates = RateTable([Rate("USD", "KRW", "1144.42", Period.year(2021), "World Bank")])
    >>> df = pd.DataFrame({"amount": [Decimal("804.8e9"), None], "currency": ["KRW", "KRW"],
    ...                    "date": ["2021-11-25", "2021-12-01"]})
    >>> out = convert_frame(df, to="USD", rates=rates)
    >>> out["converted_USD"].tolist()
    [Decimal('703238321.60'), <NA>]
    >>> out["converted_USD_rates"][0]
    '1 USD = 1144.42 KRW (2021-01-01/2021-12-31, World Bank, inverted)'

    .. versionadded:: 0.1.0
    """
    pd = _pandas()
    where = Arguments("convert_frame")
    if not isinstance(rates, RateTable):
        raise ValidationError(where("rates"), rates, "a RateTable")
    target = normalize_currency(to, where("to"))
    rows = read_rows(
        pd, frame, where=where, amount=amount, currency=currency, when=date, kind="date"
    )
    done = list(
        each_row(
            rows, lambda money, day: convert(money, target, on=day, rates=rates, policy=policy)
        )
    )
    return _with_columns(
        pd,
        frame,
        f"converted_{target}",
        [None if c is None else c.rounded().amount for c in done],
        [None if c is None else "; ".join(map(str, c.legs)) for c in done],
    )


def deflate_frame(
    frame: pd.DataFrame,
    *,
    prices: PriceIndex,
    base_year: int,
    amount: str = "amount",
    currency: str = "currency",
    year: str = "year",
    to: str | None = None,
    rates: RateTable | None = None,
    method: Method = "deflate_then_convert",
    economy: str | None = None,
    policy: RatePolicy = DEFAULT_POLICY,
) -> pd.DataFrame:
    """*frame* with each amount at *base_year*'s prices, and the index values and rates used.

    A copy of *frame* with two new columns: ``constant_<CUR>_<BASE>``, each amount
    deflated by :func:`citycoop.deflate` from its row's *year* (into *to*, else its own
    currency, which must then be one for the whole frame, and there must be an amount)
    and rounded once, and
    ``constant_<CUR>_<BASE>_used``, the index, its two values and every rate used, as
    text (``"<index title>: UKR 2023: <value>, UKR 2021: <value>"``).
    Rows are checked as :func:`convert_frame` checks them; a missing index value or rate
    names its row.

    >>> import pandas as pd
    >>> from citycoop import Economy, IndexValue, PriceIndex
    >>> cpi = PriceIndex([IndexValue("KOR", 2015, "94.2"), IndexValue("KOR", 2021, "101.8")],
    ...                  economies=[Economy("KOR", "Korea", "KRW")], source="BOK", indicator="CPI")
    >>> df = pd.DataFrame({"amount": [1_000_000_000], "currency": ["KRW"], "year": [2015]})
    >>> deflate_frame(df, prices=cpi, base_year=2021)["constant_KRW_2021"].tolist()
    [Decimal('1080679406')]

    .. versionadded:: 0.1.0
    """
    pd = _pandas()
    where = Arguments("deflate_frame")
    if not isinstance(prices, PriceIndex):
        raise ValidationError(where("prices"), prices, "a PriceIndex")
    rows = read_rows(
        pd, frame, where=where, amount=amount, currency=currency, when=year, kind="year"
    )
    target = None if to is None else normalize_currency(to, where("to"))
    if target is None:
        currencies = sorted({money.currency for _, money, _ in rows if money is not None})
        if len(currencies) != 1:
            held = f"amounts in {', '.join(currencies)}" if currencies else "no amount"
            raise ValidationError(where("to"), None, f"a currency: the frame holds {held}")
        target = currencies[0]

    def one(money: Money, at: object) -> Any:
        return deflate(
            money,
            year=cast("int", at),
            base_year=base_year,
            prices=prices,
            currency=target,
            rates=rates,
            method=method,
            economy=economy,
            policy=policy,
        )

    done = list(each_row(rows, one))
    return _with_columns(
        pd,
        frame,
        f"constant_{target}_{base_year}",
        [None if d is None else d.rounded().amount for d in done],
        [None if d is None else _deflation_used(d) for d in done],
        used="used",
    )


def _deflation_used(deflation: Any) -> str:
    """What a deflation used, as text: the index and its two values, then any rates."""
    used = f"{deflation.index_title}: {deflation.index[0]}, {deflation.index[1]}"
    return "; ".join((used, *map(str, deflation.legs)))


def _with_columns(
    pd: Any,
    frame: Any,
    name: str,
    amounts: list[Decimal | None],
    provenance: list[str | None],
    *,
    used: str = "rates",
) -> Any:
    out = frame.copy()
    out[name] = exact_column(pd, amounts, frame.index)
    out[f"{name}_{used}"] = pd.Series(provenance, index=frame.index, dtype=object)
    return out
