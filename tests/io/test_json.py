from __future__ import annotations

import json
import typing

import attrs
import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import citycoop
from _shared import json_paths
from citycoop import Money, Portfolio
from citycoop import strategies as cst
from citycoop.io import json as cjson
from citycoop.io._json_schema import deepest

SCHEMA = cjson.json_schema()
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.FormatChecker())
#: Values of most document types, drawn by the shipped strategies.
VALUES = st.one_of(
    cst.money(),
    cst.cities(),
    cst.mous(),
    cst.policy_exports(),
    cst.training_tracks(),
    cst.reported_figures(),
    cst.rate_tables(),
    cst.horizons(),
    cst.budgets(),
    cst.portfolios(max_items=2),
)


class TestRoundTrip:
    """dumps then loads gives back an equal object, digit for digit."""

    def test_seoul(self):
        portfolio = citycoop.datasets.seoul()
        text = cjson.dumps(portfolio, indent=2)
        assert cjson.loads(text, Portfolio) == portfolio
        VALIDATOR.validate(json.loads(text))

    def test_decimal_digits_survive(self):
        again = cjson.loads(cjson.dumps(Money("1.50", "USD")))
        assert repr(again) == "Money('1.50', 'USD')"

    def test_time_zone_names_survive(self):
        lima = citycoop.datasets.seoul().mous_with("Lima")[0]
        again = cjson.loads(cjson.dumps(lima))
        assert [p.timezone for p in again.parties] == ["Asia/Seoul", "America/Lima"]
        assert again.signed_at == lima.signed_at

    def test_units_survive(self):
        from citycoop._core.units import hours

        cohort = citycoop.Cohort(
            citycoop.Period.day("2022-03-07"), participants=3, hours=hours("7.5")
        )
        again = cjson.loads(cjson.dumps(cohort))
        assert again.hours == hours("7.5")
        assert again.person_hours == cohort.person_hours

    def test_unknown_stays_unknown(self):
        case = citycoop.datasets.seoul().exports[0]
        data = json.loads(cjson.dumps(case))["data"]
        assert data["value"] is None
        assert cjson.loads(cjson.dumps(case)).value is None

    @settings(max_examples=25)
    @given(VALUES | cst.rate_policies() | cst.venues())
    def test_every_type(self, value):
        assert cjson.loads(cjson.dumps(value)) == value

    @settings(max_examples=15)
    @given(cst.portfolios(max_items=3))
    def test_portfolios_validate_against_the_schema(self, portfolio):
        document = json.loads(cjson.dumps(portfolio))
        VALIDATOR.validate(document)
        assert cjson.loads(json.dumps(document)) == portfolio


class TestCaseHook:
    """The hand-written unstructuring of a case gives what cattrs' generated one gives."""

    @given(cst.policy_exports())
    def test_same_as_cattrs(self, case):
        from cattrs.gen import make_dict_unstructure_fn

        from citycoop.io._json_hooks import base_converter

        converter = base_converter()
        generated = make_dict_unstructure_fn(citycoop.PolicyExport, converter)
        assert converter.unstructure(case) == generated(case)
        assert list(converter.unstructure(case)) == list(generated(case))  # key order too


