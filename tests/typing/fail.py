"""Only type-checked: each line marked ``# error`` must be refused by mypy and pyright.

``python tests/typing/expect_errors.py`` checks that both report an error on exactly
those lines and on no other.
"""

from __future__ import annotations

from decimal import Decimal

from citycoop import MOU, Money, Organisation, PolicyExport, Portfolio, RateTable, rollup
from citycoop.io import json as cjson


def wrong(cases: list[PolicyExport], table: RateTable, owner: Organisation) -> None:
    Money(1.5, "USD")  # error: a float amount
    Money(Decimal(1), 840)  # error: a currency is a code string
    rollup(cases, by=("region", "yaer"))  # error: an unknown key name
    rollup(cases, by="colour")  # error: an unknown key name
    rollup(cases, currency="USD", rates=table, missing="skip")  # error: not raise or omit
    money: Money = cjson.loads("{}", PolicyExport)  # error: loads is typed by its kind
    MOU("Cooperation", ["Seoul", "Lima"])  # error: parties are Organisations
    MOU("Cooperation", [owner, owner], status=3)  # error: a status is a MOUStatus or code
    Portfolio(owner, exports=cases[0])  # error: a collection, not one case
    del money
