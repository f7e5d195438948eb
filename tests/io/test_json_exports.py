"""Export cases read from values the document already built give what the general way gives.

``loads`` builds the first case that brings each city, focus split, date, currency and
source list the general way (cattrs and the validating constructor), and later cases
made of those values and plain ones directly. Every refusal must stay the general way's:
these tests read each document both ways and compare results, digit for digit, or errors,
word for word.
"""

from __future__ import annotations

import gc
import inspect
import json
from decimal import Decimal
from unittest import mock

import attrs
import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

import citycoop
from _shared import json_paths
from citycoop import PolicyExport, Portfolio
from citycoop import strategies as cst
from citycoop._core.money import to_decimal
from citycoop._domain.exports import trusted_export
from citycoop.io import _json_exports
from citycoop.io import json as cjson

OWNER = citycoop.Organisation("Seoul Metropolitan Government", "city_government", country="KR")

#: What a hostile writer puts in a member: values of every JSON type, and near misses.
HOSTILE = [
    None,
    True,
    False,
    0,
    1,
    2021,
    Decimal("1.0"),
    Decimal("2021.0"),
    "",
    "  ",
    "x",
    "1e999",
    "1e-13",
    "0.0000000000001",
    "123456789012345678901234",
    "-5",
    "100",
    "2021-02-30",
    "2021-06-15",
    "usd",
    "completed",
    "Completed",
    "https://example.org/a b",
    [],
    [1],
    ["https://example.org/case"],
    {},
    {"a": 1},
]


def _outcome(text: str) -> tuple[str, object]:
    try:
        value = cjson.loads(text)
    except cjson.DocumentError as error:
        return "refused", str(error)
    return "read", (value, repr(value))


def _both_ways(text: str) -> tuple[tuple[str, object], tuple[str, object]]:
    """The document read as ``loads`` reads it, and with every case read the general way."""
    made: list[object] = []
    known_way = _json_exports._known

    def spy(case: dict[str, object], reading: object) -> object:
        made.append(case := known_way(case, reading))  # type: ignore[arg-type]
        return case

    with mock.patch.object(_json_exports, "_known", spy):
        known = _outcome(text)
    if any(case is not None for case in made):
        event("a case put together from known values")
    with mock.patch.object(_json_exports, "_known", return_value=None):
        general = _outcome(text)
    return known, general


def _document(cases: list[dict[str, object]]) -> str:
    data = json.loads(cjson.dumps(Portfolio(OWNER)))["data"]
    data["exports"] = cases
    return json.dumps({"schema": cjson.SCHEMA, "type": "Portfolio", "data": data}, default=str)


def _plain(case: PolicyExport, *, plain: bool) -> PolicyExport:
    """Most cases of a portfolio hold no funding, implementer, budgets or note."""
    if not plain:
        return case
    return attrs.evolve(case, funding=None, implementer=None, budgets=(), note=None)


def _case_json(case: PolicyExport) -> dict[str, object]:
    return json.loads(cjson.dumps(case))["data"]


class TestAgainstTheGeneralWay:
    @settings(max_examples=500)
    @given(cst.policy_exports(), st.booleans(), st.data())
    def test_a_changed_member_of_a_later_case(self, case, plain, data):
        first = _case_json(_plain(case, plain=plain))
        second = json.loads(json.dumps(first))
        second["identifier"] = None if first["identifier"] is None else "another"
        paths = [path for path in json_paths(second) if path]
        path = data.draw(st.sampled_from(paths), label="path")
        parent = second
        for key in path[:-1]:
            parent = parent[key]
        change = data.draw(st.sampled_from(["replace", "delete", "add"]), label="change")
        if change == "replace":
            parent[path[-1]] = data.draw(st.sampled_from(HOSTILE), label="by")
        elif change == "delete" and isinstance(parent, dict):
            del parent[path[-1]]
        elif change == "add" and isinstance(parent, dict):
            parent["unknown_member"] = "x"
        cases = (
            [first, second] if data.draw(st.booleans(), label="changed last") else [second, first]
        )
        known, general = _both_ways(_document(cases))
        event(known[0])
        assert known == general

    @settings(max_examples=100)
    @given(st.lists(cst.policy_exports(), min_size=1, max_size=4), st.booleans())
    def test_cases_that_share_values(self, cases, plain):
        """Later cases repeat an earlier one's city, split, date, currency and sources."""
        written = [_case_json(_plain(case, plain=plain)) for case in cases]
        shared = ("recipient", "focus", "value_date", "year", "sources")
        repeated = [
            {**case, **{name: written[0][name] for name in shared}, "identifier": None}
            for case in written
        ]
        known, general = _both_ways(_document(written + repeated))
        event(known[0])
        assert known == general


