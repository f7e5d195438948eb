"""Only type-checked (mypy --strict): how citycoop's public API reads to a type checker."""

from __future__ import annotations

from decimal import Decimal

import pendulum

import citycoop
from citycoop import (
    MOU,
    Conversion,
    ConversionBatch,
    Group,
    Money,
    Period,
    PolicyExport,
    Portfolio,
    Rate,
    RateTable,
    Rollup,
    convert,
    convert_batch,
    rollup,
)


def amounts() -> None:
    money: Money = Money("804.8e9", "KRW") + Money(1, "KRW")
    exact: Decimal = money.amount
    rounded: Money = money.rounded()
    parts: tuple[Money, ...] = money.allocate([60, 40])
    total: Money = sum(parts, Money.zero("KRW"))
    del exact, rounded, total


def conversion(table: RateTable) -> Money:
    result: Conversion = convert(Money(1, "USD"), "KRW", on="2021-11-25", rates=table)
    path: tuple[str, ...] = result.path
    rates: tuple[Rate, ...] = result.rates
    del path, rates
    return result.rounded()


def batch(table: RateTable) -> Money:
    pairs = [(Money(1, "USD"), "2021-11-25"), (Money(2, "EUR"), pendulum.date(2021, 11, 25))]
    result: ConversionBatch = convert_batch(pairs, "KRW", rates=table)
    column: tuple[Decimal, ...] = result.rounded_amounts()
    first: Conversion = result[0]
    each: list[Conversion] = list(result)
    records: list[dict[str, object]] = result.to_records()
    del column, first, each, records
    return result.total()


def portfolio() -> None:
    seoul: Portfolio = citycoop.datasets.seoul()
    lima: MOU = seoul.mous_with("Lima")[0]
    local: dict[citycoop.Organisation, pendulum.DateTime] = lima.local_signing_times()
    cases: tuple[PolicyExport, ...] = seoul.exports
    result: Rollup = rollup(cases, by=("country", "year"))
    row: Group = result.total
    count: int = row.count
    converted: Money | None = row.converted
    period: Period = Period.year(2021)
    del local, count, converted, period


def documents(text: str) -> Portfolio:
    from citycoop.io import json as cjson

    money = cjson.loads(cjson.dumps(Money(1, "USD")), Money)
    amount: Decimal = money.amount
    del amount
    return cjson.loads(text, Portfolio)


def levels(cases: list[PolicyExport]) -> Rollup:
    by_year = rollup(cases, by=("region", "year"), currency="USD", rates=RateTable(()))
    return by_year.level(1)


def construction(owner: citycoop.Organisation, partner: citycoop.Organisation) -> Portfolio:
    mou = MOU("Smart city cooperation", [owner, partner], focus_areas=["digital"])
    parties: tuple[citycoop.Organisation, ...] = mou.parties
    del parties
    cases = (case for case in citycoop.datasets.seoul().exports)
    return Portfolio(owner, mous={mou}, exports=cases, training=[])


def records(seoul: Portfolio) -> None:
    mous: tuple[citycoop.MOURecord, ...] = citycoop.mou_records(seoul)
    cohorts: tuple[citycoop.CohortRecord, ...] = citycoop.cohort_records(seoul)
    budgets: tuple[citycoop.BudgetRecord, ...] = citycoop.budget_records(seoul)
    by_status: Rollup = rollup(mous, by=("region", "status", "focus_area"))
    training = rollup(cohorts, by=("modality", "year"), measures=("participants", "person_hours"))
    measures: tuple[citycoop.Measure, ...] = training.total.measures
    participants: object = training.total.measure("participants")
    by_currency: Rollup = rollup(budgets, by=("year", "currency"))
    del by_status, measures, participants, by_currency


def constant_prices(cases: list[PolicyExport], table: RateTable) -> Money:
    cpi: citycoop.PriceIndex = citycoop.PriceIndex.from_file("cpi.csv")
    rebased: citycoop.PriceIndex = cpi.rebased(2021)
    value: Decimal = rebased.value("KOR", 2015)
    result: citycoop.Deflation = citycoop.deflate(
        Money(1, "KRW"),
        year=2015,
        base_year=2021,
        prices=cpi,
        currency="USD",
        rates=table,
        method="convert_then_deflate",
    )
    used: tuple[citycoop.IndexValue, citycoop.IndexValue] = result.index
    totals: Rollup = rollup(
        cases, by="year", currency="USD", rates=table, prices=cpi, base_year=2021
    )
    constant: Money | None = totals.total.constant
    del value, used, constant
    return result.rounded()


def iati(data: bytes) -> Money | None:
    from citycoop import Activity, Transaction, TransactionRecord
    from citycoop.io.iati import ActivityStream, Skipped, read_activities

    stream: ActivityStream = read_activities(data, invalid="skip")
    activities: list[Activity] = list(stream)
    skipped: tuple[Skipped, ...] = stream.skipped
    first: Transaction = activities[0].transactions[0]
    value: Money = first.value
    records: list[TransactionRecord] = list(citycoop.transaction_records(activities))
    result: Rollup = rollup(records, by=("country", "sector", "transaction_type"))
    del skipped, value
    return result.total.converted


def group_keys() -> dict[tuple[str, int], Decimal]:
    """A row's key values read as the types the keys give (the docs' own g.key[0].code)."""
    result = rollup(citycoop.datasets.seoul().exports, by=("country", "year"))
    return {(g.key[0].code, g.key[1]): g.total("KRW").amount for g in result}


def briefing(seoul: Portfolio, table: RateTable) -> str:
    """A partner briefing in Korean, in Markdown, with values in won."""
    shown: citycoop.Report = citycoop.report(
        seoul, locale="ko", partner="Lima", currency="KRW", rates=table
    )
    titles: list[str] = [section.title for section in shown.sections]
    del titles
    return shown.render("markdown")
