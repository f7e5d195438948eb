"""The exception hierarchy.

Every error citycoop raises is a :class:`CitycoopError`. Each concrete error also
subclasses the matching built-in exception, so code that already catches
``ValueError`` or ``LookupError`` keeps working.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "CitycoopError",
    "CurrencyMismatchError",
    "DataFileError",
    "InexactError",
    "InvalidTransitionError",
    "MissingRateError",
    "UnknownCodeError",
    "ValidationError",
]


class CitycoopError(Exception):
    """Base class of every error raised by citycoop."""


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
        super().__init__(f"{field}: {_show(value)} is not valid: expected {expected}")

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


class DataFileError(ValidationError):
    """A data file could not be read; the file, line and column are named.

    Loaders raise this instead of returning part of a file.
    """

    def __init__(self, path: str, line: int | None, column: str | None, problem: str) -> None:
        where = path if line is None else f"{path}, line {line}"
        if column:
            where = f"{where}, column {column!r}"
        self.path = path
        self.line = line
        self.column = column
        self.problem = problem
        self.field = where
        self.value = None
        self.expected = problem
        CitycoopError.__init__(self, f"{where}: {problem}")

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.path, self.line, self.column, self.problem))


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
    """No exchange rate serves a currency pair on a date. A missing rate is never zero."""

    def __init__(self, base: str, quote: str, on: object, reason: str = "") -> None:
        self.base = base
        self.quote = quote
        self.on = on
        self.reason = reason
        message = f"no {base}->{quote} rate serves {on}"
        super().__init__(f"{message}: {reason}" if reason else message)

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.base, self.quote, self.on, self.reason))


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


def _show(value: Any) -> str:
    """Render an offending value for a message, cut to a readable length."""
    text = repr(value)
    return text if len(text) <= 80 else f"{text[:77]}..."
