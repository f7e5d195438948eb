"""Only type-checked: each line marked ``# error`` must be refused by mypy and pyright.

``python tests/typing/expect_errors.py`` checks that both report an error on exactly
those lines and on no other.
"""

from __future__ import annotations

from decimal import Decimal

from citycoop import Money, PolicyExport, RateTable, rollup
from citycoop.io import json as cjson


def wrong(cases: list[PolicyExport], table: RateTable) -> None:
    Money(1.5, "USD")  # error: a float amount
    Money(Decimal(1), 840)  # error: a currency is a code string
    rollup(cases, by=("region", "yaer"))  # error: an unknown key name
    rollup(cases, by="colour")  # error: an unknown key name
    rollup(cases, currency="USD", rates=table, missing="skip")  # error: not raise or omit
    money: Money = cjson.loads("{}", PolicyExport)  # error: loads is typed by its kind
    del money
