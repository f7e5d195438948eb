"""Price indices: values checked, missing values named, rebasing (`_prices/index.py`)."""

from __future__ import annotations

import pickle
from decimal import Decimal

import pytest

from _shared import price_index
from citycoop import (
    Economy,
    IndexValue,
    MissingPriceError,
    PriceIndex,
    ValidationError,
)


class TestPriceIndex:
    def test_values_are_checked(self):
        with pytest.raises(ValidationError, match=r"IndexValue\.value: "):
            IndexValue("KOR", 2021, "0")
        with pytest.raises(ValidationError, match=r"IndexValue\.year: "):
            IndexValue("KOR", 21, "1")
        with pytest.raises(ValidationError, match="an economy listed in economies"):
            PriceIndex([IndexValue("KOR", 2021, 1)], economies=[], source="s", indicator="i")
        with pytest.raises(ValidationError, match="one value per economy and year"):
            price_index({("KOR", 2021): "1"}).__class__(
                [IndexValue("KOR", 2021, 1), IndexValue("KOR", 2021, 2)],
                economies=[Economy("KOR", "Korea", "KRW")],
                source="s",
                indicator="i",
            )

    def test_missing_values_name_economy_year_and_nearest(self):
        index = price_index({("KOR", 2015): "90", ("KOR", 2017): "95"})
        with pytest.raises(MissingPriceError) as caught:
            index.value("KOR", 2016)
        assert str(caught.value) == (
            "no test prices value for KOR in 2016: the nearest years with values are 2015 and 2017"
        )
        assert (caught.value.economy, caught.value.year) == ("KOR", 2016)
        assert pickle.loads(pickle.dumps(caught.value)).args == caught.value.args
        with pytest.raises(MissingPriceError, match="the latest year with a value is 2017"):
            index.value("KOR", 2030)
        with pytest.raises(MissingPriceError, match="the index has no such economy"):
            index.value("JPN", 2015)
        with pytest.raises(MissingPriceError, match="no economy of the index prices JPY"):
            index.economy_for("JPY")
        with pytest.raises(ValidationError, match=r"^PriceIndex\.economy\.code: "):
            index.value(["KOR"], 2015)  # type: ignore[arg-type]
        assert index.economy("KR").code == "KOR"

    def test_rebasing_sets_100_and_keeps_published_values(self):
        index = price_index({("KOR", 2015): "90", ("KOR", 2021): "120"})
        rebased = index.rebased(2021)
        assert rebased.value("KOR", 2021) == 100
        assert rebased.value("KOR", 2015) == Decimal(75)
        assert rebased.published("KOR", 2015) == Decimal(90)
        with pytest.raises(MissingPriceError, match="in 2019"):
            index.rebased(2019).value("KOR", 2015)
        with pytest.raises(ValidationError, match=r"PriceIndex\.rebased\.year"):
            index.rebased("2021")  # type: ignore[arg-type]

    def test_an_index_is_an_immutable_value(self):
        one = price_index({("KOR", 2015): "90"})
        two = price_index({("KOR", 2015): "90.0"})
        assert one == two
        assert hash(one) == hash(two)
        assert "1 economies" in repr(one)