class TestErrors:
    """Bad documents fail with every problem and its path, and quickly."""

    def document(self) -> dict:
        return json.loads(cjson.dumps(citycoop.datasets.seoul()))

    def test_all_problems_with_paths(self):
        doc = self.document()
        doc["data"]["exports"][3]["value"] = {"amount": "abc", "currency": "KRW"}
        doc["data"]["exports"][2]["year"] = 2021.7
        doc["data"]["mous"][0]["title"] = 5
        with pytest.raises(cjson.DocumentError) as info:
            cjson.loads(json.dumps(doc, default=str))
        problems = info.value.problems
        assert len(problems) == 3
        assert any(
            p.startswith("$.data.exports[3].value.amount: 'abc' is not valid") for p in problems
        )
        assert any(p.startswith("$.data.exports[2].year:") for p in problems)
        assert any(p.startswith("$.data.mous[0].title:") for p in problems)
        assert not VALIDATOR.is_valid(doc)

    def test_versions(self):
        doc = self.document()
        doc["schema"] = "citycoop/0"
        with pytest.raises(cjson.DocumentError, match="not a supported version"):
            cjson.loads(json.dumps(doc))
        with pytest.raises(cjson.DocumentError, match="not a Money"):
            cjson.loads(cjson.dumps(citycoop.datasets.seoul()), Money)

    def test_extra_keys_refused(self):
        doc = self.document()
        doc["data"]["owner"]["nickname"] = "x"
        with pytest.raises(cjson.DocumentError, match="extra fields"):
            cjson.loads(json.dumps(doc))
        assert not VALIDATOR.is_valid(doc)

    @pytest.mark.parametrize(
        ("text", "match"),
        [
            ("[" * 100_000 + "]" * 100_000, "nested deeper"),
            ('{"a":' * 40 + "1" + "}" * 40, "nested deeper"),
            (
                '{"schema": "citycoop/1", "type": "Money", "data": {"amount": "1e999999999", "currency": "USD"}}',
                "magnitude",
            ),
            (
                '{"schema": "citycoop/1", "type": "Money", "data": {"amount": NaN, "currency": "USD"}}',
                "not valid JSON",
            ),
            (
                '{"schema": "citycoop/1", "type": "Money", "data": {"amount": 1e999999999, "currency": "USD"}}',
                "expected a decimal string",
            ),
            ("1" * 5000, "not valid JSON"),
            ("not json", "not valid JSON"),
        ],
    )
    def test_hostile_documents(self, text, match):
        with pytest.raises(cjson.DocumentError, match=match):
            cjson.loads(text)

    @pytest.mark.parametrize(
        "data",
        [
            '{"amount": "1", "amount": "2", "currency": "USD"}',
            '{"amount": "1", "currency": "USD", "currency": "USD"}',
        ],
    )
    def test_a_member_given_twice_is_refused(self, data):
        text = '{"schema": "citycoop/1", "type": "Money", "data": ' + data + "}"
        with pytest.raises(cjson.DocumentError, match="given twice in one object"):
            cjson.loads(text)
        twice = '{"schema": "citycoop/1", "schema": "citycoop/1", "type": "Money", "data": {}}'
        with pytest.raises(cjson.DocumentError, match="'schema' is given twice"):
            cjson.loads(twice)

    @pytest.mark.parametrize(
        ("path", "value"),
        [
            (("value", "amount"), 5),
            (("value", "amount"), "1_000"),
            (("value", "amount"), " 5"),
            (("value_date",), "20211125"),
            (("recipient", "country"), "pe"),
            (("recipient", "population"), True),
            (("recipient", "coordinates", "latitude"), -12.05),
            (("status",), "In Progress"),
        ],
    )
    def test_loader_is_as_strict_as_the_schema(self, path, value):
        doc = self.document()
        index, target = self.valued_case(doc)
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
        assert not VALIDATOR.is_valid(doc)
        with pytest.raises(cjson.DocumentError, match=rf"\$\.data\.exports\[{index}\]\."):
            cjson.loads(json.dumps(doc))

    def valued_case(self, doc: dict) -> tuple[int, dict]:
        """The first case, given a value and recipient coordinates."""
        index, case = 0, doc["data"]["exports"][0]
        case["value"] = {"amount": "1500000.00", "currency": "USD"}
        case["recipient"]["coordinates"] = {"latitude": "-12.05", "longitude": "-77.04"}
        assert cjson.loads(json.dumps(doc)).exports[index].recipient.coordinates is not None
        return index, case

    def test_checking_stops_at_the_problem_limit(self):
        doc = self.document()
        doc["data"]["exports"] = [1] * 5000
        with pytest.raises(cjson.DocumentError) as info:
            cjson.loads(json.dumps(doc))
        error = info.value
        assert error.stopped
        assert len(error.problems) == cjson.MAX_PROBLEMS
        assert error.problems[-1].startswith("$.data.exports[99]:")
        assert str(error).startswith(
            "invalid citycoop document: at least 100 problems, checking stopped there"
        )
        assert len(str(error)) < 4000
        with pytest.raises(cjson.DocumentError) as info:
            cjson.loads(json.dumps(doc), max_problems=10_000)
        assert not info.value.stopped
        assert len(info.value.problems) == 5000
        assert str(info.value).startswith("invalid citycoop document: 5000 problems:")

    def test_a_long_value_is_quoted_short(self):
        doc = self.document()
        self.valued_case(doc)[1]["value"]["amount"] = "9" * 10**6
        with pytest.raises(cjson.DocumentError) as info:
            cjson.loads(json.dumps(doc))
        assert len(str(info.value)) < 1000

    def test_size_limit(self):
        with pytest.raises(cjson.DocumentError, match="max_bytes"):
            cjson.loads(cjson.dumps(citycoop.datasets.seoul()), max_bytes=1000)

    def test_only_citycoop_types(self):
        with pytest.raises(citycoop.ValidationError):
            cjson.dumps({"a": 1})

    @given(st.text(max_size=100) | st.binary(max_size=100).map(lambda b: b.decode("latin-1")))
    def test_arbitrary_text_raises_only_document_errors(self, text):
        with pytest.raises(cjson.DocumentError):
            cjson.loads(text)