class TestKnownValues:
    def test_a_later_case_is_put_together_from_the_first_ones_values(self):
        lima = citycoop.City("Lima", "PE", "America/Lima", population=10_000_000)
        first = PolicyExport(
            "Bus management system",
            lima,
            {"public_transport": 60, "digital": 40},
            value=citycoop.Money("1500000.50", "USD"),
            value_date="2021-11-25",
            sources=("https://example.org/case",),
        )
        second = attrs.evolve(first, policy="Traffic card", value=citycoop.Money("7", "usd"))
        text = _document([_case_json(first), _case_json(second)])
        calls: list[object] = []
        known = _json_exports._known

        def spy(case: dict[str, object], reading: object) -> object:
            calls.append(made := known(case, reading))  # type: ignore[arg-type]
            return made

        with mock.patch.object(_json_exports, "_known", spy):
            again = cjson.loads(text, Portfolio)
        assert calls[0] is None  # nothing known yet: the general way
        assert calls[1] == second
        assert again.exports == (first, second)
        assert again.exports[0].recipient is again.exports[1].recipient
        assert again.exports[0].focus is again.exports[1].focus

    @pytest.mark.parametrize("population", ["true", "1.0"])
    def test_a_city_equal_only_in_value_is_not_taken_for_a_known_one(self, population):
        """``true`` and ``1.0`` equal ``1`` in Python; a document may not write them for it."""
        lima = citycoop.City("Lima", "PE", "America/Lima", population=1)
        first = _case_json(PolicyExport("Bus", lima, "digital", identifier="a"))
        recipient = {**first["recipient"], "population": "POPULATION"}  # type: ignore[dict-item]
        second = {**first, "identifier": "b", "recipient": recipient}
        text = _document([first, second]).replace('"POPULATION"', population)
        with pytest.raises(cjson.DocumentError, match=r"exports\[1\].*JSON integer"):
            cjson.loads(text)


class TestTrustedExport:
    def test_takes_every_field_in_order(self):
        parameters = list(inspect.signature(trusted_export).parameters)
        assert parameters == [field.name for field in attrs.fields(PolicyExport)]
        assert tuple(parameters) == _json_exports.FIELDS

    @given(cst.policy_exports())
    def test_gives_the_case_its_values_came_from(self, case):
        again = trusted_export(*(getattr(case, name) for name in _json_exports.FIELDS))
        assert again == case
        assert repr(again) == repr(case)
        assert hash(again) == hash(case)


class TestPlainAmounts:
    @given(st.from_regex(r"-?[0-9]{1,21}(\.[0-9]{1,12})?", fullmatch=True))
    def test_a_plain_amount_is_within_moneys_bounds(self, text):
        assert _json_exports._PLAIN(text) is not None
        amount = _json_exports._amount(text)
        assert amount is not None
        assert repr(amount) == repr(to_decimal(text, "amount"))

    @given(st.text(alphabet="0123456789.-+eE", max_size=30))
    def test_any_amount_is_read_as_money_reads_it_or_left_to_the_general_way(self, text):
        amount = _json_exports._amount(text)
        if amount is not None:
            assert repr(amount) == repr(to_decimal(text, "amount"))


def _general_dumps(value: object) -> str:
    data = cjson.converter().unstructure(value)
    document = {"schema": cjson.SCHEMA, "type": type(value).__name__, "data": data}
    return json.dumps(document, ensure_ascii=False)


