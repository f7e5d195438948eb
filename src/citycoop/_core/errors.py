"""The exception hierarchy.

Every error citycoop raises is a :class:`CitycoopError`. Each concrete error also
subclasses the matching built-in exception, so code that already catches
``ValueError`` or ``LookupError`` keeps working.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Final, TypeVar

__all__ = [
    "CitycoopError",
    "CsvError",
    "CurrencyMismatchError",
    "DataFileError",
    "DataWarning",
    "DocumentError",
    "IatiError",
    "InexactError",
    "InvalidTransitionError",
    "MissingPriceError",
    "MissingRateError",
    "UnknownCodeError",
    "ValidationError",
]


class CitycoopError(Exception):
    """Base class of every error raised by citycoop."""


class DataWarning(UserWarning):
    """Data was read, but what it means had to be settled by a documented rule.

    For example an IATI activity whose recipient percentages do not add up to 100. The
    message names the file, the line, the activity and the rule applied. Filter it as
    any warning (``warnings.simplefilter("error", citycoop.DataWarning)`` to refuse
    such files).
    """


class ValidationError(CitycoopError, ValueError):
    """A value was rejected.

    Args:
        field: Dotted path of the offending field, such as ``"MOU.signed_at"``
            or ``"$.exports[3].value.amount"``.
        value: The offending value.
        expected: What would have been accepted.

    The message reads ``field: value is not valid: expected ...``.
    """

    def __init__(self, field: str, value: Any, expected: str) -> None:
        self.field = field
        self.value = value
        self.expected = expected
        super().__init__(
            f"{cut(field, 300)}: {show_value(value)} is not valid: expected {cut(expected, 1000)}"
        )

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.field, self.value, self.expected))


class UnknownCodeError(ValidationError):
    """A code (currency, country, region, time zone, ...) is not known.

    ``kind`` names the code list, such as ``"ISO 4217 currency"``.
    """

    def __init__(self, field: str, value: Any, kind: str) -> None:
        super().__init__(field, value, f"a known {kind} code")
        self.kind = kind

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.field, self.value, self.kind))


class DataFileError(CitycoopError, ValueError):
    """A data file could not be read; the file, line and column are named.

    Loaders raise this instead of returning part of a file.

    Args:
        path: The file's name (``"<frame>"`` or ``"<file>"`` where it has none).
        line: The line, counted from 1, or ``None`` for the file as a whole.
        column: The column's name, or ``None``.
        problem: What was wrong.

    .. versionchanged:: 0.1.0
       No longer a :class:`ValidationError`: it has its own fields.
    """

    def __init__(self, path: str, line: int | None, column: str | None, problem: str) -> None:
        where = cut(path, 300) if line is None else f"{cut(path, 300)}, line {line}"
        if column:
            where = f"{where}, column {cut(column)!r}"
        self.path = path
        self.line = line
        self.column = column
        self.problem = problem
        super().__init__(f"{where}: {cut(problem, 2000)}")

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.path, self.line, self.column, self.problem))


#: How many problems a reader lists before it stops checking (CSV rows, JSON values).
MAX_PROBLEMS: Final = 100


class CsvError(DataFileError):
    """A CSV table could not be read; ``problems`` lists each problem with line and column.

    Args:
        path: The file's name.
        problems: Each problem, starting with its line.
        more: How many further problems were found but not listed.
        stopped: Checking stopped at the reader's problem limit, so the rest of the table
            was not checked and there may be more problems than are counted.

    .. versionadded:: 0.1.0
    """

    def __init__(
        self,
        path: str,
        problems: list[str] | tuple[str, ...],
        more: int = 0,
        *,
        stopped: bool = False,
    ) -> None:
        self.problems = tuple(problems)
        self.more = more
        self.stopped = stopped
        super().__init__(path, None, None, _summary(self.problems, more, stopped=stopped))

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (type(self), (self.path, self.problems, self.more), self.stopped))


class IatiError(DataFileError):
    """An IATI file, or one activity in it, could not be read.

    Names the file, the line, the element (as ``column``) and, for a problem inside an
    activity, the activity's identifier.

    Args:
        path: The file's name (``"<bytes>"`` or ``"<file>"`` where it has none).
        line: The line of the offending element, counted from 1, or ``None``.
        element: The element or attribute, such as ``"transaction/value"``, or ``None``.
        problem: What was wrong.
        activity: The ``iati-identifier`` of the activity, or ``None`` outside one.

    .. versionadded:: 0.1.0
    """

    def __init__(
        self,
        path: str,
        line: int | None,
        element: str | None,
        problem: str,
        activity: str | None = None,
    ) -> None:
        self.activity = activity
        named = problem if activity is None else f"activity {cut(activity)!r}: {problem}"
        super().__init__(path, line, element, named)
        self.problem = problem

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.path, self.line, self.column, self.problem, self.activity))


class DocumentError(CitycoopError, ValueError):
    """A JSON document could not be read; ``problems`` lists every problem with its path.

    Args:
        problems: Each problem, starting with its JSON path (``$.exports[3].value``).
        more: How many further problems were found but not listed.
        stopped: Checking stopped at the reader's problem limit, so the rest of the
            document was not checked and there may be more problems than are counted.

    .. versionadded:: 0.1.0
    """

    def __init__(
        self, problems: list[str] | tuple[str, ...], more: int = 0, *, stopped: bool = False
    ) -> None:
        self.problems = tuple(problems)
        self.more = more
        self.stopped = stopped
        super().__init__(
            f"invalid citycoop document: {_summary(self.problems, more, stopped=stopped)}"
        )

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (type(self), (self.problems, self.more), self.stopped))


class CurrencyMismatchError(CitycoopError, ValueError):
    """Two amounts in different currencies were combined without a conversion."""

    def __init__(self, operation: str, left: str, right: str) -> None:
        self.operation = operation
        self.left = left
        self.right = right
        super().__init__(
            f"cannot {operation} {left} and {right}: convert one currency into the other first"
        )

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.operation, self.left, self.right))


class InexactError(CitycoopError, ArithmeticError):
    """An arithmetic result would have lost digits; citycoop never rounds silently."""


class MissingRateError(CitycoopError, LookupError):
    """No exchange rate serves a currency pair on a date. A missing rate is never zero.

    ``base`` and ``quote`` are the pair's codes, ``on`` the date asked for, and ``reason``
    what the table has instead (the nearest rates, or the pair missing altogether).
    """

    def __init__(self, base: str, quote: str, on: dt.date, reason: str = "") -> None:
        self.base = base
        self.quote = quote
        self.on = on
        self.reason = reason
        message = f"no {base}->{quote} rate serves {on}"
        super().__init__(f"{message}: {reason}" if reason else message)

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.base, self.quote, self.on, self.reason))


class MissingPriceError(CitycoopError, LookupError):
    """A price index has no value for an economy in a year. A missing index is never 1.

    ``economy`` is the economy's code (``"KOR"``), or a currency's when no economy of
    the index prices it; ``year`` is the year asked for (``None`` when the economy is
    missing altogether); ``reason`` says what the index has instead, such as the nearest
    years with values.
    """

    def __init__(self, index: str, economy: str, year: int | None, reason: str = "") -> None:
        self.index = index
        self.economy = economy
        self.year = year
        self.reason = reason
        when = "" if year is None else f" in {year}"
        message = f"no {index} value for {economy}{when}"
        super().__init__(f"{message}: {reason}" if reason else message)

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.index, self.economy, self.year, self.reason))


class InvalidTransitionError(CitycoopError, ValueError):
    """A status change that the life cycle does not allow."""

    def __init__(self, kind: str, current: str, target: str, allowed: tuple[str, ...]) -> None:
        self.kind = kind
        self.current = current
        self.target = target
        self.allowed = allowed
        options = ", ".join(allowed) if allowed else "none: it is final"
        super().__init__(
            f"{kind} cannot go from {current!r} to {target!r}; allowed from {current!r}: {options}"
        )

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.kind, self.current, self.target, self.allowed))


_E = TypeVar("_E", bound=BaseException)


def _rebuild(kind: type[_E], args: tuple[Any, ...], stopped: bool) -> _E:
    """Unpickle an error whose constructor takes ``stopped`` by keyword."""
    return kind(*args, stopped=stopped)  # type: ignore[call-arg]


def _summary(problems: tuple[str, ...], more: int, *, stopped: bool = False) -> str:
    """The first ten problems, each cut short, and how many more there are."""
    shown = "; ".join(cut(problem, 300) for problem in problems[:10])
    hidden = len(problems) - 10 + more if len(problems) > 10 else more
    count = len(problems) + more
    counted = f"at least {count}" if stopped else str(count)
    stop = ", checking stopped there" if stopped else ""
    return f"{counted} problem{'' if count == 1 else 's'}{stop}: {shown}" + (
        f" (and {hidden} more)" if hidden else ""
    )


def cut(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else f"{text[: limit - 3]}..."


def listed(names: list[str], limit: int = 10, *, quoted: bool = True) -> str:
    """The first *limit* of *names*, each cut short, and how many more there are.

    >>> listed(["a", "b", "c"], 2)
    "'a', 'b' and 1 more"
    """
    shown = ", ".join(repr(cut(n, 40)) if quoted else cut(n, 40) for n in names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")


def show_value(value: Any) -> str:
    """Render an offending value for a message, cut to a readable length."""
    text = repr(value)
    return text if len(text) <= 80 else f"{text[:77]}..."