_REPLACEMENTS = [
    5,
    -1.5,
    10**20,
    "x",
    "",
    " 1",
    "1.5",
    "2021-11-25",
    None,
    True,
    [],
    {},
    [1],
    {"a": 1},
]
_VALIDATORS: dict[type, jsonschema.Draft202012Validator] = {}


def _validator(kind: type) -> jsonschema.Draft202012Validator:
    if kind not in _VALIDATORS:
        _VALIDATORS[kind] = jsonschema.Draft202012Validator(cjson.json_schema(kind))
    return _VALIDATORS[kind]


def _accepted(text: str) -> bool:
    try:
        cjson.loads(text)
    except cjson.DocumentError:
        return False
    return True


class TestAgainstTheSchema:
    """The loader accepts no document that the published JSON Schema refuses.

    The schema says the shape (types, required and unknown members, decimal and date
    patterns); the loader checks that shape and, beyond it, what a schema cannot say
    (a currency exists, a period ends after it starts). So for any document, accepted by
    the loader implies valid under the schema; each shape change the schema refuses is
    refused by the loader too.
    """

    @settings(max_examples=300)
    @given(VALUES, st.data())
    def test_loader_accepts_only_what_the_schema_accepts(self, value, data):
        document = json.loads(cjson.dumps(value))
        validator = _validator(type(value))
        assert validator.is_valid(document)
        assert _accepted(json.dumps(document))
        path = data.draw(st.sampled_from(json_paths(document["data"])), label="path")
        parent, key = (
            (document, "data") if not path else (_at(document["data"], path[:-1]), path[-1])
        )
        change = data.draw(st.sampled_from(["replace", "delete", "add"]), label="change")
        if change == "replace":
            parent[key] = data.draw(st.sampled_from(_REPLACEMENTS), label="by")
        elif change == "delete" and isinstance(parent, dict):
            del parent[key]
        elif change == "add" and isinstance(parent[key], dict):
            parent[key]["unknown_member"] = "x"
        text = json.dumps(document)
        if _accepted(text):
            assert validator.is_valid(json.loads(text)), text
        if not validator.is_valid(json.loads(text)):
            assert not _accepted(text)


def _at(node: object, path: tuple) -> typing.Any:
    for key in path:
        node = node[key]  # type: ignore[index]
    return node


DOMAIN_CLASSES = [
    value
    for name in citycoop.__all__
    if isinstance(value := getattr(citycoop, name), type)
    and attrs.has(value)
    and value.__module__
    in {
        "citycoop._domain.agreements",
        "citycoop._domain.budgets",
        "citycoop._domain.exports",
        "citycoop._domain.horizons",
        "citycoop._core.money",
        "citycoop._domain.parties",
        "citycoop._core.places",
        "citycoop._domain.portfolio",
        "citycoop._core.time",
        "citycoop._domain.training",
    }
]


class TestConverter:
    """The public converter round-trips every public domain class; type hints resolve."""

    def test_covers_the_domain(self):
        assert len(DOMAIN_CLASSES) >= 15

    @pytest.mark.parametrize("kind", DOMAIN_CLASSES, ids=lambda kind: kind.__name__)
    def test_type_hints_resolve(self, kind):
        hints = typing.get_type_hints(kind)
        assert set(hints) >= {field.name for field in attrs.fields(kind)}

    @settings(max_examples=20)
    @given(st.data())
    def test_round_trip(self, data):
        kind = data.draw(st.sampled_from(DOMAIN_CLASSES))
        value = data.draw(st.from_type(kind))
        converter = cjson.converter()
        assert converter.structure(converter.unstructure(value), kind) == value

    @settings(max_examples=20)
    @given(st.data())
    def test_an_app_class_through_json_text(self, data):
        """The documented route for an app's own class: JSON text and back, exactly."""

        @attrs.frozen
        class Held:
            value: object
            note: str

        kind = data.draw(st.sampled_from(DOMAIN_CLASSES))
        value = data.draw(st.from_type(kind))
        converter = cjson.converter()
        text = json.dumps(converter.unstructure(value))
        assert converter.structure(json.loads(text), kind) == value
        with pytest.raises(citycoop.ValidationError, match=r"converter\(\)\.unstructure"):
            cjson.dumps(Held(value, "mine"))

    def test_is_a_copy(self):
        mine = cjson.converter()
        mine.register_unstructure_hook(citycoop.Money, lambda _: "hidden")
        assert cjson.converter().unstructure(citycoop.Money(1, "USD")) != "hidden"
        assert "hidden" not in cjson.dumps(citycoop.Money(1, "USD"))