class TestWritten:
    """``dumps`` writes a portfolio's cases as text, byte for byte what json.dumps writes."""

    @settings(max_examples=100)
    @given(cst.portfolios(max_items=4))
    def test_the_same_bytes_as_the_unstructured_portfolio(self, portfolio):
        assert cjson.dumps(portfolio) == _general_dumps(portfolio)

    @given(st.lists(cst.policy_exports(), min_size=1, max_size=4), st.booleans())
    def test_cases_that_share_values(self, cases, plain):
        first = _plain(cases[0], plain=plain)
        shared = [
            attrs.evolve(
                _plain(case, plain=plain),
                recipient=first.recipient,
                value_date=first.value_date,
                year=first.year,
                sources=first.sources,
            )
            for case in cases
        ]
        portfolio = Portfolio(OWNER, exports=[*cases, *shared])
        assert cjson.dumps(portfolio) == _general_dumps(portfolio)
        assert cjson.loads(cjson.dumps(portfolio)) == portfolio

    @pytest.mark.parametrize("kind", [citycoop.FocusArea, citycoop.ExportStatus])
    def test_codes_written_as_they_are_need_no_escaping(self, kind):
        for member in kind:
            assert json.dumps(member.value) == f'"{member.value}"'

    def test_text_with_quotes_and_other_scripts(self):
        lima = citycoop.City("Lima", "PE", "America/Lima")
        case = PolicyExport(
            {"ko": '교통카드 "T-money"', "es": "Tarjeta\\n de transporte"},
            lima,
            "public_transport",
            identifier='id "1"',
            note="línea\nnueva",
        )
        portfolio = Portfolio(OWNER, exports=[case])
        assert cjson.dumps(portfolio) == _general_dumps(portfolio)

    def test_indented_documents_are_written_the_general_way(self):
        portfolio = citycoop.datasets.seoul()
        assert json.loads(cjson.dumps(portfolio, indent=2)) == json.loads(cjson.dumps(portfolio))

    def test_a_shared_city_is_written_once(self):
        lima = citycoop.City("Lima", "PE", "America/Lima")
        cases = [PolicyExport(f"Case {n}", lima, "digital", year=2020) for n in range(3)]
        written: list[object] = []
        dumps = _json_exports._DUMPS

        def spy(value: object) -> str:
            written.append(value)
            return dumps(value)

        with mock.patch.object(_json_exports, "_DUMPS", spy):
            text = cjson.dumps(Portfolio(OWNER, exports=cases))
        assert [item for item in written if isinstance(item, dict) and "timezone" in item] == [
            {
                "name": "Lima",
                "country": "PE",
                "timezone": "America/Lima",
                "population": None,
                "coordinates": None,
                "geonames_id": None,
            }
        ]
        assert text.count('"America/Lima"') == 3


class TestCollector:
    """The cyclic collector is paused while a document is read or written, then resumed."""

    @pytest.mark.parametrize("enabled", [True, False])
    def test_its_state_is_restored_on_success_and_on_error(self, enabled):
        text = cjson.dumps(citycoop.datasets.seoul())
        was = gc.isenabled()
        try:
            gc.enable() if enabled else gc.disable()
            cjson.loads(text)
            assert gc.isenabled() is enabled
            with pytest.raises(cjson.DocumentError):
                cjson.loads(text.replace('"KR"', '"Korea"'))
            assert gc.isenabled() is enabled
            cjson.dumps(citycoop.datasets.seoul())
            assert gc.isenabled() is enabled
        finally:
            gc.enable() if was else gc.disable()

    def test_no_collection_runs_while_a_document_is_read(self):
        cases = [
            PolicyExport(f"Case {n}", citycoop.City("Lima", "PE", "America/Lima"), "digital")
            for n in range(3000)
        ]
        text = cjson.dumps(Portfolio(OWNER, exports=cases))
        collections: list[str] = []

        def count(phase: str, _info: dict[str, int]) -> None:
            if phase == "start":
                collections.append(phase)

        gc.callbacks.append(count)
        try:
            cjson.loads(text)
            during = len(collections)
        finally:
            gc.callbacks.remove(count)
        assert during == 0
