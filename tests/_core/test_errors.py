"""The exception hierarchy: one home, own fields, short messages, and pickling."""

from __future__ import annotations

import importlib
import inspect
import pickle
import pkgutil

import pytest

from citycoop import (
    CitycoopError,
    CsvError,
    CurrencyMismatchError,
    DataFileError,
    DocumentError,
    InexactError,
    InvalidTransitionError,
    MissingRateError,
    UnknownCodeError,
    ValidationError,
)

EXAMPLES = [
    ValidationError("Money.amount", 1.5, "a Decimal"),
    UnknownCodeError("Money.currency", "XYZ", "ISO 4217 currency"),
    DataFileError("rates.csv", 3, "USD", "'x' is not a number"),
    CsvError("cases.csv", ["line 2: bad"], more=5),
    DocumentError(["$.value: bad"]),
    CurrencyMismatchError("add", "KRW", "USD"),
    InexactError("1 / 3 is not exact"),
    MissingRateError("KRW", "USD", "2021-11-25", "policy steps ('day',)"),
    InvalidTransitionError("MOU", "proposed", "completed", ("signed", "terminated")),
]


class TestHome:
    """Every exception lives in _errors and is exported from citycoop."""

    def test_every_citycoop_error_is_defined_in_errors_and_exported(self):
        import citycoop.io

        modules = [citycoop, citycoop.io]
        for package in modules:
            for info in pkgutil.iter_modules(package.__path__, f"{package.__name__}."):
                if info.name.endswith(("plot", "frames", "iati", "strategies", "__main__")):
                    continue  # optional dependencies; their errors come from _errors too
                module = importlib.import_module(info.name)
                for _, value in inspect.getmembers(module, inspect.isclass):
                    if issubclass(value, CitycoopError):
                        assert value.__module__ == "citycoop._core.errors", value
                        assert value.__name__ in citycoop.__all__

    @pytest.mark.parametrize("error", EXAMPLES, ids=lambda e: type(e).__name__)
    def test_pickles_with_its_fields(self, error):
        again = pickle.loads(pickle.dumps(error))
        assert type(again) is type(error)
        assert str(again) == str(error)
        assert vars(again) == vars(error)

    @pytest.mark.parametrize("error", EXAMPLES, ids=lambda e: type(e).__name__)
    def test_is_a_builtin_error_too(self, error):
        assert isinstance(error, ValueError | ArithmeticError | LookupError)


class TestFields:
    """Each error has fields of its own meaning."""

    def test_data_file_error(self):
        error = DataFileError("rates.csv", 3, "USD", "'x' is not a number")
        assert (error.path, error.line, error.column, error.problem) == (
            "rates.csv",
            3,
            "USD",
            "'x' is not a number",
        )
        assert str(error) == "rates.csv, line 3, column 'USD': 'x' is not a number"
        assert not hasattr(error, "expected")
        assert not isinstance(error, ValidationError)

    def test_document_error_counts_what_it_did_not_list(self):
        error = DocumentError([f"$[{i}]: bad" for i in range(12)], more=88)
        assert error.problems[0] == "$[0]: bad"
        assert "100 problems" in str(error)
        assert str(error).endswith("(and 90 more)")

    def test_messages_stay_short_whatever_the_input(self):
        huge = "x" * 10_000_000
        for error in (
            ValidationError("f", huge, "short"),
            DataFileError(huge, 1, huge, huge),
            CsvError("f.csv", [huge] * 50),
            DocumentError([huge] * 50, more=10**6),
        ):
            assert len(str(error)) < 16_000