def _leaf_errors(error: BaseException) -> list[BaseException]:
    if isinstance(error, BaseExceptionGroup):
        return [leaf for inner in error.exceptions for leaf in _leaf_errors(inner)]
    return [error]


class TestAsciiDigits:
    """Amounts, dates and instants take ASCII digits only, as the published schema says."""

    @pytest.mark.parametrize(
        ("kind", "data"),
        [
            ("Money", {"amount": "١٠٠", "currency": "USD"}),  # Arabic-Indic digits
            ("Money", {"amount": "１００", "currency": "USD"}),  # full-width digits
            ("Period", {"start": "２０２１-01-01", "end": "2021-12-31"}),
        ],
    )
    def test_other_digits_are_refused_by_the_loader_and_the_schema(self, kind, data):
        document = {"schema": cjson.SCHEMA, "type": kind, "data": data}
        with pytest.raises(cjson.DocumentError, match="is not valid"):
            cjson.loads(json.dumps(document))
        schema = cjson.json_schema(getattr(citycoop, kind))
        assert not jsonschema.Draft202012Validator(schema).is_valid(document)


class TestWrongArguments:
    """Wrong arguments to loads are DocumentErrors that say what was expected."""

    def test_not_text(self):
        with pytest.raises(cjson.DocumentError, match="expected the document's text"):
            cjson.loads(None)  # type: ignore[call-overload]

    def test_a_type_name_instead_of_the_class(self):
        document = cjson.dumps(Money(1, "USD"))
        with pytest.raises(cjson.DocumentError, match="expected a citycoop class such as Money"):
            cjson.loads(document, "Money")  # type: ignore[call-overload]

    def test_max_bytes_counts_bytes_of_text(self):
        document = json.dumps("한" * 30, ensure_ascii=False)  # 32 characters, 92 bytes
        with pytest.raises(cjson.DocumentError, match="has 92 bytes, more than max_bytes=50"):
            cjson.loads(document, max_bytes=50)


def _depth(node: object) -> int:
    if isinstance(node, dict | list):
        children = node.values() if isinstance(node, dict) else node
        return 1 + max((_depth(child) for child in children), default=0)
    return 0


class TestDepth:
    """Documents deeper than max_depth are refused, whatever else is wrong with them."""

    @pytest.mark.parametrize("kind", sorted(cjson.TYPES.values(), key=lambda kind: kind.__name__))
    def test_every_type_has_a_deepest_document_within_the_default(self, kind):
        assert deepest(kind) <= cjson.MAX_DEPTH

    def test_a_portfolio_nests_nine_levels_at_most(self):
        assert deepest(Portfolio) == 9

    @settings(max_examples=100)
    @given(VALUES)
    def test_no_document_nests_deeper_than_its_schema_lets_it(self, value):
        assert _depth(json.loads(cjson.dumps(value))) <= deepest(type(value))

    @pytest.mark.parametrize(
        "data",
        [
            {"amount": "[" * 40 + "]" * 40, "currency": "USD"},
            {"amount": "1", "currency": "USD", "extra": "[" * 40 + "]" * 40},
            "[" * 40 + "]" * 40,
        ],
    )
    def test_deeper_than_max_depth_in_a_document_of_a_known_type(self, data):
        text = json.dumps({"schema": cjson.SCHEMA, "type": "Money", "data": data})
        text = text.replace('"' + "[" * 40, "[" * 40).replace("]" * 40 + '"', "]" * 40)
        with pytest.raises(cjson.DocumentError, match="nested deeper than max_depth=32"):
            cjson.loads(text)

    def test_a_valid_document_deeper_than_a_smaller_max_depth(self):
        text = cjson.dumps(citycoop.datasets.seoul())
        depth = _depth(json.loads(text))
        assert cjson.loads(text, max_depth=depth) == citycoop.datasets.seoul()
        with pytest.raises(cjson.DocumentError, match=f"nested deeper than max_depth={depth - 1}"):
            cjson.loads(text, max_depth=depth - 1)

    def test_too_deep_is_said_before_an_unknown_type(self):
        text = '{"schema": "citycoop/1", "type": "Nothing", "data": ' + "[" * 40 + "]" * 40 + "}"
        with pytest.raises(cjson.DocumentError, match="nested deeper"):
            cjson.loads(text)
