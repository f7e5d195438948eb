"""Validators and converters (`_validation`) name their field without a hand-typed string."""

from __future__ import annotations

import ast
import functools
import re
from pathlib import Path

import attrs
import pytest

import citycoop
from _shared import MML, SMG
from citycoop import (
    MOU,
    City,
    Cohort,
    Money,
    Period,
    Portfolio,
    RateTable,
    StrategyHorizon,
    Text,
    TrainingTrack,
    ValidationError,
)
from citycoop._core.validation import items, iterable, name_fields, strings, urls

SRC = Path(citycoop.__file__).parent
ATTRS_CLASSES = [
    value
    for value in (getattr(citycoop, name) for name in citycoop.__all__)
    if isinstance(value, type) and attrs.has(value)
]


class TestFieldNames:
    """Errors read ``Class.field`` and the name comes from attrs."""

    @pytest.mark.parametrize("cls", ATTRS_CLASSES, ids=lambda cls: cls.__name__)
    def test_every_converter_that_takes_a_field_is_bound_to_its_own(self, cls):
        for field in attrs.fields(cls):
            converter = field.converter
            if isinstance(converter, functools.partial):  # a private field by its argument
                assert converter.keywords == {"field": f"{cls.__name__}.{field.alias}"}

    @pytest.mark.parametrize(
        ("build", "message"),
        [
            (lambda: Money(1.5, "USD"), r"^Money\.amount: "),
            (lambda: Money(1, "XYZ"), r"^Money\.currency: "),
            (lambda: Period("2021-02-01", "2021-01-01"), r"^Period\.end: "),
            (lambda: City("", "PE", "America/Lima"), r"^City\.name: "),
            (lambda: City("Lima", "ZZ", "America/Lima"), r"^City\.country: "),
            (lambda: Cohort(Period.year(2021), participants=-1, hours=1), r"^Cohort\.participants"),
            (lambda: MOU("t", [SMG]), r"^MOU\.parties: "),
            (lambda: MOU("t", [SMG, "Lima"]), r"^MOU\.parties\[1\]: 'Lima'"),
            (lambda: MOU("t", [SMG, MML], documents=["ftp://x"]), r"^MOU\.documents\[0\]"),
            (
                lambda: StrategyHorizon("mid", objectives=["plan", " "]),
                r"^StrategyHorizon\.objectives\[1\]",
            ),
            (lambda: TrainingTrack("t", "digital", cohorts=[1]), r"^TrainingTrack\.cohorts\[0\]"),
            (lambda: RateTable((), pivots=["USD", "XXQ"]), r"^RateTable\.pivots\[1\]"),
            (lambda: Portfolio(SMG, exports=5), r"^Portfolio\.exports: 5"),
        ],
    )
    def test_message_names_the_field(self, build, message):
        with pytest.raises(citycoop.CitycoopError, match=message):
            build()

    def test_no_field_name_is_typed_by_hand(self):
        """No string literal in the model spells ``Class.field`` for an attrs field.

        The model is every private module of the package (the io modules name places
        in documents instead). The only exceptions are the helpers of ``_core/money.py`` that
        build Money without its converters, above the class they name.
        """
        names = {f"{cls.__name__}.{f.name}" for cls in ATTRS_CLASSES for f in attrs.fields(cls)}
        spelled = re.compile(r"([A-Z]\w*\.\w+)(\[|$)")
        found = []
        paths = sorted(SRC.glob("_*/*.py"))
        assert len(paths) > 40  # every module of the private layer packages
        for path in paths:
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Constant) and isinstance(node.value, str):
                    match = spelled.match(node.value)
                    if match and match[1] in names:
                        found.append(f"{path.parent.name}/{path.name}:{node.lineno} {node.value}")
        allowed = {"_core/money.py"}
        assert [hit for hit in found if hit.split(":")[0] not in allowed] == []

    def test_name_fields_leaves_other_converters_alone(self):
        @attrs.frozen(field_transformer=name_fields)
        class Holder:
            plain: tuple[int, ...] = attrs.field(converter=tuple)
            named: tuple[str, ...] = attrs.field(converter=strings)

        assert attrs.fields(Holder).plain.converter is tuple
        with pytest.raises(ValidationError, match=r"^Holder\.named\[0\]: 1"):
            Holder([1], [1])


class TestTupleConverters:
    """Tuple fields accept any iterable of their items, and no lone string."""

    def test_any_iterable(self):
        mou = MOU("t", (party for party in (SMG, MML)), policies={"TOPIS"})
        assert mou.parties == (SMG, MML)
        assert mou.policies == (Text("TOPIS"),)

    def test_a_tuple_is_kept_as_is(self):
        given = (SMG, MML)
        assert items(given, type(SMG), "an Organisation", "f") is given

    @pytest.mark.parametrize("value", ["ab", b"ab", {"a": 1}, 5])
    def test_not_an_iterable_of_items(self, value):
        with pytest.raises(ValidationError, match=r"^f: .*an iterable of items"):
            tuple(iterable(value, "f"))

    @pytest.mark.parametrize("url", ["ftp://example.org", "https://", "https://a b.org"])
    def test_urls(self, url):
        with pytest.raises(ValidationError, match=r"f\[1\]: .*an http\(s\) URL"):
            urls(["https://example.org", url], "f")
